"""Participant names as the depositary spells them, mapped to ISO 3166-1 alpha-3.

The UN Treaty Collection uses the UN's own short names ("Iran (Islamic Republic of)",
"State of Palestine", "Holy See"), several of which pycountry does not know by that spelling;
those are listed here explicitly so the mapping never depends on fuzzy matching. Regional
economic integration organizations (Art 2(n) of the Convention) have no ISO code and get a
stable slug with is_reio=True.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from treatydesk.status.participants import fold

__all__ = ["ParticipantIdentity", "identify", "fold", "slug"]

#: the depositary's spelling (folded, see `fold`) -> ISO 3166-1 alpha-3, for names pycountry
#: does not resolve by itself or resolves only under another spelling
_DEPOSITARY_SPELLINGS: dict[str, str] = {
    "turkiye": "TUR",
    "turkey": "TUR",
    "iran (islamic republic of)": "IRN",
    "cote d'ivoire": "CIV",
    "state of palestine": "PSE",
    "democratic people's republic of korea": "PRK",
    "united kingdom of great britain and northern ireland": "GBR",
    "venezuela (bolivarian republic of)": "VEN",
    "viet nam": "VNM",
    "lao people's democratic republic": "LAO",
    "czech republic": "CZE",
    "czechia": "CZE",
    "republic of korea": "KOR",
    "republic of moldova": "MDA",
    "bolivia (plurinational state of)": "BOL",
    "holy see": "VAT",
    "democratic republic of the congo": "COD",
    "congo": "COG",
    "united republic of tanzania": "TZA",
    "netherlands (kingdom of the)": "NLD",
    "micronesia (federated states of)": "FSM",
    "united states of america": "USA",
    "russian federation": "RUS",
    "syrian arab republic": "SYR",
    "north macedonia": "MKD",
    "the former yugoslav republic of macedonia": "MKD",
    "swaziland": "SWZ",
    "cape verde": "CPV",
    "cabo verde": "CPV",
    "brunei darussalam": "BRN",
    "gambia": "GMB",
    "bahamas": "BHS",
    "sao tome and principe": "STP",
}

#: regional economic integration organizations: folded depositary name -> stable key
_REIOS: dict[str, str] = {
    "european union": "european-union",
    "european community": "european-union",
}

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class ParticipantIdentity:
    key: str
    iso3: str | None
    is_reio: bool
    #: False when the name is unknown and `key` is only a slug of it
    known: bool


def slug(name: str) -> str:
    return _NOT_SLUG.sub("-", fold(name)).strip("-") or "unnamed"


@lru_cache(maxsize=4096)
def identify(name: str) -> ParticipantIdentity:
    """Key, ISO code and REIO flag for a participant name; cached because every import maps
    the same few hundred names."""
    folded = fold(name)
    reio_key = _REIOS.get(folded)
    if reio_key is not None:
        return ParticipantIdentity(reio_key, None, True, True)
    iso3 = _DEPOSITARY_SPELLINGS.get(folded)
    if iso3 is None:
        iso3 = _pycountry_alpha3(name)
    if iso3 is None:
        return ParticipantIdentity(slug(name), None, False, False)
    return ParticipantIdentity(iso3, iso3, False, True)


def _pycountry_alpha3(name: str) -> str | None:
    # pycountry's lookup is exact (case-insensitive) over names, official and common names and
    # codes; a miss is an ordinary outcome here, reported by the caller as a warning.
    country = pycountry.countries.get(name=name) or pycountry.countries.get(
        official_name=name
    ) or pycountry.countries.get(common_name=name)
    if country is None:
        return None
    alpha3: str = country.alpha_3
    return alpha3
