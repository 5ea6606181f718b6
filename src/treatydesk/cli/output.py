"""Output helpers shared by every command: one JSON style, one console."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from enum import Enum
from typing import Any

from rich.console import Console

console = Console(highlight=False, soft_wrap=True)
err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def _default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    to_dict = getattr(value, "model_dump", None)
    if callable(to_dict):
        return to_dict(mode="json")
    raise TypeError(f"cannot serialise {type(value).__name__} to JSON")


def dumps(data: Any) -> str:
    return json.dumps(data, default=_default, ensure_ascii=False, indent=2)


def print_json(data: Any) -> None:
    sys.stdout.write(dumps(data) + "\n")
