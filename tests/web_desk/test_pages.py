"""The desk's pages: sign-in, CSRF on every form, the request form (Check / Save), the case page
with findings, tenancy through the UI, admin and audit pages, and the article page."""

from __future__ import annotations

import json

from web_desk.conftest import EXAMPLES, Desk, example_request, sign_in


def _api_case(desk: Desk, who: str = "officer-a") -> int:
    done = desk.client.post("/api/v1/cases", headers=desk.bearer(who), json={
        "direction": "incoming", "title": "Fraud ring", "request": example_request()})
    assert done.status_code == 201
    case_id: int = done.json()["id"]
    return case_id


def test_pages_need_a_session_and_cookie_flags(desk: Desk) -> None:
    assert desk.client.get("/cases").status_code == 401
    assert 'id="error-sign-in"' in desk.client.get("/cases").text
    sign_in(desk.client, "officer-a")
    cookie = next(c for c in desk.client.cookies.jar if c.name == "td_session")
    assert cookie.has_nonstandard_attr("HttpOnly")
    assert desk.client.get("/cases").status_code == 200


def test_post_without_or_with_wrong_csrf_is_refused_and_writes_nothing(desk: Desk) -> None:
    case_id = _api_case(desk)
    csrf = sign_in(desk.client, "officer-a")
    for token in (None, "wrong-token"):
        data = {"to": "registered", "version": "1"}
        if token:
            data["csrf_token"] = token
        refused = desk.client.post(f"/cases/{case_id}/transition", data=data)
        assert refused.status_code == 403 and "csrf_token" in refused.text
    assert desk.client.get(f"/api/v1/cases/{case_id}", headers=desk.bearer("officer-a")
                           ).json()["state"] == "received"
    moved = desk.client.post(f"/cases/{case_id}/transition", follow_redirects=False,
                             data={"to": "registered", "version": "1", "csrf_token": csrf})
    assert moved.status_code == 303
    # logout needs the token too
    assert desk.client.post("/logout", data={"csrf_token": "x"}).status_code == 403
    assert desk.client.post("/logout", data={"csrf_token": csrf},
                            follow_redirects=False).status_code == 303
    assert desk.client.get("/cases").status_code == 401


def test_login_refuses_wrong_csrf_and_open_redirects(desk: Desk) -> None:
    desk.client.get("/login")
    refused = desk.client.post("/login", data={"username": "officer-a", "password": "x",
                                               "csrf_token": "forged"})
    assert refused.status_code == 403
    page = desk.client.get("/login?next=//evil.example/")
    # the unsafe target is dropped; signing in then lands on the role's own first page
    assert "evil.example" not in page.text and 'name="next" value=""' in page.text


def test_request_form_labels_articles_check_shows_missing_and_save(desk: Desk) -> None:
    csrf = sign_in(desk.client, "officer-a")
    form = desk.client.get("/cases/new?kind=preservation")
    assert "Summary of the relevant facts (Art 40(15)(c))" in form.text
    assert "required, Art 42(2)(b)" in form.text
    assert "where possible, Art 40(15)(e)" in desk.client.get(
        "/cases/new?kind=subscriber_information").text
    # a field only some kinds use is offered to those kinds only
    assert 'id="f-service-of-documents"' not in form.text
    assert 'id="f-service-of-documents"' in desk.client.get(
        "/cases/new?kind=mutual_legal_assistance").text
    data = {"csrf_token": csrf, "kind": "preservation", "direction": "outgoing",
            "title": "Preserve", "reference": "XAA-1", "requesting_party": "XAA",
            "requested_party": "XAB", "channel": "network_24_7", "language": "en",
            "date": "2027-03-01", "action": "check"}
    checked = desk.client.post("/cases/new", data=data)
    assert checked.status_code == 200 and 'id="missing-contents"' in checked.text
    assert "preservation.necessity" in checked.text
    bad = desk.client.post("/cases/new", data={**data, "language": "English!",
                                                "offences": "[not json", "action": "save"})
    assert bad.status_code == 422 and "offences" in bad.text
    # the form's JSON fields are read as strictly as the API's bodies
    twice = desk.client.post("/cases/new", data={
        **data, "offences": '[{"label": "Fraud", "label": "Theft"}]', "action": "save"})
    assert twice.status_code == 422 and "duplicate key &#39;label&#39;" in twice.text
    assert desk.client.get("/api/v1/cases", headers=desk.bearer("officer-a")
                           ).json()["total"] == 0
    saved = desk.client.post("/cases/new", data={**data, "action": "save"},
                             follow_redirects=False)
    assert saved.status_code == 303
    case = desk.client.get(saved.headers["location"])
    assert 'id="case-state">draft' in case.text


