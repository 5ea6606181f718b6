"""The status snapshot of the UN Convention against Cybercrime (XVIII-16) that ships with
TreatyDesk, so the tracker works before anyone reaches the depositary.

It is compiled from data/xviii-16-signatures.csv, which records for every row where it was
confirmed. It is partial by construction: the depositary listed 72 signatories in the copy we
hold, and the CSV confirms the rows it can name. Rows known only from press reports keep
signature=None and say so in their source, rather than inventing a day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from importlib.resources import files
from pathlib import Path

from treatydesk.datafile import read_csv
from treatydesk.errors import DataFileError, ErrorItem
from treatydesk.status.model import Participant, Snapshot, TreatyRecord

__all__ = ["SIGNATURES_FILE", "DEPOSITARY_SIGNATORY_COUNT", "AS_OF", "bundled_snapshot",
           "snapshot_from_signatures_csv"]

SIGNATURES_FILE = "xviii-16-signatures.csv"
#: signatories on the depositary record in the stored copy the CSV was compiled from
#: (convention.md, "Identity and timeline")
DEPOSITARY_SIGNATORY_COUNT = 72
#: the latest event the compiled sources mention (Azerbaijan's parliament approving
#: ratification, 10 Feb 2026, per convention.md); the snapshot claims nothing after it
AS_OF = date(2026, 2, 10)

_TITLE = (
    "United Nations Convention against Cybercrime; Strengthening International Cooperation for "
    "Combating Certain Crimes Committed by Means of Information and Communications Technology "
    "Systems and for the Sharing of Evidence in Electronic Form of Serious Crimes"
)
_EU_NAMES = {"European Union"}


def bundled_snapshot() -> Snapshot:
    """The packaged XVIII-16 snapshot (partial=True)."""
    resource = files("treatydesk.status") / "data" / SIGNATURES_FILE
    return snapshot_from_signatures_csv(
        Path(str(resource)), text=resource.read_text(encoding="utf-8")
    )


def snapshot_from_signatures_csv(path: Path, *, text: str | None = None) -> Snapshot:
    """Build the snapshot from a signatures CSV (columns participant, iso3, signature_date,
    source); every bad row is reported with its line and nothing is returned."""
    rows = read_csv(path, required=["participant", "iso3", "signature_date", "source"], text=text)
    problems: list[ErrorItem] = []
    participants: list[Participant] = []
    seen: dict[str, int] = {}
    sources: set[str] = set()
    for row in rows:
        where = f"{path}:{row.line}"
        name = row.values["participant"].strip()
        iso3 = row.values["iso3"].strip() or None
        source = row.values["source"].strip()
        is_reio = name in _EU_NAMES
        if not name:
            problems.append(ErrorItem(where, "participant is empty"))
            continue
        if not source:
            problems.append(ErrorItem(where, f"{name}: source is empty; every row needs one"))
            continue
        if iso3 is None and not is_reio:
            problems.append(ErrorItem(where, f"{name}: iso3 is empty and it is not the EU"))
            continue
        if iso3 is not None and (len(iso3) != 3 or not iso3.isalpha() or not iso3.isupper()):
            problems.append(ErrorItem(where, f"{name}: iso3 {iso3!r} is not 3 capital letters"))
            continue
        signature: date | None = None
        raw_date = row.values["signature_date"].strip()
        if raw_date:
            try:
                signature = date.fromisoformat(raw_date)
            except ValueError:
                problems.append(ErrorItem(
                    where, f"{name}: signature_date {raw_date!r} is not a date YYYY-MM-DD"
                ))
                continue
        elif "not confirmed" not in source:
            # an empty date must be explained by its source, never left silently blank
            problems.append(ErrorItem(
                where, f"{name}: no signature_date and the source does not say the day is "
                "not confirmed"
            ))
            continue
        key = iso3 if iso3 is not None else "european-union"
        if key in seen:
            problems.append(ErrorItem(where, f"{name}: {key} already on line {seen[key]}"))
            continue
        seen[key] = row.line
        sources.add(source.split(" (")[0])
        participants.append(Participant(
            key=key, name=name, iso3=iso3, is_reio=is_reio, signature=signature, source=source,
        ))
    if problems:
        raise DataFileError(f"{len(problems)} bad rows", file=str(path), items=problems)
    undated = sum(1 for p in participants if p.signature is None)
    remark = (
        f"Partial: {len(participants)} of the {DEPOSITARY_SIGNATORY_COUNT} signatories on the "
        f"depositary record, as of {AS_OF.isoformat()}, from: {'; '.join(sorted(sources))}. "
        f"{undated} signatures are known from press reports only (day not confirmed). No "
        "ratification is included: none was confirmed on the depositary record we hold."
    )
    return Snapshot(
        treaty=TreatyRecord(reference="XVIII-16", title=_TITLE,
                            conclusion="New York, 24 December 2024",
                            signatories_count=DEPOSITARY_SIGNATORY_COUNT),
        source=f"TreatyDesk bundled data ({SIGNATURES_FILE})",
        retrieved_at=datetime.combine(AS_OF, time(0, 0), tzinfo=UTC),
        participants=tuple(participants),
        partial=True,
        remark=remark,
    )
