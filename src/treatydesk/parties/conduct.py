"""The conduct taxonomy: what an offence's described conduct is, whatever its label (Art 35).

Loaded once per process from data/conduct_taxonomy.yaml (strictly, via datafile); `classify`
maps a conduct description to the categories whose terms it contains.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from treatydesk.datafile import load_yaml, parse_model
from treatydesk.errors import DataFileError
from treatydesk.parties.vocabulary import Term, TermMatcher, normalise

TAXONOMY_FILE = "conduct_taxonomy.yaml"


class _CategoryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    summary: str = Field(min_length=1)
    convention_article: int | None = Field(default=None, ge=7, le=17)
    protected: bool = False
    reservable_under: str | None = None
    terms: list[Term] = Field(min_length=1)


class _TaxonomyFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    categories: list[_CategoryEntry] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class ConductCategory:
    id: str
    summary: str
    #: the Convention offence (Arts 7-17) this conduct falls under, or None
    convention_article: int | None
    #: on its face an exercise of a right protected by Art 6
    protected: bool
    #: paragraph a State may reserve for this conduct (e.g. "11(3)")
    reservable_under: str | None
    terms: tuple[str, ...]


class ConductTaxonomy:
    __slots__ = ("categories", "digest", "matcher", "offence_article", "protected_ids")

    def __init__(self, categories: tuple[ConductCategory, ...]) -> None:
        self.categories: dict[str, ConductCategory] = {c.id: c for c in categories}
        #: category id -> the Convention offence article it shows (None when it shows none or
        #: is protected conduct, which is never a Convention offence on its face)
        self.offence_article: dict[str, int | None] = {
            c.id: None if c.protected else c.convention_article for c in categories}
        self.protected_ids: frozenset[str] = frozenset(c.id for c in categories if c.protected)
        #: finds the categories in a normalised text (the engine normalises once)
        self.matcher = TermMatcher({c.id: c.terms for c in categories})
        canonical = json.dumps(
            [[c.id, c.convention_article, c.protected, c.reservable_under, list(c.terms)]
             for c in categories], separators=(",", ":"))
        self.digest = hashlib.sha256(canonical.encode()).hexdigest()

    def classify(self, conduct_description: str) -> dict[str, tuple[str, ...]]:
        """Category id -> the words that placed the conduct in it."""
        return self.matcher.find(normalise(conduct_description))


def load_taxonomy(path: Path | str, *, text: str | None = None) -> ConductTaxonomy:
    doc = load_yaml(path, text=text)
    parsed = parse_model(_TaxonomyFile, doc)
    seen: set[str] = set()
    for index, entry in enumerate(parsed.categories):
        if entry.id in seen:
            raise DataFileError(f"duplicate category id {entry.id!r}", file=doc.file,
                                line=doc.line_of(("categories", index, "id")))
        seen.add(entry.id)
    return ConductTaxonomy(tuple(
        ConductCategory(e.id, e.summary, e.convention_article, e.protected, e.reservable_under,
                        tuple(e.terms))
        for e in parsed.categories))


@lru_cache(maxsize=1)
def conduct_taxonomy() -> ConductTaxonomy:
    """The packaged taxonomy (read once per process)."""
    resource = files("treatydesk.parties") / "data" / TAXONOMY_FILE
    return load_taxonomy(Path(str(resource)), text=resource.read_text(encoding="utf-8"))
