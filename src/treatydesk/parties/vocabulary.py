"""Fast matching of curated word lists against free text.

The engine scans every request's text for several vocabularies (conduct categories, persecution
grounds, security research, emergency, bulk scope). The terms are compiled into a trie that is
walked at word starts only, in C (term_trie.pyx: Python's regex engine walking the same trie
was about a fifth of an evaluation); `TextScan` walks one trie of several vocabularies.

Term syntax: lower-case words and phrases; `*` matches the rest of a word (zero or more word
characters), `?` exactly one word character; terms match whole words only, so a term begins
with a letter, a digit or `?`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator

from treatydesk.parties.term_trie import MAX_BITS, TermTrie, plain_ascii

#: the invisible format characters (Unicode category Cf: soft hyphen, zero-width space and
#: joiners, direction marks...); placed inside a word they would hide it from every vocabulary
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    "\U000e0020-\U000e007f]")


#: typographic apostrophes (’ ‘ ‛ and the modifier letter ʼ) as the ASCII one the terms use
#: ("the government's", "workers' rights"): text pasted from a word processor has them
_APOSTROPHES = {0x2018: "'", 0x2019: "'", 0x201B: "'", 0x02BC: "'"}


def normalise(text: str) -> str:
    """Lower case, whitespace collapsed, compatibility forms folded (NFKC: fullwidth letters,
    ligatures), typographic apostrophes made ASCII and invisible format characters removed: the
    form every vocabulary is matched against."""
    if plain_ascii(text):
        # the common case: printable ASCII holds no whitespace but the space, so with no run
        # of spaces and none at either end there is nothing to collapse (splitting into words
        # and joining them again allocates every word)
        return text.lower()
    if not text.isascii():
        text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).translate(_APOSTROPHES)
    return " ".join(text.lower().split())


def _is_word_char(char: str) -> bool:
    # what `\w` matches in a str pattern
    return char.isalnum() or char == "_"


def check_term(raw: str) -> str:
    """A vocabulary term must begin with a word character or `?` (a whole-word term cannot begin
    with punctuation or `*`; the scan looks for terms at word starts)."""
    term = normalise(raw)
    if term and not (term[0] == "?" or _is_word_char(term[0])):
        raise ValueError(f"term {raw!r} must begin with a letter, a digit or '?'")
    return raw


#: a term of a vocabulary file (checked when the file is read)
Term = Annotated[str, AfterValidator(check_term)]


def _wildcard_pattern(term: str) -> re.Pattern[str]:
    """The regex of one wildcard term, to tell which terms a matched word is a whole match of
    (read once per distinct word, see TermMatcher._memo)."""
    return re.compile("".join(r"\w*" if char == "*" else r"\w" if char == "?"
                              else re.escape(char) for char in term))


#: most distinct matched words remembered per matcher (a bound on memory, not on correctness)
_MEMO_LIMIT = 50_000


@dataclass(frozen=True, slots=True)
class _Wildcard:
    pattern: re.Pattern[str]
    group: str
    term: str


class TermMatcher:
    """Finds which groups of terms occur in a text and which words matched (the walk over the
    terms is term_trie.TermTrie, in C)."""

    __slots__ = ("_trie", "_terms", "_exact", "_wildcards", "_memo", "groups")

    def __init__(self, groups: Mapping[str, Iterable[str]]) -> None:
        self._exact: dict[str, list[str]] = {}
        wildcards: list[_Wildcard] = []
        terms: list[str] = []
        self.groups: tuple[str, ...] = tuple(groups)
        for group, raw_terms in groups.items():
            for raw in raw_terms:
                check_term(raw)
                term = normalise(raw)
                if not term:
                    continue
                terms.append(term)
                if "*" in term or "?" in term:
                    wildcards.append(_Wildcard(_wildcard_pattern(term), group, term))
                else:
                    self._exact.setdefault(term, []).append(group)
        self._wildcards = tuple(wildcards)
        # matched word -> its groups; the same words recur across requests, and resolving a
        # wildcard match otherwise tries every wildcard term (bounded, see _MEMO_LIMIT)
        self._memo: dict[str, tuple[str, ...]] = {}
        #: the normalised terms (TextScan builds one trie of several matchers' terms)
        self._terms: tuple[str, ...] = tuple(terms)
        self._trie = TermTrie((term, 0) for term in terms)

    def matches(self, normalised_text: str) -> bool:
        """Whether any term occurs (the same as `bool(self.find(text))`: every match is a
        whole match of one term, so it belongs to at least one group)."""
        return self._trie.bits(normalised_text) != 0

    def find(self, normalised_text: str) -> dict[str, tuple[str, ...]]:
        """Group -> the distinct words that matched, in order of first appearance. The text
        must already be `normalise`d (callers normalise once and scan several vocabularies)."""
        words_found = self._trie.findall(normalised_text)
        if not words_found:
            return {}
        found: dict[str, list[str]] = {}
        for word in words_found:
            groups = self._memo.get(word)
            if groups is None:
                exact = self._exact.get(word)
                groups = tuple(exact) if exact is not None else tuple(
                    w.group for w in self._wildcards if w.pattern.fullmatch(word))
                if len(self._memo) < _MEMO_LIMIT:
                    self._memo[word] = groups
            for group in groups:
                words = found.setdefault(group, [])
                if word not in words:
                    words.append(word)
        return {group: tuple(words) for group, words in found.items()}


class TextScan:
    """Which of several vocabularies occur in one text, in one pass (for a long text that
    several rules scan): one trie of every vocabulary's terms, each term tagged with its
    vocabulary's bit, walked at each word start until every vocabulary is found or the text
    ends."""

    __slots__ = ("_names", "_trie")

    def __init__(self, vocabularies: Mapping[str, TermMatcher]) -> None:
        self._names = tuple(vocabularies)
        if len(self._names) > MAX_BITS:
            raise ValueError(f"a text scan holds at most {MAX_BITS} vocabularies, "
                             f"not {len(self._names)}")
        self._trie = TermTrie((term, bit) for bit, matcher in enumerate(vocabularies.values())
                              for term in matcher._terms)

    def occurring(self, normalised_text: str) -> frozenset[str]:
        """The names of the vocabularies with a term in the (normalised) text."""
        bits = self._trie.bits(normalised_text)
        if not bits:
            return _NONE
        return frozenset([name for bit, name in enumerate(self._names) if bits >> bit & 1])


_NONE: frozenset[str] = frozenset()
