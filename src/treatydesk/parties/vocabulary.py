"""Fast matching of curated word lists against free text.

The engine scans every request's text for several vocabularies (conduct categories, persecution
grounds, security research, emergency, bulk scope). A plain alternation of hundreds of phrases
makes the regex engine try each phrase at each position; compiling the phrases into a trie turns
that into one branch per character; `TextScan` tries it only at word starts.

Term syntax: lower-case words and phrases; `*` matches the rest of a word (zero or more word
characters), `?` exactly one word character; terms match whole words only, so a term begins
with a letter, a digit or `?`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Annotated, AnyStr

from pydantic import AfterValidator

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
    if text.isascii():
        if (text.isprintable() and "  " not in text
                and not text.startswith(" ") and not text.endswith(" ")):
            # the common case, checked by C scans: printable ASCII holds no whitespace but the
            # space, so with no run of spaces and none at either end there is nothing to
            # collapse (splitting into words and joining them again allocates every word)
            return text.lower()
    else:
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


#: most characters the _Fold table keeps (a bound on memory, not on correctness)
_FOLD_LIMIT = 65_536


class _Fold(dict[int, int]):
    """str.translate table: every non-word character to a space, word characters unchanged.
    Filled as characters are first seen (up to a bound), so translate mostly reads a dict."""

    def __missing__(self, code: int) -> int:
        value = code if _is_word_char(chr(code)) else 32
        if len(self) < _FOLD_LIMIT:
            self[code] = value
        return value


_FOLD = _Fold()
#: the same for ASCII text encoded, a bytes.translate table: many times faster than
#: str.translate, and on ASCII text a bytes pattern's `\w` and `\b` are the str pattern's
_ASCII_FOLD = bytes(code if code < 128 and _is_word_char(chr(code)) else 32
                    for code in range(256))


def _atoms(term: str, fold: bool = False) -> list[str]:
    atoms: list[str] = []
    for char in term:
        if char == "*":
            atoms.append(r"\w*")
        elif char == "?":
            atoms.append(r"\w")
        elif fold and not _is_word_char(char):
            atoms.append(" ")
        else:
            atoms.append(re.escape(char))
    return atoms


_END = ""
#: most distinct matched words remembered per matcher (a bound on memory, not on correctness)
_MEMO_LIMIT = 50_000


#: a trie of pattern atoms: each atom leads to the rest; _END marks where a term ends
_Trie = dict[str, "_Trie"]


def _trie_pattern(node: _Trie) -> str:
    branches = [atom + _trie_pattern(child) for atom, child in sorted(node.items())
                if atom != _END]
    if not branches:
        return ""
    body = "(?:" + "|".join(branches) + ")" if len(branches) > 1 else branches[0]
    return f"(?:{body})?" if _END in node else body


def _trie(terms: Iterable[list[str]]) -> str:
    root: _Trie = {}
    for atoms in terms:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[_END] = {}
    return _trie_pattern(root)


@dataclass(frozen=True, slots=True)
class _Wildcard:
    pattern: re.Pattern[str]
    group: str
    term: str


class TermMatcher:
    """Finds which groups of terms occur in a text and which words matched."""

    __slots__ = ("_regex", "_folded", "_exact", "_wildcards", "_memo", "groups")

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
                    wildcards.append(_Wildcard(
                        re.compile("".join(_atoms(term))), group, term))
                else:
                    self._exact.setdefault(term, []).append(group)
        self._wildcards = tuple(wildcards)
        # matched word -> its groups; the same words recur across requests, and resolving a
        # wildcard match otherwise tries every wildcard term (bounded, see _MEMO_LIMIT)
        self._memo: dict[str, tuple[str, ...]] = {}
        body = _trie(_atoms(term) for term in terms)
        # (?!) never matches: an empty vocabulary finds nothing
        self._regex = re.compile(rf"\b(?:{body})\b" if body else "(?!)")
        #: the terms folded as TextScan folds the text
        self._folded = tuple(_atoms(term, fold=True) for term in terms)

    def matches(self, normalised_text: str) -> bool:
        """Whether any term occurs (the same as `bool(self.find(text))`: every match of the
        trie is a whole match of one term, so it belongs to at least one group)."""
        return self._regex.search(normalised_text) is not None

    def find(self, normalised_text: str) -> dict[str, tuple[str, ...]]:
        """Group -> the distinct words that matched, in order of first appearance. The text
        must already be `normalise`d (callers normalise once and scan several vocabularies)."""
        words_found = self._regex.findall(normalised_text)
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
    several rules scan).

    `matches` tries its pattern (which starts with `\\b`) at every character of the text.
    This scan looks for candidate word starts instead, with one trie of every vocabulary's
    terms after a literal space (which the regex engine finds with a fast character search),
    in the folded text: " " + the text with every non-word character turned into a space.
    Every word start of the text follows a space there, and a term that occurs in the text
    occurs, folded, at the same place; so every match of a vocabulary's own pattern starts at
    a candidate, where it is tried (a candidate need not be a match: "fake-news" is one for
    "fake news")."""

    __slots__ = ("_vocabularies", "_candidates", "_ascii_candidates")

    def __init__(self, vocabularies: Mapping[str, TermMatcher]) -> None:
        self._vocabularies = tuple(
            (name, matcher._regex) for name, matcher in vocabularies.items())
        body = _trie(atoms for matcher in vocabularies.values() for atoms in matcher._folded)
        pattern = rf" (?:{body})\b" if body else "(?!)"
        self._candidates = re.compile(pattern)
        # the same pattern for ASCII text folded as bytes (its positions are the text's)
        self._ascii_candidates = re.compile(pattern.encode())

    def occurring(self, normalised_text: str) -> frozenset[str]:
        """The names of the vocabularies with a term in the (normalised) text."""
        if normalised_text.isascii():
            return self._scan(normalised_text, self._ascii_candidates,
                              b" " + normalised_text.encode("ascii").translate(_ASCII_FOLD))
        return self._scan(normalised_text, self._candidates,
                          " " + normalised_text.translate(_FOLD))

    def _scan(self, text: str, candidates: re.Pattern[AnyStr],
              folded: AnyStr) -> frozenset[str]:
        search = candidates.search
        candidate = search(folded)
        if candidate is None:
            return _NONE
        pending = list(self._vocabularies)
        found: list[str] = []
        while candidate is not None:
            # folded[i + 1] is the text's character i: the candidate's word starts at i
            position = candidate.start()
            for entry in tuple(pending):
                if entry[1].match(text, position) is not None:
                    found.append(entry[0])
                    pending.remove(entry)
            if not pending:
                break
            candidate = search(folded, position + 1)
        return frozenset(found)


_NONE: frozenset[str] = frozenset()
