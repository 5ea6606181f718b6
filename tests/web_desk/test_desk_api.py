"""The desk API on SQLite and PostgreSQL: cases, tenancy, stale edits, transitions, reviews and
decisions, the safeguards check, tokens and scopes, rate limiting, oversized bodies, and the
one error shape of every error status."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.routing import APIRoute

from treatydesk.web.json_body import StrictJsonRoute
from web_desk.conftest import PASSWORD, Desk, example_request


def _error(response: Any, status: int, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"ok", "error", "errors"} and body["ok"] is False
    text = body["error"] + " " + " ".join(i["location"] + " " + i["message"]
                                          for i in body["errors"])
    for word in words:
        assert word in text, text
    return body


def _create(desk: Desk, who: str = "officer-a", direction: str = "incoming",
            **changes: Any) -> dict[str, Any]:
    done = desk.client.post("/api/v1/cases", headers=desk.bearer(who), json={
        "direction": direction, "title": "Fraud ring", "request": example_request(**changes)})
    assert done.status_code == 201, done.text
    body: dict[str, Any] = done.json()
    return body


def test_create_get_list_with_filters_and_pagination(desk: Desk) -> None:
    case = _create(desk)
    assert case["state"] == "received" and case["kind"] == "subscriber_information"
    assert case["requested_party"] == "XAB"
    _create(desk, direction="outgoing")
    got = desk.client.get(f"/api/v1/cases/{case['id']}", headers=desk.bearer("officer-a"))
    assert got.json()["id"] == case["id"]
    page = desk.client.get("/api/v1/cases?direction=incoming&limit=1",
                           headers=desk.bearer("officer-a")).json()
    assert page["total"] == 1 and page["items"][0]["direction"] == "incoming"
    both = desk.client.get("/api/v1/cases?limit=1&offset=1",
                           headers=desk.bearer("officer-a")).json()
    assert both["total"] == 2 and len(both["items"]) == 1
    assert both["items"][0]["id"] != page["items"][0]["id"] or page["total"] == 1
    assert desk.client.get("/api/v1/cases?due=overdue", headers=desk.bearer("officer-a")
                           ).json()["total"] == 0
    late = desk.client.post("/api/v1/cases", headers=desk.bearer("officer-a"), json={
        "direction": "incoming", "title": "Late", "request": example_request(),
        "received_at": "2020-01-01T00:00:00Z", "requesting_deadline": "2020-01-10T00:00:00Z"})
    assert late.status_code == 201 and late.json()["due_status"] == "overdue", late.text
    overdue = desk.client.get("/api/v1/cases?due=overdue", headers=desk.bearer("officer-a"))
    assert [c["id"] for c in overdue.json()["items"]] == [late.json()["id"]]
    _error(desk.client.get("/api/v1/cases?limit=0", headers=desk.bearer("officer-a")), 422,
           "query.limit")
    _error(desk.client.get("/api/v1/cases?state=nonsense", headers=desk.bearer("officer-a")),
           422, "nonsense")


def test_bad_request_names_the_field_and_writes_nothing(desk: Desk) -> None:
    bad = example_request(language="English!")
    _error(desk.client.post("/api/v1/cases", headers=desk.bearer("officer-a"), json={
        "direction": "incoming", "title": "x", "request": bad}), 422, "language")
    _error(desk.client.post("/api/v1/cases", headers=desk.bearer("officer-a"), json={
        "direction": "sideways", "title": "x", "request": example_request()}), 422,
        "body.direction")
    assert desk.client.get("/api/v1/cases", headers=desk.bearer("officer-a")
                           ).json()["total"] == 0


def test_other_organisation_sees_exactly_a_missing_case(desk: Desk) -> None:
    case = _create(desk)
    for tail in ("", "/reviews", "/decisions", "/check"):
        theirs = desk.client.get(f"/api/v1/cases/{case['id']}{tail}",
                                 headers=desk.bearer("officer-b"))
        missing = desk.client.get(f"/api/v1/cases/999999{tail}",
                                  headers=desk.bearer("officer-b"))
        assert theirs.status_code == missing.status_code == 404
        assert theirs.json()["error"].replace(str(case["id"]), "N") == \
            missing.json()["error"].replace("999999", "N")
    assert desk.client.get("/api/v1/cases", headers=desk.bearer("officer-b")
                           ).json()["total"] == 0
    for method, path, body in (
        ("put", "/request", {"version": 1, "request": example_request()}),
        ("post", "/transition", {"to": "registered", "version": 1}),
    ):
        _error(getattr(desk.client, method)(f"/api/v1/cases/{case['id']}{path}",
                                            headers=desk.bearer("officer-b"), json=body), 404)
    unchanged = desk.client.get(f"/api/v1/cases/{case['id']}", headers=desk.bearer("officer-a"))
    assert unchanged.json()["version"] == 1


def test_stale_edit_and_unknown_transition_are_409(desk: Desk) -> None:
    case = _create(desk, direction="outgoing")
    url = f"/api/v1/cases/{case['id']}"
    first = desk.client.put(url + "/request", headers=desk.bearer("officer-a"), json={
        "version": 1, "request": example_request(purpose="Identify the account holder")})
    assert first.status_code == 200 and first.json()["version"] == 2
    _error(desk.client.put(url + "/request", headers=desk.bearer("officer-a"), json={
        "version": 1, "request": example_request()}), 409, "version")
    _error(desk.client.post(url + "/transition", headers=desk.bearer("officer-a"), json={
        "to": "executed", "version": 2}), 409, "allowed from here")


def _to_review(desk: Desk, **changes: Any) -> tuple[int, int]:
    case = _create(desk, **changes)
    version = case["version"]
    for target in ("registered", "under_review"):
        moved = desk.client.post(f"/api/v1/cases/{case['id']}/transition",
                                 headers=desk.bearer("officer-a"),
                                 json={"to": target, "version": version})
        assert moved.status_code == 200, moved.text
        version = moved.json()["version"]
    return case["id"], version


def test_review_and_decide_refusal_needs_reasons(desk: Desk) -> None:
    case_id, version = _to_review(desk)
    url = f"/api/v1/cases/{case_id}"
    # an officer has no review permission
    _error(desk.client.post(url + "/reviews", headers=desk.bearer("officer-a"),
                            json={"version": version, "approve": True}), 403)
    assert desk.client.post(url + "/reviews", headers=desk.bearer("reviewer-a"),
                            json={"version": version, "approve": True}).status_code == 201
    _error(desk.client.post(url + "/decisions", headers=desk.bearer("reviewer-a"),
                            json={"version": version, "decision": "refuse"}), 422, "reason")
    done = desk.client.post(url + "/decisions", headers=desk.bearer("reviewer-a"), json={
        "version": version, "decision": "execute"})
    assert done.status_code == 201, done.text
    assert done.json()["rules_revision"] and done.json()["safeguards_record"]["findings"]
    assert desk.client.get(url, headers=desk.bearer("officer-a")).json()["state"] == "decided"


def test_consultation_recorded(desk: Desk) -> None:
    case_id, _ = _to_review(desk)
    done = desk.client.post(f"/api/v1/cases/{case_id}/consultations",
                            headers=desk.bearer("reviewer-a"),
                            json={"held_at": "2025-01-01T10:00:00Z", "summary": "Discussed"})
    assert done.status_code == 201, done.text
    _error(desk.client.post(f"/api/v1/cases/{case_id}/consultations",
                            headers=desk.bearer("reviewer-a"),
                            json={"held_at": "2025-01-01T10:00:00Z", "summary": ""}), 422,
           "summary")


def test_safeguards_check_of_case_and_stateless(desk: Desk) -> None:
    case = _create(desk)
    record = desk.client.get(f"/api/v1/cases/{case['id']}/check?status=hypothetical",
                             headers=desk.bearer("reviewer-a")).json()
    assert record["outcome"] in {"pass", "warn", "consult", "missing", "refuse"}
    assert all(f["articles"] for f in record["findings"])
    real = desk.client.post("/api/v1/check", headers=desk.bearer("officer-a"),
                            json={"request": example_request(), "on": "2027-06-01"})
    assert real.status_code == 200 and real.json()["on"] == "2027-06-01"
    # organisation B has no profiles nor policy (and cannot use A's): the check still
    # explains, against empty profiles and the Convention's rules alone, and says so
    bare = desk.client.post("/api/v1/check", headers=desk.bearer("officer-b"),
                            json={"request": example_request(), "status": "hypothetical"})
    assert bare.status_code == 200, bare.text
    inputs = " ".join(bare.json()["inputs"])
    assert "no profile of the requested party XAB" in inputs
    assert "no policy pack" in inputs and bare.json()["policy"] == "convention-only"
    assert "HYPOTHETICAL" in inputs


def test_template_schema_missing(desk: Desk) -> None:
    h = desk.bearer("officer-a")
    assert "properties" in desk.client.get("/api/v1/requests/schema", headers=h).json()
    tpl = desk.client.get("/api/v1/requests/template/preservation", headers=h).json()
    assert any(r["article"].startswith("42") for r in tpl["requirements"])
    missing = desk.client.post("/api/v1/requests/missing", headers=h,
                               json=example_request(facts_summary=None)).json()
    assert any(m["field_path"] == "facts_summary" for m in missing["missing"])
    assert missing["complete"] is False
    # 40(15)(e) is asked only where possible: listed, but the request is complete without it
    missing = desk.client.post("/api/v1/requests/missing", headers=h,
                               json=example_request(subjects=[])).json()
    assert missing["complete"] is True
    assert [(m["field_path"], m["where_possible"]) for m in missing["missing"]] == [
        ("subjects", True)]


def test_tokens_scopes_and_revocation(desk: Desk) -> None:
    # the auditor's token has read only; a case needs case.read, which auditors lack
    _error(desk.client.get("/api/v1/cases", headers=desk.bearer("auditor-a")), 403)
    _error(desk.client.get("/api/v1/cases", headers={"Authorization": "Bearer td_nope"}), 401)
    _error(desk.client.get("/api/v1/cases"), 401)
    # tokens cannot mint tokens
    _error(desk.client.post("/api/v1/tokens", headers=desk.bearer("officer-a"),
                            json={"name": "x", "scopes": ["read"]}), 403)
    tokens = desk.client.get("/api/v1/tokens", headers=desk.bearer("officer-a")).json()
    assert all("token" not in t for t in tokens)
    revoked = desk.client.post(f"/api/v1/tokens/{tokens[0]['id']}/revoke",
                               headers=desk.bearer("officer-a"))
    assert revoked.status_code == 200
    _error(desk.client.get("/api/v1/cases", headers=desk.bearer("officer-a")), 401)


def test_admin_users_and_profiles(desk: Desk) -> None:
    h = desk.bearer("admin")
    created = desk.client.post("/api/v1/admin/users", headers=h, json={
        "username": "new-officer", "role": "officer", "password": "short"})
    _error(created, 422, "password")
    ok = desk.client.post("/api/v1/admin/users", headers=h, json={
        "username": "new-officer", "role": "officer", "password": "a long enough password"})
    assert ok.status_code == 201 and "password" not in ok.json()
    assert {u["username"] for u in desk.client.get("/api/v1/admin/users", headers=h).json()
            } >= {"admin", "new-officer"}
    assert "officer-b" not in {u["username"] for u in
                               desk.client.get("/api/v1/admin/users", headers=h).json()}
    _error(desk.client.get("/api/v1/admin/users", headers=desk.bearer("officer-a")), 403)
    assert desk.client.get("/api/v1/admin/profiles/XAB", headers=h).json()["key"] == "XAB"
    _error(desk.client.post("/api/v1/admin/profiles", headers=h, json={
        "filename": "bad.yaml", "yaml": "key: XAB\nname: x\nunknown_key: 1\n"}), 422,
        "unknown_key")
    # organisation B does not see organisation A's profiles
    _error(desk.client.get("/api/v1/admin/profiles/XAB", headers=desk.bearer("officer-b")),
           404)


def test_audit_verify_and_entries(desk: Desk) -> None:
    _create(desk)
    verified = desk.client.get("/api/v1/audit/verify", headers=desk.bearer("auditor-a"))
    assert verified.status_code == 200 and verified.json()["verified"] is True
    entries = desk.client.get("/api/v1/audit/entries", headers=desk.bearer("auditor-a")).json()
    assert entries["total"] > 0 and all(e["org_id"] == 1 for e in entries["items"])
    exported = desk.client.get("/api/v1/audit/export", headers=desk.bearer("auditor-a"))
    assert exported.status_code == 200 and len(exported.text.splitlines()) >= entries["total"]
    _error(desk.client.get("/api/v1/audit/verify", headers=desk.bearer("officer-a")), 403)


def test_oversized_bodies_refused(desk: Desk) -> None:
    limit = desk.db.settings.max_body_bytes
    big = b"x" * (limit + 1)
    _error(desk.client.post("/api/v1/check", headers={**desk.bearer("officer-a"),
                                                      "Content-Type": "application/json"},
                            content=big), 413, "limit")

    def chunks() -> Any:
        for _ in range(limit // 65536 + 2):
            yield b" " * 65536

    _error(desk.client.post("/api/v1/check", headers={**desk.bearer("officer-a"),
                                                      "Content-Type": "application/json"},
                            content=chunks()), 413, "limit")


def test_json_bodies_are_read_as_strictly_as_the_cli_reads_a_request(desk: Desk) -> None:
    c, h = desk.client, {**desk.bearer("officer-a"), "Content-Type": "application/json"}
    head = '{"request": ' + json.dumps(example_request())
    # FastAPI's parser would let the last key win and read NaN and Infinity as numbers
    refused = {
        '{"kind": "preservation", "kind": "extradition"}':
            "body:1:26: duplicate key 'kind' in one object; each field may appear once",
        head + ', "request": {}}': "duplicate key 'request'",
        head + ', "on": NaN}': "NaN is not a number JSON allows",
        head + ', "on": -Infinity}': "-Infinity is not a number JSON allows",
        head + ', "on": 1e999}': "1e999 is too large a number",
        head + ', "on": ' + "9" * 40 + "}": "a number of 40 digits",
        '{"request":\n  {"kind": 1,}}': "body:2:14: not valid JSON (Expecting property name",
        "[" * 40 + "]" * 40: "body: JSON nested deeper than 32 levels",
    }
    case = _create(desk)
    for path in ("/api/v1/check", "/api/v1/requests/missing", "/api/v1/cases",
                 f"/api/v1/cases/{case['id']}/reviews"):
        for body, words in refused.items():
            _error(c.post(path, headers=h, content=body), 422, words)
    _error(c.put(f"/api/v1/cases/{case['id']}/request", headers=h,
                 content='{"version": 1, "version": 2}'), 422, "duplicate key 'version'")
    _error(c.post("/api/v1/check", headers=h, content=b'{"request": "\xff"}'), 422,
           "body: not valid UTF-8 (byte 0xff at offset 13)")
    # refused before the token is even looked at, as any unreadable body is
    _error(c.post("/api/v1/auth/token", headers={"Content-Type": "application/json"},
                  content='{"name": "a", "name": "b"}'), 422, "body:1:15: duplicate key")
    # the body decoder's own size limit sits below the web layer's (every JSON body that can
    # be accepted is far smaller); it is still a 413
    _error(c.post("/api/v1/check", headers=h, content=b" " * 1_000_001), 413,
           "body: request is larger than the 1000000 byte limit")
    assert c.post("/api/v1/check", headers=h, content=head + "}").status_code == 200
    # every API route that takes a body reads it this way, the ones to come included (the
    # pages take forms)
    with_body = [r for r in _routes(c.app)
                 if r.body_field is not None and r.path.startswith("/api/")]
    assert len(with_body) > 10
    assert all(isinstance(r, StrictJsonRoute) for r in with_body), [
        r.path for r in with_body if not isinstance(r, StrictJsonRoute)]


def test_every_error_status_has_the_one_shape(desk: Desk) -> None:
    c, h = desk.client, desk.bearer("officer-a")
    _error(c.get("/api/v1/cases"), 401)
    _error(c.get("/api/v1/admin/users", headers=h), 403)
    _error(c.get("/api/v1/cases/424242", headers=h), 404)
    _error(c.delete("/api/v1/cases", headers=h), 405)
    case = _create(desk, direction="outgoing")
    _error(c.post(f"/api/v1/cases/{case['id']}/transition", headers=h,
                  json={"to": "executed", "version": 1}), 409)
    _error(c.post("/api/v1/cases", headers=h, json={}), 422)
    _error(c.post("/api/v1/check", headers={**h, "Content-Length": str(10**9)}), 413)
    for _ in range(3):
        _error(c.post("/api/v1/auth/token", json={
            "username": "officer-a", "password": "wrong password!", "name": "x",
            "scopes": ["read"]}), 401, "wrong username or password")
    _error(c.post("/api/v1/auth/token", json={
        "username": "officer-a", "password": PASSWORD, "name": "x", "scopes": ["read"]}), 429,
        "too many failed logins")
    _error(c.get("/api/v1/cases", headers=h, params={"kind": "\x00" * 70}), 422)


def test_login_form_rate_limited_with_a_message(desk: Desk) -> None:
    c = desk.client
    token = _login_token(c.get("/login").text)
    for _ in range(3):
        failed = c.post("/login", data={"username": "reviewer-a", "password": "nope nope nope",
                                        "csrf_token": token})
        assert failed.status_code == 401 and "wrong username or password" in failed.text
        token = _login_token(failed.text)
    limited = c.post("/login", data={"username": "reviewer-a", "password": PASSWORD,
                                     "csrf_token": token})
    assert limited.status_code == 429 and "too many failed logins" in limited.text
    assert 'id="login-form"' in limited.text and "td_session" not in limited.cookies


def _login_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_every_non_public_route_refuses_anonymous(desk: Desk) -> None:
    public = {"/", "/status", "/status/party/{key}", "/login", "/api/v1/auth/token",
              "/convention/article/{number}", "/openapi.json", "/docs", "/docs/oauth2-redirect",
              "/redoc"}
    seen = 0
    for route in _routes(desk.client.app):
        if route.path in public or route.path.startswith("/api/v1/status"):
            continue
        path = route.path
        for name in ("case_id", "user_id", "token_id", "key", "kind"):
            path = path.replace("{" + name + "}", "1" if name != "kind" else "preservation")
        for method in route.methods - {"HEAD"}:
            response = desk.client.request(method, path, follow_redirects=False)
            assert response.status_code == 401, (method, path, response.status_code)
            seen += 1
    assert seen > 30


def _routes(app: Any) -> list[APIRoute]:
    found: list[APIRoute] = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            found.extend(r for r in route.original_router.routes if isinstance(r, APIRoute))
    return found


def test_unexpected_error_has_the_one_shape_and_no_internals(desk: Desk) -> None:
    app = desk.client.app

    @app.get("/api/v1/test-unexpected")  # type: ignore[attr-defined, untyped-decorator]
    def unexpected() -> None:
        raise RuntimeError("secret internal detail /etc/passwd")

    body = _error(desk.client.get("/api/v1/test-unexpected"), 500)
    assert "secret" not in body["error"]


def test_create_and_edit_store_the_safeguards_check(desk: Desk) -> None:
    case = _create(desk)
    check = case["check"]
    assert check is not None and check["request_version"] == 1
    # the same evaluation as the on-demand check of the stored request (depositary record,
    # organisation A's profiles and policy) as of the day it was saved
    live = desk.client.get(f"/api/v1/cases/{case['id']}/check?on={check['on']}",
                           headers=desk.bearer("reviewer-a")).json()
    assert check["outcome"] == live["outcome"] and check["counts"] == live["counts"]
    assert check["rules_revision"] == live["revision"]
    got = desk.client.get(f"/api/v1/cases/{case['id']}", headers=desk.bearer("reviewer-a"))
    assert got.json()["check"] == check
    listed = desk.client.get("/api/v1/cases", headers=desk.bearer("officer-a")).json()
    assert listed["items"][0]["check"] == check
    edited = desk.client.put(f"/api/v1/cases/{case['id']}/request",
                             headers=desk.bearer("officer-a"), json={
                                 "version": case["version"],
                                 "request": example_request(reference="XAA-CA-2027-0002")})
    assert edited.status_code == 200, edited.text
    assert edited.json()["check"]["request_version"] == 2
    entries = desk.client.get("/api/v1/audit/entries", headers=desk.bearer("auditor-a")
                              ).json()["items"]
    create = next(e for e in entries if e["action"] == "create")
    edit = next(e for e in entries if e["action"] == "edit")
    assert create["details"]["check_outcome"] == check["outcome"]
    assert edit["details"]["rules_revision"] == check["rules_revision"]


def test_invalid_request_over_the_api_writes_no_case_nor_audit_entry(desk: Desk) -> None:
    before = desk.client.get("/api/v1/audit/entries", headers=desk.bearer("auditor-a")
                             ).json()["total"]
    _error(desk.client.post("/api/v1/cases", headers=desk.bearer("officer-a"), json={
        "direction": "incoming", "title": "x", "request": example_request(language="??")}),
        422, "language")
    after = desk.client.get("/api/v1/audit/entries", headers=desk.bearer("auditor-a")).json()
    # the auditor's listing itself used its token once (token_use) and nothing else
    assert [e["action"] for e in after["items"][: after["total"] - before]] in (
        [], ["token_use"])
    assert desk.client.get("/api/v1/cases", headers=desk.bearer("officer-a")
                           ).json()["total"] == 0


def test_a_new_upload_is_used_by_the_next_check_in_the_same_process(desk: Desk) -> None:
    from web_desk.conftest import EXAMPLES

    first = _create(desk)
    record = desk.client.get(f"/api/v1/cases/{first['id']}/check",
                             headers=desk.bearer("reviewer-a")).json()
    assert record["policy"] == "example-default"
    text = (EXAMPLES / "policy/default.yaml").read_text().replace(
        "name: example-default", "name: example-renamed")
    done = desk.client.put("/api/v1/admin/policy", headers=desk.bearer("admin"),
                           json={"filename": "renamed.yaml", "yaml": text})
    assert done.status_code == 200, done.text
    second = _create(desk)
    assert second["check"]["rules_revision"] != first["check"]["rules_revision"]
    record = desk.client.get(f"/api/v1/cases/{second['id']}/check",
                             headers=desk.bearer("reviewer-a")).json()
    assert record["policy"] == "example-renamed"
    assert record["revision"] == second["check"]["rules_revision"]
