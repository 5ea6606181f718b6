"""The real desk for the browser tests: `treatydesk init` on a fresh TREATYDESK_HOME (SQLite),
then `treatydesk serve` on a free 127.0.0.1 port, driven by Debian's Chromium through
Playwright (never a downloaded browser).

The first administrator signs in with the credential `init` printed and, through the admin
pages, creates the people of organisation A and uploads the party profiles and the policy pack
the safeguards check needs. Organisation B is made as the deployment operator makes one,
with `treatydesk org create` (its admin's credential read from what the command prints once);
its officer is then created by that admin through the access service. A missing Chromium or a
server that does not start fails the tests, never skips them.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from browser_desk import (
    CHROMIUM,
    CHROMIUM_ARGS,
    EXAMPLES,
    PASSWORD,
    PEOPLE_A,
    DeskServer,
    cli_command,
    first_admin_credential,
    free_port,
    new_context,
    sign_in,
)
from playwright.sync_api import Browser, BrowserContext, Playwright, sync_playwright


def _wait_until_serving(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`treatydesk serve` exited with {process.returncode}:\n"
                        f"{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(base_url + "/login", timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.25)
    pytest.fail(f"`treatydesk serve` did not answer within 60 s:\n"
                f"{log.read_text(errors='replace')[-3000:]}")


def _make_organisation_b(
    cli: str, env: dict[str, str], home: Path, passwords: dict[str, str]
) -> None:
    """Organisation B and its admin made by the operator's command (audited), and an officer
    created by that admin through the access service (audited)."""
    from treatydesk.services.access import AccessService
    from treatydesk.settings import load_settings
    from treatydesk.store.db import Database

    made = subprocess.run([cli, "org", "create", "Desk B", "--admin", "admin-b", "--json"],
                          env=env, capture_output=True, text=True, timeout=120, check=False,
                          cwd=home)
    if made.returncode != 0:
        pytest.fail(f"`treatydesk org create` failed ({made.returncode}):\n{made.stderr}")
    admin_b_password = json.loads(made.stdout)["admin"]["password"]
    db = Database(load_settings({"TREATYDESK_HOME": str(home)}))
    try:
        access = AccessService(db)
        admin_b = access.login("admin-b", admin_b_password, "127.0.0.1")
        access.create_user(admin_b, username="officer-b", role="officer", password=PASSWORD)
    finally:
        db.dispose()
    passwords.update({"admin-b": admin_b_password, "officer-b": PASSWORD})


@pytest.fixture(scope="session")
def desk_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DeskServer]:
    home = tmp_path_factory.mktemp("desk-home")
    env = {key: value for key, value in os.environ.items()
           if key not in ("TREATYDESK_DATABASE_URL", "TREATYDESK_COOKIE_SECURE")}
    env["TREATYDESK_HOME"] = str(home)
    cli = cli_command()
    init = subprocess.run([cli, "init"], env=env, capture_output=True, text=True, timeout=180,
                          check=False, cwd=home)
    if init.returncode != 0:
        pytest.fail(f"`treatydesk init` failed ({init.returncode}):\n{init.stdout}\n{init.stderr}")
    username, password = first_admin_credential(init.stdout)
    passwords = {username: password}
    _make_organisation_b(cli, env, home, passwords)
    port = free_port()
    log = home / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [cli, "serve", "--host", "127.0.0.1", "--port", str(port)], env=env, cwd=home,
            stdout=sink, stderr=subprocess.STDOUT)
    server = DeskServer(base_url=f"http://127.0.0.1:{port}", home=home,
                        admin_username=username, admin_password=password, log=log,
                        passwords=passwords)
    try:
        _wait_until_serving(server.base_url, process, log)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests drive Debian's chromium "
                    "(`make browser` installs it with apt-get)")
    # launch() gives the browser a fresh temporary profile and removes it on close
    launched = playwright_driver.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield launched
    launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    made = new_context(browser)
    yield made
    made.close()


@pytest.fixture(scope="session")
def desk(desk_server: DeskServer, browser: Browser) -> DeskServer:
    """The desk with organisation A set up by its admin through the admin pages."""
    made = new_context(browser)
    try:
        page = made.new_page()
        sign_in(page, desk_server, desk_server.admin_username, landing="/admin/users")
        admin_landing = page.locator("main").inner_text()
        page.goto(desk_server.url("/admin/users"))
        for username, role in PEOPLE_A.items():
            page.fill("#new-username", username)
            page.select_option("#new-role", role)
            page.fill("#new-password", PASSWORD)
            page.click("#user-submit")
            page.wait_for_selector(f"#user-row-{username}")
            desk_server.passwords[username] = PASSWORD
        page.click("#nav-profiles")
        for party in ("XAA", "XAB"):
            page.set_input_files("#profile-file", str(EXAMPLES / "parties" / f"{party}.yaml"))
            page.click("#profile-submit")
            page.wait_for_url(desk_server.url(f"/admin/profiles/{party}"))
            page.goto(desk_server.url("/admin/profiles"))
        page.set_input_files("#policy-file", str(EXAMPLES / "policy" / "default.yaml"))
        page.click("#policy-submit")
        page.wait_for_url(desk_server.url("/admin/profiles"))
        policy = page.inner_text("#policy-state")
        assert "example-default" in policy, policy
    finally:
        made.close()
    desk_server.admin_landing = admin_landing
    return desk_server
