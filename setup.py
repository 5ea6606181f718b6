"""Build script: the engine's hot modules are compiled to C extensions with mypyc.

Everything else about the package is declared in pyproject.toml. The modules named in
`compiled-modules.txt` are ordinary, mypy-strict Python; mypyc (part of mypy) turns them into
C extensions at install time, which takes about a third off the cost of one safeguards
evaluation (docs/benchmarks.md). The Makefile rebuilds them whenever one of them changes; the
digests of the sources compiled are written to build/mypyc-sources.json, and the test suite
refuses to run against extensions built from other sources (tests/harness/compiled.py).
"""

import hashlib
import json
from pathlib import Path

from mypyc.build import mypycify
from setuptools import setup

ROOT = Path(__file__).resolve().parent
#: source path -> sha256 of the text compiled (mypyc leaves an unchanged extension's time alone,
#: so times cannot tell whether an extension matches its source)
RECORD = ROOT / "build" / "mypyc-sources.json"


def compiled_modules() -> list[str]:
    lines = (ROOT / "compiled-modules.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def record_sources(modules: list[str]) -> None:
    RECORD.parent.mkdir(exist_ok=True)
    digests = {path: hashlib.sha256((ROOT / path).read_bytes()).hexdigest() for path in modules}
    RECORD.write_text(json.dumps(digests, indent=1, sort_keys=True), encoding="utf-8")


MODULES = compiled_modules()
record_sources(MODULES)
setup(
    ext_modules=mypycify(
        ["--config-file", str(ROOT / "pyproject.toml"), *MODULES],
        opt_level="3",
        group_name="treatydesk_native",
    ),
)
