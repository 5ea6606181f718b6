"""The bundled Convention data and the strict loader, including every broken fixture."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from treatydesk.convention import (
    CHAPTER_NUMERALS,
    Convention,
    Paragraph,
    convention,
    load_convention,
)
from treatydesk.convention.loader import ARTICLES_FILE, FIGURES_FILE
from treatydesk.errors import DataFileError

FIXTURES = Path(__file__).parent / "fixtures"
MINI_ARTICLES = FIXTURES / "mini" / "articles.yaml"
MINI_FIGURES = FIXTURES / "mini" / "figures.yaml"
BROKEN = FIXTURES / "broken"

# ----------------------------------------------------------------------------- bundled data


def _paragraph(treaty: Convention, number: int, label: str) -> Paragraph:
    paragraph = treaty.article(number).paragraph(label)
    assert paragraph is not None, f"{number}({label}) missing"
    return paragraph


def test_all_68_articles_in_nine_chapters() -> None:
    treaty = convention()
    assert [article.number for article in treaty.articles()] == list(range(1, 69))
    assert [chapter.numeral for chapter in treaty.chapters] == list(CHAPTER_NUMERALS)
    boundaries = {chapter.numeral: (chapter.first, chapter.last) for chapter in treaty.chapters}
    assert boundaries == {
        "I": (1, 6), "II": (7, 21), "III": (22, 22), "IV": (23, 34), "V": (35, 52),
        "VI": (53, 53), "VII": (54, 56), "VIII": (57, 58), "IX": (59, 68),
    }
    assert treaty.figure("article_count").as_int() == len(treaty.articles())


def test_convention_is_loaded_once() -> None:
    assert convention() is convention()


@pytest.mark.parametrize(
    ("figure_id", "value", "reference", "verified"),
    [
        ("serious_crime_threshold_years", 4, "2(h)", True),
        ("preservation_minimum_days", 60, "42", False),
        ("entry_into_force_instruments", 40, "65(1)", True),
        ("entry_into_force_delay_days", 90, "65(1)", True),
        ("later_party_delay_days", 30, "65(2)", False),
        ("reio_counted_in_addition", False, "65(1)", True),
        ("extradition_threshold_years", 1, "37(1)", False),
        ("signature_opened", date(2025, 10, 25), "64", True),
        ("signature_closes", date(2026, 12, 31), "64", True),
        ("article_count", 68, "68", True),
    ],
)
def test_figures_match_the_treaty_reference(
    figure_id: str, value: object, reference: str, verified: bool
) -> None:
    figure = convention().figure(figure_id)
    assert figure.value == value
    assert type(figure.value) is type(value)
    assert figure.reference == reference
    assert figure.verified is verified


def test_verified_flags_follow_the_treaty_reference() -> None:
    treaty = convention()
    # marked [V] in the reference
    assert treaty.article(40).verified and treaty.article(64).verified
    assert _paragraph(treaty, 2, "h").verified
    assert _paragraph(treaty, 40, "22").verified
    assert _paragraph(treaty, 65, "1").verified
    assert _paragraph(treaty, 11, "3").verified
    # marked [R]
    assert not treaty.article(22).verified
    assert not treaty.article(42).verified
    assert not _paragraph(treaty, 65, "2").verified
    assert not _paragraph(treaty, 40, "15").verified


def test_key_paragraphs_are_present() -> None:
    treaty = convention()
    assert [p.label for p in treaty.article(2).paragraphs] == list("abcdefghijklmno")
    assert [s.label for s in _paragraph(treaty, 40, "15").subparagraphs] == list("abcdef")
    assert [s.label for s in _paragraph(treaty, 40, "21").subparagraphs] == list("abcd")
    assert [s.label for s in _paragraph(treaty, 42, "2").subparagraphs] == list("abcdef")
    assert [s.label for s in _paragraph(treaty, 35, "1").subparagraphs] == list("abc")
    for ref in ("11(1)", "11(2)", "11(3)", "23(3)", "24(1)", "35(2)", "36(3)", "37(1)",
                "40(13)", "40(14)", "40(17)", "40(22)", "40(23)", "40(24)", "40(26)",
                "40(27)", "41(1)", "45(3)(f)", "46(2)", "47(1)", "63(3)", "64(1)", "65(1)",
                "65(2)"):
        assert convention().check_reference(ref) == ref


def test_recalled_figures_appear_only_in_figures_yaml() -> None:
    """[R] figures must live in one file: the articles data cites them as {figure_id}."""
    text = ARTICLES_FILE.read_text("utf-8")
    for phrase in ("30th day", "30 days", "60 days", "one year", "1 year", "five years"):
        assert phrase not in text, phrase
    placeholders = set(re.findall(r"\{([a-z_]+)\}", text)) - {"figure_id"}
    ids = {figure.id for figure in convention().figures}
    assert placeholders <= ids
    assert "{later_party_delay_days}" in text
    assert "30 days" in _paragraph(convention(), 65, "2").summary


def test_summaries_are_single_lines() -> None:
    for article in convention().articles():
        assert "\n" not in article.summary
        for paragraph in article.paragraphs:
            assert "\n" not in paragraph.summary


def test_bundled_files_load_explicitly() -> None:
    loaded = load_convention(ARTICLES_FILE, FIGURES_FILE)
    assert loaded == convention()


# -------------------------------------------------------------------------- mini fixture


def test_mini_fixture_loads_and_renders_figures() -> None:
    mini = load_convention(MINI_ARTICLES, MINI_FIGURES)
    assert len(mini.articles()) == 10
    assert _paragraph(mini, 2, "h").summary.endswith("at least 4 years.")
    # 4 and 10: unverified articles summarised whole, with no paragraphs of their own
    assert mini.recalled_references() == ["4", "5(1)", "5(1)(a)", "5(1)(b)", "10"]


# ---------------------------------------------------------------------- broken fixtures

#: each broken file, and the words its error must contain. `articles_*` files are loaded with
#: the mini figures, `figures_*` files with the mini articles.
BROKEN_CASES: list[tuple[str, list[str]]] = [
    ("articles_unknown_key.yaml", [":32:", "articles[2].colour", "unknown key"]),
    ("articles_duplicate_key.yaml", [":32:", "duplicate key 'title'", "line 31"]),
    ("figures_missing_reference.yaml", [":10:", "figures[1].reference", "missing required key"]),
    ("articles_bad_chapter.yaml", [":32:", "articles[2].chapter", "'IX'"]),
    ("articles_gap_in_numbers.yaml", ["article 11 is beyond", "missing article(s) 4"]),
    ("articles_duplicate_number.yaml", [":35:", "article 3 appears twice"]),
    ("figures_malformed_value.yaml", [":17:", "'sixty' does not fit unit 'days'"]),
    ("figures_unknown_unit.yaml", [":18:", "figures[2].unit", "'years'"]),
    ("figures_bool_as_count.yaml", [":11:", "does not fit unit 'years'"]),
    ("articles_alias_bomb.yaml", [":2:", "anchors (&a) are not allowed"]),
    ("articles_invalid_utf8.yaml", [":17:", "not valid UTF-8"]),
    ("figures_non_mapping_root.yaml", ["must be a mapping", "it is a list"]),
    ("figures_empty.yaml", ["must be a mapping", "it is empty"]),
    ("figures_article_99.yaml", [":13:", "article 99 does not exist"]),
    ("figures_missing_paragraph.yaml", [":13:", "has no paragraph (z)"]),
    ("figures_unnormalised_reference.yaml", [":13:", "write the reference as '2(h)'"]),
    ("figures_duplicate_id.yaml", [":16:", "duplicate figure id 'threshold_years'"]),
    ("articles_wrong_chapter.yaml", [":37:", "article 4 belongs to chapter III, not II"]),
    ("articles_chapter_gap.yaml", [":4:", "chapter II covers articles 4-3"]),
    ("articles_unknown_placeholder.yaml", [":29:", "{threshold_yeers} names no figure",
                                           "threshold_years"]),
    ("articles_multiline_summary.yaml", [":34:", "must be one non-empty line"]),
    ("articles_number_as_string.yaml", [":59:", "articles[5].number", "valid integer"]),
    ("articles_duplicate_paragraph.yaml", [":45:", "duplicate paragraph (1)"]),
    ("articles_duplicate_citation_id.yaml", [":59:", "duplicate citation id 'serious_defined'",
                                             "articles_duplicate_citation_id.yaml:28"]),
    ("articles_bad_citation_id.yaml", [":52:", "subparagraphs[0].id", "should match pattern"]),
]


def test_every_broken_fixture_is_in_the_table() -> None:
    assert sorted(path.name for path in BROKEN.glob("*.yaml")) == sorted(
        name for name, _ in BROKEN_CASES
    )


@pytest.mark.parametrize(("name", "words"), BROKEN_CASES, ids=[c[0] for c in BROKEN_CASES])
def test_broken_fixture_is_refused(name: str, words: list[str]) -> None:
    broken = BROKEN / name
    if name.startswith("articles_"):
        paths = (broken, MINI_FIGURES)
    else:
        paths = (MINI_ARTICLES, broken)
    with pytest.raises(DataFileError) as caught:
        load_convention(*paths)
    text = str(caught.value)
    assert caught.value.file == str(broken), text
    assert name in text
    for word in words:
        assert word in text, f"{word!r} not in:\n{text}"


def test_missing_data_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="cannot read"):
        load_convention(tmp_path / "absent.yaml", MINI_FIGURES)


def test_figures_without_article_count(tmp_path: Path) -> None:
    figures = tmp_path / "figures.yaml"
    figures.write_text(
        "figures:\n  - {id: a, value: 1, unit: days, reference: '1', verified: true, note: x}\n",
        "utf-8",
    )
    with pytest.raises(DataFileError, match="missing figure 'article_count'"):
        load_convention(MINI_ARTICLES, figures)
