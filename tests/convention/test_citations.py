"""Paragraphs are cited by the ids articles.yaml gives them, never by number in the code, so
that a recalled [R] paragraph number corrected in the data is corrected everywhere."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from treatydesk.convention import convention, load_convention, ref
from treatydesk.errors import NotFound

SRC = Path(__file__).resolve().parents[2] / "src" / "treatydesk"
MINI = Path(__file__).parent / "fixtures" / "mini"
#: a citation with a paragraph: "40(14)", "2(h)", "41(3)(e)"
_PARAGRAPH_CITATION = re.compile(r"\b\d{1,2}\((?:\d{1,2}|[a-z])\)")
#: strings that show the citation format itself, not a citation of the Convention
_FORMAT_EXAMPLES = {("convention/model.py", "expected a form such as 40, 40(15), 40(15)(c)")}


def test_ids_give_the_references_of_the_data() -> None:
    assert ref("mla_contents_facts") == "40(15)(c)"
    assert ref("serious_crime_defined") == "2(h)"
    assert ref("network_24_7_emergency_data") == "41(3)(e)"
    # each id names a paragraph or subparagraph the data lists, and no two share a reference
    treaty = convention()
    assert len(set(treaty.citations.values())) == len(treaty.citations)
    for reference in treaty.citations.values():
        assert treaty.check_reference(reference) == reference


def test_an_article_number_is_cited_as_it_is() -> None:
    assert ref("43") == "43"
    with pytest.raises(NotFound, match="article 99 does not exist"):
        ref("99")


def test_a_paragraph_number_is_not_an_id() -> None:
    # code cannot bypass the data by writing the number
    with pytest.raises(NotFound, match=r"no paragraph with citation id '40\(14\)'"):
        ref("40(14)")


def test_an_unknown_id_gets_suggestions() -> None:
    with pytest.raises(NotFound) as caught:
        ref("mla_contents_fact")
    assert "mla_contents_facts" in caught.value.suggestions


def test_a_corrected_number_in_the_data_is_what_citations_give(tmp_path: Path) -> None:
    text = (MINI / "articles.yaml").read_text(encoding="utf-8")
    # the bundled data is not touched: a copy of the small test data with one letter moved
    moved = text.replace("          - label: a\n            id: request_authority",
                         "          - label: c\n            id: request_authority")
    assert moved != text
    (tmp_path / "articles.yaml").write_text(moved, encoding="utf-8")
    before = load_convention(MINI / "articles.yaml", MINI / "figures.yaml")
    after = load_convention(tmp_path / "articles.yaml", MINI / "figures.yaml")
    assert before.cite("request_authority") == "5(1)(a)"
    assert after.cite("request_authority") == "5(1)(c)"


def _docstring_nodes(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def test_no_paragraph_number_is_written_in_the_code() -> None:
    """Every string the code shows or stores (messages, sentences, citations, field help) gets
    its paragraph numbers from the data; comments and docstrings may still name them."""
    written: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = _docstring_nodes(tree)
        where = path.relative_to(SRC).as_posix()
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docstrings and _PARAGRAPH_CITATION.search(node.value)
                    and not any(where == file and example in node.value
                                for file, example in _FORMAT_EXAMPLES)):
                written.append(f"{where}:{node.lineno}: {node.value!r}")
    assert written == [], "\n".join(written)
