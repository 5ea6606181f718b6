"""The Convention as typed, frozen data: chapters, articles, paragraphs and figures.

Citations follow the treaty's own numbering: article, then paragraph, then lettered
subparagraph, written "40(15)(c)"; definitions in Art 2 are lettered directly: "2(h)".
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationInfo,
    field_validator,
)
from rapidfuzz import process

from treatydesk.errors import InvalidInput, NotFound

#: the nine chapters of the Convention, in order
CHAPTER_NUMERALS: tuple[str, ...] = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
ChapterNumeral = Literal["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]

#: what a figure measures; the value's type must fit the unit
FigureUnit = Literal["years", "days", "instruments", "articles", "boolean", "date"]
_WHOLE_NUMBER_UNITS = frozenset({"years", "days", "instruments", "articles"})



def _one_line(text: str) -> str:
    if "\n" in text.strip() or not text.strip():
        raise ValueError("must be one non-empty line")
    return text.strip()


#: a one-line text: summaries are short, own-words paraphrases, never treaty sentences
OneLine = Annotated[
    str, StringConstraints(strict=True, max_length=400), AfterValidator(_one_line)
]

# "Art. 40(15)(c)", "article 2(h)", "65(1)": an article number and up to three bracketed labels
_REFERENCE = re.compile(
    r"^(?:art(?:icle)?\.?\s*)?(\d{1,3})((?:\([0-9a-z]{1,4}\))*)$", re.IGNORECASE
)
_LABEL = re.compile(r"\(([0-9a-z]{1,4})\)", re.IGNORECASE)


def _split_reference(ref: object) -> tuple[int, tuple[str, ...]] | None:
    match = _REFERENCE.match(ref.replace(" ", "")) if isinstance(ref, str) else None
    if match is None:
        return None
    return int(match.group(1)), tuple(label.lower() for label in _LABEL.findall(match.group(2)))


def _not_a_reference(ref: object) -> str:
    return (
        f"{ref!r} is not an article reference (expected a form such as 40, 40(15), 40(15)(c) "
        "or 2(h))"
    )


def parse_reference(ref: str) -> tuple[int, tuple[str, ...]]:
    """Splits "40(15)(c)" into (40, ("15", "c")); InvalidInput if it is not a citation."""
    parts = _split_reference(ref)
    if parts is None:
        raise InvalidInput(_not_a_reference(ref))
    return parts


def format_reference(article: int, labels: tuple[str, ...]) -> str:
    return f"{article}" + "".join(f"({label})" for label in labels)


def chapter_numeral(chapter: str) -> str:
    """Accepts "V", "v" or "5" and returns "V"; InvalidInput for anything outside I-IX."""
    text = chapter.strip().upper()
    # ASCII digits only ("²" is a digit to isdigit, not to int), and few of them
    if text.isascii() and text.isdigit() and len(text) <= 2 and 1 <= int(text) <= len(
            CHAPTER_NUMERALS):
        return CHAPTER_NUMERALS[int(text) - 1]
    if text in CHAPTER_NUMERALS:
        return text
    raise InvalidInput(
        f"chapter {chapter!r} does not exist: the Convention has chapters I-IX (or 1-9)"
    )


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: the stable name by which code cites a paragraph or subparagraph ("mla_contents_facts"); the
#: number itself lives only in the data, so correcting a recalled [R] number is one edit
CitationId = Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_]{2,60}$")]


class Subparagraph(_Frozen):
    """A lettered item inside a paragraph, e.g. 40(15)(c)."""

    label: Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z]{1,2}$")]
    id: CitationId | None = None
    summary: OneLine
    verified: StrictBool


class Paragraph(_Frozen):
    """A numbered paragraph (e.g. 40(15)), or in Art 2 a lettered definition (2(h))."""

    label: Annotated[str, StringConstraints(strict=True, pattern=r"^([1-9][0-9]?|[a-z])$")]
    id: CitationId | None = None
    summary: OneLine
    verified: StrictBool
    subparagraphs: tuple[Subparagraph, ...] = ()

    @field_validator("subparagraphs")
    @classmethod
    def _labels_unique(cls, items: tuple[Subparagraph, ...]) -> tuple[Subparagraph, ...]:
        _refuse_duplicates([item.label for item in items], "subparagraph")
        return items

    def subparagraph(self, label: str) -> Subparagraph | None:
        return next((item for item in self.subparagraphs if item.label == label), None)


class Chapter(_Frozen):
    numeral: ChapterNumeral
    title: OneLine
    first: StrictInt
    last: StrictInt
    verified: StrictBool


class Article(_Frozen):
    number: StrictInt = Field(ge=1)
    title: OneLine
    chapter: ChapterNumeral
    summary: OneLine
    verified: StrictBool
    paragraphs: tuple[Paragraph, ...] = ()

    @field_validator("paragraphs")
    @classmethod
    def _labels_unique(cls, items: tuple[Paragraph, ...]) -> tuple[Paragraph, ...]:
        _refuse_duplicates([item.label for item in items], "paragraph")
        return items

    def paragraph(self, label: str) -> Paragraph | None:
        return next((item for item in self.paragraphs if item.label == label), None)


class Figure(_Frozen):
    """One figure a rule needs (threshold, period, date), with the article it comes from."""

    id: Annotated[str, StringConstraints(strict=True, pattern=r"^[a-z][a-z0-9_]*$")]
    unit: FigureUnit
    value: StrictBool | StrictInt | date
    reference: str
    verified: StrictBool
    note: OneLine

    @field_validator("value", mode="before")
    @classmethod
    def _value_fits_unit(cls, value: object, info: ValidationInfo) -> object:
        unit = info.data.get("unit")
        if unit is None:  # the unit itself was invalid; that error is reported on its own
            return value
        if unit in _WHOLE_NUMBER_UNITS:
            fits = isinstance(value, int) and not isinstance(value, bool) and value >= 0
            expected = "a whole number, zero or more"
        elif unit == "boolean":
            fits, expected = isinstance(value, bool), "true or false"
        else:
            fits, expected = type(value) is date, "a date written YYYY-MM-DD"
        if not fits:
            raise ValueError(f"value {value!r} does not fit unit {unit!r}: expected {expected}")
        return value

    def as_int(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise InvalidInput(f"figure {self.id} is {self.unit}, not a whole number")
        return self.value

    def as_bool(self) -> bool:
        if not isinstance(self.value, bool):
            raise InvalidInput(f"figure {self.id} is {self.unit}, not true/false")
        return self.value

    def as_date(self) -> date:
        if not isinstance(self.value, date):
            raise InvalidInput(f"figure {self.id} is {self.unit}, not a date")
        return self.value

    def render(self) -> str:
        """The value as a reader sees it in a summary: "4 years", "2025-10-25", "no"."""
        if isinstance(self.value, bool):
            return "yes" if self.value else "no"
        if isinstance(self.value, date):
            return self.value.isoformat()
        return f"{self.value} {self.unit}"


def _closest(name: str, names: list[str]) -> list[str]:
    """Up to three of `names` close to a misspelt `name`, for an error's suggestions."""
    return [match[0] for match in process.extract(name, names, limit=3, score_cutoff=60)]


