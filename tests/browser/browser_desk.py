"""Helpers of the browser tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import json
import re
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
#: a 2020s laptop screen; the screenshots are checked at this size
VIEWPORT = {"width": 1366, "height": 768}
#: every Playwright wait is bounded by this (ms)
ACTION_TIMEOUT_MS = 20_000
PASSWORD = "browser-test-password-1"
#: organisation A's people, created by its admin through /admin/users
PEOPLE_A = {"officer-a": "officer", "reviewer-a1": "reviewer", "reviewer-a2": "reviewer",
            "auditor-a": "auditor"}


@dataclass
class DeskServer:
    base_url: str
    home: Path
    admin_username: str
    admin_password: str
    log: Path
    passwords: dict[str, str] = field(default_factory=dict)
    #: what the administrator saw right after signing in
    admin_landing: str = ""

    def url(self, path: str) -> str:
        return self.base_url + path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def cli_command() -> str:
    # the console script installed next to this interpreter (the project's venv)
    script = Path(sys.executable).with_name("treatydesk")
    if not script.is_file():
        pytest.fail(f"the treatydesk command is not installed next to {sys.executable}; "
                    "run `make test` (pip install -e '.[dev]')")
    return str(script)


#: how `init` prints the first administrator's credential, e.g. "... username admin, password
#: XYZ" or "password: XYZ"; the username defaults to the one the service creates
_CREDENTIAL = re.compile(r"password\b[^A-Za-z0-9_-]*\s*[:=]?\s*(?P<password>[A-Za-z0-9_-]{12,})",
                         re.IGNORECASE)
_USERNAME = re.compile(r"user(?:name)?\b\s*[:=]?\s*['\"]?(?P<username>[a-z0-9][a-z0-9._-]+)",
                       re.IGNORECASE)


def first_admin_credential(init_output: str) -> tuple[str, str]:
    from treatydesk.services.access import FIRST_ADMIN_USERNAME

    lines = [line for line in init_output.splitlines() if "password" in line.lower()]
    for line in lines:
        found = _CREDENTIAL.search(line)
        if found:
            named = _USERNAME.search(line)
            return (named.group("username") if named else FIRST_ADMIN_USERNAME,
                    found.group("password"))
    pytest.fail("`treatydesk init` printed no first-administrator credential on a fresh home "
                f"(design.md: it prints one at first start); it printed:\n{init_output}")


def new_context(browser: Browser) -> BrowserContext:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    context.set_default_navigation_timeout(ACTION_TIMEOUT_MS)
    return context



def sign_in(page: Page, server: DeskServer, username: str, password: str | None = None,
            landing: str = "/cases") -> None:
    """Sign in from the sign-in page itself (no `next`) and wait for the role's landing page:
    /cases for officers and reviewers, /audit for auditors, /admin/users for admins."""
    page.goto(server.url("/login"))
    page.fill("#username", username)
    page.fill("#password", password or server.passwords[username])
    page.click("#login-submit")
    page.wait_for_url(server.url(landing))




def load_example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / "requests" / name).read_text("utf-8"))
    return data


def form_values(request: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """The request as the guided form's field names and what a person types into them: nested
    objects become dotted names, lists of words one per line, lists of objects JSON."""
    values: dict[str, Any] = {}
    for key, value in request.items():
        if not prefix and key == "kind":
            continue  # chosen before the form is shown
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            values.update(form_values(value, f"{name}."))
        elif isinstance(value, list):
            if value and all(isinstance(item, dict) for item in value):
                values[name] = json.dumps(value, indent=2, ensure_ascii=False)
            elif value:
                values[name] = "\n".join(str(item) for item in value)
        else:
            values[name] = value
    return values


def fill_request_form(page: Page, values: dict[str, Any]) -> None:
    """Type each value into the field of that name, as a person would with each widget."""
    for name, value in values.items():
        field_ = page.locator(f'#request-form [name="{name}"]')
        if field_.count() != 1:
            raise AssertionError(f"the request form has {field_.count()} fields named {name!r}")
        tag = field_.evaluate("e => e.tagName.toLowerCase()")
        kind = field_.get_attribute("type") or ""
        if isinstance(value, bool):
            assert kind == "checkbox", f"{name} is a boolean but its input is {tag}/{kind}"
            field_.set_checked(value)
        elif tag == "select":
            field_.select_option(str(value))
        else:
            field_.fill(str(value))
