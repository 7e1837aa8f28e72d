"""README's commands work as printed in a fresh checkout after the set-up (issue 9 item 10).

Every code block fenced as ```` ```sh runnable ```` is run, in order, with bash in a clone of this
repository (the committed tree) beside a `shared` directory like the workplace's, after
`make setup`: the state a newcomer is in once `make run` has set things up. The clone borrows this
checkout's `.venv` (installing it again would take minutes and the network).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```sh runnable\n(.*?)^```$", re.S | re.M)


def runnable_blocks(readme: str) -> list[str]:
    return FENCE.findall(readme)


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False
    )


def test_the_marker_finds_the_blocks_it_should() -> None:
    readme = "```sh runnable\necho one\n```\n```sh\nmake test\n```\n```sh runnable\necho two\n```\n"
    assert runnable_blocks(readme) == ["echo one\n", "echo two\n"]


def test_every_runnable_readme_block_works_as_printed_after_setup(tmp_path: Path) -> None:
    blocks = runnable_blocks((ROOT / "README.md").read_text())
    assert len(blocks) >= 4, "README lost its runnable blocks"
    checkout = tmp_path / "portcullis"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(checkout)], check=True)  # noqa: S603, S607
    (checkout / ".venv").symlink_to((ROOT / ".venv").resolve())
    (tmp_path / "shared").symlink_to(Path(settings.PORTCULLIS_SHARED_DATA).resolve().parent)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PORTCULLIS_")) and k != "DATABASE_URL"
    }
    # -o: the borrowed .venv counts as installed, so make does not reinstall it.
    setup = _run(["make", "-o", ".venv/.installed", "setup"], checkout, env)
    assert setup.returncode == 0, setup.stdout[-2000:] + setup.stderr[-3000:]
    for block in blocks:
        result = _run(["bash", "-e", "-o", "pipefail", "-c", block], checkout, env)
        assert result.returncode == 0, f"{block}\n{result.stderr[-3000:]}"
