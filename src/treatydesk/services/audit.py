"""The audit trail as the desk uses it: verify the whole chain, export it, and let an
organisation's auditors read their own entries.

`verify_chain` and `export_chain` are operator tools (the CLI, run by whoever runs the
deployment and can read its whole database); they cover every organisation's entries because
the chain is one per deployment (docs/audit-chain.md).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from treatydesk.audit.chain import (
    AuditAction,
    VerificationResult,
    export_lines,
    verify,
)
from treatydesk.errors import InvalidInput
from treatydesk.services.common import Clock, check_page, current_user, utcnow, write
from treatydesk.services.principal import Permission, Principal, require
from treatydesk.services.views import AuditEntryView, Page
from treatydesk.store import desk_repo
from treatydesk.store.db import Database

OPERATOR_ACTOR = "system:cli"


def verify_chain(db: Database) -> VerificationResult:
    """Verify every entry in seq order and the stored head (count, head hash)."""
    with db.reading() as session:
        head = desk_repo.chain_head(session)
        return verify(desk_repo.iter_audit(session), head=head)


@dataclass(frozen=True, slots=True)
class ExportSummary:
    path: Path
    count: int
    head_hash: str


def export_chain(
    db: Database, path: Path, *, actor: str = OPERATOR_ACTOR, now: Clock = utcnow
) -> ExportSummary:
    """Write the chain as JSON Lines with a closing head record, then record the export as an
    audit event (it appears in the next export). The file appears whole or not at all."""
    target = path.expanduser()
    if target.is_dir():
        raise InvalidInput(f"{target} is a directory; give a file name for the export")
    if not target.parent.is_dir():
        raise InvalidInput(f"{target.parent} does not exist; create it first")
    last_line = ""
    handle = tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", delete=False
    )
    try:
        with handle, db.reading() as session:
            for line in export_lines(desk_repo.iter_audit(session), exported_at=now()):
                handle.write(line + "\n")
                last_line = line
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, target)
    finally:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
    # the head record, the last line written, says what the file holds
    head = json.loads(last_line)
    count, head_hash = int(head["count"]), str(head["head_hash"])
    with write(db) as session:
        desk_repo.append_audit(
            session, at=now(), org_id=None, actor=actor, action=AuditAction.EXPORT,
            object_type="audit", object_id="chain",
            details={"count": count, "head_hash": head_hash, "file": target.name},
        )
    return ExportSummary(path=target, count=count, head_hash=head_hash)


def list_audit(
    db: Database, principal: Principal, *, limit: int = 100, offset: int = 0
) -> Page[AuditEntryView]:
    """The caller's organisation's audit entries, newest first (auditors)."""
    require(principal, Permission.AUDIT_READ)
    check_page(limit, offset)
    with db.reading() as session:
        current_user(session, principal)
        entries, total = desk_repo.list_audit(
            session, org_id=principal.org_id, limit=limit, offset=offset
        )
        return Page[AuditEntryView](
            items=[AuditEntryView.of(entry) for entry in entries], total=total, limit=limit,
            offset=offset,
        )
