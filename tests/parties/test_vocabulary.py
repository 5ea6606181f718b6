"""The vocabulary scan: `TermMatcher.matches` and `TextScan` find exactly what the plain
whole-word pattern of the terms finds (they only skip the places where it cannot match)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from treatydesk.errors import DataFileError
from treatydesk.parties.conduct import load_taxonomy
from treatydesk.parties.vocabulary import TermMatcher, TextScan, check_term, normalise

GROUPS: dict[str, dict[str, list[str]]] = {
    "a": {"speech": ["criticis*", "fake news", "anti-state", "lèse-majesté", "organi?ation*"],
          "faith": ["sect", "sects", "church"]},
    "b": {"research": ["bug bount*", "proof-of-concept", "state", "news site*", "e-mail"]},
}
#: pieces of terms, other words and separators, ASCII or not, that make near misses likely
PIECES = ["criticised", "criticism", "fake", "news", "anti", "state", "lèse", "majesté", "sect",
          "sects", "sectarian", "church", "organisation", "organization", "bug", "bounty",
          "proof", "of", "concept", "site", "sites", "e", "mail", "the", "x1", "_", "é", "ß"]
SEPARATORS = [" ", " ", "-", ". ", ",", "", "'", "«", " (", "@", "/", "—", "\u00a0", "_"]

texts = st.lists(st.tuples(st.sampled_from(PIECES), st.sampled_from(SEPARATORS)),
                 max_size=12).map(lambda parts: normalise("".join(p + s for p, s in parts)))


def _plain(groups: dict[str, list[str]]) -> re.Pattern[str]:
    """The reference: one plain alternation of every term, whole words only."""
    alternatives = ["".join(r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c)
                            for c in normalise(term))
                    for terms in groups.values() for term in terms]
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


MATCHERS = {name: TermMatcher(groups) for name, groups in GROUPS.items()}
PLAIN = {name: _plain(groups) for name, groups in GROUPS.items()}
SCAN = TextScan(MATCHERS)


@settings(max_examples=400)
@given(texts)
def test_scan_finds_what_the_plain_pattern_finds(text: str) -> None:
    expected = {name for name, plain in PLAIN.items() if plain.search(text) is not None}
    assert SCAN.occurring(text) == expected
    for name, matcher in MATCHERS.items():
        assert matcher.matches(text) == (name in expected) == bool(matcher.find(text))


@pytest.mark.parametrize(("text", "expected"), [
    ("he criticised the minister", {"a"}),
    ("an anti-state blog", {"a", "b"}),  # "state" follows a hyphen
    ("fake-news today", set()),  # a candidate for "fake news", not a match
    ("«state» and sects", {"a", "b"}),
    ("e-mails", set()),
    ("xstate statex", set()),
    ("", set()),
])
def test_scan_examples(text: str, expected: set[str]) -> None:
    assert SCAN.occurring(normalise(text)) == expected


@settings(max_examples=400)
@given(st.one_of(
    # printable ASCII only: the fast path's own ground, where each of its guards matters
    st.text(alphabet=st.sampled_from(list("aB .-")), max_size=40),
    st.text(alphabet=st.sampled_from(list("aB .-\t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2003éİ")),
            max_size=40),
))
@example("a  b")
@example(" a")
@example("a ")
@example("A\tB")
@example("a\x1fb")
@example("a\x85b")
@example("İ")
@example("")
def test_normalise_is_lower_case_with_whitespace_collapsed(text: str) -> None:
    # its fast path for printable ASCII must give what splitting and joining the words gives
    if text.isascii():
        assert normalise(text) == " ".join(text.lower().split())
    else:
        folded = "".join(c for c in unicodedata.normalize("NFKC", text)
                         if unicodedata.category(c) != "Cf")
        folded = "".join("'" if c in "\u2018\u2019\u201b\u02bc" else c for c in folded)
        assert normalise(text) == " ".join(folded.lower().split())


@pytest.mark.parametrize("apostrophe", ["\u2019", "\u2018", "\u201b", "\u02bc"])
def test_typographic_apostrophes_match_the_terms(apostrophe: str) -> None:
    matcher = TermMatcher({"expression": ["the government's"]})
    text = normalise(f"He questioned The Government{apostrophe}s figures")
    assert text == "he questioned the government's figures"
    assert matcher.find(text) == {"expression": ("the government's",)}


def test_invisible_characters_are_every_format_character_and_only_those() -> None:
    # the class in normalise is written out (building it at import would scan every code
    # point); when Python's Unicode tables change, this says so
    every = "".join(chr(c) for c in range(0x110000)
                    if unicodedata.category(chr(c)) == "Cf" and not 0xD800 <= c <= 0xDFFF)
    assert normalise(f"a{every}b") == "ab"
    kept = [chr(c) for c in range(0x80, 0x10000)
            if unicodedata.category(chr(c)) not in ("Cf", "Cs")]
    assert [c for c in kept if normalise(f"a{c}b") == "ab"] == []


@pytest.mark.parametrize(("hidden", "word"), [
    ("pro\u00adtest", "protest"),  # soft hyphen
    ("pro\u200btest", "protest"),  # zero-width space
    ("jour\u200dnalist", "journalist"),  # zero-width joiner
    ("\uff50\uff52\uff4f\uff54\uff45\uff53\uff54", "protest"),  # fullwidth letters
])
def test_words_hidden_by_invisible_or_compatibility_characters_are_found(
        hidden: str, word: str) -> None:
    assert normalise(f"He organised a {hidden} today") == f"he organised a {word} today"


@pytest.mark.parametrize("term", ["-state", "*coin", "#tag", " "])
def test_terms_begin_with_a_word_character(term: str) -> None:
    if term.strip():
        with pytest.raises(ValueError, match="must begin with"):
            check_term(term)
    else:
        assert check_term(term) == term  # an empty term is ignored, as before


def test_a_vocabulary_file_with_a_bad_term_is_refused_with_its_line() -> None:
    text = "categories:\n  - {id: a, summary: x, terms: [y, '-z']}\n"
    with pytest.raises(DataFileError, match="must begin with") as caught:
        load_taxonomy("tax.yaml", text=text)
    assert "tax.yaml:2" in str(caught.value)
