"""The hash-chained audit trail: building entries, verifying a chain, export and import.

Each entry's hash is SHA-256 over a canonical JSON encoding of all its other fields (sorted keys,
no whitespace, UTF-8, no ASCII escaping) and each entry carries the previous entry's hash, so
changing, removing, inserting or reordering an entry breaks the chain at that point. The
algorithm is documented for outside verifiers in docs/audit-chain.md; keep the two in step.

Pure: no I/O, no clock. The store appends entries; the CLI verifies and exports.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from treatydesk.errors import ErrorCollector, InvalidInput

GENESIS_HASH = "0" * 64
#: format tag of the export head record; an outside verifier checks it
EXPORT_FORMAT = "treatydesk-audit/1"


class AuditAction(StrEnum):
    CREATE = "create"
    EDIT = "edit"
    TRANSITION = "transition"
    REVIEW = "review"
    DECISION = "decision"
    CONSULTATION = "consultation"
    PRESERVATION = "preservation"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    TOKEN_USE = "token_use"
    TOKEN_CREATE = "token_create"
    TOKEN_REVOKE = "token_revoke"
    USER_CREATE = "user_create"
    USER_UPDATE = "user_update"
    ORGANISATION_CREATE = "organisation_create"
    ORGANISATION_RENAME = "organisation_rename"
    PROFILE_UPLOAD = "profile_upload"
    POLICY_UPLOAD = "policy_upload"
    EXPORT = "export"


#: the fields an entry's hash covers, in the order they are documented
HASHED_FIELDS: tuple[str, ...] = (
    "seq", "timestamp", "org_id", "actor", "action", "object_type", "object_id", "details",
    "prev_hash",
)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    seq: int
    #: UTC, ISO 8601 with microseconds and "+00:00", exactly as hashed
    timestamp: str
    #: the organisation the event belongs to; None for deployment-wide events (e.g. a failed
    #: login for a username that does not exist)
    org_id: int | None
    actor: str
    action: str
    object_type: str
    object_id: str
    details: Mapping[str, Any]
    prev_hash: str
    hash: str

    def hashed_fields(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "timestamp": self.timestamp, "org_id": self.org_id,
            "actor": self.actor, "action": self.action, "object_type": self.object_type,
            "object_id": self.object_id, "details": dict(self.details),
            "prev_hash": self.prev_hash,
        }

    def as_dict(self) -> dict[str, Any]:
        return {**self.hashed_fields(), "hash": self.hash}


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no whitespace, UTF-8. Floats are refused where entries are built, because
    their text form differs between languages and would make outside verification fragile."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def entry_hash(fields: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(dict(fields))).hexdigest()


def format_timestamp(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(f"audit timestamp {moment.isoformat()} has no time zone")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _check_details(value: Any, where: str, problems: ErrorCollector) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return
    if isinstance(value, float):
        problems.add(where, "floats are not allowed in audit details; use a string or integer")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                problems.add(where, f"keys must be strings, got {key!r}")
            _check_details(item, f"{where}.{key}", problems)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_details(item, f"{where}[{index}]", problems)
    else:
        problems.add(where, f"{type(value).__name__} cannot be recorded in audit details")


def make_entry(
    *,
    seq: int,
    prev_hash: str,
    at: datetime,
    org_id: int | None,
    actor: str,
    action: AuditAction,
    object_type: str,
    object_id: str,
    details: Mapping[str, Any],
) -> AuditEntry:
    """Build the next entry of a chain whose head is (seq - 1, prev_hash)."""
    problems = ErrorCollector()
    if seq < 1:
        problems.add("seq", f"sequence numbers start at 1, got {seq}")
    if len(prev_hash) != 64:
        problems.add("prev_hash", "must be a 64-character SHA-256 hex digest")
    if not actor:
        problems.add("actor", "every audit entry names who acted")
    _check_details(details, "details", problems)
    if problems:
        raise InvalidInput("the audit entry cannot be built", items=problems.items)
    # a JSON round trip makes tuples lists, so the stored details hash the same way
    plain_details = json.loads(canonical_json(dict(details)))
    fields: dict[str, Any] = {
        "seq": seq, "timestamp": format_timestamp(at), "org_id": org_id, "actor": actor,
        "action": action.value, "object_type": object_type, "object_id": object_id,
        "details": plain_details, "prev_hash": prev_hash,
    }
    return AuditEntry(**fields, hash=entry_hash(fields))


class BreakReason(StrEnum):
    SEQUENCE_GAP = "sequence_gap"
    HASH_MISMATCH = "hash_mismatch"
    LINK_MISMATCH = "link_mismatch"
    HEAD_MISMATCH = "head_mismatch"


@dataclass(frozen=True, slots=True)
class ChainHead:
    """What the chain's keeper says the last entry is (stored head row, export head record)."""

    count: int
    head_hash: str


@dataclass(frozen=True, slots=True)
class VerificationResult:
    ok: bool
    #: entries checked before the first break (all of them if ok)
    count: int
    #: hash of the last entry that verified (GENESIS_HASH for an empty chain)
    head_hash: str
    first_bad_seq: int | None = None
    reason: BreakReason | None = None
    explanation: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok, "count": self.count, "head_hash": self.head_hash,
            "first_bad_seq": self.first_bad_seq,
            "reason": self.reason.value if self.reason else None,
            "explanation": self.explanation,
        }


