"""Reading what a participant's declaration is about: the articles it names, and whether it
reads as a reservation.

The depositary prints statements as free text in several styles ("article 11, paragraph 3",
"articles 42 and 63(3)", "Art. 40 (22)", "paragraph 2 of article 65"); every style becomes the
canonical "<article>(<paragraph>)(<subparagraph>)" form used across TreatyDesk, e.g. "63(3)" or
"35(1)(c)". Pure functions, no I/O.
"""

from __future__ import annotations

import re
import sys
from itertools import chain, filterfalse
from operator import itemgetter

__all__ = ["ListMemo", "analyse_statement", "extract_articles", "is_reservation"]

# Each pattern starts with a literal word so the regex engine can skip ahead to it quickly
# (declarations run to megabytes); the look-behind placed after the literal keeps that
# optimisation while refusing matches inside longer words ("particle", "preserved").
# In the list patterns, possessive quantifiers and "(?:...|)" for an optional group match
# exactly what the plain forms would (whitespace never precedes a further whitespace, a digit
# run never a further digit, and nothing after a list can fail), but spare the engine its
# backtracking bookkeeping: about a quarter of the time of reading every list in a file.
_ITEM = (
    r"\d++(?:\s*+(?:\(\s*+\d++\s*+\)|,?\s*+(?:paragraphs?|para\.)\s*+\d++)|)"
    r"(?:\s*+\(\s*+[a-z]\s*+\)|)"
)
# "article 11, paragraph 3", "articles 42 and 63(3)", "art. 40 (22)", "arts. 7 & 8"; the
# first group is not empty where the word may end a "paragraph 2 of [the] article 65" form: it
# holds the character before the whitespace before "art", when that is "f" (of), "e" (the) or
# more whitespace. The list itself is the group named "listed".
_ARTICLE_LIST = re.compile(
    r"art(?<![a-z]art)(?:(?<=([fe\s])\sart)|)(?:icles?|s?\.)\s*+(?P<listed>" + _ITEM
    + r"(?:\s*+(?:,|\band\b|\bor\b|&)\s*+" + _ITEM + r")*+)"
)
# _ITEM with its parts captured: article, paragraph in brackets or in words, subparagraph
_LIST_ITEM = re.compile(
    r"(\d++)(?:\s*+(?:\(\s*+(\d++)\s*+\)|,?\s*+(?:paragraphs?|para\.)\s*+(\d++))|)"
    r"(?:\s*+\(\s*+([a-z])\s*+\)|)"
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


_MAY_FOLLOW_OF = itemgetter(0)
_LISTED = itemgetter(1)


def _articles_in(lowered: str, memo: ListMemo | None = None) -> tuple[str, ...]:
    # findall (strings, no match objects) is the cheapest way through thousands of mentions
    found = _ARTICLE_LIST.findall(lowered)
    # Every "paragraph N of article M" form has its "article" found above with the first group
    # set, so the scan for that form (as long as this one) runs only for such statements; the
    # str search is cheaper still.
    if (
        any(map(_MAY_FOLLOW_OF, found)) and "paragraph" in lowered
        and _PARAGRAPH_OF_ARTICLE.search(lowered) is not None
    ):
        return _articles_in_order(lowered)
    if memo is None:
        memo = {}
    # The same few lists recur throughout a status file, so each is read into items once;
    # the loops over mentions run in C (dict, filterfalse, map and chain), Python only reads
    # new lists.
    lists = dict.fromkeys(map(_LISTED, found))
    for listed in filterfalse(memo.__contains__, lists):
        memo[listed] = _items(listed)
    return tuple(dict.fromkeys(chain.from_iterable(map(memo.__getitem__, lists))))


def _items(listed: str, start: int = 0, end: int = sys.maxsize) -> tuple[str, ...]:
    """The canonical items of a list as printed, e.g. "42 and 63(3)" -> ("42", "63(3)")."""
    return tuple([
        _canonical(article, bracketed or worded, letter)
        for article, bracketed, worded, letter in _LIST_ITEM.findall(listed, start, end)
    ])


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
        for item in _items(lowered, match.start("listed"), match.end("listed")):
            found.append((position, item))
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
