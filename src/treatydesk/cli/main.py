"""The `treatydesk` command. Each command family lives in its own module and registers itself
here; `run()` is the one place where core errors become CLI errors (message, exit code 2)."""

from __future__ import annotations

import sys

import typer
from rich.markup import escape

from treatydesk.cli import (
    audit_cmds,
    check_cmds,
    convention_cmds,
    desk_cmds,
    org_cmds,
    request_cmds,
    status_cmds,
)
from treatydesk.cli.output import err_console
from treatydesk.errors import TreatyDeskError

app = typer.Typer(
    name="treatydesk",
    help="Cooperation requests under the UN Convention against Cybercrime, checked article by "
    "article, and the Convention's status.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (desk_cmds, convention_cmds, status_cmds, request_cmds, check_cmds, audit_cmds,
               org_cmds):
    module.register(app)

#: exit code for any error TreatyDesk reports on purpose (bad input, unavailable source...)
EXIT_ERROR = 2


def run(argv: list[str] | None = None) -> None:
    try:
        app(args=argv, standalone_mode=True)
    except TreatyDeskError as error:
        err_console.print(f"[bold red]error:[/] {escape(str(error))}", markup=True,
                          highlight=False)
        sys.exit(EXIT_ERROR)
