"""Build script: the engine's hot modules are compiled to C extensions with mypyc.

Everything else about the package is declared in pyproject.toml. The modules named in
`compiled-modules.txt` are ordinary, mypy-strict Python; mypyc (part of mypy) turns them into
C extensions at install time, which roughly halves the cost of one safeguards evaluation
(docs/benchmarks.md). The Makefile rebuilds them whenever one of them changes, and the test
suite refuses to run against an extension older than its source.
"""

from pathlib import Path

from mypyc.build import mypycify
from setuptools import setup

ROOT = Path(__file__).resolve().parent


def compiled_modules() -> list[str]:
    lines = (ROOT / "compiled-modules.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


setup(
    ext_modules=mypycify(
        ["--config-file", str(ROOT / "pyproject.toml"), *compiled_modules()],
        opt_level="3",
        group_name="treatydesk_native",
    ),
)
