"""A snapshot's stored document and content hash are written with orjson; they must stay the
bytes the standard library's canonical form gives (sorted keys, no ASCII escaping, compact
separators), in which the documents and hashes of earlier imports were stored: otherwise an
unchanged depositary record re-imported would be taken for a changed one."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st
from store_snapshots import make_snapshot

from treatydesk.status.bundled import bundled_snapshot
from treatydesk.status.model import Declaration, DeclarationSection, Participant, Snapshot
from treatydesk.status.serialize import snapshot_to_dict
from treatydesk.store.status_repo import snapshot_document

# what XML 1.0 text can hold (no other control characters, no lone surrogates)
xml_text = st.text(st.characters(
    blacklist_categories=("Cs",), blacklist_characters=[chr(c) for c in range(32)
                                                        if chr(c) not in "\t\n\r"]))


def _standard_library_form(snapshot: Snapshot) -> str:
    data = snapshot_to_dict(snapshot)
    content = {k: v for k, v in data.items() if k not in ("source", "retrieved_at")}
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _check(snapshot: Snapshot) -> None:
    prepared = snapshot_document(snapshot)
    expected = _standard_library_form(snapshot)
    assert prepared.document == expected
    assert prepared.content_sha256 == hashlib.sha256(expected.encode("utf-8")).hexdigest()


def test_the_bundled_snapshot_document_is_the_canonical_form() -> None:
    _check(bundled_snapshot())


@given(name=xml_text, statement=xml_text, remark=xml_text, footnote=xml_text, source=xml_text)
def test_any_text_is_written_in_the_canonical_form(
    name: str, statement: str, remark: str, footnote: str, source: str
) -> None:
    participant = Participant(
        key="XAA", name=name, iso3=None, signature=date(2025, 10, 25),
        footnotes=(footnote,), remarks=(remark,), source=source,
        declarations=(Declaration(section=DeclarationSection.DECLARATIONS, text=statement,
                                  articles=("42(3)",), is_reservation=True),),
    )
    _check(make_snapshot(retrieved_at=datetime(2026, 1, 1, tzinfo=UTC), extra=(participant,)))
