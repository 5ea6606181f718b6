"""Jinja2 set-up shared by every HTML view: one template directory, autoescaping on."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATES_DIR))


def _day(value: date | datetime | None) -> str:
    """Dates as the depositary writes them (25 Oct 2025); empty for none."""
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y}"


def _moment(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.strftime("%d %b %Y %H:%M %Z").lstrip("0")


templates.env.filters["day"] = _day
templates.env.filters["moment"] = _moment


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)
