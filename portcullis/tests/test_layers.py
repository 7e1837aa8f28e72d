"""Dependencies run one way, down the layers README names, and never in a circle.

The import graph of `portcullis/` is built from the source with `ast`, imports inside functions
and under `TYPE_CHECKING` included, so an upward import cannot hide in a function body.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.module_loading import import_string
from django_tasks.base import Task

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. An app may import its own layer and those below it, never one above.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"lib", "scheduler"}),  # helpers and plumbing: no people, no domain
    frozenset({"accounts"}),  # people, offices, roles, need-to-know
    frozenset({"ledger"}),  # the record of every change
    frozenset({"intel", "screening"}),  # the shared engines every origin goes through
    frozenset(
        {"approaches", "phishing", "training", "protection", "donations", "visitors"}
    ),  # feature apps
)
# Every writer in every layer, accounts included, records its change through the ledger's door:
# `record`, `record_many`, `Entry` and the system actors. Nothing else of the ledger is open.
OPEN_TO_ALL = frozenset(
    {"portcullis.ledger", "portcullis.ledger.actors", "portcullis.ledger.entries"}
)
# The project's own modules (settings, URLs, navigation, the test cast) and all tests sit on top.
TOP = len(LAYERS)


@dataclass(frozen=True)
class Import:
    source: str
    target: str
    line: int

    def __str__(self) -> str:
        return f"{self.source} imports {self.target} (line {self.line})"


def modules(package_dir: Path) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    base = package_dir.parent
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = list(path.relative_to(base).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(package_dir: Path) -> list[Import]:
    """Every import of one of the package's modules by another, wherever it is written."""
    known = modules(package_dir)
    root = package_dir.name
    edges: dict[tuple[str, str], Import] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(node, package, known):
                if target != name and (target == root or target.startswith(root + ".")):
                    edges.setdefault((name, target), Import(name, target, node.lineno))
    return list(edges.values())


def _targets(node: ast.stmt, package: str, known: dict[str, Path]) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            module = ".".join([*base, *([node.module] if node.module else [])])
        else:
            module = node.module or ""
        for alias in node.names:  # `from pkg import submodule` imports the submodule
            submodule = f"{module}.{alias.name}"
            yield submodule if submodule in known else module


def layer_of(module: str) -> int:
    parts = module.split(".")
    if "tests" in parts or "testing" in parts or len(parts) < 3 and parts[-1] not in _APPS:
        return TOP
    for level, apps in enumerate(LAYERS):
        if parts[1] in apps:
            return level
    return TOP


_APPS = frozenset().union(*LAYERS)


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def upward(edges: list[Import]) -> list[Import]:
    """Imports of a higher layer's module by a lower one's."""
    return [
        e
        for e in edges
        if app_of(e.source) != app_of(e.target)
        and e.target not in OPEN_TO_ALL
        and layer_of(e.source) < layer_of(e.target)
    ]


def cycles(edges: list[Import]) -> list[list[str]]:
    """Each import cycle between modules, once, as the modules in order."""
    graph: dict[str, list[str]] = {}
    for e in edges:
        graph.setdefault(e.source, []).append(e.target)
    found, state = [], {}  # state: 1 on the current path, 2 finished
    for start in sorted(graph):
        stack: list[tuple[str, Iterator[str]]] = [(start, iter(graph.get(start, ())))]
        path = [start]
        if state.get(start):
            continue
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                found.append(path[path.index(child) :] + [child])
            elif not state.get(child):
                state[child] = 1
                stack.append((child, iter(graph.get(child, ()))))
                path.append(child)
    return found


# --- the real tree ------------------------------------------------------------------------------


def test_portcullis_has_no_import_cycles() -> None:
    assert cycles(imports(ROOT / "portcullis")) == []


def test_no_app_imports_a_higher_layer() -> None:
    assert [str(e) for e in upward(imports(ROOT / "portcullis"))] == []


def test_every_app_has_a_layer() -> None:
    apps = {p.parent.name for p in (ROOT / "portcullis").glob("*/apps.py")}
    assert apps - _APPS == set(), "add the new app to LAYERS here and in README"


def test_every_task_enqueued_by_name_exists() -> None:
    names = [
        node.args[0].value
        for path in (ROOT / "portcullis").rglob("*.py")
        for node in ast.walk(ast.parse(path.read_bytes()))
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", "")) == "enqueue_on_commit"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]
    assert names, "the scan found no enqueue_on_commit calls"
    for name in names:
        assert isinstance(import_string(name), Task), name


# --- the checker, proved on a package made to fail ---------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "portcullis"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        for parent in path.relative_to(root).parents:
            (root / parent / "__init__.py").touch()
    return root


def test_the_checker_finds_a_cycle_hidden_inside_a_function(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "screening/engine.py": "from portcullis.screening import index\n",
            "screening/index.py": "def build():\n    from .engine import score\n",
        },
    )
    found = cycles(imports(root))
    assert found == [["portcullis.screening.engine", "portcullis.screening.index",
                      "portcullis.screening.engine"]]  # fmt: skip


def test_the_checker_finds_an_upward_import(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "lib/mail.py": "def team():\n    from portcullis.accounts.models import User\n",
            "accounts/models.py": "from portcullis.lib import dates\n",
            "lib/dates.py": "",
            "accounts/services.py": "from portcullis import ledger\n",
            "ledger/models.py": "",
            "intel/services.py": "from portcullis.accounts.models import User\n",
            "training/tasks.py": "",
            "accounts/directory.py": "import portcullis.training.tasks\n",
        },
    )
    assert sorted(str(e) for e in upward(imports(root))) == [
        "portcullis.accounts.directory imports portcullis.training.tasks (line 1)",
        "portcullis.lib.mail imports portcullis.accounts.models (line 2)",
    ]
    assert cycles(imports(root)) == []
