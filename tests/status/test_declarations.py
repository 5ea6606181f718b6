from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from treatydesk.status.declarations import analyse_statement, extract_articles, is_reservation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("under article 11, paragraph 3, it reserves", ("11(3)",)),
        ("articles 42 and 63(3) do not apply", ("42", "63(3)")),
        ("Art. 40 (22) governs", ("40(22)",)),
        ("paragraph 2 of article 65", ("65(2)",)),
        ("Article 35, paragraph 1 (c), and article 11", ("35(1)(c)", "11")),
        ("Articles 42, 43 and 44; see also article 42", ("42", "43", "44")),
        ("arts. 7 & 8", ("7", "8")),
        ("paragraphs 3 of the Art. 63", ("63(3)",)),
        ("no article here, 12 particles", ()),
        ("", ()),
    ],
)
def test_extract_articles(text: str, expected: tuple[str, ...]) -> None:
    assert extract_articles(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The State reserves the right not to apply article 11(1).", True),
        ("It does not consider itself bound by article 63, paragraph 2.", True),
        ("Article 42 shall not apply to data held abroad.", True),
        ("Reservation: see annex.", True),
        ("The Government understands article 40 as follows.", False),
        ("The central authority is the Ministry of Justice.", False),
    ],
)
def test_is_reservation(text: str, expected: bool) -> None:
    assert is_reservation(text) is expected


@given(st.text(max_size=200))
def test_never_crashes_and_gives_canonical_forms(text: str) -> None:
    for article in extract_articles(text):
        assert article[0].isdigit()
    is_reservation(text)


@pytest.mark.parametrize(
    "text",
    ["The data preserved under article 42 is kept.", "It preserves the data (art. 42).",
     "Cannot apply to particles 12; see the apartment."],
)
def test_words_inside_longer_words_do_not_count(text: str) -> None:
    assert not is_reservation(text)
    assert extract_articles("Cannot apply to particles 12 or the apart. 3") == ()


def test_analyse_statement_matches_the_two_functions() -> None:
    text = "It reserves the right not to apply paragraph 2 of article 65 and article 11(3)."
    assert analyse_statement(text) == (extract_articles(text), is_reservation(text))
    assert analyse_statement(text) == (("65(2)", "11(3)"), True)
