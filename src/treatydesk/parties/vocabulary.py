"""Fast matching of curated word lists against free text.

The engine scans every request's text for several vocabularies (conduct categories, persecution
grounds, security research, emergency, bulk scope). A plain alternation of hundreds of phrases
makes the regex engine try each phrase at each position; compiling the phrases into a trie turns
that into one branch per character, which keeps evaluation well under a millisecond.

Term syntax: lower-case words and phrases; `*` matches the rest of a word (zero or more word
characters), `?` exactly one word character; terms match whole words only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


def normalise(text: str) -> str:
    """Lower case, whitespace collapsed: the form every vocabulary is matched against."""
    return " ".join(text.lower().split())


def _atoms(term: str) -> list[str]:
    atoms: list[str] = []
    for char in term:
        if char == "*":
            atoms.append(r"\w*")
        elif char == "?":
            atoms.append(r"\w")
        else:
            atoms.append(re.escape(char))
    return atoms


_END = ""
#: most distinct matched words remembered per matcher (a bound on memory, not on correctness)
_MEMO_LIMIT = 50_000


def _trie_pattern(node: dict[str, dict[str, object]]) -> str:
    branches = [atom + _trie_pattern(child)  # type: ignore[arg-type]
                for atom, child in sorted(node.items()) if atom != _END]
    if not branches:
        return ""
    body = "(?:" + "|".join(branches) + ")" if len(branches) > 1 else branches[0]
    if _END in node:
        return f"(?:{body})?"
    return body if len(branches) == 1 and len(body) == len(branches[0]) else f"(?:{body})"


@dataclass(frozen=True, slots=True)
class _Wildcard:
    pattern: re.Pattern[str]
    group: str
    term: str


class TermMatcher:
    """Finds which groups of terms occur in a text and which words matched."""

    __slots__ = ("_regex", "_exact", "_wildcards", "_memo", "groups")

    def __init__(self, groups: Mapping[str, Iterable[str]]) -> None:
        trie: dict[str, dict[str, object]] = {}
        self._exact: dict[str, list[str]] = {}
        wildcards: list[_Wildcard] = []
        self.groups: tuple[str, ...] = tuple(groups)
        for group, terms in groups.items():
            for raw in terms:
                term = normalise(raw)
                if not term:
                    continue
                node: dict[str, object] = trie  # type: ignore[assignment]
                for atom in _atoms(term):
                    node = node.setdefault(atom, {})  # type: ignore[assignment]
                node[_END] = {}
                if "*" in term or "?" in term:
                    wildcards.append(_Wildcard(
                        re.compile("".join(_atoms(term))), group, term))
                else:
                    self._exact.setdefault(term, []).append(group)
        self._wildcards = tuple(wildcards)
        # matched word -> its groups; the same words recur across requests, and resolving a
        # wildcard match otherwise tries every wildcard term (bounded, see _MEMO_LIMIT)
        self._memo: dict[str, tuple[str, ...]] = {}
        body = _trie_pattern(trie)
        # (?!) never matches: an empty vocabulary finds nothing
        self._regex = re.compile(rf"\b(?:{body})\b" if body else "(?!)")

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
