"""A status given directly as standings (who is bound, from when), for HYPOTHETICAL scenarios.

The real Convention's status comes from the depositary through `treatydesk.status`; tests,
examples and training need parties for which the Convention is in force, which do not exist yet.
This file format lists them plainly; it must declare `hypothetical: true` so that a made-up
status is never mistaken for the record.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from treatydesk.cooperation.request import PartyKey
from treatydesk.datafile import load_yaml, parse_model
from treatydesk.errors import DataFileError, ErrorItem
from treatydesk.status.model import ActionKind, Standing


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: PartyKey
    name: str = Field(min_length=1)
    signature: dt.date | None = None
    consent: dt.date | None = None
    consent_kind: ActionKind | None = None
    in_force_from: dt.date | None = None
    is_reio: bool = False


class _StandingsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    hypothetical: bool
    description: str = Field(min_length=1)
    parties: list[_Entry] = Field(min_length=1)


def load_standings(path: Path | str, *, text: str | None = None) -> dict[str, Standing]:
    doc = load_yaml(path, text=text)
    parsed = parse_model(_StandingsFile, doc)
    if not parsed.hypothetical:
        raise DataFileError(
            "a standings file must declare hypothetical: true (the real status comes from the "
            "depositary record)", file=doc.file, line=doc.line_of(("hypothetical",)))
    problems: list[ErrorItem] = []
    result: dict[str, Standing] = {}
    for index, entry in enumerate(parsed.parties):
        where = f"{doc.location(('parties', index))}: parties[{index}]"
        if entry.key in result:
            problems.append(ErrorItem(where, f"party {entry.key} listed twice"))
        if entry.in_force_from is not None and entry.consent is None:
            problems.append(ErrorItem(where, "in_force_from without consent: only a deposited "
                                             "instrument binds a party (65)"))
        if entry.consent is not None and entry.consent_kind is None:
            problems.append(ErrorItem(where, "consent without consent_kind"))
        if (entry.consent and entry.in_force_from and entry.in_force_from < entry.consent):
            problems.append(ErrorItem(where, "in_force_from is before consent"))
        if entry.signature and entry.consent and entry.consent < entry.signature:
            problems.append(ErrorItem(where, "consent is before signature"))
        result[entry.key] = Standing(
            key=entry.key, name=entry.name, signature=entry.signature, consent=entry.consent,
            consent_kind=entry.consent_kind, in_force_from=entry.in_force_from,
            is_reio=entry.is_reio)
    if problems:
        raise DataFileError(f"{len(problems)} problem(s)", file=doc.file, items=problems)
    return result
