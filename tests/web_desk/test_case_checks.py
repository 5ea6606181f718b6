"""The safeguards check stored with a case, as the case list shows it (SQLite and PostgreSQL)."""

from __future__ import annotations

from web_desk.conftest import Desk, example_request, sign_in


def test_case_list_shows_the_stored_check_as_a_badge(desk: Desk) -> None:
    done = desk.client.post("/api/v1/cases", headers=desk.bearer("officer-a"), json={
        "direction": "incoming", "title": "Checked", "request": example_request()})
    assert done.status_code == 201, done.text
    case = done.json()
    sign_in(desk.client, "officer-a")
    listing = desk.client.get("/cases").text
    outcome = case["check"]["outcome"]
    assert f'class="badge outcome-{outcome}" data-check="{outcome}"' in listing
    assert f"rules {case['check']['rules_revision']}" in listing
