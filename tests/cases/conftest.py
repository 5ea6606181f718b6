"""Registers the YAML rule-case collector (see case_runner.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from case_runner import CaseFile_, collect_case_file


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> CaseFile_ | None:
    return collect_case_file(parent, file_path)