def test_case_page_findings_and_decision_form(desk: Desk) -> None:
    case_id = _api_case(desk)
    for target, version in (("registered", 1), ("under_review", 2)):
        desk.client.post(f"/api/v1/cases/{case_id}/transition", headers=desk.bearer("officer-a"),
                         json={"to": target, "version": version})
    csrf = sign_in(desk.client, "reviewer-a")
    page = desk.client.get(f"/cases/{case_id}?status=hypothetical")
    assert page.status_code == 200
    assert 'id="check-outcome"' in page.text and 'href="/convention/article/' in page.text
    assert 'id="decision-form"' in page.text and "0 of 1 required" in page.text
    refused = desk.client.post(f"/cases/{case_id}/decision", data={
        "csrf_token": csrf, "version": "3", "decision": "refuse", "reasons": ""})
    assert refused.status_code == 422 and "reason" in refused.text
    reviewed = desk.client.post(f"/cases/{case_id}/review", follow_redirects=False, data={
        "csrf_token": csrf, "version": "3", "approve": "yes"})
    assert reviewed.status_code == 303
    assert "1 of 1 required" in desk.client.get(f"/cases/{case_id}").text
    consulted = desk.client.post(f"/cases/{case_id}/consultation", follow_redirects=False,
                                 data={"csrf_token": csrf, "summary": "Asked for more facts"})
    assert consulted.status_code == 303
    decided = desk.client.post(f"/cases/{case_id}/decision", follow_redirects=False, data={
        "csrf_token": csrf, "version": "3", "decision": "refuse",
        "reasons": "Art 40(21)(b): essential interests"})
    assert decided.status_code == 303
    assert "essential interests" in desk.client.get(f"/cases/{case_id}").text


def test_other_organisation_cannot_see_or_change_through_the_ui(desk: Desk) -> None:
    case_id = _api_case(desk)
    csrf = sign_in(desk.client, "officer-b")
    listing = desk.client.get("/cases")
    assert "Fraud ring" not in listing.text and "0 request(s)" in listing.text
    for path in (f"/cases/{case_id}", f"/cases/{case_id}/edit"):
        theirs, nothing = desk.client.get(path), desk.client.get(path.replace(
            str(case_id), "999999", 1) if path.startswith("/cases/") else path)
        assert theirs.status_code == nothing.status_code == 404
    moved = desk.client.post(f"/cases/{case_id}/transition",
                             data={"to": "registered", "version": "1", "csrf_token": csrf})
    assert moved.status_code == 404
    assert desk.client.get(f"/api/v1/cases/{case_id}", headers=desk.bearer("officer-a")
                           ).json()["state"] == "received"


def test_admin_pages_tokens_shown_once_and_profiles(desk: Desk) -> None:
    csrf = sign_in(desk.client, "admin", desk.admin_password)
    assert 'id="user-row-officer-a"' in desk.client.get("/admin/users").text
    assert "officer-b" not in desk.client.get("/admin/users").text
    bad = desk.client.post("/admin/users", data={"csrf_token": csrf, "username": "Bad Name",
                                                 "role": "officer", "password": "x" * 12})
    assert bad.status_code == 422 and "username" in bad.text
    made = desk.client.post("/tokens", data={"csrf_token": csrf, "name": "ci",
                                              "scopes": "admin"})
    assert made.status_code == 201 and 'id="new-token-value">td_' in made.text
    listed = desk.client.get("/tokens").text
    assert "td_" in listed and 'id="new-token-value"' not in listed
    profile = (EXAMPLES / "parties/XAC.yaml").read_bytes()
    up = desk.client.post("/admin/profiles", data={"csrf_token": csrf},
                          files={"file": ("XAC.yaml", profile, "application/yaml")},
                          follow_redirects=False)
    assert up.status_code == 303 and up.headers["location"] == "/admin/profiles/XAC"
    assert 'id="profile-title"' in desk.client.get("/admin/profiles/XAC").text
    broken = desk.client.post("/admin/profiles", data={"csrf_token": csrf},
                              files={"file": ("x.yaml", b"key: [", "application/yaml")})
    assert broken.status_code == 422
    assert desk.client.get("/cases").status_code == 403  # an admin sees no case content


def test_audit_page_for_auditors_only(desk: Desk) -> None:
    _api_case(desk)
    sign_in(desk.client, "auditor-a")
    page = desk.client.get("/audit")
    assert page.status_code == 200 and "Chain verified" in page.text
    desk.client.cookies.clear()
    sign_in(desk.client, "officer-a")
    assert desk.client.get("/audit").status_code == 403


def test_article_page_is_public(desk: Desk) -> None:
    page = desk.client.get("/convention/article/40")
    assert page.status_code == 200 and 'id="article-title"' in page.text
    assert desk.client.get("/convention/article/999").status_code == 404
    assert json.loads(desk.client.get("/api/v1/requests/schema").text)["ok"] is False
