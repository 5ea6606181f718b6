"""The compiled statement scanner (status/statement_scan.pyx) against the regular expressions
it replaced, kept here as its executable specification: both must give the same articles, in
the same order, and the same reservation reading for any text."""

from __future__ import annotations

import re
import sys
from itertools import chain, filterfalse
from operator import itemgetter

from hypothesis import example, given, settings
from hypothesis import strategies as st

from treatydesk.status.statement_scan import scan_statement

# --- the reference: the regex reading of declarations.py before the scanner (run on the
# lower-cased text) ---
_ITEM = (
    r"\d++(?:\s*+(?:\(\s*+\d++\s*+\)|,?\s*+(?:paragraphs?|para\.)\s*+\d++)|)"
    r"(?:\s*+\(\s*+[a-z]\s*+\)|)"
)
_ARTICLE_LIST = re.compile(
    r"art(?<![a-z]art)(?:(?<=([fe\s])\sart)|)(?:icles?|s?\.)\s*+(?P<listed>" + _ITEM
    + r"(?:\s*+(?:,|\band\b|\bor\b|&)\s*+" + _ITEM + r")*+)"
)
_LIST_ITEM = re.compile(
    r"(\d++)(?:\s*+(?:\(\s*+(\d++)\s*+\)|,?\s*+(?:paragraphs?|para\.)\s*+(\d++))|)"
    r"(?:\s*+\(\s*+([a-z])\s*+\)|)"
)
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


def _items(listed: str, start: int = 0, end: int = sys.maxsize) -> tuple[str, ...]:
    return tuple(
        _canonical(article, bracketed or worded, letter)
        for article, bracketed, worded, letter in _LIST_ITEM.findall(listed, start, end)
    )


def _articles_in_order(lowered: str) -> tuple[str, ...]:
    found: list[tuple[int, str]] = []
    taken: set[int] = set()
    for match in _PARAGRAPH_OF_ARTICLE.finditer(lowered):
        found.append((match.start(), _canonical(match.group(4), match.group(1), match.group(2))))
        taken.add(match.start(3))
    for match in _ARTICLE_LIST.finditer(lowered):
        if match.start() in taken:
            continue
        position = match.start()
        for item in _items(lowered, match.start("listed"), match.end("listed")):
            found.append((position, item))
            position += 1
    found.sort(key=itemgetter(0))
    return tuple(dict.fromkeys(article for _, article in found))


def reference(text: str) -> tuple[tuple[str, ...], bool]:
    lowered = text.lower()
    found = _ARTICLE_LIST.findall(lowered)
    if (any(map(itemgetter(0), found)) and "paragraph" in lowered
            and _PARAGRAPH_OF_ARTICLE.search(lowered) is not None):
        articles = _articles_in_order(lowered)
    else:
        memo: dict[str, tuple[str, ...]] = {}
        lists = dict.fromkeys(map(itemgetter(1), found))
        for listed in filterfalse(memo.__contains__, lists):
            memo[listed] = _items(listed)
        articles = tuple(dict.fromkeys(chain.from_iterable(map(memo.__getitem__, lists))))
    return articles, any(sign.search(lowered) is not None for sign in _RESERVATION_SIGNS)


# --- the comparison ---
#: the words, numbers, signs and spaces the forms are made of, with their near misses, in
#: every case, and characters that test the Unicode edges (other scripts' digits, the Kelvin
#: sign that lower-cases to "k", the dotted capital I that lower-cases to two characters)
_TOKENS = [
    "article", "Article", "ARTICLES", "art.", "Art.", "arts.", "articles.", "artícle", "paragraph",
    "Paragraphs", "para.", "para", "of", "the", "The", "and", "AND", "or", "&", ",", "(", ")",
    "(c)", "(C)", "(1)", "( 2 )", "1", "42", "\u0663", "\u0967\u0968", "7", "11", "reserves",
    "reserved", "reserving", "reservation", "reservations", "reservationsx", "Reserv",
    "preserved", "not", "NOT", "bound", "by", "byx", "apply", "applying", "consider", "itself",
    "K", "\u212a", "\u0130", "x", "particle", "part", "\u2003", "_", "-", ".", "andorra", "or1",
    "\U0001f600", "\xe9",
]
_GAPS = [" ", "", "  ", "\n", "\t", "\xa0", "\n\n"]
_SOUP = st.lists(
    st.tuples(st.sampled_from(_TOKENS), st.sampled_from(_GAPS)), max_size=16
).map(lambda pairs: "".join(token + gap for token, gap in pairs))
_FORMS = st.sampled_from([
    "", "paragraph 2 of article 65 ", "paragraph 1 (c) of the article 35 and ",
    "article 5, paragraph 2 of article 7 ", "articles 1, 2 or 3(b) ", "Art. 40 (22) ",
])


@settings(max_examples=3000)
@given(_FORMS, _SOUP, _FORMS)
@example("", "paragraph 2 of article 65 and article 11(3), it reserves", "")
@example("", "Kart. 5 \u0130art. 6 art.\u0663", "")
def test_the_scanner_reads_as_the_regular_expressions_did(
    before: str, soup: str, after: str
) -> None:
    text = before + soup + after
    assert scan_statement(text) == reference(text)


@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    assert scan_statement(text) == reference(text)


def test_a_long_hostile_text_is_read_in_one_pass() -> None:
    # runs that made the regexes backtrack, and a list without end
    text = ("article " + "1 and " * 20_000 + " " * 50_000 + "not " * 20_000
            + "paragraph 1 of" * 5_000)
    articles, reservation = scan_statement(text)
    assert articles == ("1",) and not reservation
    assert (articles, reservation) == reference(text)
