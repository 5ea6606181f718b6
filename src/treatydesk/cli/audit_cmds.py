"""`treatydesk audit verify` and `treatydesk audit export PATH`: operator commands over the
whole audit chain of this deployment (see docs/audit-chain.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from treatydesk.cli.common import JsonOption, open_database
from treatydesk.cli.output import console, print_json
from treatydesk.errors import AuditChainBroken
from treatydesk.services.audit import export_chain, verify_chain

audit_app = typer.Typer(
    name="audit", help="Verify and export the tamper-evident audit trail.",
    no_args_is_help=True,
)



@audit_app.command("verify")
def verify_command(as_json: JsonOption = False) -> None:
    """Check every entry's hash and link and the recorded head; exit 2 at the first break."""
    with open_database() as db:
        result = verify_chain(db)
    if as_json:
        print_json(result.as_dict())
    if not result.ok:
        raise AuditChainBroken(
            f"audit chain broken at seq {result.first_bad_seq} "
            f"({result.reason.value if result.reason else 'unknown'}): {result.explanation}; "
            f"{result.count} entries before it verify"
        )
    if not as_json:
        console.print(f"chain verified: {result.count} entries, head {result.head_hash}")


@audit_app.command("export")
def export_command(
    path: Annotated[Path, typer.Argument(help="File to write (JSON Lines with a head record).")],
    as_json: JsonOption = False,
) -> None:
    """Write the whole chain for an outside verifier and record the export in the trail."""
    with open_database() as db:
        summary = export_chain(db, path)
    if as_json:
        print_json(
            {"path": str(summary.path), "count": summary.count, "head_hash": summary.head_hash}
        )
    else:
        console.print(
            f"exported {summary.count} entries to {summary.path}, head {summary.head_hash}"
        )


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app)
