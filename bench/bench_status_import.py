"""Benchmark: importing a large MTDSG status file.

Generates a status file of 200 participants with about 2 MB of declarations text (ISO-8859-1,
with the depositary's quirks: tabs, brackets, raw and escaped footnote markers, every action
suffix), then measures, as medians over RUNS runs:
  (a) baseline: lxml.etree.fromstring on the same bytes (bare parse, nothing else);
  (b) parse_status_xml: parse + normalise into a Snapshot;
  (c) import end to end: read the file, parse, diff against the newest stored snapshot and
      store it in a fresh SQLite database (what `treatydesk status import PATH` does).
(a) and (b) run back to back in each round, so machine load hits both alike; the ratio is the
median of the per-round ratios. Targets: (b)/(a) <= 3 and (c) < 0.2 s. Exits 1 when a target
is missed.

Run: .venv/bin/python bench/bench_status_import.py
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pycountry
from lxml import etree

from treatydesk.services.status import import_status
from treatydesk.settings import load_settings
from treatydesk.store.db import Database, migrate
from treatydesk.untc.mtdsg import parse_status_xml

RUNS = 31
PARTICIPANTS = 200
DECLARATION_BYTES = 2 * 1024 * 1024
MAX_BYTES = 64 * 1024 * 1024
RATIO_TARGET = 3.0
END_TO_END_TARGET_S = 0.2

# Statements are built from these sentences (our own wording, in the register of real
# reservations and declarations): about one article mention per 600 characters, as in the
# depositary's published texts, with tabs and entity-escaped footnote markers.
_SENTENCES = (
    "The Government of {name} declares that it will interpret its obligations under the "
    "Convention in a manner consistent with its Constitution and its domestic law.",
    "Requests for mutual legal assistance shall be transmitted through the central authority "
    "designated for that purpose, in one of the languages it has notified.",
    "Nothing in this declaration shall be understood as limiting the protection of privacy, "
    "freedom of expression or due process guaranteed by its legal order.\t",
    "In keeping with article {a}, paragraph {p}, it reserves the right not to apply the "
    "provision in full, save for offences it has itself established.",
    "The Government considers that assistance may be refused where the request concerns "
    "conduct that is not an offence under its own law.&lt;superscript&gt;{n}"
    "&lt;/superscript&gt;",
    "It understands the term serious crime as covering only conduct punishable under its law "
    "by a sufficiently severe penalty, consistently with articles {b} and {c}({p}).",
    "Communications from other States Parties will be answered within a reasonable time, "
    "taking into account the urgency the requesting State has indicated.",
    "Data transferred under the Convention shall be used only for the purposes stated in the "
    "request, unless the Government gives its prior consent to another use.",
)


def generate_status_file() -> bytes:
    """A synthetic MTDSG file with PARTICIPANTS rows and ~DECLARATION_BYTES of statements."""
    names = [country.name for country in list(pycountry.countries)[: PARTICIPANTS - 1]]
    names.append("European Union")
    suffixes = ["", " A", " AA", " a", " d", ""]
    rows: list[str] = []
    for i, name in enumerate(names):
        signed = date(2025, 10, 25) + timedelta(days=i % 40)
        action = "" if i % 3 else (
            f"\t{(signed + timedelta(days=200 + i)).strftime('%d %b %Y')}{suffixes[i % 6]}\n"
        )
        if i % 17 == 0 and action:
            action = f"[{action.strip()}]"
        marker = f"<superscript>{i % 9 + 1}</superscript>" if i % 11 == 0 else ""
        rows.append(
            f"<Row><Entry>{_escape(name)}{marker}</Entry>"
            f"<Entry>{signed.strftime('%d %b %Y')} </Entry><Entry>{action}</Entry></Row>"
        )
    per_participant = DECLARATION_BYTES // len(names)
    rng = random.Random(16)  # fixed seed: every run measures the same bytes
    declarations: list[str] = []
    for name in names:
        paragraphs: list[str] = []
        size = 0
        while size < per_participant:
            paragraph = " ".join(
                rng.choice(_SENTENCES).format(
                    name=_escape(name), a=7 + rng.randrange(30), b=rng.randrange(35, 50),
                    c=rng.randrange(50, 68), p=1 + rng.randrange(5), n=1 + rng.randrange(9))
                for _ in range(4)
            )
            paragraphs.append(f"<Text>{paragraph}</Text>")
            size += len(paragraph) + 13
        declarations.append(
            f"<Declaration><Participant>{_escape(name)}</Participant>{''.join(paragraphs)}"
            "</Declaration>"
        )
    notes = "".join(
        f"<EndNote><Text><superscript>{n}</superscript> Note {n} about the record.</Text>"
        "</EndNote>" for n in range(1, 10)
    )
    document = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<TreatyChapterContent><Treaty><Header>'
        "<Chapter>CHAPTER XVIII</Chapter><ExternalData>"
        "<Titlesect>16. Synthetic benchmark treaty</Titlesect>"
        "<Conclusion><Labeltext>Concluded at</Labeltext> New York, 24 December 2024</Conclusion>"
        "<EIF><Labeltext>Entry into force:</Labeltext><Text>not yet</Text></EIF>"
        "<Status><Signatories>Signatories : 200</Signatories><Parties>Parties : 67</Parties>"
        "</Status></ExternalData></Header><Participants><Table><TGroup cols=\"3\"><Thead><Row>"
        "<Entry>Participant</Entry><Entry>Signature</Entry>"
        "<Entry>Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)</Entry>"
        f"</Row></Thead><Tbody><Rows>{''.join(rows)}</Rows></Tbody></TGroup></Table>"
        f"</Participants><Declarations>{''.join(declarations)}</Declarations>"
        f"<EndNotes>{notes}</EndNotes></Treaty></TreatyChapterContent>\n"
    )
    return document.encode("iso-8859-1", errors="xmlcharrefreplace")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


def import_end_to_end(path: Path, home: Path) -> None:
    """What `treatydesk status import PATH` does: read the file, parse it, diff it against the
    newest stored snapshot and store it with its participants and declarations in one
    transaction (services.status.import_status), into the SQLite database under `home`."""
    settings = load_settings({"TREATYDESK_HOME": str(home)})
    db = Database(settings)
    try:
        result = import_status(db, location=str(path))
        if result.unchanged:
            raise RuntimeError("the benchmark's import was not stored")
    finally:
        db.dispose()


def fresh_homes(template: Path, folder: Path, count: int) -> list[Path]:
    """Copies of a migrated, empty database, made before timing so that each timed import
    stores into a database without that snapshot (an identical import is skipped)."""
    homes = []
    for number in range(count):
        home = folder / f"home-{number}"
        home.mkdir()
        shutil.copy(template / "treatydesk.sqlite3", home / "treatydesk.sqlite3")
        homes.append(home)
    return homes


def median_seconds(function: Callable[[], object]) -> float:
    function()  # warm-up: imports, caches
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def paired_medians(
    first: Callable[[], object], second: Callable[[], object]
) -> tuple[float, float, float]:
    """Medians of `first`, of `second` and of their per-round ratio second/first, the two run
    back to back (alternating which goes first) so that load from other processes is shared."""
    first()
    second()  # warm-up: imports, caches
    times_first: list[float] = []
    times_second: list[float] = []
    ratios: list[float] = []
    for round_ in range(RUNS):
        order = (first, second) if round_ % 2 == 0 else (second, first)
        taken: dict[int, float] = {}
        for function in order:
            start = time.perf_counter()
            function()
            taken[id(function)] = time.perf_counter() - start
        times_first.append(taken[id(first)])
        times_second.append(taken[id(second)])
        ratios.append(taken[id(second)] / taken[id(first)])
    return (statistics.median(times_first), statistics.median(times_second),
            statistics.median(ratios))


def main() -> int:
    data = generate_status_file()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench-status.xml"
        path.write_bytes(data)
        snapshot = parse_status_xml(data, source="bench", retrieved_at=datetime.now(UTC))
        declared = sum(len(d.text) for p in snapshot.participants for d in p.declarations)
        print(f"file: {len(data) / 1e6:.2f} MB, {len(snapshot.participants)} participants, "
              f"{declared / 1e6:.2f} M characters of declarations; medians of {RUNS} runs")
        bare, parsed, ratio = paired_medians(
            lambda: etree.fromstring(data),
            lambda: parse_status_xml(data, source="bench", retrieved_at=datetime.now(UTC)),
        )
        template = Path(folder) / "template"
        migrate(load_settings({"TREATYDESK_HOME": str(template)}))
        homes = iter(fresh_homes(template, Path(folder), RUNS + 1))
        end_to_end = median_seconds(lambda: import_end_to_end(path, next(homes)))
    ratio_ok = ratio <= RATIO_TARGET
    e2e_ok = end_to_end < END_TO_END_TARGET_S
    print(f"(a) baseline lxml.etree.fromstring:   {bare * 1000:8.2f} ms")
    print(f"(b) parse_status_xml:                 {parsed * 1000:8.2f} ms")
    print(f"    ratio (b)/(a), median per round: {ratio:.2f} (target <= {RATIO_TARGET:g}) "
          f"{'PASS' if ratio_ok else 'FAIL'}")
    print(f"(c) import end to end (read, parse, diff, store in SQLite): "
          f"{end_to_end * 1000:8.2f} ms "
          f"(target < {END_TO_END_TARGET_S * 1000:g} ms) {'PASS' if e2e_ok else 'FAIL'}")
    return 0 if ratio_ok and e2e_ok else 1


if __name__ == "__main__":
    sys.exit(main())
