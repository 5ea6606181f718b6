"""Importer for the UN Treaty Collection's MTDSG status files (any treaty).

The depositary publishes each treaty's status ("Multilateral Treaties Deposited with the
Secretary-General") as an XML file: a header with the title, conclusion, entry-into-force and
registration text and the counts of signatories and parties; a participant table whose columns
are found by their labels (never by position, because treaties differ); and sections of
declarations, objections, notifications and end notes, each a participant name followed by
paragraphs of text.

The bytes come from the network, so parsing is defensive: one lxml parse with entity
substitution, DTD loading and network access off; any DOCTYPE that declares entities or points
at an external DTD is refused before anything is expanded or read; a size cap is checked first.
Every error names the source, the line or element, and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, NamedTuple

from lxml import etree

from treatydesk.errors import ErrorCollector, SourceUnavailable, StatusImportError
from treatydesk.status.declarations import analyse_statement
from treatydesk.status.model import (
    ActionKind,
    Declaration,
    DeclarationSection,
    Participant,
    Snapshot,
    TreatyRecord,
)
from treatydesk.untc.names import identify
from treatydesk.untc.paragraphs import clean_paragraph, join_paragraphs

__all__ = ["DEFAULT_MAX_BYTES", "parse_status_xml", "parse_mtdsg_date", "SECTION_TAGS"]

DEFAULT_MAX_BYTES = 64 * 1024 * 1024

#: MTDSG element name -> the section it holds
SECTION_TAGS: dict[str, DeclarationSection] = {
    "Declarations": DeclarationSection.DECLARATIONS,
    "Objections": DeclarationSection.OBJECTIONS,
    "DeclarationsUnderArticle": DeclarationSection.DECLARATIONS_UNDER_ARTICLE,
    "Notifications": DeclarationSection.NOTIFICATIONS,
    "TerritorialApplications": DeclarationSection.TERRITORIAL_APPLICATIONS,
}

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
#: English month names in full or as their three-letter abbreviation (and "sept")
_MONTHS = {
    **{name: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    **{name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)},
    "sept": 9,
}
#: the years a depositary date may fall in (the League of Nations' treaties to well after now)
_YEARS = range(1900, 2201)
# "25 Oct 2025", "25 October 2025", "12 Mar 2004 a", "1 Jan 2020AA"; ASCII digits only
_DATE = re.compile(r"([0-9]{1,2}) ([A-Za-z]{3,9})\.? ([0-9]{4}) ?([A-Za-z]{1,2})?")
# a footnote marker the depositary left entity-escaped at the start of an end note; the marker
# is stripped afterwards: optional spaces on both sides of a lazy group made the regex engine
# try every split of a long run of spaces (a few kilobytes took minutes)
_LEADING_ESCAPED_MARKER = re.compile(r"\s*+<superscript>([^<]*+)</superscript>")
_LABELLED_SUFFIX = re.compile(r"([A-Za-z][A-Za-z ]*?)\s*\(\s*([A-Za-z]{1,2})\s*\)")
# a sign right before the digits is captured, so that "Parties : -5" is not read as 5 (U+2212
# is the typeset minus); a hyphen followed by a space is a separator ("Parties - 5")
_FIRST_INTEGER = re.compile(r"([-\u2212])?(\d+)")
#: most digits a header count of signatories or parties may have
_COUNT_DIGITS = 4
#: most rows a participant table may have: no treaty has more participants than there are
#: States and organisations (fewer than 250); a file with thousands is damaged or hostile
MAX_PARTICIPANTS = 1000
#: longest column label read (labels are a few words; regexes run on them)
_MAX_LABEL = 500
#: most problems of one file listed one by one (the rest are counted)
_MAX_LISTED = 50
_TITLE_NUMBER = re.compile(r"\s*(\d+)\s*\.\s*")
_CHAPTER = re.compile(r"(?i)\s*chapter\s+([IVXLC]+)\b")
_HTML_START = re.compile(rb"(?i)<!doctype\s+html|<html[\s>]")

#: words in an action column's label -> the consent kind they name
_KIND_WORDS: dict[str, ActionKind] = {
    "ratification": ActionKind.RATIFICATION,
    "acceptance": ActionKind.ACCEPTANCE,
    "approval": ActionKind.APPROVAL,
    "accession": ActionKind.ACCESSION,
    "succession": ActionKind.SUCCESSION,
}
#: the kinds of consent that confirm an earlier signature (accession and succession need none)
_AFTER_SIGNATURE = frozenset({ActionKind.RATIFICATION, ActionKind.ACCEPTANCE, ActionKind.APPROVAL})


def parse_mtdsg_date(text: str, *, where: str) -> tuple[date | None, str | None]:
    """Read a table cell such as "25 Oct 2025" or "12 Mar 2004 a" into the date and the action
    suffix ("A", "AA", "a", "d" or None). An empty cell gives (None, None). Anything else
    raises StatusImportError naming `where`."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None, None
    match = _DATE.fullmatch(cleaned)
    month = _MONTHS.get(match.group(2).lower()) if match is not None else None
    if match is None or month is None:
        raise StatusImportError(f"expected a date like 25 Oct 2025 {where}, got {cleaned!r}")
    if int(match.group(3)) not in _YEARS:
        raise StatusImportError(
            f"expected a year from {_YEARS[0]} to {_YEARS[-1]} {where}, got {cleaned!r}")
    try:
        day = date(int(match.group(3)), month, int(match.group(1)))
    except ValueError as exc:  # e.g. 31 Feb 2025: the calendar, not the format, is wrong
        raise StatusImportError(
            f"expected a real calendar date {where}, got {cleaned!r} ({exc})"
        ) from exc
    return day, match.group(4)