def _refuse_duplicates(labels: list[str], kind: str) -> None:
    seen: set[str] = set()
    for label in labels:
        if label in seen:
            raise ValueError(f"duplicate {kind} ({label})")
        seen.add(label)


class Convention(_Frozen):
    """The whole treaty as loaded from the data files. Built only by the loader, which has
    already checked numbering, chapters and every reference."""

    chapters: tuple[Chapter, ...]
    all_articles: tuple[Article, ...]
    figures: tuple[Figure, ...]
    #: citation id -> the reference it names ("mla_contents_facts" -> "40(15)(c)")
    citations: dict[str, str]

    def article(self, number: int) -> Article:
        if isinstance(number, bool) or not isinstance(number, int):
            raise InvalidInput(f"article number must be a whole number, got {number!r}")
        if 1 <= number <= len(self.all_articles):
            return self.all_articles[number - 1]
        raise NotFound(
            f"article {number} does not exist: the Convention has articles 1-"
            f"{len(self.all_articles)}"
        )

    def articles(self, chapter: str | None = None) -> list[Article]:
        if chapter is None:
            return list(self.all_articles)
        numeral = chapter_numeral(chapter)
        return [article for article in self.all_articles if article.chapter == numeral]

    def chapter(self, chapter: str) -> Chapter:
        numeral = chapter_numeral(chapter)
        return next(item for item in self.chapters if item.numeral == numeral)

    def figure(self, id: str) -> Figure:
        for figure in self.figures:
            if figure.id == id:
                return figure
        raise NotFound(f"no figure {id!r} in the Convention data",
                       suggestions=_closest(id, [figure.id for figure in self.figures]))

    def cite(self, id: str) -> str:
        """The reference ("40(15)(c)") of the paragraph or subparagraph the data names `id`.
        Code cites paragraphs this way, never by writing the number (see articles.yaml)."""
        found = self.citations.get(id)
        if found is None:
            raise NotFound(f"no paragraph with citation id {id!r} in the Convention data",
                           suggestions=_closest(id, list(self.citations)))
        return found

    def figures_citing(self, number: int) -> list[Figure]:
        return [figure for figure in self.figures if parse_reference(figure.reference)[0] == number]

    def reference_problem(self, ref: str) -> tuple[str | None, str]:
        """(what is wrong with the citation or None, its normalised form). Levels the data does
        not describe (an article without listed paragraphs) are accepted as written, since
        nothing here can contradict them."""
        parts = _split_reference(ref)
        if parts is None:
            return _not_a_reference(ref), str(ref)
        number, labels = parts
        normalised = format_reference(number, labels)
        if not 1 <= number <= len(self.all_articles):
            return (
                f"{ref!r}: article {number} does not exist (articles run 1-"
                f"{len(self.all_articles)})", normalised,
            )
        article = self.all_articles[number - 1]
        if not labels or not article.paragraphs:
            return None, normalised
        paragraph = article.paragraph(labels[0])
        if paragraph is None:
            known = ", ".join(item.label for item in article.paragraphs)
            return (
                f"{ref!r}: article {number} has no paragraph ({labels[0]}); known: {known}",
                normalised,
            )
        if len(labels) > 1 and paragraph.subparagraphs and not paragraph.subparagraph(labels[1]):
            known = ", ".join(item.label for item in paragraph.subparagraphs)
            return (
                f"{ref!r}: {number}({labels[0]}) has no subparagraph ({labels[1]}); "
                f"known: {known}", normalised,
            )
        return None, normalised

    def check_reference(self, ref: str) -> str:
        """Validates a citation ("40", "40(15)(c)", "2(h)") against the data and returns it
        normalised; InvalidInput naming what is wrong otherwise."""
        problem, normalised = self.reference_problem(ref)
        if problem is not None:
            raise InvalidInput(problem)
        return normalised

    def describe(self, ref: str) -> str:
        """One line for explanations: the article's title and the cited paragraph's summary,
        flagged when any part of it is recalled rather than verified."""
        normalised = self.check_reference(ref)
        number, labels = parse_reference(normalised)
        article = self.all_articles[number - 1]
        parts = [f"Art. {normalised} ({article.title})"]
        verified = article.verified
        paragraph = article.paragraph(labels[0]) if labels else None
        if paragraph is not None:
            parts.append(paragraph.summary)
            verified = verified and paragraph.verified
            item = paragraph.subparagraph(labels[1]) if len(labels) > 1 else None
            if item is not None:
                parts.append(f"({item.label}) {item.summary}")
                verified = verified and item.verified
        elif not labels:
            parts.append(article.summary)
        text = ": ".join(parts[:2]) + "".join(f" {part}" for part in parts[2:])
        return text if verified else f"{text} [recalled, not yet verified]"

    def recalled_references(self) -> list[str]:
        """Every citation whose figure, paragraph or subparagraph is recalled [R]: the list to
        check against the authentic text."""
        found: set[str] = {figure.reference for figure in self.figures if not figure.verified}
        for article in self.all_articles:
            if not article.paragraphs and not article.verified:
                # an article summarised as a whole is cited as a whole
                found.add(str(article.number))
            for paragraph in article.paragraphs:
                if not paragraph.verified:
                    found.add(format_reference(article.number, (paragraph.label,)))
                for item in paragraph.subparagraphs:
                    if not item.verified:
                        found.add(format_reference(article.number, (paragraph.label, item.label)))
        return sorted(found, key=_reference_sort_key)


def _reference_sort_key(ref: str) -> tuple[int, tuple[tuple[int, str], ...]]:
    number, labels = parse_reference(ref)
    return number, tuple((int(label), "") if label.isdigit() else (0, label) for label in labels)
