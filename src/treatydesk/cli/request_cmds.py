"""`treatydesk request template|validate`: draft and check a request against its article."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from treatydesk.cli.common import JsonOption
from treatydesk.cli.output import console, err_console, print_json
from treatydesk.cooperation.contents import missing_contents
from treatydesk.cooperation.kinds import KIND_ARTICLES, RequestKind
from treatydesk.cooperation.request import parse_request
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


def read_request_file(path: Path) -> bytes:
    """The raw bytes of a request file (or stdin for "-"), errors naming the file."""
    if str(path) == "-":
        return typer.get_binary_stream("stdin").read()
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read file ({error.strerror or error})") from error


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
    its kind requires and lacks. Exit 2 on any problem."""
    source = str(file)
    problems: list[ErrorItem] = []
    missing: list[dict[str, str]] = []
    kind: str | None = None
    error_message: str | None = None
    try:
        request = parse_request(read_request_file(file), source=source)
    except TreatyDeskError as error:
        error_message = error.message
        problems = list(error.items)
    else:
        kind = request.kind.value
        missing = [item.as_dict() for item in missing_contents(request)]
    valid = error_message is None and not missing
    if as_json:
        print_json({
            "file": source, "valid": valid, "kind": kind,
            "error": error_message,
            "problems": [item.as_dict() for item in problems],
            "missing_contents": missing,
        })
    else:
        if error_message is not None:
            err_console.print(f"[bold red]invalid:[/] {error_message}", markup=True)
            for item in problems:
                err_console.print(f"  {item.location}: {item.message}", markup=False)
        for item in missing:
            err_console.print(
                f"[yellow]missing[/] {item['field_path']} (Art {item['article']}): "
                f"{item['what']}", markup=True)
        if valid and kind is not None:
            articles = ", ".join(KIND_ARTICLES[RequestKind(kind)])
            console.print(f"valid: {source} is a complete {kind} request (Art {articles})")
    if not valid:
        raise typer.Exit(EXIT_PROBLEMS)


def register(app: typer.Typer) -> None:
    app.add_typer(request_app, name="request")
