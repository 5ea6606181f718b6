"""The compiled modules (compiled-modules.txt): which they are, what they were built from, and
whether the extensions in the source tree still match the sources.

Python imports an extension module in preference to the .py beside it, so an extension built
from older sources would silently run old code. A successful in-place build (setup.py) records
the sha256 of the compiled modules and of every treatydesk module they import, directly or not
(mypyc compiled them against those types: a changed field type changes what the compiled code
assumes), in build/mypyc-sources.json. `problems()` compares that record with the tree as
it is; `make` rebuilds when it finds any (`python tools/native_build.py`) and the test session
refuses to start on them. Standard library only: setup.py and the tests both import it."""

from __future__ import annotations

import ast
import hashlib
import importlib
import json
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parents[1]
LIST_NAME = "compiled-modules.txt"
RECORD = PurePosixPath("build/mypyc-sources.json")
#: the shared library mypyc builds for all compiled modules (setup.py's group_name)
GROUP = "treatydesk_native"


def compiled_modules(root: Path = ROOT) -> list[str]:
    """The listed paths, relative to the root, in POSIX form ('#' starts a comment)."""
    listed: list[str] = []
    for line in (root / LIST_NAME).read_text(encoding="utf-8").splitlines():
        path = line.split("#", 1)[0].strip()
        if path:
            listed.append(PurePosixPath(path).as_posix())
    return listed


def _module_file(root: Path, name: str) -> Path | None:
    base = root / "src" / Path(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported(root: Path, path: Path) -> set[str]:
    """The treatydesk modules a source imports (at any level, TYPE_CHECKING included: mypy reads
    them all), with the packages they sit in. A Cython module imports none (its digest alone
    is recorded)."""
    names: set[str] = set()
    if path.suffix == ".pyx":
        return names
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from package import module` names a module too
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    found: set[str] = set()
    for name in names:
        parts = name.split(".")
        if parts[0] == "treatydesk":
            found.update(".".join(parts[:end]) for end in range(1, len(parts) + 1))
    return found


def type_dependencies(root: Path = ROOT) -> list[str]:
    """The compiled modules and every treatydesk module they import, directly or not (what
    mypyc type-checked them against), relative to the root, in POSIX form."""
    pending = [root / source for source in compiled_modules(root)]
    seen: set[Path] = set()
    while pending:
        path = pending.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        for name in _imported(root, path):
            module = _module_file(root, name)
            if module is not None and module not in seen:
                pending.append(module)
    return sorted(path.relative_to(root).as_posix() for path in seen)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_record(root: Path = ROOT) -> None:
    """Called after a successful in-place build: the digests of the sources it was built from
    (a failed build leaves the previous record, and so the guard, in place)."""
    record = root / RECORD
    record.parent.mkdir(exist_ok=True)
    digests = {path: digest(root / path) for path in type_dependencies(root)}
    record.write_text(json.dumps(digests, indent=1, sort_keys=True), encoding="utf-8")


def module_name(source: str) -> str:
    return ".".join(PurePosixPath(source).relative_to("src").with_suffix("").parts)


def _extensions(path: Path) -> list[Path]:
    return [path.with_name(path.stem + suffix) for suffix in EXTENSION_SUFFIXES]


def problems(root: Path = ROOT, *, check_imports: bool = True) -> list[str]:
    """One line per mismatch between the compiled extensions and the sources."""
    found: list[str] = []
    try:
        record: dict[str, str] = json.loads((root / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    listed = compiled_modules(root)
    for source in listed:
        path = root / source
        if not path.is_file():
            found.append(f"{LIST_NAME} names {source}, which does not exist")
        elif not any(extension.is_file() for extension in _extensions(path)):
            found.append(f"{source} is not compiled")
        elif source not in record:
            found.append(f"{source} has no build record ({RECORD} is missing or older)")
    for source, recorded in sorted(record.items()):
        path = root / source
        if not path.is_file():
            found.append(f"{source} was compiled against but no longer exists")
        elif digest(path) != recorded:
            found.append(f"{source} changed after the last build")
    # an extension left behind by a module no longer listed would still be imported
    for extension in sorted((root / "src").rglob("*.so")):
        if extension.name.startswith(GROUP):
            continue
        stem = extension.name.split(".", 1)[0]
        if not any(extension.with_name(stem + suffix).relative_to(root).as_posix() in listed
                   for suffix in (".py", ".pyx")):
            found.append(f"{extension.relative_to(root).as_posix()} is left from a module no "
                         f"longer in {LIST_NAME}; delete it")
    if check_imports and not found:
        for source in listed:
            loaded = getattr(importlib.import_module(module_name(source)), "__file__", None)
            if Path(loaded or "") not in _extensions(root / source):
                found.append(f"{module_name(source)} was imported from {loaded}, not from its "
                             "extension beside the source")
    return found


if __name__ == "__main__":
    # `make` runs this before `run` and `test`: exit status 1 makes it rebuild
    mismatches = problems()
    for line in mismatches:
        print(f"compiled modules: {line}", file=sys.stderr)
    sys.exit(1 if mismatches else 0)