def parse_status_xml(
    data: bytes, *, source: str, retrieved_at: datetime, max_bytes: int = DEFAULT_MAX_BYTES
) -> Snapshot:
    """Read one MTDSG status file into a Snapshot (participants keyed by ISO 3166 alpha-3)."""
    treaty = _safe_treaty_element(data, source=source, max_bytes=max_bytes)
    reader = _Reader(source)
    record = reader.treaty_record(treaty)
    rows = reader.participants(treaty)
    notes = reader.end_notes(treaty)
    return Snapshot(
        treaty=record,
        source=source,
        retrieved_at=retrieved_at,
        participants=reader.attach_sections(treaty, rows),
        notes=notes,
        warnings=tuple(reader.warnings),
    )


def _safe_treaty_element(data: bytes, *, source: str, max_bytes: int) -> Any:
    if len(data) > max_bytes:
        raise StatusImportError(
            f"{source}: {len(data)} bytes is more than the limit of {max_bytes} bytes for a "
            "status file; nothing was imported"
        )
    if not data or data.isspace():  # as `not data.strip()`, without copying megabytes
        raise StatusImportError(f"{source}: the file is empty; expected an MTDSG status file")
    if _HTML_START.search(data, 0, 4096) is not None:
        raise SourceUnavailable(
            f"{source}: got an HTML page (the depositary's maintenance or error page), "
            "not an MTDSG status file; try again later"
        )
    # A raw "<!ENTITY" can only occur in a DTD; refusing it here means no entity is ever
    # declared, let alone expanded (billion laughs) or fetched (external entities). Status
    # files seldom hold a "!" at all: looking for that one byte first (memchr) spares most
    # files the slower search for the whole word, a tenth of a parse.
    if b"!" in data and b"<!ENTITY" in data:
        raise StatusImportError(
            f"{source}: the file declares XML entities in a DOCTYPE; status files never do, and "
            "entities are refused for safety (entity bombs, external file reads)"
        )
    # collect_ids stays on: turning it off (a few per cent faster) made libxml2 try to load
    # an external DTD, which only no_network then stopped
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno else "?"
        raise StatusImportError(
            f"{source}: line {line}: not well-formed XML ({exc.msg}); the file may be "
            "truncated or damaged"
        ) from exc
    docinfo = root.getroottree().docinfo
    dtd = docinfo.internalDTD
    # second line of defence for encodings the byte check above cannot see (e.g. UTF-16)
    if (dtd is not None and any(True for _ in dtd.iterentities())) or docinfo.system_url:
        raise StatusImportError(
            f"{source}: the DOCTYPE declares entities or names an external DTD; refused"
        )
    if isinstance(root.tag, str) and root.tag.lower() == "html":
        raise SourceUnavailable(
            f"{source}: got an HTML page (the depositary's maintenance or error page), "
            "not an MTDSG status file"
        )
    treaty = root if root.tag == "Treaty" else root.find("Treaty")
    if treaty is None:
        raise StatusImportError(
            f"{source}: line {root.sourceline}: root element <{root.tag}> has no <Treaty> "
            "element; expected an MTDSG status file"
        )
    return treaty


