"""`treatydesk status ...`: the Convention's status from the stored depositary snapshots.

Only input and output live here; the operations are in `treatydesk.services.status` and
the rules in `treatydesk.status`. Every error is a TreatyDeskError, which `cli.main.run` prints
as one line with exit code 2.
"""

from __future__ import annotations

import csv
import sys
from datetime import date
from typing import Any

import typer
from rich.table import Table

from treatydesk.cli.common import JsonOption, open_database
from treatydesk.cli.output import console, print_json, visible
from treatydesk.errors import InvalidInput
from treatydesk.services import status as status_service
from treatydesk.status.participants import find_participant
from treatydesk.status.projection import load_comparables, project
from treatydesk.store import status_repo
from treatydesk.untc.fetch import XVIII_16_URL

DEFAULT_TREATY = status_repo.DEFAULT_TREATY

TREATY_OPTION = typer.Option(DEFAULT_TREATY, "--treaty", help="Depositary reference.")

CSV_COLUMNS = ("key", "name", "is_reio", "signature", "consent", "consent_kind", "in_force_from")


#: the days the status views compute for (entry-into-force dates run 90 days and more past
#: the day asked; the calendar ends in 9999)
_DAYS = (date(1900, 1, 1), date(2200, 12, 31))
#: the largest snapshot id or offset (SQLite's integers are 64-bit)
_MAX_ID = 2**63 - 1


def _day(text: str | None, option: str) -> date:
    if text is None:
        return date.today()
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{option}: {text!r} is not a date (expected YYYY-MM-DD)") from None
    if not _DAYS[0] <= day <= _DAYS[1]:
        raise InvalidInput(f"{option}: {text} is outside {_DAYS[0]} to {_DAYS[1]}")
    return day


def _in_range(name: str, value: int | None, least: int) -> None:
    """Ids and offsets within what the database stores (64-bit integers)."""
    if value is not None and not least <= value <= _MAX_ID:
        raise InvalidInput(f"{name} {value} is out of range ({least} to {_MAX_ID})")


def _csv_cell(value: object) -> str:
    """A cell as a spreadsheet may open it safely: control characters escaped, and text that
    would start a formula (= + - @) quoted with a leading apostrophe (OWASP's advice)."""
    text = visible("" if value is None else str(value))
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def _shown(value: date | None) -> str:
    return value.isoformat() if value is not None else "-"


def _print_import(result: status_service.ImportResult) -> None:
    snapshot = result.snapshot
    if result.unchanged:
        console.print(
            f"{snapshot.treaty.reference}: identical to stored snapshot #{result.snapshot_id}; "
            "nothing stored",
        )
        return
    console.print(
        f"stored snapshot #{result.snapshot_id} of {snapshot.treaty.reference}: "
        f"{len(snapshot.participants)} participants from {snapshot.source}, retrieved "
        f"{snapshot.retrieved_at.isoformat(timespec='seconds')}",
    )
    for warning in snapshot.warnings:
        console.print(f"warning: {warning}")
    if result.diff is None:
        console.print("first snapshot of this treaty: nothing to compare with")
        return
    console.print(f"changes since snapshot #{result.previous_id}:")
    for line in result.diff.lines():
        console.print(f"  {line}")


