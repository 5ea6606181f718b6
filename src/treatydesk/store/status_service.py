"""Status operations, each in one place for the CLI and the web: import a depositary file (read,
parse, store, diff), store the bundled snapshot on first start.

Reading and parsing happen before the transaction opens and storing is one transaction, so a
bad, hostile or unreachable source, or a failure while storing, leaves the database unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy.orm import Session

from treatydesk.errors import InvalidInput, NotFound
from treatydesk.status.bundled import bundled_snapshot
from treatydesk.status.diff import SnapshotDiff, diff_snapshots
from treatydesk.status.model import Snapshot
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
    digest = status_repo.content_sha256(snapshot)
    with db.transaction() as session:
        previous_rows = status_repo.latest_rows(session, treaty=treaty, count=1)
        previous = previous_rows[0] if previous_rows else None
        if previous is not None and previous.content_sha256 == digest:
            return ImportResult(
                snapshot_id=previous.id, snapshot=snapshot, unchanged=True,
                previous_id=previous.id, diff=None,
            )
        snapshot_id = status_repo.save_snapshot(session, snapshot=snapshot)
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
    diff = diff_snapshots(
        status_repo.get_snapshot(session, snapshot_id=old_id),
        status_repo.get_snapshot(session, snapshot_id=new_id),
    )
    return StoredDiff(old=old_info, new=new_info, diff=diff)
