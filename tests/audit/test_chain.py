"""Building and verifying the hash chain (pure, no database)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatydesk.audit.chain import (
    GENESIS_HASH,
    AuditAction,
    AuditEntry,
    BreakReason,
    ChainHead,
    export_lines,
    make_entry,
    parse_export,
    verify,
)
from treatydesk.errors import InvalidInput

T0 = datetime(2025, 11, 28, 9, 0, tzinfo=UTC)


def build_chain(count: int) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    prev = GENESIS_HASH
    for seq in range(1, count + 1):
        entry = make_entry(
            seq=seq, prev_hash=prev, at=T0 + timedelta(minutes=seq), org_id=1 + seq % 2,
            actor=f"user:{seq}:anna", action=AuditAction.EDIT, object_type="case",
            object_id=str(seq), details={"version": seq, "note": "Überprüfung ✓"},
        )
        entries.append(entry)
        prev = entry.hash
    return entries


def test_genesis_and_links() -> None:
    chain = build_chain(3)
    assert chain[0].prev_hash == "0" * 64
    assert chain[1].prev_hash == chain[0].hash
    result = verify(chain, head=ChainHead(3, chain[-1].hash))
    assert result.ok and result.count == 3 and result.head_hash == chain[-1].hash


def test_hash_is_sha256_of_canonical_json_without_hash() -> None:
    entry = build_chain(1)[0]
    fields = {key: value for key, value in entry.as_dict().items() if key != "hash"}
    text = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == entry.hash
    assert "Überprüfung ✓" in text


def test_timestamp_is_utc_iso() -> None:
    plus_two = timezone(timedelta(hours=2))
    entry = make_entry(
        seq=1, prev_hash=GENESIS_HASH, at=datetime(2025, 1, 1, 12, tzinfo=plus_two), org_id=None,
        actor="system", action=AuditAction.CREATE, object_type="x", object_id="1", details={},
    )
    assert entry.timestamp == "2025-01-01T10:00:00.000000+00:00"


def test_altered_entry_is_named() -> None:
    chain = build_chain(5)
    chain[2] = dataclasses.replace(chain[2], details={"version": 999})
    result = verify(chain)
    assert not result.ok
    assert (result.first_bad_seq, result.reason) == (3, BreakReason.HASH_MISMATCH)
    assert result.count == 2


def test_removed_entry_is_named() -> None:
    chain = build_chain(5)
    del chain[1]
    result = verify(chain)
    assert (result.first_bad_seq, result.reason) == (3, BreakReason.SEQUENCE_GAP)
    assert "expected seq 2" in result.explanation


def test_forged_entry_with_recomputed_hash_but_wrong_link() -> None:
    chain = build_chain(4)
    forged = make_entry(
        seq=5, prev_hash="f" * 64, at=T0, org_id=1, actor="user:9:mallory",
        action=AuditAction.DECISION, object_type="case", object_id="1", details={},
    )
    result = verify([*chain, forged])
    assert (result.first_bad_seq, result.reason) == (5, BreakReason.LINK_MISMATCH)


def test_inserted_and_renumbered_entries_break_at_the_insertion() -> None:
    chain = build_chain(4)
    forged = make_entry(
        seq=3, prev_hash=chain[1].hash, at=T0, org_id=1, actor="user:9:mallory",
        action=AuditAction.DECISION, object_type="case", object_id="1", details={},
    )
    renumbered = [
        dataclasses.replace(entry, seq=entry.seq + 1) for entry in chain[2:]
    ]
    result = verify([*chain[:2], forged, *renumbered])
    # the forged entry itself verifies; the original third entry, renumbered, does not
    assert result.first_bad_seq == 4
    assert result.reason is BreakReason.HASH_MISMATCH


def test_swapped_entries_break_at_the_first_swapped_seq() -> None:
    chain = build_chain(5)
    third, fourth = chain[2], chain[3]
    chain[2] = dataclasses.replace(fourth, seq=3)
    chain[3] = dataclasses.replace(third, seq=4)
    result = verify(chain)
    assert (result.first_bad_seq, result.reason) == (3, BreakReason.HASH_MISMATCH)


def test_truncation_is_caught_only_against_the_head() -> None:
    chain = build_chain(5)
    assert verify(chain[:4]).ok
    result = verify(chain[:4], head=ChainHead(5, chain[-1].hash))
    assert (result.first_bad_seq, result.reason) == (5, BreakReason.HEAD_MISMATCH)


def test_bad_entry_input_is_refused_with_locations() -> None:
    with pytest.raises(InvalidInput) as caught:
        make_entry(
            seq=0, prev_hash="abc", at=T0, org_id=1, actor="", action=AuditAction.EDIT,
            object_type="case", object_id="1", details={"ratio": 0.5, "when": T0},
        )
    locations = {item.location for item in caught.value.items}
    assert locations == {"seq", "prev_hash", "actor", "details.ratio", "details.when"}
    with pytest.raises(InvalidInput, match="no time zone"):
        make_entry(
            seq=1, prev_hash=GENESIS_HASH, at=datetime(2025, 1, 1), org_id=1, actor="a",
            action=AuditAction.EDIT, object_type="case", object_id="1", details={},
        )


def test_export_round_trip_and_head() -> None:
    chain = build_chain(3)
    lines = list(export_lines(chain, exported_at=T0))
    assert len(lines) == 4
    head_record = json.loads(lines[-1])
    assert head_record["count"] == 3 and head_record["head_hash"] == chain[-1].hash
    entries, head = parse_export(lines)
    assert entries == chain
    assert verify(entries, head=head).ok


def test_parse_export_names_bad_lines() -> None:
    chain = build_chain(2)
    lines = list(export_lines(chain, exported_at=T0))
    with pytest.raises(InvalidInput, match="head record is missing"):
        parse_export(lines[:-1])
    broken = ["{not json", json.dumps({"seq": "1"}), *lines]
    with pytest.raises(InvalidInput) as caught:
        parse_export(broken)
    locations = [item.location for item in caught.value.items]
    assert locations[0] == "line 1"
    assert "line 2.seq" in locations and "line 2.hash" in locations


@given(
    st.lists(
        st.dictionaries(
            st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=8), st.booleans()),
            max_size=3,
        ),
        min_size=1, max_size=6,
    ),
    st.data(),
)
def test_any_single_change_of_details_is_detected(
    details_list: list[dict[str, object]], data: st.DataObject
) -> None:
    chain: list[AuditEntry] = []
    prev = GENESIS_HASH
    for seq, details in enumerate(details_list, start=1):
        entry = make_entry(
            seq=seq, prev_hash=prev, at=T0, org_id=1, actor="a", action=AuditAction.EDIT,
            object_type="case", object_id="1", details=details,
        )
        chain.append(entry)
        prev = entry.hash
    assert verify(chain).ok
    index = data.draw(st.integers(0, len(chain) - 1))
    changed = {**chain[index].details, "tampered": True}
    chain[index] = dataclasses.replace(chain[index], details=changed)
    result = verify(chain)
    assert not result.ok and result.first_bad_seq == index + 1
