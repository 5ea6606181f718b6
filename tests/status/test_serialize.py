from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from treatydesk.errors import InvalidInput
from treatydesk.status.bundled import bundled_snapshot
from treatydesk.status.serialize import FORMAT_VERSION, snapshot_from_dict, snapshot_to_dict
from treatydesk.untc.mtdsg import parse_status_xml

FIXTURES = Path(__file__).parent.parent / "fixtures" / "untc"


def fixture_snapshot() -> Any:
    data = (FIXTURES / "xviii-16-v1.xml").read_bytes()
    return parse_status_xml(data, source="v1", retrieved_at=datetime(2026, 7, 1, tzinfo=UTC))


@pytest.mark.parametrize("make", [fixture_snapshot, bundled_snapshot])
def test_exact_round_trip_through_json(make: Any) -> None:
    snapshot = make()
    as_dict = snapshot_to_dict(snapshot)
    assert as_dict["format_version"] == FORMAT_VERSION
    assert snapshot_from_dict(json.loads(json.dumps(as_dict))) == snapshot


def bad(path: list[str | int], value: Any, *, delete: bool = False) -> dict[str, Any]:
    data = snapshot_to_dict(fixture_snapshot())
    target: Any = data
    for part in path[:-1]:
        target = target[part]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return copy.deepcopy(data)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (bad(["participants", 2, "signature"], "2025-13-01"), "participants[2].signature"),
        (bad(["participants", 0, "action_kind"], "ratified"), "participants[0].action_kind"),
        (bad(["participants", 1, "declarations", 0, "section"], "x"),
         "participants[1].declarations[0].section"),
        (bad(["participants", 0, "is_reio"], "no"), "participants[0].is_reio"),
        (bad(["participants", 0, "key"], None, delete=True), "participants[0].key: missing"),
        (bad(["treaty", "extra"], 1), "treaty.extra: unknown field"),
        (bad(["treaty", "parties_count"], -1), "treaty.parties_count"),
        (bad(["retrieved_at"], "yesterday"), "retrieved_at"),
        (bad(["notes", "1"], 5), "notes.1"),
        (bad(["participants", 1, "key"], "DZA"), "appears more than once"),
        (bad(["participants"], {}), "participants: expected a list"),
    ],
)
def test_bad_dicts_name_the_path(data: dict[str, Any], words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        snapshot_from_dict(data)
    assert words in str(caught.value)


def test_not_a_dict_and_unknown_version() -> None:
    with pytest.raises(InvalidInput, match="expected an object"):
        snapshot_from_dict([1, 2])
    with pytest.raises(InvalidInput, match="format_version 99 is not supported"):
        snapshot_from_dict(bad(["format_version"], 99))


def test_missing_top_level_field() -> None:
    with pytest.raises(InvalidInput, match="participants: missing"):
        snapshot_from_dict(bad(["participants"], None, delete=True))
