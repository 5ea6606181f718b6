"""The strict data-file toolkit: YAML loading, model validation and CSV reading."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

import treatydesk
from treatydesk.datafile import (
    MAX_CSV_BYTES,
    MAX_YAML_BYTES,
    CsvRow,
    load_yaml,
    parse_model,
    read_csv,
)
from treatydesk.errors import DataFileError

# ------------------------------------------------------------------------------------ YAML


def test_load_yaml_plain_data_and_lines(tmp_path: Path) -> None:
    source = tmp_path / "d.yaml"
    source.write_text("name: x\nitems:\n  - id: a\n    when: 2025-10-25\n  - id: b\n", "utf-8")
    doc = load_yaml(source)
    assert doc.data == {"name": "x", "items": [{"id": "a", "when": date(2025, 10, 25)},
                                               {"id": "b"}]}
    assert doc.file == str(source)
    assert doc.line_of(()) == 1
    assert doc.line_of(("items",)) == 2
    assert doc.line_of(("items", 0, "when")) == 4
    assert doc.line_of(("items", 1)) == 5
    # an absent node falls back to its nearest parent
    assert doc.line_of(("items", 1, "missing", 3)) == 5
    assert doc.location(("items", 0)) == f"{source}:3"


def test_load_yaml_text_argument_and_empty_document() -> None:
    assert load_yaml("inline.yaml", text="- 1\n- 2.5\n- true\n- null\n").data == [1, 2.5, True,
                                                                                   None]
    empty = load_yaml("empty.yaml", text="")
    assert empty.data is None
    assert empty.line_of(("x",)) is None


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    source = tmp_path / "bom.yaml"
    source.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load_yaml(source).data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a' (first defined on line 1)"),
        ("top:\n  inner:\n    k: 1\n    k: 2\n", 4, "duplicate key 'k'"),
        ("- {x: 1, x: 2}\n", 1, "duplicate key 'x'"),
        ("1: one\n", 1, "is not a string"),
        ("? [a, b]\n: 1\n", 1, "is not a string"),
        ("<<: {a: 1}\n", 1, "merge keys are not allowed"),
        ("a: &anchor 1\n", 1, "anchors (&anchor) are not allowed"),
        ("a: [1, 2]\nb: *nowhere\n", 2, "aliases (*nowhere) are not allowed"),
        ("a: !!binary aGk=\n", 1, "tag tag:yaml.org,2002:binary is not allowed"),
        ("a: !!python/object/apply:os.system ['true']\n", 1, "is not allowed"),
        ("a: !custom 1\n", 1, "tag !custom is not allowed"),
        ("a: !!set {x}\n", 1, "is not allowed"),
        ("a: 2025-02-30\n", 1, "malformed value"),
        ("a: [1, 2\nb: 3\n", 2, "YAML syntax error"),
        ("a: 1\n---\nb: 2\n", 2, "single document"),
        ("key: value\n  bad indent: 1\n", 2, "YAML syntax error"),
    ],
)
def test_load_yaml_refuses(text: str, line: int, words: str) -> None:
    with pytest.raises(DataFileError) as caught:
        load_yaml("bad.yaml", text=text)
    assert caught.value.file == "bad.yaml"
    assert caught.value.line == line
    assert words in str(caught.value)


def test_billion_laughs_is_refused_before_expansion() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb += f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]\n"
    with pytest.raises(DataFileError, match="anchors"):
        load_yaml("bomb.yaml", text=bomb)


@pytest.mark.parametrize(("depth", "words"), [
    (100, "nesting deeper than 64 levels"),
    # libyaml stops far deeper nesting while parsing, before any node is built
    (5000, "exceeded maximum nesting depth"),
])
def test_deep_nesting_is_refused(depth: int, words: str) -> None:
    with pytest.raises(DataFileError, match=words) as caught:
        load_yaml("deep.yaml", text="[" * depth + "]" * depth)
    assert caught.value.file == "deep.yaml" and caught.value.line == 1


def test_oversize_and_non_utf8_files(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * MAX_YAML_BYTES + b"\n")
    with pytest.raises(DataFileError, match="larger than"):
        load_yaml(big)
    with pytest.raises(DataFileError, match="larger than"):
        load_yaml("big.yaml", text="x" * (MAX_YAML_BYTES + 1))
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(DataFileError) as caught:
        load_yaml(latin)
    assert caught.value.line == 2
    assert "not valid UTF-8" in str(caught.value)


def test_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        load_yaml(tmp_path / "absent.yaml")
    assert "absent.yaml" in str(caught.value)
    assert "cannot read" in str(caught.value)


# ------------------------------------------------------------------------------ parse_model


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    count: int


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    title: str
    items: list[_Item]


def test_parse_model_valid_and_sub_tree() -> None:
    doc = load_yaml("m.yaml", text="title: t\nitems:\n  - {id: a, count: 1}\n")
    parsed = parse_model(_File, doc)
    assert parsed.items[0] == _Item(id="a", count=1)
    assert parse_model(_Item, doc, path=("items", 0)).id == "a"


def test_parse_model_reports_every_problem_with_file_line_and_path() -> None:
    text = (
        "title: t\n"
        "colour: red\n"          # unknown key, line 2
        "items:\n"
        "  - id: a\n"
        "    count: many\n"      # wrong type, line 5
        "  - id: b\n"            # missing count, reported on the item's line 6
    )
    doc = load_yaml("m.yaml", text=text)
    with pytest.raises(DataFileError) as caught:
        parse_model(_File, doc)
    error = caught.value
    assert error.message == "m.yaml: 3 problems"
    rendered = sorted(str(item) for item in error.items)
    assert rendered == [
        "m.yaml:2: colour: unknown key (not allowed here)",
        "m.yaml:5: items[0].count: Input should be a valid integer, unable to parse string "
        "as an integer",
        "m.yaml:6: items[1].count: missing required key",
    ]


def test_a_list_where_keys_are_expected_is_named_in_the_authors_words() -> None:
    # pydantic would say "instance of _Item", a Python class name the author never sees
    doc = load_yaml("m.yaml", text="title: t\nitems:\n  - [a, 1]\n  - plain words\n")
    with pytest.raises(DataFileError) as caught:
        parse_model(_File, doc)
    rendered = sorted(str(item) for item in caught.value.items)
    assert rendered == [
        "m.yaml:3: items[0]: expected keys with values (key: value), got a list",
        "m.yaml:4: items[1]: expected keys with values (key: value), got a string",
    ]
    assert "_Item" not in str(caught.value)


def test_parse_model_missing_path_and_wrong_root() -> None:
    doc = load_yaml("m.yaml", text="title: t\nitems: []\n")
    with pytest.raises(DataFileError, match="no items\\[3\\]"):
        parse_model(_Item, doc, path=("items", 3))
    with pytest.raises(DataFileError, match="no other"):
        parse_model(_Item, doc, path=("other",))
    listed = load_yaml("l.yaml", text="- 1\n")
    with pytest.raises(DataFileError) as caught:
        parse_model(_File, listed)
    assert "l.yaml:1: (root)" in str(caught.value)


# ------------------------------------------------------------------------------------- CSV


def test_read_csv_rows_and_lines(tmp_path: Path) -> None:
    source = tmp_path / "p.csv"
    source.write_text('code,name,note\nAT,Austria,"two\nlines"\n\nBE,Belgium,\n', "utf-8")
    rows = read_csv(source, required=["code", "name"], optional=["note", "source"])
    assert rows == [
        CsvRow(line=2, values={"code": "AT", "name": "Austria", "note": "two\nlines",
                               "source": ""}),
        CsvRow(line=5, values={"code": "BE", "name": "Belgium", "note": "", "source": ""}),
    ]


def test_read_csv_packaged_data_file() -> None:
    # the packaged copy of shared/data/comparables.csv (a status test keeps them identical)
    comparables = Path(treatydesk.__file__).parent / "status" / "data" / "comparables.csv"
    header = comparables.read_text("utf-8").splitlines()[0].split(",")
    rows = read_csv(comparables, required=header)
    assert rows and rows[0].line == 2


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("code,name,extra\nAT,Austria,x\n", 1, "unknown column 'extra'"),
        ("code\nAT\n", 1, "missing required column 'name'"),
        ("code,name,code\nAT,Austria,AT\n", 1, "duplicate column 'code'"),
        ("", 1, "header row is required"),
        ("code,name\nAT,Austria\nBE\n", None, "f.csv:3: 1 fields, the header has 2"),
        ("code,name\nAT,Austria,oops\n", None, "f.csv:2: 3 fields"),
        ('code,name\nAT,"Aus"tria\n', 2, "malformed CSV"),
        ('code,name\nAT,"Austria\n', 2, "malformed CSV"),
    ],
)
def test_read_csv_refuses(text: str, line: int | None, words: str) -> None:
    with pytest.raises(DataFileError) as caught:
        read_csv("f.csv", required=["code", "name"], text=text)
    assert caught.value.file == "f.csv"
    assert caught.value.line == line
    assert words in str(caught.value)


def test_read_csv_reports_all_bad_rows_together() -> None:
    with pytest.raises(DataFileError) as caught:
        read_csv("f.csv", required=["a", "b"], text="a,b\n1\n2,3\n4,5,6\n")
    assert [item.location for item in caught.value.items] == ["f.csv:2", "f.csv:4"]


def test_read_csv_non_utf8_and_oversize(tmp_path: Path) -> None:
    latin = tmp_path / "l.csv"
    latin.write_bytes(b"a,b\n1,2\n3,caf\xe9\n")
    with pytest.raises(DataFileError) as caught:
        read_csv(latin, required=["a", "b"])
    assert caught.value.line == 3
    assert "UTF-8" in str(caught.value)
    big = tmp_path / "big.csv"
    big.write_bytes(b"a,b\n" + b"1,2\n" * (MAX_CSV_BYTES // 4 + 1))
    with pytest.raises(DataFileError, match="larger than"):
        read_csv(big, required=["a", "b"])
