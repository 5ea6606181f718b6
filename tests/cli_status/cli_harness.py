"""Types shared by the CLI tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


Invoke = Callable[..., Outcome]
