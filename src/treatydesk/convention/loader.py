"""Loads the Convention from its two data files, strictly.

Beyond what the models check field by field, the loader checks the file as a whole: chapters
I-IX cover the articles without gaps, article numbers run 1..article_count exactly once each,
every figure's reference names an article (and paragraph) that exists, and every {figure_id}
placeholder in a summary names a figure. Any problem is a DataFileError naming file and line;
nothing partial is returned.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from rapidfuzz import process

from treatydesk.convention.model import (
    CHAPTER_NUMERALS,
    Article,
    Chapter,
    Convention,
    Figure,
    Paragraph,
    format_reference,
)
from treatydesk.datafile import PathKey, YamlDocument, load_yaml, parse_model
from treatydesk.errors import DataFileError, ErrorCollector

DATA_DIR = Path(__file__).parent / "data"
ARTICLES_FILE = DATA_DIR / "articles.yaml"
FIGURES_FILE = DATA_DIR / "figures.yaml"

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class _ArticlesFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    chapters: tuple[Chapter, ...]
    articles: tuple[Article, ...]


class _FiguresFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    figures: tuple[Figure, ...]


def _require_mapping(doc: YamlDocument, keys: str) -> None:
    if not isinstance(doc.data, dict):
        kind = "empty" if doc.data is None else f"a {type(doc.data).__name__}"
        raise DataFileError(
            f"the file must be a mapping with {keys} at the top level, but it is {kind}",
            file=doc.file, line=doc.line_of(()) or 1,
        )


def _raise_if_any(problems: ErrorCollector, file: str) -> None:
    if problems:
        count = len(problems.items)
        noun = "problem" if count == 1 else "problems"
        raise DataFileError(f"{count} {noun}", file=file, items=list(problems.items))


def _check_figure_ids(figures: tuple[Figure, ...], doc: YamlDocument) -> Figure:
    problems = ErrorCollector()
    first_index: dict[str, int] = {}
    for index, figure in enumerate(figures):
        if figure.id in first_index:
            problems.add(
                doc.location(("figures", index, "id")),
                f"duplicate figure id {figure.id!r} (first at "
                f"{doc.location(('figures', first_index[figure.id]))})",
            )
        first_index.setdefault(figure.id, index)
    if "article_count" not in first_index:
        problems.add(doc.location(("figures",)), "missing figure 'article_count'")
    _raise_if_any(problems, doc.file)
    return figures[first_index["article_count"]]


def _check_structure(parsed: _ArticlesFile, count: int, doc: YamlDocument) -> None:
    """Chapters I-IX in order covering 1..count; articles numbered 1..count once each, each in
    the chapter whose range contains it."""
    problems = ErrorCollector()
    numerals = [chapter.numeral for chapter in parsed.chapters]
    if numerals != list(CHAPTER_NUMERALS):
        problems.add(
            doc.location(("chapters",)),
            f"chapters must be {', '.join(CHAPTER_NUMERALS)} in order, found {', '.join(numerals)}",
        )
    expected_first = 1
    for index, chapter in enumerate(parsed.chapters):
        if chapter.first != expected_first or chapter.last < chapter.first:
            problems.add(
                doc.location(("chapters", index)),
                f"chapter {chapter.numeral} covers articles {chapter.first}-{chapter.last}; "
                f"chapters must run on without gaps or overlaps (expected to start at "
                f"{expected_first})",
            )
        expected_first = chapter.last + 1
    if parsed.chapters and parsed.chapters[-1].last != count:
        problems.add(
            doc.location(("chapters", len(parsed.chapters) - 1)),
            f"the last chapter must end at article {count} (article_count), not "
            f"{parsed.chapters[-1].last}",
        )

    chapter_of = {
        number: chapter.numeral
        for chapter in parsed.chapters
        for number in range(chapter.first, chapter.last + 1)
    }
    seen: dict[int, int] = {}
    for index, article in enumerate(parsed.articles):
        where = doc.location(("articles", index, "number"))
        if article.number in seen:
            problems.add(
                where, f"article {article.number} appears twice (first at "
                f"{doc.location(('articles', seen[article.number]))})",
            )
            continue
        seen[article.number] = index
        if article.number > count:
            problems.add(where, f"article {article.number} is beyond article_count ({count})")
        elif article.number != index + 1 and index + 1 not in seen:
            problems.add(
                where, f"article numbers must run 1-{count} in order without gaps: expected "
                f"{index + 1} here, found {article.number}",
            )
        expected = chapter_of.get(article.number)
        if expected is not None and article.chapter != expected:
            problems.add(
                doc.location(("articles", index, "chapter")),
                f"article {article.number} belongs to chapter {expected}, not {article.chapter}",
            )
    missing = sorted(set(range(1, count + 1)) - set(seen))
    if missing:
        problems.add(
            doc.location(("articles",)),
            f"missing article(s) {', '.join(map(str, missing))}: the Convention has "
            f"{count} articles (figure article_count)",
        )
    _raise_if_any(problems, doc.file)


def _render(text: str, where: str, figures: dict[str, Figure], problems: ErrorCollector) -> str:
    """Replaces each {figure_id} with the figure's value, so summaries never repeat a figure."""

    def replace(match: re.Match[str]) -> str:
        figure = figures.get(match.group(1))
        if figure is None:
            close = [item[0] for item in process.extract(match.group(1), list(figures),
                                                          limit=2, score_cutoff=60)]
            hint = f" (did you mean: {', '.join(close)}?)" if close else ""
            problems.add(where, f"{{{match.group(1)}}} names no figure{hint}")
            return match.group(0)
        return figure.render()

    return _PLACEHOLDER.sub(replace, text)


