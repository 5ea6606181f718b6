"""What changed between two snapshots of the same treaty's status.

The depositary edits its record in place, so a weekly reader wants the changes, not two tables:
who joined the table, who signed, who deposited an instrument (and of which kind), which dates
or kinds were corrected, what disappeared, and which declarations were made, changed or
withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from treatydesk.status.model import Declaration, Participant, Snapshot

__all__ = ["ChangeKind", "Change", "SnapshotDiff", "diff_snapshots"]


class ChangeKind(StrEnum):
    NEW_PARTICIPANT = "new_participant"
    NEW_SIGNATURE = "new_signature"
    NEW_CONSENT = "new_consent"  # ratification, acceptance, approval, accession, succession
    DATE_CORRECTED = "date_corrected"
    KIND_CHANGED = "kind_changed"
    WITHDRAWN = "withdrawn"  # a participant, signature or instrument no longer on the record
    DECLARATION_ADDED = "declaration_added"
    DECLARATION_CHANGED = "declaration_changed"
    DECLARATION_REMOVED = "declaration_removed"


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    key: str
    name: str
    #: what changed: "participant", "signature", "action", "action_kind" or a declaration
    #: section such as "declarations"
    field: str
    old: str | None = None
    new: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind.value, "key": self.key, "name": self.name,
                "field": self.field, "old": self.old, "new": self.new}

    def line(self) -> str:
        who = f"{self.name} ({self.key})"
        match self.kind:
            case ChangeKind.NEW_PARTICIPANT:
                return f"+ {who}: new participant on the record"
            case ChangeKind.NEW_SIGNATURE:
                return f"+ {who}: signed on {self.new}"
            case ChangeKind.NEW_CONSENT:
                return f"+ {who}: {self.new}"
            case ChangeKind.DATE_CORRECTED | ChangeKind.KIND_CHANGED:
                return f"~ {who}: {self.field} changed from {self.old} to {self.new}"
            case ChangeKind.WITHDRAWN:
                return f"- {who}: {self.field} no longer on the record (was {self.old})"
            case ChangeKind.DECLARATION_ADDED:
                return f"+ {who}: new statement under {self.field}: {_short(self.new)}"
            case ChangeKind.DECLARATION_CHANGED:
                return f"~ {who}: statement under {self.field} changed to: {_short(self.new)}"
            case ChangeKind.DECLARATION_REMOVED:
                return f"- {who}: statement under {self.field} withdrawn: {_short(self.old)}"


def _short(text: str | None, limit: int = 100) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True, slots=True)
class SnapshotDiff:
    old_source: str
    new_source: str
    old_retrieved_at: str
    new_retrieved_at: str
    changes: tuple[Change, ...]

    def __bool__(self) -> bool:
        return bool(self.changes)

    def of_kind(self, kind: ChangeKind) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.kind is kind)

    def as_dict(self) -> dict[str, Any]:
        counts = {kind.value: 0 for kind in ChangeKind}
        for change in self.changes:
            counts[change.kind.value] += 1
        return {
            "old": {"source": self.old_source, "retrieved_at": self.old_retrieved_at},
            "new": {"source": self.new_source, "retrieved_at": self.new_retrieved_at},
            "counts": counts,
            "changes": [change.as_dict() for change in self.changes],
        }

    def lines(self) -> list[str]:
        if not self.changes:
            return ["no changes"]
        return [change.line() for change in self.changes]


def diff_snapshots(old: Snapshot, new: Snapshot) -> SnapshotDiff:
    """Every change from `old` to `new`, participants in the new record's order, removed ones
    last."""
    changes: list[Change] = []
    old_by_key = {p.key: p for p in old.participants}
    new_keys = {p.key for p in new.participants}
    for participant in new.participants:
        before = old_by_key.get(participant.key)
        if before is None:
            changes.append(Change(ChangeKind.NEW_PARTICIPANT, participant.key, participant.name,
                                  "participant"))
            before = Participant(key=participant.key, name=participant.name, iso3=None)
        changes.extend(_action_changes(before, participant))
        changes.extend(_declaration_changes(before, participant))
    for participant in old.participants:
        if participant.key not in new_keys:
            changes.append(Change(ChangeKind.WITHDRAWN, participant.key, participant.name,
                                  "participant", old=_describe(participant)))
    return SnapshotDiff(
        old_source=old.source, new_source=new.source,
        old_retrieved_at=old.retrieved_at.isoformat(),
        new_retrieved_at=new.retrieved_at.isoformat(),
        changes=tuple(changes),
    )


def _describe(participant: Participant) -> str:
    parts = []
    if participant.signature is not None:
        parts.append(f"signed {participant.signature.isoformat()}")
    if participant.action is not None and participant.action_kind is not None:
        parts.append(f"{participant.action_kind.value} {participant.action.isoformat()}")
    return ", ".join(parts) or "listed without dates"


def _action_changes(before: Participant, after: Participant) -> list[Change]:
    key, name = after.key, after.name
    out: list[Change] = []
    if before.signature != after.signature:
        if before.signature is None:
            out.append(Change(ChangeKind.NEW_SIGNATURE, key, name, "signature",
                              new=_day(after.signature)))
        elif after.signature is None:
            out.append(Change(ChangeKind.WITHDRAWN, key, name, "signature",
                              old=_day(before.signature)))
        else:
            out.append(Change(ChangeKind.DATE_CORRECTED, key, name, "signature",
                              old=_day(before.signature), new=_day(after.signature)))
    if after.action is not None and before.action is None:
        kind = after.action_kind.value if after.action_kind is not None else "instrument"
        out.append(Change(ChangeKind.NEW_CONSENT, key, name, "action",
                          new=f"{kind} deposited on {after.action.isoformat()}"))
        return out
    if before.action is not None and after.action is None:
        kind = before.action_kind.value if before.action_kind is not None else "instrument"
        out.append(Change(ChangeKind.WITHDRAWN, key, name, "action",
                          old=f"{kind} of {before.action.isoformat()}"))
        return out
    if before.action != after.action:
        out.append(Change(ChangeKind.DATE_CORRECTED, key, name, "action",
                          old=_day(before.action), new=_day(after.action)))
    if before.action_kind != after.action_kind:
        out.append(Change(
            ChangeKind.KIND_CHANGED, key, name, "action_kind",
            old=before.action_kind.value if before.action_kind is not None else None,
            new=after.action_kind.value if after.action_kind is not None else None,
        ))
    return out


def _declaration_changes(before: Participant, after: Participant) -> list[Change]:
    key, name = after.key, after.name
    out: list[Change] = []
    sections = dict.fromkeys(
        [d.section for d in after.declarations] + [d.section for d in before.declarations]
    )
    for section in sections:
        old_texts = _texts(before.declarations, section)
        new_texts = _texts(after.declarations, section)
        removed = [text for text in old_texts if text not in new_texts]
        added = [text for text in new_texts if text not in old_texts]
        # a removal and an addition in the same section of the same participant read as an
        # edit of that statement (the depositary replaces the text in place)
        paired = min(len(removed), len(added))
        for old_text, new_text in zip(removed[:paired], added[:paired], strict=True):
            out.append(Change(ChangeKind.DECLARATION_CHANGED, key, name, section.value,
                              old=old_text, new=new_text))
        out.extend(Change(ChangeKind.DECLARATION_ADDED, key, name, section.value, new=text)
                   for text in added[paired:])
        out.extend(Change(ChangeKind.DECLARATION_REMOVED, key, name, section.value, old=text)
                   for text in removed[paired:])
    return out


def _texts(declarations: tuple[Declaration, ...], section: object) -> list[str]:
    return [d.text for d in declarations if d.section == section]
