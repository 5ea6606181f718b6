"""Status operations, each in one place for the CLI and the web: import a depositary file (read,
parse, store, diff), store the bundled snapshot on first start.

Reading and parsing happen before the transaction opens and storing is one transaction, so a
bad, hostile or unreachable source, or a failure while storing, leaves the database unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
from sqlalchemy.orm import Session

from treatydesk.errors import InvalidInput, NotFound
from treatydesk.status.bundled import bundled_snapshot
from treatydesk.status.diff import SnapshotDiff, diff_snapshots
from treatydesk.status.model import ActionKind, Snapshot, Standing
from treatydesk.status.rules import (
    EntryIntoForcePosition,
    EntryIntoForceRule,
    entry_into_force,
    rule_for,
    standings,
)
from treatydesk.store import status_repo
from treatydesk.store.db import Database
from treatydesk.untc.fetch import read_source
from treatydesk.untc.mtdsg import parse_status_xml


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What one import did: the snapshot it stored (or found identical) and the change since the
    treaty's previous snapshot."""

    snapshot_id: int
    snapshot: Snapshot
    #: True when the content equals the treaty's latest stored snapshot: nothing was written
    unchanged: bool
    previous_id: int | None
    diff: SnapshotDiff | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshot_id": self.snapshot_id,
            "treaty": self.snapshot.treaty.reference,
            "source": self.snapshot.source,
            "retrieved_at": self.snapshot.retrieved_at.isoformat(),
            "participants": len(self.snapshot.participants),
            "partial": self.snapshot.partial,
            "warnings": list(self.snapshot.warnings),
            "unchanged": self.unchanged,
            "previous_id": self.previous_id,
            "diff": self.diff.as_dict() if self.diff is not None else None,
        }


def store_snapshot(db: Database, *, snapshot: Snapshot) -> ImportResult:
    """Stores a parsed snapshot in one transaction, unless it equals the treaty's newest stored
    snapshot, and diffs it against that one."""
    treaty = snapshot.treaty.reference
    prepared = status_repo.snapshot_document(snapshot)  # serialised once, hashed once
    with db.transaction() as session:
        previous_rows = status_repo.latest_rows(session, treaty=treaty, count=1)
        previous = previous_rows[0] if previous_rows else None
        if previous is not None and previous.content_sha256 == prepared.content_sha256:
            return ImportResult(
                snapshot_id=previous.id, snapshot=snapshot, unchanged=True,
                previous_id=previous.id, diff=None,
            )
        snapshot_id = status_repo.save_snapshot(session, snapshot=prepared)
        diff = None
        if previous is not None:
            diff = diff_snapshots(status_repo.decode_row(previous), snapshot)
        return ImportResult(
            snapshot_id=snapshot_id, snapshot=snapshot, unchanged=False,
            previous_id=previous.id if previous is not None else None, diff=diff,
        )


def import_status(
    db: Database,
    *,
    location: str,
    client: httpx.Client | None = None,
    now: Callable[[], datetime] | None = None,
) -> ImportResult:
    """Reads a depositary status file (path or URL), parses it and stores it. Reading and parsing
    happen before the transaction opens, so a bad or unreachable source writes nothing."""
    data, source = read_source(
        location, max_bytes=db.settings.max_status_file_bytes, client=client
    )
    retrieved_at = (now or (lambda: datetime.now(UTC)))()
    snapshot = parse_status_xml(
        data, source=source, retrieved_at=retrieved_at,
        max_bytes=db.settings.max_status_file_bytes,
    )
    return store_snapshot(db, snapshot=snapshot)


def ensure_bundled(db: Database) -> ImportResult | None:
    """Stores the bundled (partial) snapshot of the Convention when no snapshot of it is stored;
    returns None when one already is, so running it again changes nothing."""
    snapshot = bundled_snapshot()
    with db.reading() as session:
        if status_repo.latest_rows(session, treaty=snapshot.treaty.reference, count=1):
            return None
    return store_snapshot(db, snapshot=snapshot)


@dataclass(frozen=True, slots=True)
class StoredDiff:
    """The change between two stored snapshots."""

    old: status_repo.SnapshotInfo
    new: status_repo.SnapshotInfo
    diff: SnapshotDiff

    def as_dict(self) -> dict[str, Any]:
        return {"old_id": self.old.id, "new_id": self.new.id, **self.diff.as_dict()}


