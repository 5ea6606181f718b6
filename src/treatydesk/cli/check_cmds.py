"""`treatydesk check`: run the safeguards engine on one request or a batch, and explain.

Only translates: reads files through the core loaders, evaluates through
`services.evaluation` (the same assembly the web desk uses), prints.
Without --parties, --policy or --status the shipped INVENTED examples are used, and the output
says so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, BinaryIO

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from treatydesk.cli.common import JsonOption, open_database
from treatydesk.cli.output import console, err_console, print_json
from treatydesk.cli.request_cmds import (
    is_stdin,
    open_regular_file,
    read_request_file,
    source_name,
)
from treatydesk.convention import ref
from treatydesk.cooperation.request import MAX_REQUEST_BYTES, CooperationRequest, parse_request
from treatydesk.errors import InvalidInput, TreatyDeskError
from treatydesk.parties.profile import PartyProfile, load_party_profiles
from treatydesk.parties.standings_file import load_standings
from treatydesk.safeguards import ExplainLevel, Outcome, PolicyPack
from treatydesk.safeguards.findings import PRECEDENCE
from treatydesk.safeguards.policy import load_policy
from treatydesk.services.evaluation import (
    Evaluation,
    StatusSource,
    evaluate_request,
    example_path,
    hypothetical_standings,
    record_standings,
)
from treatydesk.settings import load_settings
from treatydesk.status.model import Standing

EXIT_PROBLEMS = 2

_STYLE = {
    Outcome.REFUSE: "bold red", Outcome.MISSING: "magenta", Outcome.CONSULT: "yellow",
    Outcome.WARN: "cyan", Outcome.PASS: "green", Outcome.NOT_APPLICABLE: "dim",
}


@dataclass(frozen=True)
class Setting:
    """What every request of one `check` run is evaluated with."""

    profiles: dict[str, PartyProfile]
    policy: PolicyPack
    standings: Mapping[str, Standing]
    notes: tuple[str, ...]


def load_setting(parties: Path | None, policy: Path | None, status: str | None) -> Setting:
    settings = load_settings()
    notes: list[str] = []
    if parties is None:
        parties = example_path(settings, "parties")
        notes.append(f"party profiles: the INVENTED examples in {parties}")
    if policy is None:
        policy = example_path(settings, "policy", "default.yaml")
        notes.append(f"policy: the INVENTED example pack {policy}")
    standings: Mapping[str, Standing]
    if status == StatusSource.RECORD.value:
        with open_database() as database:
            standings, note = record_standings(database)
    elif status is None or status == StatusSource.HYPOTHETICAL.value:
        standings, note = hypothetical_standings(settings)
        note += " (use --status record for the depositary record)"
    else:
        standings, note = load_standings(status), f"status: the standings file {status}"
    notes.append(note)
    return Setting(load_party_profiles(parties), load_policy(policy), standings, tuple(notes))


def decide(request: CooperationRequest, setting: Setting, on: dt.date | None) -> Evaluation:
    return evaluate_request(
        request, on=on or request.date, profile_of=setting.profiles.get,
        policy=setting.policy, standings=setting.standings, notes=setting.notes)


def _print_decision(evaluation: Evaluation, level: ExplainLevel) -> None:
    """The decision and its findings at `level`; the notes on the inputs are printed once by
    the caller (a batch shares them)."""
    decision = evaluation.decision
    style = _STYLE[decision.outcome]
    console.print(
        f"[bold]{escape(decision.request_reference)}[/] ({decision.kind}, "
        f"{decision.requesting_party} -> {decision.requested_party}, on {decision.on}): "
        f"[{style}]{decision.outcome.value}[/]  reviewers required: "
        f"{decision.reviewers_required}"
        + (f"  [bold red]EMERGENCY ({ref('emergency_defined')})[/]" if decision.emergency
           else ""), markup=True)
    shown = decision.explain(level)
    for outcome in PRECEDENCE:
        group = [f for f in shown if f.outcome is outcome]
        if not group:
            continue
        console.print(f"{outcome.value} ({len(group)})", style=_STYLE[outcome])
        for finding in group:
            recalled = " [R]" if finding.relies_on_recalled else ""
            console.print(f"  {finding.rule_id} (Art {', '.join(finding.articles)}){recalled}: "
                          f"{finding.sentence}")
            if level is ExplainLevel.FULL:
                for name, value in finding.facts:
                    console.print(f"      {name} = {value}")
    if decision.conditions:
        console.print("conditions of execution", style="bold")
        for condition in decision.conditions:
            console.print(f"  ({condition.article}) {condition.text}")
    console.print(f"decision {decision.decision_id}  revision {decision.revision[:16]}  "
                  f"policy {decision.policy_name}", style="dim")


# ------------------------------------------------------------------------------------ batch


@dataclass(frozen=True)
class BatchItem:
    #: FILE:LINE for a line of a JSONL input, FILE for a file of a folder
    where: str
    raw: bytes
    #: why the entry could not even be read (it is reported, and the batch goes on)
    problem: str | None = None
    is_line: bool = False

    def position(self, message: str) -> str:
        """`message` with a position inside a JSONL line (the decoder's `LINE:1:COLUMN`, as
        the line is a document of its own) given as the input's `FILE:LINE:COLUMN`, like the
        `FILE:LINE:COLUMN` of a file of a folder."""
        own_line = f"{self.where}:1:"
        if self.is_line and message.startswith(own_line):
            return f"{self.where}:{message.removeprefix(own_line)}"
        return message


#: what `--batch` reads, for the messages that refuse something else
_BATCH_INPUTS = ("a JSONL file (one request per line), a folder of *.json files, or - for "
                 "JSONL on standard input")


def _batch_items(path: Path) -> Iterator[BatchItem]:
    if is_stdin(path):
        yield from _jsonl_items(source_name(path), typer.get_binary_stream("stdin"))
        return
    if path.is_dir():
        try:
            entries = sorted(path.iterdir())
        except OSError as error:
            raise InvalidInput(f"{path}: cannot list the folder ({error.strerror or error})"
                               ) from error
        # *.json in any case, hidden files left out; an entry that cannot be read is one
        # invalid item of the batch, not the end of it
        for file in entries:
            if file.name.startswith(".") or file.suffix.lower() != ".json":
                continue
            try:
                yield BatchItem(str(file), read_request_file(file))
            except InvalidInput as error:
                yield BatchItem(str(file), b"", error.message)
        return
    try:
        with open_regular_file(path, wanted=_BATCH_INPUTS) as handle:
            yield from _jsonl_items(str(path), handle)
    except OSError as error:
        raise InvalidInput(f"{path}: cannot read file ({error.strerror or error})") from error


def _jsonl_items(name: str, handle: BinaryIO) -> Iterator[BatchItem]:
    """One item per non-blank line, each read up to the size a request may have."""
    number = 0
    while line := handle.readline(MAX_REQUEST_BYTES + 1):
        number += 1
        where = f"{name}:{number}"
        if len(line) > MAX_REQUEST_BYTES and not line.endswith(b"\n"):
            while (rest := handle.readline(MAX_REQUEST_BYTES)) and not rest.endswith(b"\n"):
                pass  # the rest of the overlong line
            yield BatchItem(where, b"", f"{where}: line is larger than the "
                                        f"{MAX_REQUEST_BYTES} byte limit of a request",
                            is_line=True)
        elif line.strip():
            # without its line break, an error at the end of the line stays on that line
            yield BatchItem(where, line.rstrip(b"\r\n"), is_line=True)


def run_batch(path: Path, setting: Setting, on: dt.date | None, as_json: bool,
              level: ExplainLevel | None) -> int:
    """Checks every request of the input and prints the counts, the invalid entries and, when
    `level` is given (human output), each decision at that level before them."""
    name = source_name(path)
    if not is_stdin(path) and not path.exists():
        raise InvalidInput(f"{name}: no such file or directory")
    items = list(_batch_items(path))
    if not items:
        raise InvalidInput(f"{name}: no requests found (expected {_BATCH_INPUTS})")
    # human output shows each decision only when asked to: a batch is mostly read for counts
    each = level is not None and not as_json
    level = level or ExplainLevel.NOTES
    counts: Counter[str] = Counter()
    invalid: list[dict[str, Any]] = []
    records: list[dict[str, Any]] = []
    # the decisions shown one by one are the progress; a live bar would also capture them
    progress = Progress(TextColumn("checking"), BarColumn(), MofNCompleteColumn(),
                        TimeElapsedColumn(), console=err_console, transient=True,
                        disable=as_json or each)
    with progress:
        task = progress.add_task("check", total=len(items))
        for item in items:
            try:
                if item.problem is not None:
                    raise InvalidInput(item.problem)
                request = parse_request(item.raw, source=item.where)
                evaluation = decide(request, setting, on)
            except TreatyDeskError as error:
                invalid.append({"where": item.where, "error": item.position(error.message),
                                "problems": [p.as_dict() for p in error.items]})
            else:
                decision = evaluation.decision
                counts[decision.outcome.value] += 1
                if as_json:
                    record = decision.as_record(level)
                    record["source"] = item.where
                    records.append(record)
                elif each:
                    console.print(item.where, style="bold")
                    _print_decision(evaluation, level)
                    console.print()
            progress.advance(task)
    if as_json:
        print_json({"checked": len(items), "counts": {o.value: counts[o.value]
                                                      for o in PRECEDENCE},
                    "invalid": invalid, "decisions": records,
                    "inputs": list(setting.notes)})
    else:
        table = Table(title=f"{len(items)} request(s) from {name}")
        table.add_column("outcome")
        table.add_column("requests", justify="right")
        for outcome in PRECEDENCE:
            table.add_row(Text(outcome.value, style=_STYLE[outcome]), str(counts[outcome.value]))
        table.add_row(Text("invalid input", style="bold red"), str(len(invalid)))
        console.print(table)
        for entry in invalid:
            err_console.print(f"invalid: {entry['error']}")
            for problem in entry["problems"]:
                err_console.print(f"  {problem['location']}: {problem['message']}")
        for note in setting.notes:
            console.print(f"note: {note}", style="dim")
    return EXIT_PROBLEMS if invalid else 0


# ---------------------------------------------------------------------------------- command


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"--on {value!r} is not a date YYYY-MM-DD") from None


def check(
    request_file: Annotated[Path | None, typer.Argument(
        help="Request JSON file ('-' for stdin)", show_default=False)] = None,
    on: Annotated[str | None, typer.Option(
        "--on", help="Date to check as of (default: the request's date)")] = None,
    policy: Annotated[Path | None, typer.Option(
        "--policy", help="Policy pack YAML (default: the invented example pack)")] = None,
    parties: Annotated[Path | None, typer.Option(
        "--parties", help="Directory of party profiles (default: invented examples)")] = None,
    status: Annotated[str | None, typer.Option(
        "--status", help="'record' for the stored depositary record (the bundled one when "
                         "nothing is stored), 'hypothetical' for the invented example "
                         "(default), or a standings YAML file")] = None,
    as_json: JsonOption = False,
    explain: Annotated[ExplainLevel | None, typer.Option(
        "--explain", help="Findings to show: fails | notes | full (default notes). --batch "
                          "prints each request's findings only when this is given (--json "
                          "always holds them)", show_default=False)
    ] = None,
    batch: Annotated[Path | None, typer.Option(
        "--batch", help="A JSONL file (one request per line), a directory of *.json, or '-' "
                        "for JSONL on stdin")] = None,
) -> None:
    """Check a request against the Convention and the desk's policy, explaining every finding
    with its article. Exit 2 on invalid input."""
    day = _date(on)
    if (request_file is None) == (batch is None):
        raise InvalidInput("give either a REQUEST file or --batch FILE|DIR (not both)")
    setting = load_setting(parties, policy, status)
    if batch is not None:
        code = run_batch(batch, setting, day, as_json, explain)
        if code:
            raise typer.Exit(code)
        return
    if request_file is None:  # unreachable after the check above; keeps the type narrow
        raise InvalidInput("no REQUEST file given")
    request = parse_request(read_request_file(request_file), source=source_name(request_file))
    evaluation = decide(request, setting, day)
    level = explain or ExplainLevel.NOTES
    if as_json:
        print_json({**evaluation.decision.as_record(level), "inputs": list(evaluation.notes)})
    else:
        _print_decision(evaluation, level)
        for note in evaluation.notes:
            console.print(f"note: {note}", style="dim")


def register(app: typer.Typer) -> None:
    app.command("check")(check)
