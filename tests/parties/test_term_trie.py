"""The compiled term walk (term_trie.pyx) against its specification: the regex trie the
vocabularies were matched with before, kept here as the reference. `findall` must give the
same words as that pattern's `re.findall`, and `bits` the same answer as a search of each
vocabulary's pattern, for any terms and any text."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from treatydesk.parties.term_trie import MAX_BITS, TermTrie, plain_ascii
from treatydesk.parties.vocabulary import normalise

# ----------------------------------------------------------- the reference (the old regexes)


def _atoms(term: str) -> list[str]:
    return [r"\w*" if c == "*" else r"\w" if c == "?" else re.escape(c) for c in term]


_Trie = dict[str, "_Trie"]


def _trie_pattern(node: _Trie) -> str:
    branches = [atom + _trie_pattern(child) for atom, child in sorted(node.items())
                if atom != ""]
    if not branches:
        return ""
    body = "(?:" + "|".join(branches) + ")" if len(branches) > 1 else branches[0]
    return f"(?:{body})?" if "" in node else body


def reference(terms: list[str]) -> re.Pattern[str]:
    root: _Trie = {}
    for term in terms:
        node = root
        for atom in _atoms(term):
            node = node.setdefault(atom, {})
        node[""] = {}
    body = _trie_pattern(root)
    return re.compile(rf"\b(?:{body})\b" if body else "(?!)")


# ------------------------------------------------------------------------------ strategies

#: letters that make shared prefixes and near misses likely, word characters outside ASCII
#: (Latin-1, two-byte and four-byte kinds, a digit of another script), and separators
LETTERS = list("abce_1") + ["é", "ß", "ж", "٣", "\U0001d400"]
SEPARATORS = [" ", "-", "'", ".", "/"]


def _is_term(term: str) -> bool:
    return bool(term) and (term[0] == "?" or term[0] == "_" or term[0].isalnum())


terms = st.text(alphabet=st.sampled_from(LETTERS + SEPARATORS + ["*", "?"]),
                min_size=1, max_size=8).map(normalise).filter(_is_term)
texts = st.text(alphabet=st.sampled_from(LETTERS + SEPARATORS + ["A", "\u00a0", ","]),
                max_size=40).map(normalise)


@settings(max_examples=3000)
@given(st.lists(terms, min_size=1, max_size=12), texts)
@example(["hack", "hack*"], "hacking hack hacker")
@example(["a*b"], "aaab ab b aab")
@example(["a b", "a"], "a b a c")
@example(["u.s."], "the u.s.a u.s. u.s.x")
@example(["e-mail", "e"], "e-mails e-mail e")
@example(["?"], "a b _ é")
@example(["a*", "ab"], "ab")
def test_findall_gives_the_words_the_regex_trie_gave(term_list: list[str], text: str) -> None:
    assert TermTrie((term, 0) for term in term_list).findall(text) == (
        reference(term_list).findall(text))


@settings(max_examples=3000)
@given(st.lists(st.lists(terms, min_size=1, max_size=6), min_size=1, max_size=4), texts)
@example([["a"], ["a b"]], "a b")
@example([["ab*"], ["a"]], "ab a")
def test_bits_are_the_vocabularies_whose_pattern_finds_a_term(
        vocabularies: list[list[str]], text: str) -> None:
    trie = TermTrie((term, bit) for bit, vocabulary in enumerate(vocabularies)
                    for term in vocabulary)
    expected = sum(1 << bit for bit, vocabulary in enumerate(vocabularies)
                   if reference(vocabulary).search(text) is not None)
    assert trie.bits(text) == expected


# --------------------------------------------------------------------------- hostile input


@pytest.mark.parametrize("length", [63, 64, 65, 300])
def test_terms_longer_than_the_local_stack_are_walked_on_the_heap(length: int) -> None:
    term = "a" * (length - 1) + "*"
    trie = TermTrie([(term, 3)])
    text = "x " + "a" * (length + 5) + " " + "a" * (length - 2)
    assert trie.findall(text) == reference([term]).findall(text) == ["a" * (length + 5)]
    assert trie.bits(text) == 1 << 3


def test_a_long_word_is_read_once_per_wildcard_of_a_term() -> None:
    trie = TermTrie([("a*b*c", 0), ("a*", 1), ("?", 2)])
    word = "a" * 20_000
    assert trie.findall(word) == [word]
    assert trie.bits(word + " b") == 0b110


@pytest.mark.parametrize("text", ["", " ", "-", "\u00a0", "zzz", "\U0001d400" * 3])
def test_texts_without_a_match(text: str) -> None:
    trie = TermTrie([("abc", 0), ("b?", 1)])
    assert trie.findall(text) == []
    assert trie.bits(text) == 0


def test_an_empty_trie_finds_nothing() -> None:
    trie = TermTrie([])
    assert trie.findall("a b c") == []
    assert trie.bits("a b c") == 0


@pytest.mark.parametrize(("terms", "words"), [
    ([("", 0)], "non-empty string"),
    ([(None, 0)], "non-empty string"),
    ([("*ab", 0)], "must begin with a word character"),
    ([("-ab", 0)], "must begin with a word character"),
    ([(" ab", 0)], "must begin with a word character"),
    ([("ab", MAX_BITS)], "between 0 and 63"),
    ([("ab", -1)], "between 0 and 63"),
    ([("ab", "1")], "between 0 and 63"),
    ([("ab", True)], "between 0 and 63"),
])
def test_bad_terms_are_refused_with_the_term_named(terms: list[tuple[object, object]],
                                                   words: str) -> None:
    with pytest.raises(ValueError, match=words):
        TermTrie(terms)  # type: ignore[arg-type]


def test_a_trie_cannot_be_built_twice() -> None:
    trie = TermTrie([("ab", 0)])
    with pytest.raises(TypeError, match="built once"):
        trie.__init__([("cd", 0)])  # type: ignore[misc]
    assert trie.findall("ab cd") == ["ab"]


def test_texts_that_are_not_strings_are_refused() -> None:
    trie = TermTrie([("ab", 0)])
    with pytest.raises(TypeError):
        trie.findall(b"ab")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        trie.bits(None)  # type: ignore[arg-type]


@settings(max_examples=3000)
@given(st.one_of(st.text(alphabet=st.sampled_from(list("aZ .-\t\x1f\x7e\x7f\x80é")), max_size=12),
                 st.text(max_size=12)))
@example("")
@example(" ")
@example("a b")
@example("a  b")
@example(" a")
@example("a ")
@example("\x7f")
@example("é")
def test_plain_ascii_is_the_python_test_it_replaced(text: str) -> None:
    assert plain_ascii(text) == (
        text.isascii() and text.isprintable() and "  " not in text
        and not text.startswith(" ") and not text.endswith(" "))


def test_plain_ascii_refuses_what_is_not_a_string() -> None:
    with pytest.raises(TypeError):
        plain_ascii(b"ab")  # type: ignore[arg-type]


def test_a_trie_that_was_never_built_refuses_to_walk() -> None:
    unbuilt = TermTrie.__new__(TermTrie)
    with pytest.raises(ValueError, match="never built"):
        unbuilt.findall("ab")
    with pytest.raises(ValueError, match="never built"):
        unbuilt.bits("ab")
    failed = TermTrie.__new__(TermTrie)
    with pytest.raises(ValueError, match="must begin"):
        failed.__init__([("-x", 0)])  # type: ignore[misc]
    with pytest.raises(ValueError, match="never built"):
        failed.findall("x")
