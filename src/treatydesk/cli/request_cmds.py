"""`treatydesk request template|validate`: draft and check a request against its article."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from rich.markup import escape

from treatydesk.cli.common import JsonOption
from treatydesk.cli.output import console, err_console, print_json
from treatydesk.cooperation.contents import MissingItem, is_complete, missing_contents
from treatydesk.cooperation.kinds import KIND_ARTICLES, RequestKind
from treatydesk.cooperation.request import MAX_REQUEST_BYTES, parse_request
from treatydesk.cooperation.template import request_template
from treatydesk.errors import ErrorItem, InvalidInput, NotFound, TreatyDeskError

request_app = typer.Typer(help="Draft and validate cooperation requests.", no_args_is_help=True)

EXIT_PROBLEMS = 2


def _kind(value: str) -> RequestKind:
    try:
        return RequestKind(value)
    except ValueError:
        raise NotFound(
            f"unknown request kind {value!r}",
            suggestions=[kind.value for kind in RequestKind],
        ) from None


def is_stdin(path: Path) -> bool:
    return str(path) == "-"


def source_name(path: Path) -> str:
    """How messages name the input: "stdin" for "-" (a bare "-:1:5" reads as noise)."""
    return "stdin" if is_stdin(path) else str(path)


def read_request_file(path: Path) -> bytes:
    """The raw bytes of a request file (or stdin for "-"), errors naming the file. At most one
    byte more than a request may have is read, so the size check that follows refuses an
    endless or huge input without reading it all; pipes and devices are refused by name (a
    FIFO would block, /dev/zero never ends)."""
    if is_stdin(path):
        return typer.get_binary_stream("stdin").read(MAX_REQUEST_BYTES + 1)
    try:
        with open_regular_file(path) as handle:
            return handle.read(MAX_REQUEST_BYTES + 1)
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read file ({error.strerror or error})") from error


@contextmanager
def open_regular_file(path: Path, *, wanted: str = "a request file") -> Iterator[BinaryIO]:
    """`path` opened for reading once it is known to be a regular file (InvalidInput, saying
    what to give instead, otherwise; OSError when it cannot be read)."""
    if not stat.S_ISREG(path.stat().st_mode):
        raise InvalidInput(f"{path}: not a regular file (a directory, pipe or device); give "
                           f"{wanted}")
    with path.open("rb") as handle:
        yield handle


@request_app.command("template")
def template(
    kind: Annotated[str, typer.Argument(help="Kind of request: " + ", ".join(RequestKind))],
) -> None:
    """Print a fillable JSON skeleton of a request of KIND, with help for every field."""
    print_json(request_template(_kind(kind)))


@request_app.command("validate")
def validate(
    file: Annotated[Path, typer.Argument(help="Request JSON file ('-' for stdin)")],
    as_json: JsonOption = False,
) -> None:
    """List every problem of a request: shape errors with their JSON path, then the contents
    its kind requires and lacks, and what it does not give of the contents asked only where
    possible (these are listed but do not fail it). Exit 2 on any problem."""
    source = source_name(file)
    problems: list[ErrorItem] = []
    missing: list[MissingItem] = []
    kind: str | None = None
    error_message: str | None = None
    try:
        request = parse_request(read_request_file(file), source=source)
    except TreatyDeskError as error:
        error_message = error.message
        problems = list(error.items)
    else:
        kind = request.kind.value
        missing = missing_contents(request)
    valid = error_message is None and is_complete(missing)
    if as_json:
        print_json({
            "file": source, "valid": valid, "kind": kind,
            "complete": None if error_message is not None else is_complete(missing),
            "error": error_message,
            "problems": [item.as_dict() for item in problems],
            "missing_contents": [item.as_dict() for item in missing],
        })
    else:
        if error_message is not None:
            err_console.print(f"[bold red]invalid:[/] {escape(error_message)}", markup=True)
            for item in problems:
                err_console.print(f"  {item.location}: {item.message}")
        for item in missing:
            label = "[cyan]where possible[/]" if item.where_possible else "[yellow]missing[/]"
            err_console.print(
                f"{label} {escape(item.field_path)} (Art {item.article}): "
                f"{escape(item.what)}", markup=True)
        if valid and kind is not None:
            articles = ", ".join(KIND_ARTICLES[RequestKind(kind)])
            console.print(f"valid: {source} is a complete {kind} request (Art {articles})")
    if not valid:
        raise typer.Exit(EXIT_PROBLEMS)


def register(app: typer.Typer) -> None:
    app.add_typer(request_app, name="request")
