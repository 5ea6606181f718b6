"""Build script: the engine's hot modules are compiled to C extensions with mypyc.

Everything else about the package is declared in pyproject.toml. The modules named in
`compiled-modules.txt` are ordinary, mypy-strict Python; mypyc (part of mypy) turns them into
C extensions at install time, which takes about a quarter off the time of one safeguards
evaluation (docs/benchmarks.md). After a successful in-place build (the editable install the
Makefile makes) the digests of the sources it was built from are recorded, so `make` and the
test suite can tell when the extensions no longer match the sources (tools/native_build.py).
"""

import sys
from pathlib import Path

from mypyc.build import mypycify
from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
# tools/ is not a package the build environment can import by name; the check lives there
# because make and the tests share it
sys.path.insert(0, str(ROOT / "tools"))
from native_build import GROUP, compiled_modules, write_record  # noqa: E402 - needs the path


class BuildExtRecorded(build_ext):
    """build_ext that records what an in-place build was built from, once it has succeeded."""

    def run(self) -> None:
        super().run()
        if self.inplace or self.editable_mode:
            write_record(ROOT)


setup(
    ext_modules=mypycify(
        ["--config-file", str(ROOT / "pyproject.toml"), *compiled_modules(ROOT)],
        opt_level="3",
        group_name=GROUP,
    ),
    cmdclass={"build_ext": BuildExtRecorded},
)
