"""Reading what a participant's declaration is about: the articles it names, and whether it
reads as a reservation.

The depositary prints statements as free text in several styles ("article 11, paragraph 3",
"articles 42 and 63(3)", "Art. 40 (22)", "paragraph 2 of article 65"); every style becomes the
canonical "<article>(<paragraph>)(<subparagraph>)" form used across TreatyDesk, e.g. "63(3)" or
"35(1)(c)". Pure functions, no I/O.
"""

from __future__ import annotations

import re

__all__ = ["ListMemo", "analyse_statement", "extract_articles", "is_reservation"]

# Each pattern starts with a literal word so the regex engine can skip ahead to it quickly
# (declarations run to megabytes); the look-behind placed after the literal keeps that
# optimisation while refusing matches inside longer words ("particle", "preserved").
_ITEM = (
    r"\d+(?:\s*\(\s*\d+\s*\)|\s*,?\s*(?:paragraphs?|para\.)\s*\d+)?"
    r"(?:\s*\(\s*[a-z]\s*\))?"
)
# "article 11, paragraph 3", "articles 42 and 63(3)", "art. 40 (22)", "arts. 7 & 8"
_ARTICLE_LIST = re.compile(
    r"art(?<![a-z]art)(?:icles?|s?\.)\s*(" + _ITEM
    + r"(?:\s*(?:,|\band\b|\bor\b|&)\s*" + _ITEM + r")*)"
)
_LIST_ITEM = re.compile(
    r"(\d+)(?:\s*\(\s*(\d+)\s*\)|\s*,?\s*(?:paragraphs?|para\.)\s*(\d+))?"
    r"(?:\s*\(\s*([a-z])\s*\))?"
)
# "paragraph 2 of article 65", "paragraph 1 (c) of the article 35"
_PARAGRAPH_OF_ARTICLE = re.compile(
    r"paragraph(?<![a-z]paragraph)s?\s+(\d+)(?:\s*\(\s*([a-z])\s*\))?\s+of\s+"
    r"(?:the\s+)?(art)(?:icle|\.)\s*(\d+)"
)
_RESERVATION_SIGNS = (
    re.compile(r"reserv(?<![a-z]reserv)(?:es|ed|ing|ations?)\b"),
    re.compile(r"not(?<![a-z]not)\s+(?:consider\s+itself\s+)?bound\s+by\b"),
    re.compile(r"not(?<![a-z]not)\s+apply\b"),
)


def _canonical(article: str, paragraph: str | None, subparagraph: str | None) -> str:
    if paragraph:
        article = f"{article}({paragraph})"
    if subparagraph:
        article = f"{article}({subparagraph})"
    return article


#: article list as printed ("42 and 63(3)") -> its canonical items
ListMemo = dict[str, tuple[str, ...]]


def _articles_in(lowered: str, memo: ListMemo | None = None) -> tuple[str, ...]:
    # the str search is far cheaper than the regex scan, and most statements have no paragraph
    if "paragraph" in lowered and _PARAGRAPH_OF_ARTICLE.search(lowered) is not None:
        return _articles_in_order(lowered)
    if memo is None:
        memo = {}
    articles: list[str] = []
    # findall (strings, no match objects) is the cheapest way through thousands of mentions;
    # the same few lists recur throughout a status file, so each is read into items once
    for listed in _ARTICLE_LIST.findall(lowered):
        items = memo.get(listed)
        if items is None:
            items = memo[listed] = tuple(
                _canonical(article, bracketed or worded, letter)
                for article, bracketed, worded, letter in _LIST_ITEM.findall(listed)
            )
        articles.extend(items)
    return tuple(dict.fromkeys(articles))


def _articles_in_order(lowered: str) -> tuple[str, ...]:
    """With "paragraph N of article M" forms present: every form, sorted by position."""
    found: list[tuple[int, str]] = []
    taken: set[int] = set()  # where an "article" word was already read as "paragraph N of"
    for match in _PARAGRAPH_OF_ARTICLE.finditer(lowered):
        found.append((match.start(), _canonical(match.group(4), match.group(1), match.group(2))))
        taken.add(match.start(3))
    for match in _ARTICLE_LIST.finditer(lowered):
        if match.start() in taken:
            continue
        position = match.start()
        for article, bracketed, worded, letter in _LIST_ITEM.findall(
            lowered, match.start(1), match.end(1)
        ):
            found.append((position, _canonical(article, bracketed or worded, letter)))
            position += 1  # keeps list order under the sort below
    found.sort(key=lambda item: item[0])
    return tuple(dict.fromkeys(article for _, article in found))


def extract_articles(text: str) -> tuple[str, ...]:
    """The articles (with paragraph and subparagraph where given) that `text` names, in the
    order they first appear, without repeats: "paragraph 2 of article 65" gives ("65(2)",)."""
    return _articles_in(text.lower())


def _reads_as_reservation(lowered: str) -> bool:
    return any(sign.search(lowered) is not None for sign in _RESERVATION_SIGNS)


def analyse_statement(
    text: str, *, memo: ListMemo | None = None
) -> tuple[tuple[str, ...], bool]:
    """`extract_articles(text)` and `is_reservation(text)` in one pass over the lower-cased
    text (the importer calls this for every statement). Passing the same `memo` dict for the
    statements of one file lets an article list printed again be read only once."""
    lowered = text.lower()
    return _articles_in(lowered, memo), _reads_as_reservation(lowered)


def is_reservation(text: str) -> bool:
    """True when the statement reads as a reservation (it reserves a right, or says a provision
    will not apply to or bind the participant) rather than an interpretative declaration.

    A heuristic on wording, not a legal qualification: the depositary prints reservations and
    declarations under one heading, and what counts is the effect the statement purports to
    have (Vienna Convention on the Law of Treaties, art. 2(1)(d))."""
    return _reads_as_reservation(text.lower())