def _render_articles(
    articles: tuple[Article, ...], figures: tuple[Figure, ...], doc: YamlDocument
) -> tuple[Article, ...]:
    by_id = {figure.id: figure for figure in figures}
    problems = ErrorCollector()

    def at(path: PathKey) -> str:
        return doc.location(path)

    rendered: list[Article] = []
    for i, article in enumerate(articles):
        paragraphs: list[Paragraph] = []
        for j, paragraph in enumerate(article.paragraphs):
            base: PathKey = ("articles", i, "paragraphs", j)
            items = tuple(
                item.model_copy(update={"summary": _render(
                    item.summary, at((*base, "subparagraphs", k, "summary")), by_id, problems
                )})
                for k, item in enumerate(paragraph.subparagraphs)
            )
            summary = _render(paragraph.summary, at((*base, "summary")), by_id, problems)
            paragraphs.append(
                paragraph.model_copy(update={"summary": summary, "subparagraphs": items})
            )
        summary = _render(article.summary, at(("articles", i, "summary")), by_id, problems)
        rendered.append(
            article.model_copy(update={"summary": summary, "paragraphs": tuple(paragraphs)})
        )
    _raise_if_any(problems, doc.file)
    return tuple(rendered)


def _citation_ids(articles: tuple[Article, ...], doc: YamlDocument) -> dict[str, str]:
    """Citation id -> reference, each id given once in the whole file."""
    problems = ErrorCollector()
    found: dict[str, str] = {}
    where: dict[str, str] = {}

    def add(id: str | None, path: PathKey, article: int, labels: tuple[str, ...]) -> None:
        if id is None:
            return
        if id in found:
            problems.add(doc.location((*path, "id")),
                         f"duplicate citation id {id!r} (first at {where[id]})")
            return
        found[id] = format_reference(article, labels)
        where[id] = doc.location((*path, "id"))

    for i, article in enumerate(articles):
        for j, paragraph in enumerate(article.paragraphs):
            base: PathKey = ("articles", i, "paragraphs", j)
            add(paragraph.id, base, article.number, (paragraph.label,))
            for k, item in enumerate(paragraph.subparagraphs):
                add(item.id, (*base, "subparagraphs", k), article.number,
                    (paragraph.label, item.label))
    _raise_if_any(problems, doc.file)
    return found


def _check_figure_references(convention: Convention, doc: YamlDocument) -> None:
    problems = ErrorCollector()
    for index, figure in enumerate(convention.figures):
        where = doc.location(("figures", index, "reference"))
        problem, normalised = convention.reference_problem(figure.reference)
        if problem is not None:
            problems.add(where, f"figure {figure.id}: bad reference: {problem}")
        elif normalised != figure.reference:
            problems.add(where, f"figure {figure.id}: write the reference as {normalised!r}")
    _raise_if_any(problems, doc.file)


def load_convention(
    articles_path: Path | str | None = None, figures_path: Path | str | None = None
) -> Convention:
    """Reads and checks both data files (the bundled ones unless paths are given)."""
    figures_doc = load_yaml(figures_path or FIGURES_FILE)
    _require_mapping(figures_doc, "a 'figures' list")
    figures = parse_model(_FiguresFile, figures_doc).figures
    article_count = _check_figure_ids(figures, figures_doc)

    articles_doc = load_yaml(articles_path or ARTICLES_FILE)
    _require_mapping(articles_doc, "'chapters' and 'articles' lists")
    parsed = parse_model(_ArticlesFile, articles_doc)
    _check_structure(parsed, article_count.as_int(), articles_doc)

    convention = Convention(
        chapters=parsed.chapters,
        all_articles=_render_articles(parsed.articles, figures, articles_doc),
        figures=figures,
        citations=_citation_ids(parsed.articles, articles_doc),
    )
    _check_figure_references(convention, figures_doc)
    return convention


@cache
def convention() -> Convention:
    """The bundled Convention, loaded once per process."""
    return load_convention()



def ref(citation: str) -> str:
    """A citation of the bundled Convention as written in TreatyDesk's output: an article number
    ("43") is returned as it is once the article is known to exist; any other text is the id of
    a paragraph or subparagraph in articles.yaml ("mla_contents_facts" -> "40(15)(c)"). Rules,
    required contents, forms and messages cite paragraphs only through their ids, never by
    number, so that a recalled [R] number corrected in the data is corrected everywhere."""
    treaty = convention()
    if citation.isascii() and citation.isdigit():
        return str(treaty.article(int(citation)).number)
    return treaty.cite(citation)
