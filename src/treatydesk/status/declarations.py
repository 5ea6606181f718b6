"""Reading what a participant's declaration is about: the articles it names, and whether it
reads as a reservation.

The depositary prints statements as free text in several styles ("article 11, paragraph 3",
"articles 42 and 63(3)", "Art. 40 (22)", "paragraph 2 of article 65"); every style becomes the
canonical "<article>(<paragraph>)(<subparagraph>)" form used across TreatyDesk, e.g. "63(3)" or
"35(1)(c)". Pure functions, no I/O.
"""

from __future__ import annotations

import re

__all__ = ["extract_articles", "is_reservation"]

# "paragraph 2 of article 65" (paragraph named first) or the start of an article list
# ("article", "articles", "art.", "arts."). Both alternatives in one pattern so one scan
# finds them in order; the paragraph-first form is tried first so its article is not read
# a second time as a bare article. The text is lower-cased before matching (cheaper than
# IGNORECASE on long declarations).
_MENTION = re.compile(
    r"paragraphs?\s+(\d+)(?:\s*\(\s*([a-z])\s*\))?\s+of\s+(?:the\s+)?art(?:icle|\.)\s*(\d+)"
    r"|\bart(?:icles?|s?\.)\s*(?=\d)"
)
_NUMBER = re.compile(r"(\d+)")
_PARAGRAPH_IN_BRACKETS = re.compile(r"\s*\(\s*(\d+)\s*\)")
_SUBPARAGRAPH = re.compile(r"\s*\(\s*([a-z])\s*\)")
_PARAGRAPH_WORD = re.compile(r"\s*,?\s*(?:paragraphs?|para\.)\s*(\d+)")
_LIST_SEPARATOR = re.compile(r"\s*(?:,|\band\b|\bor\b|&)\s*(?=\d)")

_RESERVATION = re.compile(
    r"\breserv(?:es|ed|ing|ations?)\b"
    r"|\bnot\s+(?:consider\s+itself\s+)?bound\s+by\b"
    r"|\b(?:shall|will|does)\s+not\s+apply\b"
)


def _canonical(article: str, paragraph: str | None, subparagraph: str | None) -> str:
    text = article
    if paragraph:
        text += f"({paragraph})"
    if subparagraph:
        text += f"({subparagraph})"
    return text


def _read_article_list(text: str, pos: int, found: list[str]) -> None:
    """Read "42 and 63(3)", "11, paragraph 3 (a)", "40 (22)" starting at `pos`."""
    while True:
        number = _NUMBER.match(text, pos)
        if number is None:
            return
        article, pos = number.group(1), number.end()
        paragraph: str | None = None
        subparagraph: str | None = None
        bracketed = _PARAGRAPH_IN_BRACKETS.match(text, pos)
        if bracketed is not None:
            paragraph, pos = bracketed.group(1), bracketed.end()
        else:
            worded = _PARAGRAPH_WORD.match(text, pos)
            if worded is not None:
                paragraph, pos = worded.group(1), worded.end()
        if paragraph is not None:
            letter = _SUBPARAGRAPH.match(text, pos)
            if letter is not None:
                subparagraph, pos = letter.group(1), letter.end()
        found.append(_canonical(article, paragraph, subparagraph))
        separator = _LIST_SEPARATOR.match(text, pos)
        if separator is None:
            return
        pos = separator.end()


def extract_articles(text: str) -> tuple[str, ...]:
    """The articles (with paragraph and subparagraph where given) that `text` names, in the
    order they first appear, without repeats: "paragraph 2 of article 65" gives ("65(2)",)."""
    lowered = text.lower()
    found: list[str] = []
    for mention in _MENTION.finditer(lowered):
        if mention.group(3) is not None:
            found.append(_canonical(mention.group(3), mention.group(1), mention.group(2)))
        else:
            _read_article_list(lowered, mention.end(), found)
    return tuple(dict.fromkeys(found))


def is_reservation(text: str) -> bool:
    """True when the statement reads as a reservation (it reserves a right, or says a provision
    will not apply to or bind the participant) rather than an interpretative declaration.

    A heuristic on wording, not a legal qualification: the depositary prints reservations and
    declarations under one heading, and what counts is the effect the statement purports to
    have (Vienna Convention on the Law of Treaties, art. 2(1)(d))."""
    return _RESERVATION.search(text.lower()) is not None
