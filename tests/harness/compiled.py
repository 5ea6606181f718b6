"""The modules mypyc compiles (compiled-modules.txt, setup.py): are the extensions imported
built from the sources as they are now?

Python imports an extension module in preference to the .py beside it, so an extension older
than its source would silently run old code; `make` rebuilds on any change, and the test
session refuses to start when that did not happen (pytest run by hand after an edit)."""

from __future__ import annotations

import importlib
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIST = ROOT / "compiled-modules.txt"


def compiled_sources(root: Path = ROOT) -> list[Path]:
    lines = (root / LIST.name).read_text(encoding="utf-8").splitlines()
    return [root / line.strip() for line in lines if line.strip() and not line.startswith("#")]


def module_name(source: Path, root: Path = ROOT) -> str:
    return ".".join(source.relative_to(root / "src").with_suffix("").parts)


def problems(root: Path = ROOT) -> list[str]:
    """One line per compiled module that is missing, stale or not the one imported."""
    found: list[str] = []
    for source in compiled_sources(root):
        shown = source.relative_to(root)
        if not source.is_file():
            found.append(f"{LIST.name} names {shown}, which does not exist")
            continue
        extensions = [source.with_name(source.stem + suffix) for suffix in EXTENSION_SUFFIXES]
        built = [path for path in extensions if path.is_file()]
        if not built:
            found.append(f"{shown} is not compiled")
        elif any(path.stat().st_mtime < source.stat().st_mtime for path in built):
            found.append(f"{shown} changed after it was compiled")
        else:
            loaded = getattr(importlib.import_module(module_name(source, root)), "__file__", "")
            if Path(loaded or "") not in built:
                found.append(f"{module_name(source)} was imported from {loaded}, not from "
                             "its extension")
    return found