def diff_stored(
    session: Session, *, treaty: str, old_id: int | None = None, new_id: int | None = None
) -> StoredDiff:
    """Diff of two stored snapshots; without ids, of the treaty's two newest (a lone id is the
    old one, compared with the newest)."""
    if old_id is None or new_id is None:
        latest = status_repo.latest_snapshot_ids(session, treaty=treaty, count=2)
        if new_id is None and old_id is not None:
            if not latest:
                status_repo.require_latest(session, treaty=treaty)
            new_id = latest[0]
        elif old_id is None and new_id is None:
            if len(latest) < 2:
                status_repo.require_latest(session, treaty=treaty)
                raise NotFound(
                    f"only one snapshot of {treaty} is stored (#{latest[0]}): import another "
                    "to see what changed"
                )
            new_id, old_id = latest
        else:
            raise InvalidInput("give the old snapshot id, or both ids, or neither")
    assert old_id is not None and new_id is not None
    old_info = status_repo.get_snapshot_info(session, snapshot_id=old_id)
    new_info = status_repo.get_snapshot_info(session, snapshot_id=new_id)
    if old_info.treaty != new_info.treaty:
        raise InvalidInput(f"snapshot #{old_id} is of {old_info.treaty} and #{new_id} of "
                           f"{new_info.treaty}: only snapshots of one treaty can be compared")
    diff = diff_snapshots(
        status_repo.get_snapshot(session, snapshot_id=old_id),
        status_repo.get_snapshot(session, snapshot_id=new_id),
    )
    return StoredDiff(old=old_info, new=new_info, diff=diff)


@dataclass(frozen=True, slots=True)
class StatusReport:
    """A treaty's status from its newest stored snapshot, as of one day: the entry-into-force
    position under the treaty's rule, every participant's standing, and counts."""

    info: status_repo.SnapshotInfo
    snapshot: Snapshot
    rule: EntryIntoForceRule
    position: EntryIntoForcePosition
    #: in the depositary's order
    standings: tuple[Standing, ...]
    on: date

    @property
    def in_force(self) -> bool:
        return self.position.in_force_on(self.on)

    @property
    def article(self) -> str:
        """The article the threshold rests on, e.g. "Art 65(1)" for the Convention."""
        return f"Art {self.position.threshold_reference}"

    def counts(self) -> dict[str, Any]:
        by_kind = {kind.value: 0 for kind in ActionKind}
        for standing in self.standings:
            if standing.consent_kind is not None:
                by_kind[standing.consent_kind.value] += 1
        return {
            "participants": len(self.standings),
            "signatories": sum(1 for s in self.standings if s.signature is not None),
            "consents": sum(by_kind.values()),
            "consents_by_kind": by_kind,
            "in_force_for": sum(
                1 for s in self.standings
                if s.in_force_from is not None and s.in_force_from <= self.on
            ),
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshot": self.info.as_dict(),
            "warnings": list(self.snapshot.warnings),
            "on": self.on.isoformat(),
            "entry_into_force": {
                **self.position.as_dict(),
                "article": self.article,
                "in_force": self.in_force,
                "unverified_figures": list(self.rule.unverified_figures),
            },
            "counts": self.counts(),
            "participants": [standing_dict(s) for s in self.standings],
        }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def standing_dict(standing: Standing) -> dict[str, Any]:
    return {
        "key": standing.key,
        "name": standing.name,
        "is_reio": standing.is_reio,
        "signature": _iso(standing.signature),
        "consent": _iso(standing.consent),
        "consent_kind": standing.consent_kind.value if standing.consent_kind else None,
        "in_force_from": _iso(standing.in_force_from),
    }


def status_report(session: Session, *, treaty: str, on: date) -> StatusReport:
    info, snapshot = status_repo.require_latest(session, treaty=treaty)
    rule = rule_for(treaty)
    by_key = standings(snapshot, rule)
    return StatusReport(
        info=info, snapshot=snapshot, rule=rule, position=entry_into_force(snapshot, rule),
        standings=tuple(by_key[p.key] for p in snapshot.participants), on=on,
    )


def participant_detail(report: StatusReport, key: str) -> dict[str, Any]:
    """One participant's row, standing, footnotes (with the record's note texts) and
    declarations (with the articles they name)."""
    participant = report.snapshot.participant(key)
    if participant is None:
        raise NotFound(f"no participant {key!r} in snapshot #{report.info.id}")
    standing = next(s for s in report.standings if s.key == key)
    return {
        **standing_dict(standing),
        "iso3": participant.iso3,
        "source": participant.source,
        "remarks": list(participant.remarks),
        "footnotes": [
            {"marker": marker, "text": report.snapshot.notes.get(marker)}
            for marker in participant.footnotes
        ],
        "declarations": [
            {
                "section": declaration.section.value,
                "text": declaration.text,
                "articles": list(declaration.articles),
                "is_reservation": declaration.is_reservation,
            }
            for declaration in participant.declarations
        ],
    }
