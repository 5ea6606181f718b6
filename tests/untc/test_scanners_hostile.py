"""Hostile inputs for the two Cython scanners (untc/paragraphs.pyx, status/statement_scan.pyx)
against their regex specifications: lengths and forms around the 8-byte blocks of the Latin-1
fast paths, Latin-1 letters and the Kelvin sign beside form words, wider kinds, NULs, long
digit runs around the 32-byte buffer of `_canonical`, nested and unclosed markers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from status.test_statement_scan import reference as scan_reference
from treatydesk.status.statement_scan import scan_statement
from treatydesk.untc.paragraphs import clean_paragraph, join_paragraphs
from untc.test_paragraphs import reference as clean_reference

#: one character of each class the scanners tell apart, Latin-1 and wider
_ODD = ["\x00", "\x1c", "\x85", "\xe9", "\xc4", "\xdf", "\xff", "\u212a", "\u0130", "\u0101",
        "\U0001f600"]
_SPACES = [" ", "  ", "\t", "\n", "\r", "\xa0", "\x0b", "\x0c", " \xa0", "\xa0 ", "\u2003"]
_MARKERS = ["<superscript>1</superscript>", "<superscript><superscript>2</superscript>",
            "<superscript>3</superscript></superscript>", "<superscript>4", "</superscript>",
            "<superscript> \xa0</superscript>", "<superscript>\u01015</superscript>", "<"]
_FORMS = ["art. 1", "arts. 7 & 8", "article 11, paragraph 3", "Article 5(3)(c)", "ARTICLES 1 or 2",
          "paragraph 2 of article 65", "paragraph 1 (c) of the art.35", "not bound by",
          "not consider itself bound by", "not apply", "reserves", "Reservations", "\u212aart. 9"]


def _texts_around_blocks() -> list[str]:
    texts = []
    for length in range(21):
        for at in range(length + 1):
            for odd in _SPACES + _ODD:
                texts.append("x" * at + odd + "y" * (length - at))
    return texts


def test_whitespace_at_every_offset_of_short_texts() -> None:
    for text in _texts_around_blocks():
        assert clean_paragraph(text) == clean_reference(text), repr(text)
        assert clean_paragraph(text + "\u0101") == clean_reference(text + "\u0101"), repr(text)


def test_markers_at_every_offset() -> None:
    for marker in _MARKERS:
        for at in range(18):
            for pad in ("a", " ", "\t", "\xe9"):
                text = pad * at + marker + pad * (17 - at)
                assert clean_paragraph(text) == clean_reference(text), repr(text)


def test_forms_at_every_offset_beside_latin1_and_wider_letters() -> None:
    for form in _FORMS:
        for pad in ["x", " ", "\xe9", "\xc4", "\xdf", "\xff", "\x00", "_", "\u212a", "\u0130",
                    "\u0101", "\U0001f600", "1"]:
            for at in range(18):
                for text in (pad * at + form, pad * at + form + pad * (17 - at),
                             form.upper() + pad * at, pad * at + " " + form + pad + " 4"):
                    assert scan_statement(text) == scan_reference(text), repr(text)


def _digits(count: int, digit: str = "9") -> str:
    return digit * count


@pytest.mark.parametrize("text", [
    "article " + _digits(100), "article 5(" + _digits(50) + ")",
    *("article " + _digits(a) + "(" + _digits(b) + ")(z)" for a in range(1, 26)
      for b in (1, 23 - a, 24 - a, 25 - a) if b > 0),
    *("article " + _digits(n) + " (c)" for n in range(20, 27)),
    *("article " + _digits(11) + ", paragraph " + _digits(n) + " (b)" for n in range(10, 15)),
    *("paragraph " + _digits(n) + " (c) of article " + _digits(23 - n) for n in range(1, 23)),
    "article " + _digits(22) + "\u0663(1)(a)", "article 1(" + _digits(21) + "\u0663)(a)",
    "article " + _digits(30, "\u0663") + "(" + _digits(30, "\u0967") + ")(k)",
    "art. " + "1, " * 1000 + _digits(5000),
])
def test_long_digit_runs(text: str) -> None:
    assert scan_statement(text) == scan_reference(text)
    wide = text + "\U0001f600"
    assert scan_statement(wide) == scan_reference(wide)


_CLEAN_ALPHABET = st.sampled_from(list(" \t\n\r\xa0\x0b\x0cab<") + _ODD + _MARKERS)
_SCAN_ALPHABET = st.sampled_from(_ODD + _SPACES + _FORMS + [
    "art", "icle", "s", ".", "para", "graph", "(", ")", ",", "&", "and", "or", "of", "the",
    "1", "42", "c", "K", "not", "reserv", "ation", "bound", "by", "\u0663"])


@settings(max_examples=800, deadline=None)
@given(st.integers(0, 17), st.lists(_CLEAN_ALPHABET, max_size=12).map("".join))
def test_cleaned_as_the_reference_around_blocks(pad: int, text: str) -> None:
    for candidate in ("a" * pad + text, text + " " * pad, "\xe9" * pad + text + "\u0101"):
        assert clean_paragraph(candidate) == clean_reference(candidate)


@settings(max_examples=800, deadline=None)
@given(st.integers(0, 17), st.lists(_SCAN_ALPHABET, max_size=14).map("".join))
def test_scanned_as_the_reference_around_blocks(pad: int, text: str) -> None:
    for candidate in ("x" * pad + text, " " * pad + text + "\xe9" * pad, text + "\u212a"):
        assert scan_statement(candidate) == scan_reference(candidate)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.lists(_CLEAN_ALPHABET, max_size=8).map("".join),
                          st.tuples(st.sampled_from(["", "t", "a b"]), st.just(["m"]))),
                max_size=5))
def test_joined_as_paragraphs_cleaned_one_by_one(
    paragraphs: list[str | tuple[str, list[str]]],
) -> None:
    texts, markers = [], []
    for paragraph in paragraphs:
        text, found = paragraph if isinstance(paragraph, tuple) else clean_reference(paragraph)
        if text:
            texts.append(text)
            markers.extend(found)
    assert join_paragraphs(paragraphs) == ("\n\n".join(texts), markers)


def test_wrong_types_raise_instead_of_being_read() -> None:
    for bad in (None, b"article 5", 5):
        with pytest.raises(TypeError):
            clean_paragraph(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            scan_statement(bad)  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            join_paragraphs(["a", bad])  # type: ignore[list-item]