def _cell(element: Any) -> tuple[str, list[str]]:
    """The text of a cell or paragraph cleaned (untc/paragraphs.pyx: spacing normalised, ends
    stripped), and the footnote markers found in it (raw <superscript> children or
    entity-escaped ones), which are removed from the text."""
    markers: list[str] = []
    if len(element):
        parts = [element.text or ""]
        for child in element:
            if child.tag == "superscript":
                marker = (child.text or "").strip()
                if marker:
                    markers.append(marker)
            else:
                parts.append("".join(child.itertext()))
            parts.append(child.tail or "")
        text = "".join(parts)
    else:
        text = element.text or ""
    text, escaped = clean_paragraph(text)
    markers.extend(escaped)
    return text, markers


def _labelled_text(element: Any | None) -> str | None:
    """Text of a header block without its <Labeltext> ("Entry into force:")."""
    if element is None:
        return None
    parts = [element.text or ""]
    for child in element:
        if child.tag != "Labeltext":
            parts.append(" ".join(_cell(child)[0].split()))
        parts.append(child.tail or "")
    text = " ".join(" ".join(parts).split())
    return text or None


class _TableRow(NamedTuple):
    """A participant-table row, read before the sections so that each Participant is built
    once, with its statements."""

    key: str
    name: str
    iso3: str | None
    is_reio: bool
    signature: date | None
    action: date | None
    action_kind: ActionKind | None
    footnotes: list[str]
    remarks: tuple[str, ...]


@dataclass(slots=True)
class _Table:
    """The participant table's columns (found by label) and the date cells already read."""

    labels: list[str]
    name_col: int
    signature_col: int | None
    action_col: int | None
    suffixes: dict[str, ActionKind]
    #: the suffixes the Signature column's own label defines ("Succession to signature(d)")
    signature_suffixes: frozenset[str]
    # a status file repeats a few dates many times (signing ceremonies): each is read once;
    # a bad cell is not kept, so every row with it is reported
    _dates: dict[str, tuple[date | None, str | None]] = field(
        default_factory=lambda: {"": (None, None)}
    )

    def date(self, cells: list[str], column: int, number: int) -> tuple[date | None, str | None]:
        text = cells[column]
        parsed = self._dates.get(text)
        if parsed is None:
            parsed = self._dates[text] = parse_mtdsg_date(
                text, where=f"in Row {number}, column {self.labels[column]}"
            )
        return parsed


