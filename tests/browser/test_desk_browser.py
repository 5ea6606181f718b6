"""The desk in a real browser (Debian's Chromium): signing in (also by keyboard only), drafting a
complete preservation request (Art 42) through the guided form, two reviewers deciding an
intrusive incoming request, another organisation seeing nothing of it, and the audit view.

Each person works in their own browser context (own cookies), as on separate machines.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browser_desk import (
    DeskServer,
    fill_request_form,
    form_values,
    load_example,
    new_context,
    sign_in,
)
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = pytest.mark.browser

#: how many Tab presses may separate the page's start from the username field
MAX_TABS = 25


def _case_id(page: Page, server: DeskServer) -> int:
    found = re.fullmatch(re.escape(server.url("/cases/")) + r"(\d+)", page.url.split("#")[0])
    assert found, f"not on a case page: {page.url}"
    return int(found.group(1))


def _new_request(page: Page, kind: str, direction: str) -> None:
    """Choose the kind and direction on the form, as a person does, and wait for its fields."""
    page.click("#nav-new")
    page.select_option("#choose-kind", kind)
    page.select_option("#choose-direction", direction)
    page.click("#kind-apply")
    expect(page.locator("h1")).to_contain_text(f"New {direction} request: {kind}")


def _move(page: Page, to: str) -> None:
    page.click(f"#transition-{to}")
    expect(page.locator("#case-state")).to_have_text(to)


# ----------------------------------------------------------------------------- signing in


def test_sign_in_reaches_the_request_list_and_a_wrong_password_does_not(
    desk: DeskServer, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(desk.url("/cases"))
    # signed out, the desk's list is refused with a way to sign in
    expect(page.locator("h1")).to_have_text("Error 401")
    page.click("#error-sign-in")
    page.fill("#username", "officer-a")
    page.fill("#password", "not the password at all")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_contain_text("wrong username or password")
    assert context.cookies() and not any(c["name"] == "td_session" for c in context.cookies())

    page.fill("#password", desk.passwords["officer-a"])
    page.click("#login-submit")
    page.wait_for_url(desk.url("/cases"))
    expect(page.locator("h1")).to_have_text("Requests")
    expect(page.locator("header.site")).to_contain_text("officer-a (officer)")
    session = [c for c in context.cookies() if c["name"] == "td_session"]
    assert session and session[0]["httpOnly"], "the session cookie must be HttpOnly"


def test_sign_in_form_works_with_the_keyboard_only(
    desk: DeskServer, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(desk.url("/login"))
    visited = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.tagName")
        visited.append(focused)
        if focused == "username":
            break
    assert visited[-1] == "username", f"Tab never reached the username field: {visited}"
    page.keyboard.type("officer-a")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "password"
    page.keyboard.type(desk.passwords["officer-a"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "login-submit"
    page.keyboard.press("Enter")
    page.wait_for_url(desk.url("/cases"))
    expect(page.locator("header.site")).to_contain_text("officer-a (officer)")


# ------------------------------------------------------------------- preservation (Art 42)


def test_preservation_request_drafted_in_the_guided_form_becomes_complete(
    desk: DeskServer, context: BrowserContext, tmp_path: Path
) -> None:
    page = context.new_page()
    sign_in(page, desk, "officer-a")
    _new_request(page, "preservation", "outgoing")
    # the form says what the article asks for before anything is typed
    expect(page.locator("#f-preservation legend")).to_contain_text("required, Art 42")

    request = load_example("preservation.json")
    preservation_values = form_values({"preservation": request.pop("preservation")})
    page.fill("#f-title", "Preserve the connection logs of the fraud account")
    fill_request_form(page, form_values(request))
    page.click("#request-check")
    # without its preservation details the guidance names each one with its paragraph
    missing = page.locator("#missing-contents")
    for field_path, article in (("preservation.data_custodian", "42(2)(d)"),
                                ("preservation.necessity", "42(2)(e)"),
                                ("preservation.mla_to_follow", "42(2)(f)")):
        expect(missing).to_contain_text(field_path)
        expect(missing).to_contain_text(f"Art {article}")

    fill_request_form(page, preservation_values)
    page.click("#request-check")
    expect(missing).to_have_text(re.compile(r"\s*Nothing required for this kind is missing\.\s*"))
    page.click("#request-save")
    page.wait_for_url(re.compile(re.escape(desk.url("/cases/")) + r"\d+$"))
    expect(page.locator("#case-kind")).to_have_text("preservation")
    expect(page.locator("#case-state")).to_have_text("draft")
    expect(page.locator("#missing")).to_contain_text("Nothing required for this kind is missing.")
    # what was typed is what was stored
    expect(page.locator("#request")).to_contain_text("Samplehost Ltd (invented provider)")

    _move(page, "complete")
    expect(page.locator("#missing")).to_contain_text("Nothing required for this kind is missing.")
    shot = tmp_path / "preservation-request-1366x768.png"
    page.screenshot(path=str(shot))
    page.screenshot(path=str(tmp_path / "preservation-request-full.png"), full_page=True)
    assert shot.stat().st_size > 10_000, "the screenshot of the request page is (nearly) empty"


# ------------------------------------------------------------------ two reviewers, tenancy


@pytest.fixture(scope="module")
def interception_case(desk: DeskServer, browser: Browser) -> tuple[int, str]:
    """An incoming request to intercept content (intrusive: two reviewers), registered by the
    officer through the form and put under review."""
    title = "Incoming: intercept the fraud account's messages"
    context = new_context(browser)
    try:
        page = context.new_page()
        sign_in(page, desk, "officer-a")
        _new_request(page, "content_interception", "incoming")
        page.fill("#f-title", title)
        fill_request_form(page, form_values(load_example("interception.json")))
        page.click("#request-save")
        page.wait_for_url(re.compile(re.escape(desk.url("/cases/")) + r"\d+$"))
        case_id = _case_id(page, desk)
        expect(page.locator("#case-state")).to_have_text("received")
        _move(page, "registered")
        _move(page, "under_review")
    finally:
        context.close()
    return case_id, title


def _approve(page: Page, desk: DeskServer, case_id: int, approvals: int) -> None:
    page.goto(desk.url(f"/cases/{case_id}"))
    page.check("#review-approve")
    page.fill("#review-note", "Necessary and proportionate; Art 24 conditions met.")
    page.click("#review-submit")
    expect(page.locator("#review-state")).to_contain_text(
        f"{approvals} of 2 required (intrusive measure: two reviewers)")


def _decide_execute(page: Page, desk: DeskServer, case_id: int) -> None:
    page.goto(desk.url(f"/cases/{case_id}"))
    page.select_option("#decision-kind", "execute")
    page.click("#decision-submit")


def test_intrusive_request_needs_two_reviewers_in_separate_sessions(
    desk: DeskServer, browser: Browser, interception_case: tuple[int, str]
) -> None:
    case_id, _ = interception_case
    first, second = new_context(browser), new_context(browser)
    try:
        one, two = first.new_page(), second.new_page()
        sign_in(one, desk, "reviewer-a1")
        sign_in(two, desk, "reviewer-a2")
        one.goto(desk.url(f"/cases/{case_id}"))
        expect(one.locator("#review-state")).to_contain_text("0 of 2 required")
        expect(one.locator("#check-outcome")).to_contain_text("reviewers required: 2")

        _approve(one, desk, case_id, approvals=1)
        # one approval is not enough to execute: refused with the rule's words
        _decide_execute(one, desk, case_id)
        expect(one.locator("h1")).to_have_text("Error 403")
        expect(one.locator(".error")).to_contain_text("two different reviewers")
        expect(one.locator(".error")).to_contain_text("it has 1")
        one.goto(desk.url(f"/cases/{case_id}"))
        expect(one.locator("#case-state")).to_have_text("under_review")
        expect(one.locator("#decisions")).to_contain_text("None yet.")

        _approve(two, desk, case_id, approvals=2)
        _decide_execute(two, desk, case_id)
        two.wait_for_url(desk.url(f"/cases/{case_id}#decisions"))
        expect(two.locator("#case-state")).to_have_text("decided")
        decision = two.locator("#decisions li.decision")
        expect(decision).to_have_count(1)
        expect(decision).to_contain_text("execute")
        approvers = re.search(r"approvers ([\d, ]+);", decision.inner_text())
        assert approvers and len(set(approvers.group(1).replace(" ", "").split(","))) == 2
        # the first reviewer's session sees the same outcome
        one.reload()
        expect(one.locator("#case-state")).to_have_text("decided")
    finally:
        first.close()
        second.close()


def _error_text(page: Page) -> str:
    return re.sub(r"\d+", "N", page.locator("main").inner_text())


def test_another_organisation_cannot_see_the_case(
    desk: DeskServer, context: BrowserContext, interception_case: tuple[int, str]
) -> None:
    case_id, title = interception_case
    page = context.new_page()
    sign_in(page, desk, "officer-b")
    expect(page.locator("#case-table")).to_be_visible()
    assert title not in page.locator("main").inner_text()
    expect(page.locator(f"#case-row-{case_id}")).to_have_count(0)

    theirs = page.goto(desk.url(f"/cases/{case_id}"))
    assert theirs is not None and theirs.status == 404
    their_page = _error_text(page)
    assert title not in page.content()
    nowhere = page.goto(desk.url(f"/cases/{case_id + 100_000}"))
    assert nowhere is not None and nowhere.status == 404
    # the same page as for a case that does not exist (only the number differs)
    assert _error_text(page) == their_page
    expect(page.locator("h1")).to_have_text("Error 404")


# ---------------------------------------------------------------------------------- audit


def test_audit_view_shows_the_chain_verified(
    desk: DeskServer, context: BrowserContext, interception_case: tuple[int, str]
) -> None:
    case_id, _ = interception_case
    page = context.new_page()
    sign_in(page, desk, "auditor-a", landing="/audit")
    page.goto(desk.url("/audit"))
    expect(page.locator("#nav-audit")).to_have_attribute("aria-current", "page")
    expect(page.locator("#chain-state")).to_have_text(
        re.compile(r"Chain verified: \d+ entries\."))
    counted = re.search(r"(\d+) entries", page.inner_text("#chain-state"))
    assert counted is not None
    entries = int(counted.group(1))
    assert entries >= 10, f"the chain has only {entries} entries after the setup"
    # the case's own events are in the organisation's trail (newest first, one page of 50)
    trail = page.locator("#audit-table").inner_text()
    assert f"case {case_id}" in trail
    assert re.search(rf"decision\s+case {case_id}\b", trail), "the decision is not audited"


def test_the_admin_does_not_land_on_an_error_after_signing_in(desk: DeskServer) -> None:
    # the admin role may not read cases (nor may the auditor role); the first page after
    # signing in must not be an error (the desk fixture signed in and waited for /admin/users)
    first_line = desk.admin_landing.split("\n", 1)[0]
    assert "Error" not in first_line, (
        "after signing in, the administrator lands on an error page:\n"
        + desk.admin_landing[:300])
    assert first_line.strip() == "Users of your organisation", desk.admin_landing[:300]


def test_the_auditor_lands_on_the_audit_trail(desk: DeskServer, context: BrowserContext) -> None:
    page = context.new_page()
    sign_in(page, desk, "auditor-a", landing="/audit")
    expect(page.locator("h1")).not_to_contain_text("Error")
    expect(page.locator("#chain-state")).to_contain_text("Chain verified")
    expect(page.locator("#nav-audit")).to_have_attribute("aria-current", "page")
    # the navigation offers only what an auditor can use: no requests, no administration
    for hidden in ("#nav-cases", "#nav-new", "#nav-users", "#nav-profiles"):
        expect(page.locator(hidden)).to_have_count(0)


def test_the_admin_navigation_offers_no_case_or_audit_pages(
    desk: DeskServer, context: BrowserContext
) -> None:
    page = context.new_page()
    sign_in(page, desk, desk.admin_username, password=desk.admin_password,
            landing="/admin/users")
    expect(page.locator("#nav-users")).to_have_attribute("aria-current", "page")
    for hidden in ("#nav-cases", "#nav-new", "#nav-audit"):
        expect(page.locator(hidden)).to_have_count(0)
    page.click("#nav-profiles")
    expect(page.locator("h1")).not_to_contain_text("Error")
