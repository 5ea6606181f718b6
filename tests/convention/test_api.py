"""The Convention API other components code against."""

from __future__ import annotations

import pytest

from treatydesk.convention import chapter_numeral, convention, parse_reference
from treatydesk.errors import InvalidInput, NotFound


def test_article_and_its_errors() -> None:
    treaty = convention()
    assert treaty.article(40).title.startswith("General principles and procedures")
    assert treaty.article(40).chapter == "V"
    assert treaty.article(1).number == 1 and treaty.article(68).number == 68
    for bad in (0, 69, 99, -1):
        with pytest.raises(NotFound, match="articles 1-68"):
            treaty.article(bad)
    with pytest.raises(InvalidInput, match="whole number"):
        treaty.article("40")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="whole number"):
        treaty.article(True)


@pytest.mark.parametrize(("chapter", "first", "last"),
                         [("V", 35, 52), ("v", 35, 52), ("5", 35, 52), ("I", 1, 6),
                          ("9", 59, 68), (" III ", 22, 22)])
def test_articles_by_chapter(chapter: str, first: int, last: int) -> None:
    numbers = [article.number for article in convention().articles(chapter)]
    assert numbers == list(range(first, last + 1))


@pytest.mark.parametrize("chapter", ["XII", "0", "10", "", "X", "five", "-1"])
def test_articles_bad_chapter(chapter: str) -> None:
    with pytest.raises(InvalidInput, match="chapters I-IX"):
        convention().articles(chapter)
    with pytest.raises(InvalidInput):
        chapter_numeral(chapter)


def test_figure_lookup_and_suggestions() -> None:
    treaty = convention()
    assert treaty.figure("entry_into_force_instruments").as_int() == 40
    assert treaty.figure("reio_counted_in_addition").as_bool() is False
    assert treaty.figure("signature_closes").as_date().year == 2026
    with pytest.raises(NotFound) as caught:
        treaty.figure("preservation_days")
    assert "preservation_minimum_days" in caught.value.suggestions
    with pytest.raises(NotFound, match="no figure 'zzz'"):
        treaty.figure("zzz")


def test_figure_typed_accessors_refuse_the_wrong_kind() -> None:
    treaty = convention()
    with pytest.raises(InvalidInput, match="not a whole number"):
        treaty.figure("signature_opened").as_int()
    with pytest.raises(InvalidInput, match="not a date"):
        treaty.figure("article_count").as_date()
    with pytest.raises(InvalidInput, match="not true/false"):
        treaty.figure("article_count").as_bool()
    # a boolean is not a count, even though Python treats True as 1
    with pytest.raises(InvalidInput):
        treaty.figure("reio_counted_in_addition").as_int()


def test_figures_citing_an_article() -> None:
    ids = {figure.id for figure in convention().figures_citing(65)}
    assert ids == {"entry_into_force_instruments", "entry_into_force_delay_days",
                   "later_party_delay_days", "reio_counted_in_addition"}
    assert convention().figures_citing(7) == []


@pytest.mark.parametrize(
    ("ref", "normalised"),
    [
        ("40", "40"), ("40(15)", "40(15)"), ("40(15)(c)", "40(15)(c)"), ("2(h)", "2(h)"),
        ("65(1)", "65(1)"), ("Art. 40(15)(C)", "40(15)(c)"), ("article 42", "42"),
        (" 40 (21) (b) ", "40(21)(b)"),
        # articles with no paragraphs in the data accept any paragraph: nothing contradicts it
        ("43(1)", "43(1)"), ("7(2)", "7(2)"),
        # a paragraph without listed subparagraphs accepts any
        ("40(3)(d)", "40(3)(d)"),
    ],
)
def test_check_reference_accepts(ref: str, normalised: str) -> None:
    assert convention().check_reference(ref) == normalised


@pytest.mark.parametrize(
    ("ref", "words"),
    [
        ("99", "article 99 does not exist"),
        ("0", "article 0 does not exist"),
        ("40(99)", "article 40 has no paragraph (99)"),
        ("40(15)(z)", "40(15) has no subparagraph (z)"),
        ("2(z)", "article 2 has no paragraph (z)"),
        ("65(3)", "article 65 has no paragraph (3)"),
        ("abc", "is not an article reference"),
        ("", "is not an article reference"),
        ("40(15", "is not an article reference"),
        ("40.15", "is not an article reference"),
        ("4O", "is not an article reference"),
    ],
)
def test_check_reference_refuses(ref: str, words: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        convention().check_reference(ref)
    assert words in str(caught.value)


def test_parse_reference() -> None:
    assert parse_reference("40(15)(c)") == (40, ("15", "c"))
    assert parse_reference("2(h)") == (2, ("h",))
    with pytest.raises(InvalidInput):
        parse_reference("forty")


def test_describe() -> None:
    treaty = convention()
    described = treaty.describe("40(15)(c)")
    assert described.startswith("Art. 40(15)(c) (General principles and procedures")
    assert "(c) Summary of the relevant facts" in described
    assert described.endswith("[recalled, not yet verified]")
    verified = treaty.describe("40(22)")
    assert "political opinions" in verified
    assert "recalled" not in verified
    assert "4 years" in treaty.describe("2(h)")
    assert treaty.describe("43").endswith("[recalled, not yet verified]")
    with pytest.raises(InvalidInput):
        treaty.describe("99(1)")


def test_recalled_references() -> None:
    recalled = convention().recalled_references()
    # "43": an unverified article summarised as a whole, with no paragraphs of its own
    for ref in ("42", "43", "65(2)", "37(1)", "40(15)", "40(15)(c)", "23(3)"):
        assert ref in recalled
    for ref in ("65(1)", "2(h)", "40(22)", "64", "11(3)"):
        assert ref not in recalled
    assert len(recalled) == len(set(recalled))
    # sorted by article, then paragraph number
    assert recalled.index("40(9)") < recalled.index("40(15)") < recalled.index("42")
    for ref in recalled:
        assert convention().check_reference(ref) == ref
