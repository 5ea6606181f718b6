"""The compiled paragraph cleaner (untc/paragraphs.pyx) against the passes it replaced (a regex
split for escaped footnote markers, a strip, replacements and a regex for whitespace), kept
here as its executable specification."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from treatydesk.untc.paragraphs import clean_paragraph

_ESCAPED_MARKER = re.compile(r"<superscript>([^<]*+)</superscript>")
_SQUASHED = re.compile("[ \t\n\r\xa0\x0b\x0c]+")


def reference(text: str) -> tuple[str, list[str]]:
    pieces = _ESCAPED_MARKER.split(text)
    markers = [marker for piece in pieces[1::2] if (marker := piece.strip())]
    text = "".join(pieces[::2]).strip()
    return _SQUASHED.sub(" ", text), markers


_TOKENS = [
    "a", "bc", " ", "  ", "\t", "\n", "\r", "\xa0", "\u2003", "\x85", "<superscript>",
    "</superscript>", "<", "3", " 4 ", "\xe9", "\u0101", "\U0001f600",
    "<superscript>1</superscript>", "<superscript> </superscript>", "<super", "script>",
]


@settings(max_examples=3000)
@given(st.lists(st.sampled_from(_TOKENS), max_size=14).map("".join))
@example("<super<superscript>1</superscript>script>2</superscript>")
@example(" \t a \xa0\xa0 b\u2003 c \n")
def test_cleaned_as_the_regular_expressions_did(text: str) -> None:
    cleaned, markers = clean_paragraph(text)
    assert (cleaned, markers) == reference(text)
    assert "  " not in cleaned and cleaned == cleaned.strip()


@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    assert clean_paragraph(text) == reference(text)


def test_text_without_changes_is_not_copied() -> None:
    text = "Nothing to change here."
    assert clean_paragraph(text)[0] is text


def test_long_hostile_runs() -> None:
    # long runs of spaces once made a lazy marker regex take minutes
    text = ("<superscript>" + " " * 200_000 + "x" + "\t \xa0" * 100_000 + "</superscript"
            + "a  " * 50_000)
    assert clean_paragraph(text) == reference(text)
