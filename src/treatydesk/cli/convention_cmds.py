"""`treatydesk article N`, `articles`, `figures`: read the Convention as the desk holds it.

Only translation happens here: parse arguments, call the Convention API, print. Errors are
core errors (NotFound, InvalidInput) that `main.run()` turns into exit code 2.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from treatydesk.cli.common import JsonOption
from treatydesk.cli.output import console, print_json
from treatydesk.convention import Article, Figure, convention
from treatydesk.errors import InvalidInput


def _mark(verified: bool) -> str:
    return "[V]" if verified else "[R]"


def _article_number(text: str, count: int) -> int:
    cleaned = text.strip()
    # ASCII digits only ("²" is a digit to isdigit, not to int), and few of them
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) <= 4):
        raise InvalidInput(f"article must be a number from 1 to {count}, got {text!r}")
    return int(cleaned)


def _figure_json(figure: Figure) -> dict[str, Any]:
    return figure.model_dump(mode="json")


def _article_json(article: Article, *, figures: list[Figure] | None = None) -> dict[str, Any]:
    data = article.model_dump(mode="json")
    if figures is not None:
        data["figures"] = [_figure_json(figure) for figure in figures]
    return data


def show_article(
    number: Annotated[str, typer.Argument(help="Article number, 1-68.")],
    as_json: JsonOption = False,
) -> None:
    """Show one article: title, chapter, summary, known paragraphs, figures citing it."""
    treaty = convention()
    article = treaty.article(_article_number(number, len(treaty.all_articles)))
    figures = treaty.figures_citing(article.number)
    if as_json:
        print_json(_article_json(article, figures=figures))
        return
    chapter = treaty.chapter(article.chapter)
    console.print(f"Article {article.number}  {article.title}  {_mark(article.verified)}")
    console.print(f"Chapter {chapter.numeral}, {chapter.title}")
    console.print(article.summary)
    if article.paragraphs:
        console.print("Paragraphs:")
        for paragraph in article.paragraphs:
            console.print(f"  ({paragraph.label}) {_mark(paragraph.verified)} {paragraph.summary}")
            for item in paragraph.subparagraphs:
                console.print(f"      ({item.label}) {_mark(item.verified)} {item.summary}")
    if figures:
        console.print("Figures:")
        for figure in figures:
            console.print(f"  {figure.id} = {figure.render()} ({figure.reference}) "
                          f"{_mark(figure.verified)}")
    console.print("[V] verified against an official source; [R] recalled, not yet verified.")


def list_articles(
    chapter: Annotated[
        str | None, typer.Option("--chapter", help="Only this chapter: I-IX or 1-9.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the Convention's articles, optionally of one chapter."""
    articles = convention().articles(chapter)
    if as_json:
        print_json([_article_json(article) for article in articles])
        return
    table = Table("Art.", "Chapter", "Title", "", box=None, show_edge=False)
    for article in articles:
        table.add_row(str(article.number), article.chapter, article.title,
                      _mark(article.verified))
    console.print(table)


def list_figures(as_json: JsonOption = False) -> None:
    """List the figures the rules use, each with its article and [V]/[R] mark."""
    figures = convention().figures
    if as_json:
        print_json([_figure_json(figure) for figure in figures])
        return
    table = Table(box=None, show_edge=False)
    table.add_column("Figure", no_wrap=True)
    table.add_column("Value", no_wrap=True)
    for heading in ("Reference", "", "Note"):
        table.add_column(heading)
    for figure in figures:
        table.add_row(figure.id, figure.render(), figure.reference,
                      _mark(figure.verified), figure.note)
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command("article")(show_article)
    app.command("articles")(list_articles)
    app.command("figures")(list_figures)
