"""`treatydesk org create|list|rename`: the deployment operator's commands over the
organisations (desks) this server hosts. Not in the web UI or the API on purpose: an
organisation's administrator must not learn about other tenants."""

from __future__ import annotations

from typing import Annotated

import typer

from treatydesk.cli.common import JsonOption, open_database
from treatydesk.cli.output import console, print_json
from treatydesk.services.organisations import (
    OrganisationView,
    create_organisation,
    list_organisations,
    rename_organisation,
)

org_app = typer.Typer(
    name="org",
    help="Organisations hosted by this deployment (operator only: run on the server).",
    no_args_is_help=True,
)



def _line(view: OrganisationView) -> str:
    return (f"{view.id}  {view.name}  (users: {view.users}, active admins: "
            f"{view.active_admins}, created {view.created_at:%Y-%m-%d %H:%M} UTC)")


@org_app.command("create")
def create_command(
    name: Annotated[str, typer.Argument(help="The organisation's name (unique).")],
    admin: Annotated[str | None, typer.Option(
        "--admin", metavar="USERNAME",
        help="Username of its first administrator (default: admin-<name>).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Create an organisation and its first administrator; print the administrator's
    generated password once (it is stored only as an argon2 hash)."""
    with open_database() as db:
        created = create_organisation(db, name=name, admin_username=admin)
    # printed once to the operator's terminal only; never logged, never stored in clear
    if as_json:
        print_json({"organisation": created.organisation.public(),
                    "admin": {"username": created.admin_username,
                              "password": created.admin_password}})
        return
    console.print(f"created organisation {_line(created.organisation)}")
    console.print(
        f"FIRST SIGN-IN for {created.organisation.name} (shown once, hand it over securely): "
        f"username {created.admin_username}  password {created.admin_password}")


@org_app.command("list")
def list_command(as_json: JsonOption = False) -> None:
    """Every organisation of this deployment with its number of users and active admins."""
    with open_database() as db:
        found = list_organisations(db)
    if as_json:
        print_json([view.public() for view in found])
    elif not found:
        console.print("no organisations yet (`treatydesk init` creates the first one)")
    else:
        for view in found:
            console.print(_line(view))


@org_app.command("rename")
def rename_command(
    org_id: Annotated[int, typer.Argument(metavar="ID", min=1, help="From `org list`.")],
    name: Annotated[str, typer.Argument(help="The new name (unique).")],
    as_json: JsonOption = False,
) -> None:
    """Give an organisation a new name (recorded in the audit trail with the old one)."""
    with open_database() as db:
        view = rename_organisation(db, org_id, name=name)
    if as_json:
        print_json(view.public())
    else:
        console.print(f"renamed: {_line(view)}")


def register(app: typer.Typer) -> None:
    app.add_typer(org_app)
