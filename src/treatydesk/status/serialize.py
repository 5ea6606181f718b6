"""Snapshots to and from plain JSON-safe dicts, with an exact round trip.

The dict form is what the store keeps and what `--json` prints, so it carries a format version:
a reader meeting a version it does not know refuses it instead of guessing. Reading validates
every field and reports each problem with its path (e.g. `participants[3].signature`).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from treatydesk.errors import ErrorCollector, InvalidInput
from treatydesk.status.model import (
    ActionKind,
    Declaration,
    DeclarationSection,
    Participant,
    Snapshot,
    TreatyRecord,
)

__all__ = ["FORMAT_VERSION", "snapshot_to_dict", "snapshot_from_dict"]

#: bump when the dict shape changes incompatibly
FORMAT_VERSION = 1


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def snapshot_to_dict(snapshot: Snapshot) -> dict[str, Any]:
    treaty = snapshot.treaty
    return {
        "format_version": FORMAT_VERSION,
        "treaty": {
            "reference": treaty.reference,
            "title": treaty.title,
            "conclusion": treaty.conclusion,
            "entry_into_force_text": treaty.entry_into_force_text,
            "registration": treaty.registration,
            "signatories_count": treaty.signatories_count,
            "parties_count": treaty.parties_count,
        },
        "source": snapshot.source,
        "retrieved_at": snapshot.retrieved_at.isoformat(),
        "participants": [
            {
                "key": p.key,
                "name": p.name,
                "iso3": p.iso3,
                "is_reio": p.is_reio,
                "signature": _day(p.signature),
                "action": _day(p.action),
                "action_kind": p.action_kind.value if p.action_kind is not None else None,
                "footnotes": list(p.footnotes),
                "declarations": [
                    {
                        "section": d.section.value,
                        "text": d.text,
                        "articles": list(d.articles),
                        "is_reservation": d.is_reservation,
                    }
                    for d in p.declarations
                ],
                "source": p.source,
                "remarks": list(p.remarks),
            }
            for p in snapshot.participants
        ],
        "notes": dict(snapshot.notes),
        "partial": snapshot.partial,
        "remark": snapshot.remark,
        "warnings": list(snapshot.warnings),
    }


class _Reader:
    """Validates one dict, collecting every problem with its path."""

    def __init__(self) -> None:
        self.errors = ErrorCollector()

    def mapping(self, value: Any, path: str, keys: set[str], optional: set[str]) -> bool:
        if not isinstance(value, dict):
            self.errors.add(path or "$", f"expected an object, got {type(value).__name__}")
            return False
        missing = sorted(keys - value.keys())
        for key in missing:
            self.errors.add(_join(path, key), "missing")
        for key in sorted(set(value) - keys - optional, key=str):
            self.errors.add(_join(path, str(key)), "unknown field")
        # a partial object is not read further: every field access below assumes all keys
        return not missing

    def text(self, value: Any, path: str, *, nullable: bool = False) -> str | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            self.errors.add(path, f"expected text, got {_describe(value)}")
            return None
        return value

    def flag(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.errors.add(path, f"expected true or false, got {_describe(value)}")
            return False
        return value

    def count(self, value: Any, path: str) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.errors.add(path, f"expected a whole number >= 0 or null, got {_describe(value)}")
            return None
        return value

    def day(self, value: Any, path: str) -> date | None:
        if value is None:
            return None
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass  # reported below with the path, like every other bad value
        self.errors.add(path, f"expected a date YYYY-MM-DD or null, got {_describe(value)}")
        return None

    def texts(self, value: Any, path: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.errors.add(path, f"expected a list of text, got {_describe(value)}")
            return ()
        out = [self.text(item, f"{path}[{i}]") for i, item in enumerate(value)]
        return tuple(item for item in out if item is not None)

    def declaration(self, value: Any, path: str) -> Declaration | None:
        if not self.mapping(value, path, {"section", "text", "articles", "is_reservation"},
                            set()):
            return None
        section = value["section"]
        if section not in DeclarationSection._value2member_map_:
            self.errors.add(
                f"{path}.section",
                f"expected one of {', '.join(DeclarationSection)}, got {_describe(section)}",
            )
            return None
        return Declaration(
            section=DeclarationSection(section),
            text=self.text(value["text"], f"{path}.text") or "",
            articles=self.texts(value["articles"], f"{path}.articles"),
            is_reservation=self.flag(value["is_reservation"], f"{path}.is_reservation"),
        )

    def participant(self, value: Any, path: str) -> Participant | None:
        fields = {"key", "name", "iso3", "is_reio", "signature", "action", "action_kind",
                  "footnotes", "declarations", "source"}
        if not self.mapping(value, path, fields, {"remarks"}):
            return None
        kind_value = value["action_kind"]
        kind: ActionKind | None = None
        if kind_value is not None:
            if kind_value in ActionKind._value2member_map_:
                kind = ActionKind(kind_value)
            else:
                self.errors.add(
                    f"{path}.action_kind",
                    f"expected one of {', '.join(ActionKind)} or null, got {_describe(kind_value)}",
                )
        declarations_value = value["declarations"]
        declarations: list[Declaration] = []
        if isinstance(declarations_value, list):
            for i, item in enumerate(declarations_value):
                declaration = self.declaration(item, f"{path}.declarations[{i}]")
                if declaration is not None:
                    declarations.append(declaration)
        else:
            self.errors.add(f"{path}.declarations", "expected a list")
        key = self.text(value["key"], f"{path}.key")
        if key == "":
            self.errors.add(f"{path}.key", "must not be empty")
        return Participant(
            key=key or "",
            name=self.text(value["name"], f"{path}.name") or "",
            iso3=self.text(value["iso3"], f"{path}.iso3", nullable=True),
            is_reio=self.flag(value["is_reio"], f"{path}.is_reio"),
            signature=self.day(value["signature"], f"{path}.signature"),
            action=self.day(value["action"], f"{path}.action"),
            action_kind=kind,
            footnotes=self.texts(value["footnotes"], f"{path}.footnotes"),
            declarations=tuple(declarations),
            source=self.text(value["source"], f"{path}.source", nullable=True),
            remarks=self.texts(value.get("remarks", []), f"{path}.remarks"),
        )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _describe(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def snapshot_from_dict(data: Any) -> Snapshot:
    """The Snapshot a dict from `snapshot_to_dict` describes; InvalidInput listing every bad
    path otherwise."""
    reader = _Reader()
    fields = {"format_version", "treaty", "source", "retrieved_at", "participants", "notes",
              "partial", "remark"}
    if not reader.mapping(data, "", fields, {"warnings"}):
        first = reader.errors.items[0]
        raise InvalidInput(f"not a snapshot: {first}", items=reader.errors.items)
    if data["format_version"] != FORMAT_VERSION:
        raise InvalidInput(
            f"snapshot format_version {data['format_version']!r} is not supported "
            f"(this version reads {FORMAT_VERSION})"
        )
    treaty_value = data["treaty"]
    treaty = TreatyRecord(reference="", title="")
    treaty_fields = {"reference", "title", "conclusion", "entry_into_force_text",
                     "registration", "signatories_count", "parties_count"}
    if reader.mapping(treaty_value, "treaty", treaty_fields, set()):
        treaty = TreatyRecord(
            reference=reader.text(treaty_value["reference"], "treaty.reference") or "",
            title=reader.text(treaty_value["title"], "treaty.title") or "",
            conclusion=reader.text(treaty_value["conclusion"], "treaty.conclusion",
                                   nullable=True),
            entry_into_force_text=reader.text(
                treaty_value["entry_into_force_text"], "treaty.entry_into_force_text",
                nullable=True),
            registration=reader.text(treaty_value["registration"], "treaty.registration",
                                     nullable=True),
            signatories_count=reader.count(treaty_value["signatories_count"],
                                           "treaty.signatories_count"),
            parties_count=reader.count(treaty_value["parties_count"], "treaty.parties_count"),
        )
    retrieved_at = datetime.min
    retrieved_value = data["retrieved_at"]
    try:
        retrieved_at = datetime.fromisoformat(retrieved_value)
    except (TypeError, ValueError):
        reader.errors.add("retrieved_at",
                          f"expected an ISO 8601 date-time, got {_describe(retrieved_value)}")
    participants: list[Participant] = []
    seen: set[str] = set()
    if isinstance(data["participants"], list):
        for i, item in enumerate(data["participants"]):
            participant = reader.participant(item, f"participants[{i}]")
            if participant is None:
                continue
            if participant.key in seen:
                reader.errors.add(f"participants[{i}].key",
                                  f"{participant.key!r} appears more than once")
            seen.add(participant.key)
            participants.append(participant)
    else:
        reader.errors.add("participants", "expected a list")
    notes: dict[str, str] = {}
    if isinstance(data["notes"], dict):
        for marker, text in data["notes"].items():
            if isinstance(text, str):
                notes[str(marker)] = text
            else:
                reader.errors.add(f"notes.{marker}", f"expected text, got {_describe(text)}")
    else:
        reader.errors.add("notes", "expected an object of footnote texts")
    snapshot = Snapshot(
        treaty=treaty,
        source=reader.text(data["source"], "source") or "",
        retrieved_at=retrieved_at,
        participants=tuple(participants),
        notes=notes,
        partial=reader.flag(data["partial"], "partial"),
        remark=reader.text(data["remark"], "remark", nullable=True),
        warnings=reader.texts(data.get("warnings", []), "warnings"),
    )
    if reader.errors:
        first = reader.errors.items[0]
        raise InvalidInput(f"invalid snapshot at {first.location}: {first.message}",
                           items=reader.errors.items)
    return snapshot
