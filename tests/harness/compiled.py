"""The modules mypyc compiles (compiled-modules.txt, setup.py): are the extensions imported
built from the sources as they are now?

Python imports an extension module in preference to the .py beside it, so an extension built
from an older source would silently run old code; `make` rebuilds on any change, and the test
session refuses to start when that did not happen (pytest run by hand after an edit). The
build records the digest of each source it compiled (build/mypyc-sources.json)."""

from __future__ import annotations

import hashlib
import importlib
import json
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIST = ROOT / "compiled-modules.txt"
RECORD = Path("build") / "mypyc-sources.json"


def compiled_sources(root: Path = ROOT) -> list[Path]:
    lines = (root / LIST.name).read_text(encoding="utf-8").splitlines()
    return [root / line.strip() for line in lines if line.strip() and not line.startswith("#")]


def module_name(source: Path, root: Path = ROOT) -> str:
    return ".".join(source.relative_to(root / "src").with_suffix("").parts)


def problems(root: Path = ROOT) -> list[str]:
    """One line per compiled module that is missing, stale or not the one imported."""
    found: list[str] = []
    record_file = root / RECORD
    try:
        record: dict[str, str] = json.loads(record_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    for source in compiled_sources(root):
        shown = source.relative_to(root)
        if not source.is_file():
            found.append(f"{LIST.name} names {shown}, which does not exist")
            continue
        extensions = [source.with_name(source.stem + suffix) for suffix in EXTENSION_SUFFIXES]
        built = [path for path in extensions if path.is_file()]
        if not built:
            found.append(f"{shown} is not compiled")
        elif record.get(str(shown)) != hashlib.sha256(source.read_bytes()).hexdigest():
            found.append(f"{shown} changed after it was compiled (or {RECORD} is missing)")
        else:
            loaded = getattr(importlib.import_module(module_name(source, root)), "__file__", "")
            if Path(loaded or "") not in built:
                found.append(f"{module_name(source)} was imported from {loaded}, not from "
                             "its extension")
    return found
