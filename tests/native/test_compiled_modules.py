"""The check that keeps the tests and `make` on extensions built from the sources as they are
(tools/native_build.py), on a small tree built in a temporary directory."""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from native_build import RECORD, compiled_modules, problems, type_dependencies, write_record

SUFFIX = EXTENSION_SUFFIXES[0]


def _tree(root: Path, listing: str = "src/treatydesk/hot.py  # the hot one\n") -> Path:
    (root / "compiled-modules.txt").write_text(f"# comment\n\n  # indented\n{listing}",
                                               encoding="utf-8")
    package = root / "src" / "treatydesk"
    (package / "web").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "hot.py").write_text("from treatydesk.model import Y\n\nX = Y\n",
                                    encoding="utf-8")
    (package / "model.py").write_text("if False:\n    import treatydesk.web.types\nY = 1\n",
                                      encoding="utf-8")
    (package / "web" / "types.py").write_text("T = 1\n", encoding="utf-8")
    (package / "web" / "page.py").write_text("Z = 1\n", encoding="utf-8")
    return package


def _built(root: Path) -> Path:
    package = _tree(root)
    (package / f"hot{SUFFIX}").write_bytes(b"")
    write_record(root)
    return package


def test_the_list_reads_paths_and_skips_comments(tmp_path: Path) -> None:
    _tree(tmp_path, "./src/treatydesk/hot.py\n")
    assert compiled_modules(tmp_path) == ["src/treatydesk/hot.py"]


def test_the_record_covers_what_the_compiled_modules_import(tmp_path: Path) -> None:
    _built(tmp_path)
    # imports at any level count (mypy reads them all), with the packages they sit in
    assert type_dependencies(tmp_path) == [
        "src/treatydesk/__init__.py", "src/treatydesk/hot.py", "src/treatydesk/model.py",
        "src/treatydesk/web/types.py"]
    assert problems(tmp_path, check_imports=False) == []


def test_a_missing_extension_is_named(tmp_path: Path) -> None:
    _tree(tmp_path)
    assert "src/treatydesk/hot.py is not compiled" in problems(tmp_path, check_imports=False)


@pytest.mark.parametrize("changed", ["hot.py", "model.py", "web/types.py"])
def test_a_source_changed_after_the_build_is_named(tmp_path: Path, changed: str) -> None:
    package = _built(tmp_path)
    (package / changed).write_text("X = 2\n", encoding="utf-8")
    assert problems(tmp_path, check_imports=False) == [
        f"src/treatydesk/{changed} changed after the last build"]


def test_a_module_the_compiled_ones_do_not_import_needs_no_rebuild(tmp_path: Path) -> None:
    package = _built(tmp_path)
    (package / "web" / "page.py").write_text("Z = 2\n", encoding="utf-8")
    assert problems(tmp_path, check_imports=False) == []


def test_a_build_without_a_record_is_named(tmp_path: Path) -> None:
    _built(tmp_path)
    (tmp_path / RECORD).unlink()
    assert problems(tmp_path, check_imports=False) == [
        f"src/treatydesk/hot.py has no build record ({RECORD} is missing or older)"]


def test_a_listed_module_that_does_not_exist_is_named(tmp_path: Path) -> None:
    _tree(tmp_path, "src/treatydesk/gone.py\n")
    assert problems(tmp_path, check_imports=False) == [
        "compiled-modules.txt names src/treatydesk/gone.py, which does not exist"]


def test_an_extension_left_from_an_unlisted_module_is_named(tmp_path: Path) -> None:
    package = _built(tmp_path)
    (package / f"model{SUFFIX}").write_bytes(b"")
    assert problems(tmp_path, check_imports=False) == [
        f"src/treatydesk/model{SUFFIX} is left from a module no longer in "
        "compiled-modules.txt; delete it"]


def test_a_cython_module_is_recorded_and_checked(tmp_path: Path) -> None:
    package = _tree(tmp_path, "src/treatydesk/hot.py\nsrc/treatydesk/scan.pyx\n")
    (package / "scan.pyx").write_text("def f():\n    return 1\n", encoding="utf-8")
    for stem in ("hot", "scan"):
        (package / f"{stem}{SUFFIX}").write_bytes(b"")
    write_record(tmp_path)
    assert "src/treatydesk/scan.pyx" in type_dependencies(tmp_path)
    assert problems(tmp_path, check_imports=False) == []
    (package / "scan.pyx").write_text("def f():\n    return 2\n", encoding="utf-8")
    assert problems(tmp_path, check_imports=False) == [
        "src/treatydesk/scan.pyx changed after the last build"]
    (package / f"scan{SUFFIX}").unlink()
    assert "src/treatydesk/scan.pyx is not compiled" in problems(tmp_path, check_imports=False)
