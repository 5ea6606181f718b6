"""Where each role lands after signing in, the navigation showing only pages the role can use,
and organisations staying invisible to an organisation's web administrator (SQLite and
PostgreSQL through the web desk fixture)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from treatydesk.services.organisations import list_organisations
from treatydesk.web.pages_auth import landing_path
from web_desk.conftest import CSRF, PASSWORD, Desk

NAV_LINK = re.compile(r'<a id="(nav-[a-z]+)" href="(/[^"]*)"')

LANDINGS = {"officer-a": "/cases", "reviewer-a": "/cases", "auditor-a": "/audit",
            "admin": "/admin/users", "officer-b": "/cases"}
#: what each role's navigation offers (beyond the public Status and API links)
NAV = {
    "officer-a": {"nav-cases", "nav-new", "nav-tokens"},
    "reviewer-a": {"nav-cases", "nav-tokens"},
    "auditor-a": {"nav-audit", "nav-tokens"},
    "admin": {"nav-users", "nav-profiles", "nav-tokens"},
}


def _post_login(client: TestClient, username: str, password: str,
                next_field: str | None) -> str:
    """Signs in through the form (with `next` as given, or without the field) and returns
    where the desk sends the browser."""
    token = CSRF.search(client.get("/login").text)
    assert token is not None
    data = {"username": username, "password": password, "csrf_token": token.group(1)}
    if next_field is not None:
        data["next"] = next_field
    done = client.post("/login", data=data, follow_redirects=False)
    assert done.status_code == 303, done.text
    return done.headers["location"]


def _password(desk: Desk, username: str) -> str:
    return desk.admin_password if username == "admin" else PASSWORD


@pytest.mark.parametrize("username", sorted(LANDINGS))
def test_each_role_lands_on_a_page_it_can_use(desk: Desk, username: str) -> None:
    # no next, an empty one, or one that would leave the site: the role's own first page
    for next_field in (None, "", "//evil.example/", "https://evil.example/"):
        desk.client.cookies.clear()
        location = _post_login(desk.client, username, _password(desk, username), next_field)
        assert location == LANDINGS[username], next_field
        landing = desk.client.get(location)
        assert landing.status_code == 200, landing.text[:300]
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", landing.text, re.DOTALL)
        assert heading is not None and "Error" not in heading.group(1)


def test_a_safe_next_is_still_honoured(desk: Desk) -> None:
    assert _post_login(desk.client, "auditor-a", PASSWORD, "/tokens") == "/tokens"


def test_the_login_page_drops_an_unsafe_next(desk: Desk) -> None:
    page = desk.client.get("/login?next=//evil.example/")
    assert "evil.example" not in page.text
    assert 'name="next" value=""' in page.text
    assert 'name="next" value="/cases/3"' in desk.client.get("/login?next=/cases/3").text


@pytest.mark.parametrize("username", sorted(NAV))
def test_the_navigation_shows_only_pages_the_role_can_use(desk: Desk, username: str) -> None:
    location = _post_login(desk.client, username, _password(desk, username), None)
    links = dict(NAV_LINK.findall(desk.client.get(location).text))
    assert set(links) == NAV[username]
    for link_id, href in links.items():
        answer = desk.client.get(href)
        assert answer.status_code == 200, (username, link_id, href, answer.status_code)
    # and what it hides would only refuse this role
    for link_id, href in (("nav-cases", "/cases"), ("nav-audit", "/audit"),
                          ("nav-users", "/admin/users")):
        if link_id not in links:
            assert desk.client.get(href).status_code == 403, (username, href)


def test_landing_follows_the_role_permissions() -> None:
    from treatydesk.services.principal import Role

    assert {role.value: landing_path(role) for role in Role} == {
        "officer": "/cases", "reviewer": "/cases", "auditor": "/audit",
        "admin": "/admin/users"}


def test_organisations_are_not_exposed_to_a_web_administrator(desk: Desk) -> None:
    names = [org.name for org in list_organisations(desk.db)]
    assert names == ["Org A", "Org B"]
    paths = desk.client.get("/openapi.json").json()["paths"]
    assert not [path for path in paths if "org" in path.lower()], paths
    _post_login(desk.client, "admin", desk.admin_password, None)
    for page in ("/admin/users", "/admin/profiles", "/tokens"):
        assert "Org B" not in desk.client.get(page).text
    assert "officer-b" not in desk.client.get("/admin/users").text
    users = desk.client.get("/api/v1/admin/users", headers=desk.bearer("admin"))
    assert users.status_code == 200
    assert "admin-b" not in users.text and "officer-b" not in users.text
