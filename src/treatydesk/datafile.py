"""Strict readers for the project's data files (YAML and CSV).

Every data file in TreatyDesk (the Convention, party profiles, policy packs, rule test cases) is
read through here so that one set of rules holds everywhere: a problem names the file and line,
and nothing is silently accepted. PyYAML on its own overwrites duplicate keys, expands aliases
(the "billion laughs" attack) and builds arbitrary tags; this module refuses all three.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml._yaml import CParser
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from treatydesk.errors import OBJECT_EXPECTED_TYPES, DataFileError, ErrorItem, value_kind

#: largest YAML file accepted; the Convention data is well under 100 kB
MAX_YAML_BYTES = 5 * 1024 * 1024
#: largest CSV file accepted (imported indicator datasets are bigger than our YAML)
MAX_CSV_BYTES = 20 * 1024 * 1024
#: deepest nesting accepted; PyYAML's composer recurses per level, so a hostile `[[[[...` file
#: would otherwise exhaust the interpreter's stack
MAX_YAML_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
#: scalar tags whose values are plain data; anything else (!!binary, !!python/..., custom tags)
#: is refused rather than constructed
_PLAIN_SCALAR_TAGS = frozenset(
    {
        _STR,
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:timestamp",
    }
)
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

PathKey = tuple[str | int, ...]
T = TypeVar("T", bound=BaseModel)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _read_text(path: Path | str, text: str | None, cap: int) -> tuple[str, str]:
    """Returns (file name for messages, decoded text), refusing oversize or non-UTF-8 input."""
    name = str(path)
    if text is not None:
        if len(text) > cap or len(text.encode("utf-8", errors="surrogatepass")) > cap:
            raise DataFileError(f"file is larger than the {cap} byte limit", file=name)
        return name, text
    try:
        with open(path, "rb") as handle:
            # read one byte past the cap so an oversize file is detected without reading it all
            raw = handle.read(cap + 1)
    except OSError as error:
        raise DataFileError(f"cannot read file ({error.strerror or error})", file=name) from error
    if len(raw) > cap:
        raise DataFileError(f"file is larger than the {cap} byte limit", file=name)
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise DataFileError(
            f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})",
            file=name, line=line,
        ) from error
    return name, decoded.removeprefix("\ufeff")


# --------------------------------------------------------------------------------------- YAML


class _StrictLoader(Composer, CParser, SafeConstructor, Resolver):
    """A safe loader that refuses anchors and aliases and limits nesting while composing nodes.
    libyaml's parser (CParser) reads the text into events; PyYAML's composer, placed before it,
    builds the nodes from those events, so that every node passes `compose_node` below (the
    pure-Python parser took about a quarter of a second for the Convention's data, at every
    start of the CLI)."""

    def __init__(self, stream: str, file: str) -> None:
        CParser.__init__(self, stream)
        Composer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)
        self._file = file
        self._depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        line = event.start_mark.line + 1 if event is not None and event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            raise DataFileError(
                f"aliases (*{event.anchor}) are not allowed in data files", file=self._file,
                line=line,
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise DataFileError(
                f"anchors (&{anchor}) are not allowed in data files", file=self._file, line=line
            )
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise DataFileError(
                f"nesting deeper than {MAX_YAML_DEPTH} levels", file=self._file, line=line
            )
        node = super().compose_node(parent, index)
        self._depth -= 1
        return node


@dataclass(frozen=True)
class YamlDocument:
    """A parsed YAML file: plain data plus the line of every node, for error messages."""

    data: Any
    file: str
    _lines: dict[PathKey, int] = field(default_factory=dict, repr=False, compare=False)

    def line_of(self, path: PathKey) -> int | None:
        """1-based line of the node at `path`, or of its nearest parent that exists."""
        current = tuple(path)
        while True:
            line = self._lines.get(current)
            if line is not None:
                return line
            if not current:
                return None
            current = current[:-1]

    def location(self, path: PathKey) -> str:
        """`file:line` for the node at `path` (nearest parent if it is absent)."""
        line = self.line_of(path)
        return f"{self.file}:{line}" if line is not None else self.file


class _Builder:
    """Turns a composed node tree into plain Python data, recording lines and refusing what
    PyYAML would otherwise accept silently (duplicate keys, non-string keys, exotic tags)."""

    def __init__(self, loader: _StrictLoader, file: str) -> None:
        self._loader = loader
        self._file = file
        self.lines: dict[PathKey, int] = {}

    def build(self, node: Node, path: PathKey, line: int) -> Any:
        self.lines[path] = line
        if isinstance(node, MappingNode):
            return self._mapping(node, path)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                raise self._error(f"tag {node.tag} is not allowed", node)
            return [
                self.build(item, (*path, index), item.start_mark.line + 1)
                for index, item in enumerate(node.value)
            ]
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        raise self._error(f"unsupported YAML node {type(node).__name__}", node)

    def _mapping(self, node: MappingNode, path: PathKey) -> dict[str, Any]:
        if node.tag != _MAP:
            raise self._error(f"tag {node.tag} is not allowed", node)
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag != _STR:
                shown = key_node.value if isinstance(key_node, ScalarNode) else "a collection"
                hint = "merge keys are not allowed" if shown == "<<" else "quote it if it is one"
                raise self._error(f"mapping key {shown!r} is not a string ({hint})", key_node)
            key = str(key_node.value)
            if key in result:
                raise self._error(
                    f"duplicate key {key!r} (first defined on line {first_line[key]})", key_node
                )
            first_line[key] = key_line
            # a value's line is its key's line: for nested mappings that is where a reader looks
            result[key] = self.build(value_node, (*path, key), key_line)
        return result

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag not in _PLAIN_SCALAR_TAGS:
            raise self._error(f"tag {node.tag} is not allowed", node)
        try:
            value = self._loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as error:
            raise self._error(f"malformed value {node.value!r} ({error})", node) from error
        if not isinstance(value, str | int | float | bool | date | datetime | type(None)):
            raise self._error(f"value {node.value!r} is not plain data", node)
        return value

    def _error(self, message: str, node: Node) -> DataFileError:
        return DataFileError(message, file=self._file, line=node.start_mark.line + 1)


def load_yaml(path: Path | str, *, text: str | None = None) -> YamlDocument:
    """Reads one YAML document safely. `text`, when given, is parsed instead of reading `path`
    (which then only names the source in messages)."""
    name, content = _read_text(path, text, MAX_YAML_BYTES)
    loader = _StrictLoader(content, name)
    try:
        root = loader.get_single_node()
        if root is None:
            return YamlDocument(data=None, file=name, _lines={})
        builder = _Builder(loader, name)
        data = builder.build(root, (), root.start_mark.line + 1)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(part for part in (error.context, error.problem) if part)
        raise DataFileError(f"YAML syntax error: {problem}", file=name, line=line) from error
    except yaml.YAMLError as error:
        raise DataFileError(f"YAML error: {error}", file=name) from error
    finally:
        loader.dispose()
    return YamlDocument(data=data, file=name, _lines=builder.lines)


# ------------------------------------------------------------------------------ pydantic models


def _dotted(path: Sequence[str | int]) -> str:
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(root)"


def _message(error: Any) -> str:
    """Pydantic's message, reworded for the two cases data-file authors meet most."""
    kind = error.get("type")
    if kind == "extra_forbidden":
        return "unknown key (not allowed here)"
    if kind == "missing":
        return "missing required key"
    if kind in OBJECT_EXPECTED_TYPES:
        return f"expected keys with values (key: value), got {value_kind(error.get('input'))}"
    return str(error.get("msg", "invalid value"))


