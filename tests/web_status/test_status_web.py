"""The status pages and /api/v1/status: content, pagination bounds, and the one error shape."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from treatydesk.services import status as status_service
from treatydesk.settings import load_settings
from treatydesk.status.bundled import bundled_snapshot
from treatydesk.store.db import Database, migrate
from treatydesk.web import routes_status
from treatydesk.web.app import create_app


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    settings = load_settings({"TREATYDESK_HOME": str(tmp_path / "home")})
    migrate(settings)
    db = Database(settings)
    status_service.ensure_bundled(db)
    db.dispose()
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def _is_error(response: Any, status: int, *words: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert set(body) == {"ok", "error", "errors"} and body["ok"] is False
    assert isinstance(body["errors"], list)
    for word in words:
        assert word in body["error"] + " ".join(item["location"] for item in body["errors"])
    return body


def test_status_page_shows_position_banner_projection_and_table(client: TestClient) -> None:
    for path in ("/", "/status", "/status?on=2026-02-10"):
        page = client.get(path)
        assert page.status_code == 200
        html = page.text
        assert "Art 65(1)" in html and "0 / 40" in html
        assert "Partial snapshot." in html
        assert "This is an estimate" in html  # the projection's caveat
        assert 'href="/status/party/AUT?treaty=XVIII-16"' in html
        assert '<a class="skip" href="#content">' in html


def test_party_page(client: TestClient) -> None:
    page = client.get("/status/party/AUT")
    assert page.status_code == 200 and "Austria" in page.text
    missing = client.get("/status/party/ZZZ")
    assert missing.status_code == 404 and "ZZZ" in missing.text
    assert "<h1>Error 404</h1>" in missing.text


def test_api_status(client: TestClient) -> None:
    body = client.get("/api/v1/status", params={"on": "2026-02-10"}).json()
    assert body["ok"] is True
    assert body["entry_into_force"]["article"] == "Art 65(1)"
    assert body["entry_into_force"]["threshold"] == 40
    assert body["snapshot"]["partial"] is True
    assert body["projection"]["caveat"]
    assert body["counts"]["participants"] == len(bundled_snapshot().participants)


def test_api_participants_pages(client: TestClient) -> None:
    total = len(bundled_snapshot().participants)
    first = client.get("/api/v1/status/participants", params={"limit": 10}).json()
    assert first["total"] == total and len(first["items"]) == 10
    last = client.get("/api/v1/status/participants",
                      params={"limit": 10, "offset": total - 3}).json()
    assert len(last["items"]) == 3
    beyond = client.get("/api/v1/status/participants", params={"offset": total + 5}).json()
    assert beyond["items"] == []
    one = client.get("/api/v1/status/participants/AUT").json()
    assert one["name"] == "Austria" and one["signature"] == "2025-10-25"


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/api/v1/status/participants", {"limit": 0}, 422, ("query.limit",)),
        ("/api/v1/status/participants", {"limit": routes_status.MAX_PAGE + 1}, 422,
         ("query.limit",)),
        ("/api/v1/status/participants", {"offset": -1}, 422, ("query.offset",)),
        ("/api/v1/status/participants", {"limit": "ten"}, 422, ("query.limit",)),
        ("/api/v1/status", {"on": "2026-02-30"}, 422, ("query.on",)),
        ("/api/v1/status", {"treaty": "XXIII-99"}, 404, ("XXIII-99",)),
        ("/api/v1/status/participants/ZZZ", {}, 404, ("ZZZ",)),
        ("/api/v1/status/diff", {}, 404, ("only one snapshot",)),
        ("/api/v1/status/diff", {"old": 1, "new": 99}, 404, ("99",)),
        ("/api/v1/status/diff", {"old": 0}, 422, ("query.old",)),
        ("/api/v1/nothing", {}, 404, ("/api/v1/nothing",)),
    ],
)
def test_api_errors_have_one_shape(
    client: TestClient, path: str, params: dict[str, Any], status: int, words: tuple[str, ...]
) -> None:
    _is_error(client.get(path, params=params), status, *words)


def test_wrong_method_has_the_error_shape(client: TestClient) -> None:
    _is_error(client.post("/api/v1/status"), 405)


def test_diff_between_two_snapshots(client: TestClient) -> None:
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    snapshot = bundled_snapshot()
    later = type(snapshot)(
        treaty=snapshot.treaty, source="test", retrieved_at=datetime(2026, 3, 1, tzinfo=UTC),
        participants=snapshot.participants[1:], notes=snapshot.notes,
    )
    status_service.store_snapshot(db, snapshot=later)
    body = client.get("/api/v1/status/diff").json()
    assert (body["old_id"], body["new_id"]) == (1, 2)
    assert body["counts"]["withdrawn"] == 1


def test_unexpected_errors_do_not_leak_internals(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret path /etc/treatydesk and SQL text")

    monkeypatch.setattr(status_service, "status_report", broken)
    body = _is_error(client.get("/api/v1/status"), 500)
    assert "secret" not in body["error"] and body["errors"] == []
    page = client.get("/status")
    assert page.status_code == 500 and "secret" not in page.text


def test_openapi_lists_the_status_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/status/participants" in spec["paths"]
    assert client.get("/docs").status_code == 200
    assert client.get("/static/style.css").status_code == 200


@pytest.mark.parametrize("query", [
    "old=99999999999999999999", "new=4611686018427387905", "old=0",
])
def test_diff_refuses_ids_no_database_can_hold(client: TestClient, query: str) -> None:
    # found by the schemathesis run: a 20-digit id overflowed SQLite's INTEGER (a 500)
    response = client.get(f"/api/v1/status/diff?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["ok"] is False and body["errors"][0]["location"].startswith("query.")
