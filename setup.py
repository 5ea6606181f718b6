"""Build script: the hot modules are compiled to C extensions.

Everything else about the package is declared in pyproject.toml. The `.py` modules named in
`compiled-modules.txt` are ordinary, mypy-strict Python; mypyc (part of mypy) turns them into
C extensions at install time, which takes about a quarter off the time of one safeguards
evaluation (docs/benchmarks.md). The `.pyx` modules there are Cython: the status importer's
character scanners and the engine's vocabulary walk, which no library provides for this
workload and Python cannot run at C speed. After a
successful in-place build (the editable install the Makefile makes) the digests of the
sources it was built from are recorded, so `make` and the test suite can tell when the
extensions no longer match the sources (tools/native_build.py).
"""

import sys
from functools import cache
from pathlib import Path

from Cython.Build import cythonize
from mypyc.build import mypycify
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
# tools/ is not a package the build environment can import by name; the check lives there
# because make and the tests share it
sys.path.insert(0, str(ROOT / "tools"))
from native_build import GROUP, compiled_modules, module_name, write_record  # noqa: E402 - needs the path

#: commands that only read the package's metadata: pip runs each in a process of its own
#: before the build (build requirements, then metadata) and neither compiles anything
METADATA_COMMANDS = frozenset({"egg_info", "dist_info"})


@cache
def compiled_extensions() -> list[Extension]:
    """The listed modules translated to C, by mypyc (type-checked first) or by Cython: about
    half a minute, so once per process (a build may finalize build_ext more than once)."""
    listed = compiled_modules(ROOT)
    extensions: list[Extension] = mypycify(
        ["--config-file", str(ROOT / "pyproject.toml"),
         *(source for source in listed if source.endswith(".py"))],
        opt_level="3",
        group_name=GROUP,
    )
    scanners = [
        Extension(module_name(source), [source])
        for source in listed if source.endswith(".pyx")
    ]
    # the generated C goes under build/, not beside the sources
    extensions += cythonize(scanners, build_dir="build/cython", quiet=True)
    return extensions


class BuildExtRecorded(build_ext):
    """build_ext that runs mypyc only for a build, and records what an in-place build was
    built from once it has succeeded."""

    def finalize_options(self) -> None:
        if not set(self.distribution.commands) <= METADATA_COMMANDS:
            self.distribution.ext_modules = compiled_extensions()
        super().finalize_options()

    def run(self) -> None:
        super().run()
        if self.inplace or self.editable_mode:
            write_record(ROOT)


setup(
    # a stand-in until build_ext puts the compiled modules in its place (for a build; the
    # metadata commands keep it): it says the package has extensions, a platform wheel
    ext_modules=[Extension(GROUP, sources=[])],
    cmdclass={"build_ext": BuildExtRecorded},
)
