"""Output helpers shared by every command: one JSON style, one console."""

from __future__ import annotations

import json
import re
import sys
from datetime import date, datetime
from enum import Enum
from typing import Any

from rich.console import Console
from rich.text import Text

#: control characters other than tab and line feed: a request or a status file may carry ESC
#: or CR to drive the terminal or forge a line of output, so they are shown as escapes
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


class _SafeConsole(Console):
    """A console that shows every string it prints (lines, table cells, titles) with control
    characters escaped. Markup is off unless a call asks for it; such calls escape the values
    they interpolate (rich.markup.escape)."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(visible(text), **kwargs)


console = _SafeConsole(highlight=False, soft_wrap=True, markup=False)
err_console = _SafeConsole(stderr=True, highlight=False, soft_wrap=True, markup=False)


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
