"""The guard that keeps the tests on the compiled code as it ships (tests/harness/compiled.py)."""

from __future__ import annotations

import hashlib
import json
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

from harness.compiled import RECORD, compiled_sources, module_name, problems


def test_the_engine_runs_compiled() -> None:
    # the session would not have started otherwise; this names what it checked
    assert problems() == []
    names = {module_name(source) for source in compiled_sources()}
    assert "treatydesk.safeguards.engine" in names


def _layout(root: Path, listed: str) -> Path:
    (root / "compiled-modules.txt").write_text(f"# comment\n{listed}\n", encoding="utf-8")
    source = root / "src" / "pkg" / "hot.py"
    source.parent.mkdir(parents=True)
    source.write_text("X = 1\n", encoding="utf-8")
    return source


def test_a_missing_extension_is_named(tmp_path: Path) -> None:
    _layout(tmp_path, "src/pkg/hot.py")
    assert problems(tmp_path) == ["src/pkg/hot.py is not compiled"]


def test_an_extension_built_from_another_source_is_named(tmp_path: Path) -> None:
    source = _layout(tmp_path, "src/pkg/hot.py")
    source.with_name("hot" + EXTENSION_SUFFIXES[0]).write_bytes(b"")
    (tmp_path / RECORD).parent.mkdir()
    digest = hashlib.sha256(b"X = 0\n").hexdigest()
    (tmp_path / RECORD).write_text(json.dumps({"src/pkg/hot.py": digest}), encoding="utf-8")
    expected = [f"src/pkg/hot.py changed after it was compiled (or {RECORD} is missing)"]
    assert problems(tmp_path) == expected
    (tmp_path / RECORD).unlink()
    assert problems(tmp_path) == expected


def test_a_listed_module_that_does_not_exist_is_named(tmp_path: Path) -> None:
    _layout(tmp_path, "src/pkg/gone.py")
    assert problems(tmp_path) == [
        "compiled-modules.txt names src/pkg/gone.py, which does not exist"]
