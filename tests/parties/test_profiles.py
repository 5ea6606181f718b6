"""Party profiles, indicators and the hypothetical standings file: strict loading."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from treatydesk.errors import DataFileError
from treatydesk.parties.conduct import conduct_taxonomy, load_taxonomy
from treatydesk.parties.profile import load_indicators, load_party_profiles, load_profile
from treatydesk.parties.standings_file import load_standings

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
EXAMPLES = ROOT / "examples"


def expected_words(path: Path) -> str:
    first = path.read_text().splitlines()[0]
    match = re.match(r"# error: (.+)", first)
    assert match, f"{path} must start with '# error: <words>'"
    return match.group(1)


def test_example_profiles_load() -> None:
    profiles = load_party_profiles(EXAMPLES / "parties")
    assert set(profiles) == {"XAA", "XAB", "XAC", "XAD", "XAE"}
    assert all(p.example for p in profiles.values())
    xac = profiles["XAC"]
    assert xac.reservations.misuse_of_devices_11_3
    assert xac.offence_for_conduct.get("fraud") is not None
    assert xac.offence_for_conduct.get("misuse_of_devices") is None
    press = profiles["XAA"].latest_indicator.get("press_freedom_score")
    assert press is not None and press.source and press.origin.endswith("indicators.csv:2")


@pytest.mark.parametrize("path", sorted((FIXTURES / "broken").glob("*.yaml")),
                         ids=lambda p: p.name)
def test_broken_profile_is_refused_with_its_words(path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        load_profile(path)
    text = str(caught.value)
    assert expected_words(path) in text
    assert path.name in text


@pytest.mark.parametrize("name, words", [
    ("not_number.csv", "is not a number"), ("missing_column.csv", "missing required column"),
    ("no_source.csv", "source is empty"), ("bad_date.csv", "is not YYYY-MM-DD"),
])
def test_broken_indicators(name: str, words: str) -> None:
    with pytest.raises(DataFileError) as caught:
        load_indicators(FIXTURES / "broken_indicators" / name)
    assert words in str(caught.value) and name in str(caught.value)


def test_directory_problems_are_reported_together(tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "parties" / "XAB.yaml", tmp_path / "a.yaml")
    shutil.copy(EXAMPLES / "parties" / "XAB.yaml", tmp_path / "b.yaml")
    shutil.copy(FIXTURES / "broken" / "unknown_key.yaml", tmp_path / "c.yaml")
    (tmp_path / "indicators.csv").write_text(
        "party,indicator,value,scale,source,date\nXZZ,p,1,s,src,2026-01-01\n")
    with pytest.raises(DataFileError) as caught:
        load_party_profiles(tmp_path)
    text = str(caught.value)
    assert "already defined" in text and "unknown key" in text and "no profile" in text


def test_empty_or_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no party profiles"):
        load_party_profiles(tmp_path)
    with pytest.raises(DataFileError, match="not a directory"):
        load_party_profiles(tmp_path / "nope")


def test_hypothetical_standings() -> None:
    standings = load_standings(EXAMPLES / "status" / "hypothetical.yaml")
    assert standings["XAD"].consent is None and standings["XAD"].signature is not None
    assert standings["XAA"].in_force_from is not None


@pytest.mark.parametrize("text, words", [
    ("hypothetical: false\ndescription: x\nparties: [{key: XAA, name: A}]\n", "hypothetical: true"),
    ("hypothetical: true\ndescription: x\n"
     "parties: [{key: XAA, name: A, in_force_from: 2027-01-01}]\n", "without consent"),
    ("hypothetical: true\ndescription: x\nparties: [{key: XAA, name: A, consent: 2027-01-01, "
     "consent_kind: ratification, in_force_from: 2026-01-01}]\n", "before consent"),
    ("hypothetical: true\ndescription: x\nparties: [{key: XAA, name: A}, {key: XAA, name: B}]\n",
     "listed twice"),
    ("hypothetical: true\ndescription: x\nparties: [{key: XAA, name: A, consent: 2027-01-01}]\n",
     "consent_kind"),
    ("hypothetical: true\nparties: []\n", "description"),
])
def test_broken_standings(text: str, words: str) -> None:
    with pytest.raises(DataFileError) as caught:
        load_standings("status.yaml", text=text)
    assert words in str(caught.value) and "status.yaml" in str(caught.value)


def test_same_conduct_different_labels() -> None:
    taxonomy = conduct_taxonomy()
    a = taxonomy.classify("She tricked elderly people into paying for fake tech support.")
    b = taxonomy.classify("Victims were deceived by e-mails and paid into his account.")
    assert "fraud" in a and "fraud" in b


def test_taxonomy_duplicate_id_refused() -> None:
    text = ("categories:\n  - {id: a, summary: x, terms: [y]}\n"
            "  - {id: a, summary: z, terms: [w]}\n")
    with pytest.raises(DataFileError, match="duplicate category id 'a'") as caught:
        load_taxonomy("tax.yaml", text=text)
    assert caught.value.line == 3


def test_taxonomy_conduct_articles_are_convention_offences() -> None:
    for category in conduct_taxonomy().categories.values():
        assert category.convention_article is None or 7 <= category.convention_article <= 17
