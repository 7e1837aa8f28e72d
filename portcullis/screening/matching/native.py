"""The scoring modules compiled by mypyc, used only while built from the sources beside them.

`make native` (run by `make setup` and `make test`) compiles them into `var/native/`: a third
less CPU per pair scored. The package looks there before its own directory only while the
build's digest of the sources is the current one, so an edited module is never shadowed by a
stale build; with no build (no C compiler, or an install without the development requirements)
the same modules run as pure Python, with the same results.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
BUILD = PACKAGE.parents[2] / "var" / "native"
BUILT = BUILD / "portcullis" / "screening" / "matching"
# What scores a pair. `model` stays Python: the app and the list parsers build its entities from
# whatever they read, and compiled classes check every field's type. So do the index and the
# screening loop (numpy and files do their work), and this module.
COMPILED = ("algorithms", "compare", "dates", "normalise", "romanise")


def sources_digest() -> str:
    """Of every module of the package: compiled code relies on the types of its neighbours."""
    digest = hashlib.sha256(sys.version.encode())
    for path in sorted(PACKAGE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def is_current(built: Path = BUILT) -> bool:
    try:
        return (built / "SOURCES").read_text() == sources_digest()
    except OSError:
        return False


def compiled_path(built: Path = BUILT) -> list[str]:
    """The build's directory, to be searched before the sources, if it was built from them."""
    return [str(built)] if is_current(built) else []


def build() -> None:
    if is_current():
        return
    from mypyc.build import mypycify
    from setuptools import setup

    digest = sources_digest()
    # Removed, not overwritten: a running process keeps the files it mapped, and until the
    # digest is written last, what is there is no build.
    shutil.rmtree(BUILD, ignore_errors=True)
    modules = mypycify(
        [str(PACKAGE / f"{name}.py") for name in COMPILED],
        group_name="portcullis.screening.matching.native",
        target_dir=str(BUILD / "c"),
    )
    build_ext = ["--quiet", "build_ext", f"--build-lib={BUILD}", f"--build-temp={BUILD / 'temp'}"]
    setup(name="portcullis-native", py_modules=[], ext_modules=modules, script_args=build_ext)
    (BUILT / "SOURCES").write_text(digest)


if __name__ == "__main__":
    build()