def verify(entries: Iterable[AuditEntry], *, head: ChainHead | None = None) -> VerificationResult:
    """Check the chain in the order given (stored order: ascending seq).

    Names the first broken seq: a changed entry fails its own hash; a removed one leaves a gap
    in seq at the next entry; an inserted or reordered one fails seq, hash or link at its own
    position. Removal of the newest entries is only visible against `head`, the count and head
    hash that the keeper recorded separately.
    """
    expected_seq = 1
    prev = GENESIS_HASH
    count = 0
    for entry in entries:
        if entry.seq != expected_seq:
            return _broken(
                count, prev, entry.seq, BreakReason.SEQUENCE_GAP,
                f"expected seq {expected_seq} here, found {entry.seq}: an entry was removed, "
                "inserted or moved",
            )
        if entry_hash(entry.hashed_fields()) != entry.hash:
            return _broken(
                count, prev, entry.seq, BreakReason.HASH_MISMATCH,
                f"entry {entry.seq} does not match its hash: its contents were changed",
            )
        if entry.prev_hash != prev:
            return _broken(
                count, prev, entry.seq, BreakReason.LINK_MISMATCH,
                f"entry {entry.seq} does not link to entry {entry.seq - 1}: prev_hash "
                f"{entry.prev_hash[:12]}... differs from {prev[:12]}...",
            )
        prev = entry.hash
        count += 1
        expected_seq += 1
    if head is not None and (head.count != count or head.head_hash != prev):
        # the first seq that one side has and the other lacks (or the last, if only the hash
        # differs)
        bad_seq = min(head.count, count) + 1 if head.count != count else count
        return _broken(
            count, prev, bad_seq, BreakReason.HEAD_MISMATCH,
            f"the recorded head says {head.count} entries ending in {head.head_hash[:12]}..., "
            f"the chain has {count} ending in {prev[:12]}...: entries were removed or added "
            "at the end",
        )
    return VerificationResult(ok=True, count=count, head_hash=prev)


def _broken(
    count: int, prev: str, seq: int, reason: BreakReason, explanation: str
) -> VerificationResult:
    return VerificationResult(
        ok=False, count=count, head_hash=prev, first_bad_seq=seq, reason=reason,
        explanation=explanation,
    )


def export_lines(entries: Iterable[AuditEntry], *, exported_at: datetime) -> Iterator[str]:
    """JSON Lines: one canonical entry per line, then the head record as the last line."""
    count = 0
    head_hash = GENESIS_HASH
    for entry in entries:
        yield canonical_json(entry.as_dict()).decode("utf-8")
        count += 1
        head_hash = entry.hash
    head = {
        "format": EXPORT_FORMAT, "type": "head", "count": count, "head_hash": head_hash,
        "exported_at": format_timestamp(exported_at),
    }
    yield canonical_json(head).decode("utf-8")


def parse_export(lines: Iterable[str]) -> tuple[list[AuditEntry], ChainHead]:
    """Read an export back; raise InvalidInput naming the line of any malformed record."""
    entries: list[AuditEntry] = []
    head: ChainHead | None = None
    problems = ErrorCollector()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        if head is not None:
            problems.add(f"line {number}", "records after the head record")
            break
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.add(f"line {number}", f"not JSON: {error.msg}")
            continue
        if not isinstance(record, dict):
            problems.add(f"line {number}", "each line must be a JSON object")
        elif record.get("type") == "head":
            head = _parse_head(record, number, problems)
        else:
            entry = _parse_entry(record, number, problems)
            if entry is not None:
                entries.append(entry)
    if head is None and not problems:
        problems.add("end of file", "the head record is missing: the export is truncated")
    if problems or head is None:
        raise InvalidInput("the audit export cannot be read", items=problems.items)
    return entries, head


def _parse_head(record: dict[str, Any], number: int, problems: ErrorCollector) -> ChainHead | None:
    count, head_hash = record.get("count"), record.get("head_hash")
    if record.get("format") != EXPORT_FORMAT:
        problems.add(f"line {number}", f"unknown export format {record.get('format')!r}")
    if not isinstance(count, int) or not isinstance(head_hash, str):
        problems.add(f"line {number}", "the head record needs an integer count and a head_hash")
        return None
    return ChainHead(count=count, head_hash=head_hash)


_ENTRY_TYPES: dict[str, tuple[type, ...]] = {
    "seq": (int,), "timestamp": (str,), "org_id": (int, type(None)), "actor": (str,),
    "action": (str,), "object_type": (str,), "object_id": (str,), "details": (dict,),
    "prev_hash": (str,), "hash": (str,),
}


def _parse_entry(
    record: dict[str, Any], number: int, problems: ErrorCollector
) -> AuditEntry | None:
    before = len(problems.items)
    unknown = sorted(set(record) - set(_ENTRY_TYPES))
    if unknown:
        problems.add(f"line {number}", f"unknown fields: {', '.join(unknown)}")
    for name, types in _ENTRY_TYPES.items():
        if name not in record:
            problems.add(f"line {number}.{name}", "missing")
        elif not isinstance(record[name], types) or (
            isinstance(record[name], bool) and bool not in types
        ):
            problems.add(f"line {number}.{name}", f"wrong type {type(record[name]).__name__}")
    if len(problems.items) > before:
        return None
    return AuditEntry(**record)
