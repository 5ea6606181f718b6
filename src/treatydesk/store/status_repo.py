"""Repository for status snapshots: keyword-only functions over a session.

Reading a snapshot back decodes its stored document, so what comes out is exactly what was
imported; the participant and declaration rows exist for queries. Whole operations (import,
sync, the bundled snapshot) are in `treatydesk.services.status`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from treatydesk.errors import InvalidInput, NotFound
from treatydesk.status.model import Snapshot
from treatydesk.status.serialize import snapshot_from_dict, snapshot_to_dict
from treatydesk.store.status_tables import (
    StatusDeclarationRow,
    StatusParticipantRow,
    StatusSnapshotRow,
)

#: the Convention against Cybercrime's depositary reference (convention.md, "Identity")
DEFAULT_TREATY = "XVIII-16"
#: largest page of a snapshot list
MAX_LIST_LIMIT = 500

# Fields that say where and when a snapshot was read, not what the status is; left out of the
# content hash so that re-reading an unchanged record is recognised as unchanged.
_PROVENANCE_FIELDS = ("source", "retrieved_at")


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """A stored snapshot's metadata, without its participants."""

    id: int
    treaty: str
    title: str
    source: str
    retrieved_at: datetime
    imported_at: datetime
    partial: bool
    remark: str | None
    content_sha256: str
    participant_count: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "treaty": self.treaty,
            "title": self.title,
            "source": self.source,
            "retrieved_at": self.retrieved_at.isoformat(),
            "imported_at": self.imported_at.isoformat(),
            "partial": self.partial,
            "remark": self.remark,
            "content_sha256": self.content_sha256,
            "participant_count": self.participant_count,
        }


def _utc(moment: datetime) -> datetime:
    # SQLite drops the zone on the way back; every stored moment is UTC, so re-attach it.
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class SnapshotDocument:
    """A snapshot serialised once: `document` is the canonical JSON of its content (provenance
    left out; source and retrieval time live in their own columns) and `content_sha256` its
    hash, so an unchanged record re-read later is recognised as unchanged."""

    snapshot: Snapshot
    document: str
    content_sha256: str


def snapshot_document(snapshot: Snapshot) -> SnapshotDocument:
    data = snapshot_to_dict(snapshot)
    content = {key: value for key, value in data.items() if key not in _PROVENANCE_FIELDS}
    # orjson with sorted keys writes the bytes the standard library writes with sort_keys,
    # ensure_ascii=False and compact separators (the form documents and hashes were first
    # stored in; tests/store_status/test_document.py), about twenty times faster: a record with
    # megabytes of statements took longer to serialise than to store
    canonical = orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    return SnapshotDocument(snapshot, canonical.decode("utf-8"),
                            hashlib.sha256(canonical).hexdigest())


def content_sha256(snapshot: Snapshot) -> str:
    return snapshot_document(snapshot).content_sha256


def save_snapshot(
    session: Session, *, snapshot: Snapshot | SnapshotDocument, now: datetime | None = None
) -> int:
    """Stores a snapshot with its participants and declarations; returns its id. The caller's
    transaction decides whether it is kept. Rows are inserted in bulk (a 200-participant
    record with megabytes of declarations is a few statements, not thousands of ORM flushes).
    """
    prepared = snapshot if isinstance(snapshot, SnapshotDocument) else snapshot_document(snapshot)
    record = prepared.snapshot
    snapshot_id = session.execute(
        insert(StatusSnapshotRow).returning(StatusSnapshotRow.id),
        {"treaty": record.treaty.reference, "title": record.treaty.title,
         "source": record.source, "retrieved_at": _utc(record.retrieved_at),
         "imported_at": _utc(now or datetime.now(UTC)), "partial": record.partial,
         "remark": record.remark, "content_sha256": prepared.content_sha256,
         "document": prepared.document},
    ).scalar_one()
    if not record.participants:
        return int(snapshot_id)
    # Core inserts, one executemany each; the ORM's bulk insert splits the rows into a
    # statement per run of rows with the same None columns (134 statements for 200 participants)
    session.execute(insert(StatusParticipantRow.__table__), [
        {"snapshot_id": snapshot_id, "position": position, "key": participant.key,
         "name": participant.name, "iso3": participant.iso3, "is_reio": participant.is_reio,
         "signature": participant.signature, "action": participant.action,
         "action_kind": participant.action_kind.value if participant.action_kind else None,
         "footnotes": list(participant.footnotes)}
        for position, participant in enumerate(record.participants)])
    # ids read back by position in one query: RETURNING over many rows is done row by row on
    # SQLite when the order must be kept
    id_at = dict(session.execute(
        select(StatusParticipantRow.position, StatusParticipantRow.id)
        .where(StatusParticipantRow.snapshot_id == snapshot_id)).all())
    declarations = [
        {"participant_id": participant_id, "position": index,
         "section": declaration.section.value,
         "articles": list(declaration.articles), "is_reservation": declaration.is_reservation}
        for position, participant in enumerate(record.participants)
        for participant_id in (id_at[position],)
        for index, declaration in enumerate(participant.declarations)
    ]
    if declarations:
        session.execute(insert(StatusDeclarationRow.__table__), declarations)
    return int(snapshot_id)