class _Reader:
    """One import: keeps the source for messages and collects warnings."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[str] = []
        #: warnings about single rows beyond the first _MAX_LISTED (counted, not listed: a
        #: damaged table of a thousand rows must not print a thousand lines)
        self._unlisted_row_warnings = 0
        self._row_warnings = 0

    def _warn_row(self, message: str) -> None:
        self._row_warnings += 1
        if self._row_warnings <= _MAX_LISTED:
            self.warnings.append(message)
        else:
            self._unlisted_row_warnings += 1

    def _fail(self, element: Any, message: str) -> StatusImportError:
        return StatusImportError(f"{self.source}: line {element.sourceline}: {message}")

    def treaty_record(self, treaty: Any) -> TreatyRecord:
        header = treaty.find("Header")
        external = header.find("ExternalData") if header is not None else None
        if external is None:
            raise self._fail(treaty, "no Header/ExternalData block; expected the treaty header")
        title_element = external.find("Titlesect")
        if title_element is None:
            raise self._fail(external, "no Titlesect in the header; expected the treaty title")
        title, _ = _cell(title_element)
        number = _TITLE_NUMBER.match(title)
        chapter_element = header.find("Chapter")
        chapter = _CHAPTER.match(_cell(chapter_element)[0]) if chapter_element is not None else None
        if number is None or chapter is None:
            raise self._fail(
                header,
                "cannot tell the depositary reference: expected Header/Chapter like "
                "'CHAPTER XVIII' and a Titlesect starting with the treaty number like '16.'",
            )
        status = external.find("Status")
        return TreatyRecord(
            reference=f"{chapter.group(1).upper()}-{number.group(1)}",
            title=title[number.end():],
            conclusion=_labelled_text(external.find("Conclusion")),
            entry_into_force_text=_labelled_text(external.find("EIF")),
            registration=_labelled_text(external.find("Registration")),
            signatories_count=self._count(status, "Signatories"),
            parties_count=self._count(status, "Parties"),
        )

    def _count(self, status: Any | None, tag: str) -> int | None:
        element = status.find(tag) if status is not None else None
        if element is None:
            return None
        found = _FIRST_INTEGER.search(_cell(element)[0])
        if found is None:
            return None
        sign, digits = found.groups()
        # no treaty has that many participants, or fewer than none; such a number is damage,
        # and a huge one would not even fit the snapshot's JSON
        if sign is not None or len(digits) > _COUNT_DIGITS:
            shown = ("-" if sign else "") + (digits if len(digits) <= 12 else f"{digits[:12]}...")
            self.warnings.append(
                f"line {element.sourceline}: the {tag} count {shown} is not a plausible number "
                "of participants; ignored")
            return None
        return int(digits)

    def participants(self, treaty: Any) -> dict[str, _TableRow]:
        tgroup = treaty.find("Participants/Table/TGroup")
        if tgroup is None:
            raise self._fail(
                treaty, "no participant table; expected Treaty/Participants/Table/TGroup"
            )
        head_row = tgroup.find("Thead/Row")
        if head_row is None:
            raise self._fail(tgroup, "the participant table has no header row (Thead/Row)")
        labels = [_cell(entry)[0] for entry in head_row.iterchildren("Entry")]
        if any(len(label) > _MAX_LABEL for label in labels):
            raise self._fail(head_row, f"a column label is longer than {_MAX_LABEL} "
                                       "characters; expected labels such as 'Signature'")
        folded = [label.casefold() for label in labels]
        name_col = next((i for i, f in enumerate(folded) if f.startswith("participant")), None)
        if name_col is None:
            raise self._fail(
                head_row, f"no Participant column in the table header; found {labels}"
            )
        signature_col = next((i for i, f in enumerate(folded) if "signature" in f), None)
        action_col = next(
            (
                i for i, f in enumerate(folded)
                if i != signature_col and any(word in f for word in _KIND_WORDS)
            ),
            None,
        )
        # a layout the reader does not know must not silently empty a column in the next diff
        if signature_col is None:
            self.warnings.append(f"line {head_row.sourceline}: no Signature column in the "
                                 f"table header ({' | '.join(labels)}); no signature was read")
        if action_col is None:
            self.warnings.append(
                f"line {head_row.sourceline}: no column of ratification, acceptance, approval, "
                f"accession or succession in the table header ({' | '.join(labels)}); no "
                "instrument of consent was read")
        for extra in treaty.findall("Participants/Table/TGroup")[1:]:
            self.warnings.append(f"line {extra.sourceline}: a second participant table; only "
                                 "the first was read")
        table = _Table(
            labels, name_col, signature_col, action_col,
            _suffix_kinds(labels[action_col]) if action_col is not None else {},
            frozenset(suffix for _, suffix in _LABELLED_SUFFIX.findall(labels[signature_col]))
            if signature_col is not None else frozenset(),
        )
        rows = tgroup.find("Tbody/Rows")
        if rows is None:
            raise self._fail(tgroup, "the participant table has no body (Tbody/Rows)")
        row_elements = list(rows.iterchildren("Row"))
        if not row_elements:
            raise self._fail(rows, "the participant table has no rows; expected one Row per "
                                   "participant")
        if len(row_elements) > MAX_PARTICIPANTS:
            raise self._fail(rows, f"the participant table has {len(row_elements)} rows, more "
                                   f"than the {MAX_PARTICIPANTS} any treaty could have")
        errors = ErrorCollector()
        result: dict[str, _TableRow] = {}
        first_row_of: dict[str, int] = {}
        for number, row in enumerate(row_elements, start=1):
            entries = list(row.iterchildren("Entry"))
            if len(entries) != len(labels):
                errors.add(
                    f"line {row.sourceline}",
                    f"Row {number} has {len(entries)} entries, expected {len(labels)} (one "
                    f"per column: {' | '.join(labels)})",
                )
                continue
            participant = self._row(entries, table, row, number, errors)
            if participant is None:
                continue
            if participant.key in result:
                errors.add(
                    f"line {row.sourceline}",
                    f"Row {number}: {participant.name!r} is listed twice (first in Row "
                    f"{first_row_of[participant.key]})",
                )
                continue
            first_row_of[participant.key] = number
            result[participant.key] = participant
        if self._unlisted_row_warnings:
            self.warnings.append(
                f"and {self._unlisted_row_warnings} more warnings about single rows; the first "
                f"{_MAX_LISTED} are listed")
        if errors:
            first, more = errors.items[0], len(errors.items) - 1
            count = ""
            if more:
                listed = (f"; the first {_MAX_LISTED} are listed"
                          if len(errors.items) > _MAX_LISTED else "")
                count = f" (and {more} more problems{listed})"
            raise StatusImportError(
                f"{self.source}: {first.location}: {first.message}{count}",
                items=errors.items[:_MAX_LISTED],
            )
        return result

    def _row(
        self, entries: list[Any], table: _Table, row: Any, number: int, errors: ErrorCollector
    ) -> _TableRow | None:
        labels = table.labels
        remarks: list[str] = []
        footnotes: list[str] = []
        cells: list[str] = []
        for column, entry in enumerate(entries):
            text, markers = _cell(entry)
            footnotes.extend(markers)
            if text.startswith("[") and text.endswith("]"):
                # the depositary brackets entries it reports with reservations about their
                # status; the content is kept and the bracketing recorded
                remarks.append(f"{labels[column]} in square brackets on the record: {text}")
                text = text[1:-1].strip()
            cells.append(text)
        name = cells[table.name_col]
        if not name:
            errors.add(
                f"line {row.sourceline}",
                f"Row {number}: empty {labels[table.name_col]} cell; expected a participant name",
            )
            return None
        identity = identify(name)
        if not identity.known:
            self._warn_row(
                f"line {row.sourceline}, Row {number}: participant {name!r} has no known ISO "
                f"3166 code; keyed as {identity.key!r}"
            )
        signature: date | None = None
        action: date | None = None
        kind: ActionKind | None = None
        try:
            signed_col, action_col = table.signature_col, table.action_col
            if signed_col is not None:
                signature, signed_suffix = table.date(cells, signed_col, number)
                if signed_suffix is not None and signed_suffix not in table.signature_suffixes:
                    # a signature is no consent to be bound, so a kind suffix there is a slip;
                    # the date stands on its own
                    defined = ", ".join(sorted(table.signature_suffixes))
                    self._warn_row(
                        f"line {row.sourceline}, Row {number}: the {labels[signed_col]} cell "
                        f"{cells[signed_col]!r} carries the action suffix {signed_suffix!r}, "
                        "which a signature cannot have"
                        f"{f' (the column label defines only {defined})' if defined else ''}; "
                        "the date was kept and the suffix ignored"
                    )
            if action_col is not None:
                action, suffix = table.date(cells, action_col, number)
                if action is not None:
                    kind = self._kind(
                        suffix, table.suffixes, f"in Row {number}, column {labels[action_col]}",
                    )
                    # the record is authoritative, so the file is kept; but these consents
                    # confirm a signature, and one dated before it is likely mistyped
                    if (signed_col is not None and signature is not None and action < signature
                            and kind in _AFTER_SIGNATURE):
                        self._warn_row(
                            f"line {row.sourceline}, Row {number}: the {kind.value} "
                            f"{cells[action_col]!r} (column {labels[action_col]}) is dated "
                            f"before the signature {cells[signed_col]!r} (column "
                            f"{labels[signed_col]}); a ratification, acceptance or approval "
                            "confirms an earlier signature, so one of the dates may be "
                            "mistyped; both were kept as the record gives them"
                        )
        except StatusImportError as exc:
            errors.add(f"line {row.sourceline}", exc.message)
            return None
        return _TableRow(identity.key, name, identity.iso3, identity.is_reio, signature, action,
                         kind, footnotes, tuple(remarks))

    @staticmethod
    def _kind(suffix: str | None, suffixes: dict[str, ActionKind], column: str) -> ActionKind:
        if suffix is None:
            return ActionKind.RATIFICATION  # the depositary prints no suffix for ratification
        kind = suffixes.get(suffix)
        if kind is None:
            known = ", ".join(sorted(suffixes)) or "none"
            raise StatusImportError(
                f"unknown action suffix {suffix!r} {column}; the column label defines: {known}"
            )
        return kind

    def end_notes(self, treaty: Any) -> dict[str, str]:
        section = treaty.find("EndNotes")
        notes: dict[str, list[str]] = {}
        if section is None:
            return {}
        current: str | None = None
        for paragraph in section.iter("Text"):
            marker = _leading_marker(paragraph)
            text, _ = _cell(paragraph)
            if marker is not None:
                current = marker
                notes.setdefault(current, [])
            if not text:
                continue
            if current is None:
                self.warnings.append(
                    f"line {paragraph.sourceline}: end-note text without a footnote number "
                    "before it; kept under '?'"
                )
                current = "?"
                notes.setdefault(current, [])
            notes[current].append(text)
        return {marker: "\n\n".join(parts) for marker, parts in notes.items()}

    def attach_sections(
        self, treaty: Any, rows: dict[str, _TableRow]
    ) -> tuple[Participant, ...]:
        """The participants of the table with the statements the sections give them; each
        Participant is built here, once."""
        found: dict[str, list[Declaration]] = {}
        extra_footnotes: dict[str, list[str]] = {}
        # every section of each kind is read (a record may split one into several), the
        # kinds in a fixed order
        for tag, section_kind in SECTION_TAGS.items():
            for section in treaty.iterchildren(tag):
                # only statements made under the declarations heading can be reservations; an
                # objection merely quotes the reservation it targets
                may_reserve = section_kind is DeclarationSection.DECLARATIONS
                key: str | None = None
                # the current participant's paragraphs: raw text, or (text, markers) where
                # _cell read child elements
                paragraphs: list[str | tuple[str, list[str]]] = []
                # Participant elements are told from Text ones by identity with the next one a
                # second iterator gives: lxml returns the one proxy object of a node while it
                # is referenced, and reading .tag would build a string for every paragraph
                participants = section.iter("Participant")
                next_participant = next(participants, None)
                for element in section.iter("Participant", "Text"):
                    if element is next_participant:
                        next_participant = next(participants, None)
                        self._declare(found, extra_footnotes, key, paragraphs, section_kind,
                                      may_reserve)
                        paragraphs = []
                        name, markers = _cell(element)
                        key = self._section_participant(name, element, tag, rows)
                        if key is not None and markers:
                            extra_footnotes.setdefault(key, []).extend(markers)
                    elif key is not None:
                        if len(element):
                            paragraphs.append(_cell(element))
                        elif text := element.text:  # read once: each read decodes it anew
                            paragraphs.append(text)
                    elif _cell(element)[0]:
                        self.warnings.append(
                            f"line {element.sourceline}: text in {tag} before any participant "
                            "name; skipped"
                        )
                self._declare(found, extra_footnotes, key, paragraphs, section_kind, may_reserve)
        return tuple(
            Participant(
                key=row.key, name=row.name, iso3=row.iso3, is_reio=row.is_reio,
                signature=row.signature, action=row.action, action_kind=row.action_kind,
                footnotes=tuple(dict.fromkeys(
                    row.footnotes + extra_footnotes[key] if key in extra_footnotes
                    else row.footnotes
                )),
                declarations=tuple(found.get(key, ())), remarks=row.remarks,
            )
            for key, row in rows.items()
        )

    @staticmethod
    def _declare(
        found: dict[str, list[Declaration]], extra_footnotes: dict[str, list[str]],
        key: str | None, paragraphs: list[str | tuple[str, list[str]]],
        section_kind: DeclarationSection, may_reserve: bool,
    ) -> None:
        """One Declaration from a participant's paragraphs (untc/paragraphs.pyx cleans and
        joins them, a blank line between), with the footnote markers found in its text."""
        if key is None or not paragraphs:
            return
        text, markers = join_paragraphs(paragraphs)
        if not text:
            return
        if markers:
            extra_footnotes.setdefault(key, []).extend(markers)
        articles, reads_as_reservation = analyse_statement(text)
        found.setdefault(key, []).append(Declaration(
            section=section_kind, text=text, articles=articles,
            is_reservation=may_reserve and reads_as_reservation,
        ))

    def _section_participant(
        self, name: str, element: Any, tag: str, rows: dict[str, _TableRow]
    ) -> str | None:
        key = identify(name).key
        if key in rows:
            return key
        self.warnings.append(
            f"line {element.sourceline}: {tag} names {name!r}, which is not in the participant "
            "table; its text was skipped"
        )
        return None


def _leading_marker(paragraph: Any) -> str | None:
    """The footnote number an end-note paragraph starts with, if any."""
    head = paragraph.text or ""
    if len(paragraph) and not head.strip() and paragraph[0].tag == "superscript":
        marker = (paragraph[0].text or "").strip()
        return marker or None
    match = _LEADING_ESCAPED_MARKER.match(head)
    marker = match.group(1).strip() if match is not None else ""
    return marker or None


def _suffix_kinds(label: str) -> dict[str, ActionKind]:
    """Suffix -> kind from an action column label such as
    "Ratification, Acceptance(A), Approval(AA), Accession(a), Succession(d)"."""
    kinds: dict[str, ActionKind] = {}
    for words, suffix in _LABELLED_SUFFIX.findall(label):
        first = words.strip().split()[-1].casefold() if words.strip() else ""
        kind = _KIND_WORDS.get(first)
        if kind is not None:
            kinds[suffix] = kind
    return kinds