def parse_model(model: type[T], doc: YamlDocument, *, path: PathKey = ()) -> T:
    """Validates the document (or the sub-tree at `path`) with a pydantic model. Every problem
    becomes one ErrorItem `file:line: field.path`; all are raised together."""
    data = doc.data
    for depth, part in enumerate(path):
        missing = (
            not isinstance(data, dict) or part not in data
            if isinstance(part, str)
            else not isinstance(data, list) or not 0 <= part < len(data)
        )
        if missing:
            raise DataFileError(
                f"no {_dotted(path[: depth + 1])} in this file", file=doc.file,
                line=doc.line_of(path[:depth]),
            )
        data = data[part]
    try:
        return model.model_validate(data)
    except ValidationError as error:
        items: list[ErrorItem] = []
        for detail in error.errors():
            full = (*path, *(part for part in detail["loc"]))
            items.append(ErrorItem(f"{doc.location(full)}: {_dotted(full)}", _message(detail)))
        raise DataFileError(
            _plural(len(items), "problem"), file=doc.file, items=items
        ) from error


# ---------------------------------------------------------------------------------------- CSV


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One data row: the line it starts on (1-based, header is line 1) and its values by column.
    Optional columns absent from the header read as ""."""

    line: int
    values: dict[str, str]


def read_csv(
    path: Path | str,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
    text: str | None = None,
) -> list[CsvRow]:
    """Reads a CSV file with a header row, strictly: every problem names the file and line."""
    name, content = _read_text(path, text, MAX_CSV_BYTES)
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        previous_end = 0
        for record in reader:
            # a quoted field may span lines: the row starts right after the previous one ended
            start, previous_end = previous_end + 1, reader.line_num
            if record:
                rows.append((start, record))
    except csv.Error as error:
        raise DataFileError(
            f"malformed CSV ({error})", file=name, line=max(reader.line_num, 1)
        ) from error
    if not rows:
        raise DataFileError("file is empty: a header row is required", file=name, line=1)

    header_line, header = rows[0]
    known = list(required) + [column for column in optional if column not in required]
    problems: list[ErrorItem] = []
    where = f"{name}:{header_line}"
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(ErrorItem(where, f"duplicate column {column!r}"))
        seen.add(column)
        if column not in known:
            problems.append(ErrorItem(
                where, f"unknown column {column!r} (expected: {', '.join(known)})"
            ))
    for column in required:
        if column not in seen:
            problems.append(ErrorItem(where, f"missing required column {column!r}"))
    if problems:
        raise DataFileError(
            f"bad header: {_plural(len(problems), 'problem')}", file=name, line=header_line,
            items=problems,
        )

    result: list[CsvRow] = []
    for line, record in rows[1:]:
        if len(record) != len(header):
            problems.append(ErrorItem(
                f"{name}:{line}", f"{len(record)} fields, the header has {len(header)}"
            ))
            continue
        values = dict(zip(header, record, strict=True))
        for column in optional:
            values.setdefault(column, "")
        result.append(CsvRow(line=line, values=values))
    if problems:
        raise DataFileError(
            _plural(len(problems), "problem"), file=name, items=problems,
        )
    return result