def decode_row(row: StatusSnapshotRow) -> Snapshot:
    data = orjson.loads(row.document)
    data["source"] = row.source
    data["retrieved_at"] = _utc(row.retrieved_at).isoformat()
    return snapshot_from_dict(data)


def get_snapshot(session: Session, *, snapshot_id: int) -> Snapshot:
    row = session.get(StatusSnapshotRow, snapshot_id)
    if row is None:
        raise NotFound(f"no stored snapshot with id {snapshot_id}")
    return decode_row(row)


def latest_rows(session: Session, *, treaty: str, count: int) -> list[StatusSnapshotRow]:
    # Newest by retrieval time; the id breaks ties (two imports of one retrieval).
    query = (
        select(StatusSnapshotRow)
        .where(StatusSnapshotRow.treaty == treaty)
        .order_by(StatusSnapshotRow.retrieved_at.desc(), StatusSnapshotRow.id.desc())
        .limit(count)
    )
    return list(session.scalars(query))


def latest_snapshot(session: Session, *, treaty: str) -> Snapshot | None:
    rows = latest_rows(session, treaty=treaty, count=1)
    return decode_row(rows[0]) if rows else None


def latest_snapshot_ids(session: Session, *, treaty: str, count: int = 2) -> list[int]:
    """Ids of the treaty's newest snapshots, newest first."""
    return [row.id for row in latest_rows(session, treaty=treaty, count=count)]


def _info(row: StatusSnapshotRow, participant_count: int) -> SnapshotInfo:
    return SnapshotInfo(
        id=row.id,
        treaty=row.treaty,
        title=row.title,
        source=row.source,
        retrieved_at=_utc(row.retrieved_at),
        imported_at=_utc(row.imported_at),
        partial=row.partial,
        remark=row.remark,
        content_sha256=row.content_sha256,
        participant_count=participant_count,
    )


def _participant_counts(session: Session, ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    query = (
        select(StatusParticipantRow.snapshot_id, func.count(StatusParticipantRow.id))
        .where(StatusParticipantRow.snapshot_id.in_(ids))
        .group_by(StatusParticipantRow.snapshot_id)
    )
    return {int(row[0]): int(row[1]) for row in session.execute(query).all()}


def get_snapshot_info(session: Session, *, snapshot_id: int) -> SnapshotInfo:
    row = session.get(StatusSnapshotRow, snapshot_id)
    if row is None:
        raise NotFound(f"no stored snapshot with id {snapshot_id}")
    return _info(row, _participant_counts(session, [row.id]).get(row.id, 0))


def latest_snapshot_info(session: Session, *, treaty: str) -> SnapshotInfo | None:
    rows = latest_rows(session, treaty=treaty, count=1)
    if not rows:
        return None
    return _info(rows[0], _participant_counts(session, [rows[0].id]).get(rows[0].id, 0))


def list_snapshots(
    session: Session, *, treaty: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[SnapshotInfo], int]:
    """A page of stored snapshots, newest first, and the total count."""
    if not 1 <= limit <= MAX_LIST_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIST_LIMIT}, not {limit}")
    if offset < 0:
        raise InvalidInput(f"offset must be 0 or more, not {offset}")
    query = select(StatusSnapshotRow)
    total_query = select(func.count(StatusSnapshotRow.id))
    if treaty is not None:
        query = query.where(StatusSnapshotRow.treaty == treaty)
        total_query = total_query.where(StatusSnapshotRow.treaty == treaty)
    query = query.order_by(
        StatusSnapshotRow.retrieved_at.desc(), StatusSnapshotRow.id.desc()
    ).limit(limit).offset(offset)
    rows = list(session.scalars(query))
    counts = _participant_counts(session, [row.id for row in rows])
    total = session.scalar(total_query) or 0
    return [_info(row, counts.get(row.id, 0)) for row in rows], total


def known_treaties(session: Session) -> list[str]:
    """References of every treaty with at least one stored snapshot."""
    query = select(StatusSnapshotRow.treaty).distinct().order_by(StatusSnapshotRow.treaty)
    return list(session.scalars(query))


def require_latest(session: Session, *, treaty: str) -> tuple[SnapshotInfo, Snapshot]:
    """The treaty's newest snapshot, or NotFound naming the treaties that have one."""
    rows = latest_rows(session, treaty=treaty, count=1)
    if not rows:
        known = known_treaties(session)
        hint = (
            f"stored treaties: {', '.join(known)}" if known
            else "none stored yet: run `treatydesk init` or `treatydesk status import`"
        )
        raise NotFound(f"no status snapshot for treaty {treaty!r} ({hint})")
    row = rows[0]
    return _info(row, _participant_counts(session, [row.id]).get(row.id, 0)), decode_row(row)
