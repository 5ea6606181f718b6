"""Profiles of States Parties: what a desk needs to know about the other side and itself.

A profile holds the party's central authority (40(13)) and 24/7 point of contact (41), the
languages and channels it accepts (40(14)), the reservations and declarations that change what
a desk may do, and its domestic offence catalogue by conduct category (for dual criminality,
35; and the extradition threshold, 37(1)). Rights-risk indicators come from a CSV the operator
chooses; each value keeps its source and date, and the project ships no judgement of its own.

Profiles are YAML files in one directory (one party per file) plus an optional
`indicators.csv`, read strictly through `treatydesk.datafile`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from treatydesk.convention import ref
from treatydesk.cooperation.request import Channel, PartyKey
from treatydesk.datafile import load_yaml, parse_model, read_csv
from treatydesk.errors import DataFileError, ErrorCollector, ErrorItem
from treatydesk.parties.conduct import ConductTaxonomy, conduct_taxonomy

INDICATORS_FILE = "indicators.csv"
INDICATOR_COLUMNS = ("party", "indicator", "value", "scale", "source", "date")


class _Model(BaseModel):
    # a NaN penalty or indicator would compare false with everything
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Contact(_Model):
    name: str = Field(min_length=1,
                      description=f"Office designated ({ref('mla_central_authority')}, 41)")
    contact: str | None = Field(default=None, description="Address, e-mail or phone")


class Reservations(_Model):
    """Reservations and declarations that change what a desk may do with a request."""

    # a flag is taken as written: "yes" or 1 is no answer to whether a party made a reservation
    model_config = ConfigDict(strict=True)

    #: 11(3): the party does not apply 11(1), except for selling, distributing or otherwise
    #: making available passwords or credentials
    misuse_of_devices_11_3: bool = False
    #: 42: the party may refuse preservation for non-Convention offences where dual
    #: criminality cannot be met at disclosure
    preservation_dual_criminality_42: bool = False
    #: 37: whether the party takes the Convention as the legal basis for extradition (its
    #: notification at deposit); None: the profile does not say, and a reviewer must check
    extradition_convention_legal_basis_37: bool | None = None
    #: 23(3): real-time collection of traffic data only for these conduct categories
    #: (None: no such reservation)
    real_time_collection_offences_23_3: list[str] | None = None
    #: 63(3): not bound by the dispute-settlement paragraph; recorded for completeness, it does
    #: not change how a desk handles a request
    disputes_63_3: bool = False


class Declaration(_Model):
    article: str = Field(min_length=1)
    summary: str = Field(min_length=1, description="What the declaration says, in our words")


class DomesticOffence(_Model):
    # taken as written: a penalty of "6" or a life flag of "yes" is a typing slip to report,
    # not a figure to guess (the extradition threshold reads both)
    model_config = ConfigDict(strict=True)

    conduct: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Conduct category id")
    max_penalty_years: float | None = Field(default=None, ge=0, le=200)
    life: bool = False
    law: str = Field(min_length=1, description="Provision of the party's law")

    def at_least(self, years: float) -> bool:
        return self.life or (self.max_penalty_years is not None
                             and self.max_penalty_years >= years)


class Indicator(_Model):
    """One rights-risk value from an operator-supplied dataset (file and line kept)."""

    indicator: str
    value: float
    scale: str
    source: str
    date: dt.date
    origin: str


class PartyProfile(_Model):
    key: PartyKey
    name: str = Field(min_length=1)
    #: True for the invented profiles shipped under examples/
    example: bool = Field(default=False, strict=True)
    central_authority: Contact | None = None
    contact_point_24_7: Contact | None = None
    accepted_languages: list[str] = Field(default_factory=list)
    accepted_channels: list[Channel] = Field(default_factory=list)
    reservations: Reservations = Field(default_factory=Reservations)
    declarations: list[Declaration] = Field(default_factory=list)
    offence_catalogue: list[DomesticOffence] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)

    # lookups the engine needs on every request, built once per profile; cached_property
    # keeps them in the instance dict, so reading them costs a plain attribute access
    @cached_property
    def offence_for_conduct(self) -> dict[str, DomesticOffence]:
        """Conduct category id -> the domestic offence covering it."""
        return {offence.conduct: offence for offence in self.offence_catalogue}

    @cached_property
    def latest_indicator(self) -> dict[str, Indicator]:
        """Indicator name -> its most recent value."""
        latest: dict[str, Indicator] = {}
        for item in self.indicators:
            if item.indicator not in latest or item.date >= latest[item.indicator].date:
                latest[item.indicator] = item
        return latest

    @cached_property
    def accepted_language_set(self) -> frozenset[str]:
        return frozenset(self.accepted_languages)

    @cached_property
    def digest(self) -> str:
        """sha256 of the content (not of where a value was read from: origin is left out)."""
        content = self.model_dump_json(exclude={"indicators": {"__all__": {"origin"}}})
        return hashlib.sha256(content.encode()).hexdigest()


def _check_conduct_ids(profile: PartyProfile, doc_file: str, line_of: Any,
                       taxonomy: ConductTaxonomy, errors: ErrorCollector) -> None:
    for index, offence in enumerate(profile.offence_catalogue):
        if offence.conduct not in taxonomy.categories:
            line = line_of(("offence_catalogue", index, "conduct"))
            errors.add(f"{doc_file}:{line}: offence_catalogue[{index}].conduct",
                       f"unknown conduct category {offence.conduct!r}")
    for index, conduct in enumerate(profile.reservations.real_time_collection_offences_23_3
                                    or []):
        if conduct not in taxonomy.categories:
            line = line_of(("reservations", "real_time_collection_offences_23_3", index))
            errors.add(f"{doc_file}:{line}: reservations.real_time_collection_offences_23_3"
                       f"[{index}]", f"unknown conduct category {conduct!r}")
    seen: set[str] = set()
    for index, offence in enumerate(profile.offence_catalogue):
        if offence.conduct in seen:
            line = line_of(("offence_catalogue", index, "conduct"))
            errors.add(f"{doc_file}:{line}: offence_catalogue[{index}].conduct",
                       f"conduct category {offence.conduct!r} listed twice")
        seen.add(offence.conduct)


def load_profile(path: Path | str, *, text: str | None = None) -> PartyProfile:
    """One profile from YAML; unknown keys and unknown conduct categories are errors."""
    doc = load_yaml(path, text=text)
    if isinstance(doc.data, dict) and "indicators" in doc.data:
        raise DataFileError("indicators come from indicators.csv, not the profile",
                            file=doc.file, line=doc.line_of(("indicators",)))
    profile = parse_model(PartyProfile, doc)
    errors = ErrorCollector()
    _check_conduct_ids(profile, doc.file, doc.line_of, conduct_taxonomy(), errors)
    if errors:
        raise DataFileError(f"{len(errors.items)} problem(s)", file=doc.file,
                            items=errors.items)
    return profile


def load_indicators(path: Path | str, *, text: str | None = None) -> dict[str, list[Indicator]]:
    """Rights-risk indicators by party key, from a CSV with columns party, indicator, value,
    scale, source, date (every row needs a source and a date: values never stand alone)."""
    rows = read_csv(path, required=list(INDICATOR_COLUMNS), text=text)
    errors: list[ErrorItem] = []
    result: dict[str, list[Indicator]] = {}
    for row in rows:
        where = f"{path}:{row.line}"
        values = {key: value.strip() for key, value in row.values.items()}
        for column in INDICATOR_COLUMNS:
            if not values[column]:
                errors.append(ErrorItem(where, f"{column} is empty"))
        if any(not values[column] for column in INDICATOR_COLUMNS):
            continue
        try:
            number = float(values["value"])
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            errors.append(ErrorItem(where, f"value {values['value']!r} is not a number"))
            continue
        try:
            day = dt.date.fromisoformat(values["date"])
        except ValueError:
            errors.append(ErrorItem(where, f"date {values['date']!r} is not YYYY-MM-DD"))
            continue
        result.setdefault(values["party"], []).append(Indicator(
            indicator=values["indicator"], value=number, scale=values["scale"],
            source=values["source"], date=day, origin=where))
    if errors:
        raise DataFileError(f"{len(errors)} problem(s)", file=str(path), items=errors)
    return result


def load_party_profiles(directory: Path | str) -> dict[str, PartyProfile]:
    """Every profile in `directory` (*.yaml) with its indicators from indicators.csv (if the
    file exists). Problems in any file are all reported together; nothing is half-loaded."""
    folder = Path(directory)
    if not folder.is_dir():
        raise DataFileError("not a directory of party profiles", file=str(folder))
    profiles: dict[str, PartyProfile] = {}
    origin: dict[str, str] = {}
    errors: list[ErrorItem] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            profile = load_profile(path)
        except DataFileError as error:
            errors.append(ErrorItem(str(path), str(error)))
            continue
        if profile.key in profiles:
            errors.append(ErrorItem(str(path), f"party {profile.key} already defined in "
                                               f"{origin[profile.key]}"))
            continue
        profiles[profile.key] = profile
        origin[profile.key] = str(path)
    indicators_path = folder / INDICATORS_FILE
    indicators: Mapping[str, list[Indicator]] = {}
    if indicators_path.exists():
        try:
            indicators = load_indicators(indicators_path)
        except DataFileError as error:
            errors.append(ErrorItem(str(indicators_path), str(error)))
    for key in sorted(set(indicators) - set(profiles)):
        errors.append(ErrorItem(str(indicators_path),
                                f"indicators for party {key!r}, which has no profile"))
    if errors:
        raise DataFileError(f"{len(errors)} file problem(s) in party profiles",
                            file=str(folder), items=errors)
    if not profiles:
        raise DataFileError("no party profiles (*.yaml) found", file=str(folder))
    return {
        # validated again (not model_copy) so the indicator lookups are rebuilt
        key: PartyProfile.model_validate(
            {**profile.model_dump(), "indicators": indicators[key]})
        if key in indicators else profile
        for key, profile in profiles.items()
    }
