"""The engine's vocabularies (data/terms.yaml), compiled once per process."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from treatydesk.cooperation.request import ProfileFlag
from treatydesk.datafile import load_yaml, parse_model
from treatydesk.errors import DataFileError
from treatydesk.parties.vocabulary import Term, TermMatcher, TextScan

TERMS_FILE = "terms.yaml"


class _Ground(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    articles: list[str] = Field(min_length=1)
    terms: list[Term] = Field(min_length=1)


class _TermsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    persecution_grounds: dict[str, _Ground] = Field(min_length=1)
    profile_flag_grounds: dict[ProfileFlag, str]
    security_research: list[Term] = Field(min_length=1)
    emergency_risk: list[Term] = Field(min_length=1)
    emergency_imminence: list[Term] = Field(min_length=1)
    emergency_denial: list[Term] = Field(min_length=1)
    bulk_scope: list[Term] = Field(min_length=1)
    non_coercive_assistance: list[str] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Vocabulary:
    persecution: TermMatcher
    ground_articles: dict[str, tuple[str, ...]]
    flag_grounds: dict[ProfileFlag, str]
    research: TermMatcher
    emergency_risk: TermMatcher
    emergency_imminence: TermMatcher
    #: words that deny or end the risk ("no risk", "in custody"): then no keyword test can
    #: show an emergency, and a reviewer reads the justification
    emergency_denial: TermMatcher
    bulk: TermMatcher
    non_coercive_assistance: tuple[str, ...]
    digest: str
    #: the vocabularies every request's text (RequestFacts.all_text) is scanned for, in one
    #: pass: "persecution" and "security_research"
    text_scan: TextScan


def load_vocabulary(path: Path | str, *, text: str | None = None) -> Vocabulary:
    doc = load_yaml(path, text=text)
    parsed = parse_model(_TermsFile, doc)
    for flag, ground in parsed.profile_flag_grounds.items():
        if ground not in parsed.persecution_grounds:
            raise DataFileError(
                f"profile flag {flag.value} points to unknown ground {ground!r}", file=doc.file,
                line=doc.line_of(("profile_flag_grounds", flag.value)))
    canonical = parsed.model_dump_json()
    persecution = TermMatcher({g: v.terms for g, v in parsed.persecution_grounds.items()})
    research = TermMatcher({"security_research": parsed.security_research})
    return Vocabulary(
        persecution=persecution,
        ground_articles={g: tuple(v.articles) for g, v in parsed.persecution_grounds.items()},
        flag_grounds=dict(parsed.profile_flag_grounds),
        research=research,
        emergency_risk=TermMatcher({"risk": parsed.emergency_risk}),
        emergency_imminence=TermMatcher({"imminence": parsed.emergency_imminence}),
        emergency_denial=TermMatcher({"denial": parsed.emergency_denial}),
        bulk=TermMatcher({"bulk": parsed.bulk_scope}),
        non_coercive_assistance=tuple(parsed.non_coercive_assistance),
        digest=hashlib.sha256(canonical.encode()).hexdigest(),
        text_scan=TextScan({"persecution": persecution, "security_research": research}),
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    resource = files("treatydesk.safeguards") / "data" / TERMS_FILE
    return load_vocabulary(Path(str(resource)), text=resource.read_text(encoding="utf-8"))