def register(app: typer.Typer) -> None:
    status_app = typer.Typer(
        help="The Convention's signatures, ratifications and entry into force (Art 65), from "
        "the depositary's record (UN Treaty Collection XVIII-16).",
        no_args_is_help=False,
    )
    app.add_typer(status_app, name="status")

    @status_app.callback(invoke_without_command=True)
    def status(
        ctx: typer.Context,
        treaty: str = TREATY_OPTION,
        on: str | None = typer.Option(None, "--on", help="As of this day (YYYY-MM-DD); "
                                      "default today."),
        as_json: JsonOption = False,
        as_csv: bool = typer.Option(False, "--csv", help="Print the participant table as CSV."),
    ) -> None:
        """Entry-into-force position, counts and the participant table."""
        if ctx.invoked_subcommand is not None:
            return
        if as_json and as_csv:
            raise InvalidInput("choose one of --json and --csv")
        day = _day(on, "--on")
        with open_database() as db, db.reading() as session:
            report = status_service.status_report(session, treaty=treaty, on=day)
        if as_json:
            print_json(report.as_dict())
            return
        if as_csv:
            writer = csv.writer(sys.stdout, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
            writer.writerow(CSV_COLUMNS)
            for standing in report.standings:
                row = status_service.standing_dict(standing)
                writer.writerow([_csv_cell(row[c]) for c in CSV_COLUMNS])
            return
        _print_report(report)

    @status_app.command("import")
    def import_(
        location: str = typer.Argument(..., metavar="PATH|URL",
                                       help="An MTDSG status XML file or its URL."),
        as_json: JsonOption = False,
    ) -> None:
        """Store a depositary status file as a new snapshot and show what changed."""
        with open_database() as db:
            result = status_service.import_status(db, location=location)
        if as_json:
            print_json(result.as_dict())
        else:
            _print_import(result)

    @status_app.command("sync")
    def sync(as_json: JsonOption = False) -> None:
        """Download the Convention's status from the UN Treaty Collection and store it."""
        with open_database() as db:
            result = status_service.import_status(db, location=XVIII_16_URL)
        if as_json:
            print_json(result.as_dict())
        else:
            _print_import(result)

    @status_app.command("diff")
    def diff(
        old: int | None = typer.Argument(None, help="Old snapshot id (default: second newest)."),
        new: int | None = typer.Argument(None, help="New snapshot id (default: newest)."),
        treaty: str = TREATY_OPTION,
        as_json: JsonOption = False,
    ) -> None:
        """What changed between two stored snapshots."""
        for name, value in (("old snapshot id", old), ("new snapshot id", new)):
            _in_range(name, value, 1)
        with open_database() as db, db.reading() as session:
            stored = status_service.diff_stored(session, treaty=treaty, old_id=old, new_id=new)
        if as_json:
            print_json(stored.as_dict())
            return
        console.print(
            f"#{stored.old.id} ({stored.old.retrieved_at:%Y-%m-%d %H:%M}) -> "
            f"#{stored.new.id} ({stored.new.retrieved_at:%Y-%m-%d %H:%M}):",
        )
        for line in stored.diff.lines():
            console.print(f"  {line}")

    @status_app.command("party")
    def party(
        name: str = typer.Argument(..., help="Name, ISO 3166 code or key of a participant."),
        treaty: str = TREATY_OPTION,
        as_json: JsonOption = False,
    ) -> None:
        """One participant: signature, consent, entry into force for it, footnotes,
        declarations."""
        with open_database() as db, db.reading() as session:
            report = status_service.status_report(session, treaty=treaty, on=date.today())
        participant = find_participant(report.snapshot, name)
        detail = status_service.participant_detail(report, participant.key)
        if as_json:
            print_json(detail)
            return
        _print_participant(detail)

    @status_app.command("project")
    def project_(
        treaty: str = TREATY_OPTION,
        on: str | None = typer.Option(None, "--on", help="Project from this day "
                                      "(YYYY-MM-DD); default today."),
        as_json: JsonOption = False,
    ) -> None:
        """When the entry-into-force threshold may be reached: a range, its method and caveat."""
        day = _day(on, "--on")
        with open_database() as db, db.reading() as session:
            report = status_service.status_report(session, treaty=treaty, on=day)
        data = project(report.snapshot, report.rule, load_comparables(), day).as_dict()
        if as_json:
            print_json(data)
            return
        _print_projection(data)

    @status_app.command("snapshots")
    def snapshots(
        treaty: str | None = typer.Option(None, "--treaty", help="Only this treaty."),
        limit: int = typer.Option(50, "--limit", help="How many (1-500)."),
        offset: int = typer.Option(0, "--offset", help="Skip this many."),
        as_json: JsonOption = False,
    ) -> None:
        """Stored snapshots, newest first, with their ids."""
        _in_range("--offset", offset, 0)
        with open_database() as db, db.reading() as session:
            page, total = status_repo.list_snapshots(
                session, treaty=treaty, limit=limit, offset=offset
            )
        if as_json:
            print_json({"total": total, "limit": limit, "offset": offset,
                        "items": [info.as_dict() for info in page]})
            return
        if not page:
            console.print("no snapshots stored")
            return
        table = Table("id", "treaty", "retrieved", "participants", "partial", "source")
        for info in page:
            table.add_row(
                str(info.id), info.treaty, info.retrieved_at.isoformat(timespec="minutes"),
                str(info.participant_count), "yes" if info.partial else "no", info.source,
            )
        console.print(table)
        console.print(f"{len(page)} of {total}")


def _print_report(report: status_service.StatusReport) -> None:
    position = report.position
    rule = report.article
    counts = report.counts()
    title = f"{report.snapshot.treaty.title} ({report.snapshot.treaty.reference})"
    console.print(title, style="bold")
    if report.in_force:
        state = f"in force since {_shown(position.date_in_force)}"
    elif position.date_in_force is not None:
        state = f"not yet in force on {report.on}; enters into force {position.date_in_force}"
    else:
        state = f"not in force on {report.on}"
    console.print(
        f"Entry into force ({rule}): {position.counted} of {position.threshold} instruments "
        f"counted, {position.missing} missing; {state}",
    )
    by_kind = ", ".join(f"{kind} {n}" for kind, n in counts["consents_by_kind"].items() if n)
    console.print(
        f"Signatories: {counts['signatories']}; consents to be bound: {counts['consents']}"
        f"{f' ({by_kind})' if by_kind else ''}; in force for {counts['in_force_for']} "
        f"on {report.on}",
    )
    info = report.info
    partial = "PARTIAL snapshot" if info.partial else "snapshot"
    console.print(
        f"{partial} #{info.id} from {info.source}, as of {info.retrieved_at:%Y-%m-%d %H:%M} UTC"
        f"{f'. {info.remark}' if info.remark else ''}",
    )
    for warning in report.snapshot.warnings:
        console.print(f"warning: {warning}")
    table = Table("participant", "signature", "consent", "kind", "in force from")
    for standing in report.standings:
        table.add_row(
            standing.name + (" (REIO)" if standing.is_reio else ""), _shown(standing.signature),
            _shown(standing.consent),
            standing.consent_kind.value if standing.consent_kind else "-",
            _shown(standing.in_force_from),
        )
    console.print(table)


def _print_participant(detail: dict[str, object]) -> None:
    for key, value in detail.items():
        if key in ("footnotes", "declarations"):
            continue
        if isinstance(value, list):
            value = "; ".join(str(item) for item in value) or None
        console.print(f"{key.replace('_', ' ')}: {'-' if value is None else value}")
    footnotes = detail.get("footnotes")
    if isinstance(footnotes, list) and footnotes:
        console.print("footnotes:")
        for note in footnotes:
            console.print(f"  [{note['marker']}] {note['text'] or '(no text in the record)'}")
    declarations = detail.get("declarations")
    if isinstance(declarations, list) and declarations:
        console.print("declarations:")
        for item in declarations:
            articles = ", ".join(item["articles"]) or "none named"
            kind = "reservation" if item["is_reservation"] else item["section"]
            console.print(f"  - {kind} (articles: {articles}): {item['text']}")


def _print_projection(data: dict[str, Any]) -> None:
    progress = "threshold reached" if data["reached"] else f"{data['missing']} missing"
    console.print(
        f"{data['reference']}: {data['counted']} of {data['threshold']} instruments counted on "
        f"{data['today']}; {progress}",
    )
    for estimate in data["estimates"]:
        console.print(
            f"  {estimate['label']}: {estimate['threshold_date'] or 'no estimate'} "
            f"({estimate['note']})",
        )
    for key, label in (("threshold_instrument", "threshold instrument"),
                       ("entry_into_force", "entry into force")):
        span = data.get(key)
        if span:
            console.print(
                f"{label}: earliest {span['earliest']}, likely {span['likely']}, latest "
                f"{span['latest']}",
            )
    console.print(f"method: {data['method']}")
    console.print(f"caveat: {data['caveat']}")
