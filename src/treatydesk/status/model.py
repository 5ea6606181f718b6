"""The domain model of a treaty's status as the depositary records it.

Plain frozen dataclasses (no I/O) so that importers, the store, the CLI and the web all share
one shape. Dates are `datetime.date`; the depositary's own spelling of names is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class ActionKind(StrEnum):
    """The kinds of consent to be bound the depositary records (MTDSG suffixes in comments)."""

    RATIFICATION = "ratification"  # no suffix
    ACCEPTANCE = "acceptance"  # A
    APPROVAL = "approval"  # AA
    ACCESSION = "accession"  # a
    SUCCESSION = "succession"  # d


class DeclarationSection(StrEnum):
    """The MTDSG sections that hold statements by participants."""

    DECLARATIONS = "declarations"  # declarations and reservations
    OBJECTIONS = "objections"
    DECLARATIONS_UNDER_ARTICLE = "declarations_under_article"
    NOTIFICATIONS = "notifications"
    TERRITORIAL_APPLICATIONS = "territorial_applications"


@dataclass(frozen=True, slots=True)
class Declaration:
    """A declaration, reservation, objection or notification of one participant."""

    section: DeclarationSection
    text: str
    #: article numbers the text names, e.g. ("11", "42(3)"); extracted, in order, no repeats
    articles: tuple[str, ...] = ()
    #: True when the text reads as a reservation rather than a mere declaration
    is_reservation: bool = False


@dataclass(frozen=True, slots=True)
class Participant:
    """One row of the depositary's participant table."""

    #: ISO 3166-1 alpha-3 where one exists, else a stable slug (e.g. "european-union")
    key: str
    #: the depositary's spelling, footnote markers removed
    name: str
    iso3: str | None
    #: a regional economic integration organization (Art 2(n)); its instrument is not counted
    #: in addition to its members' (Art 65(1))
    is_reio: bool = False
    signature: date | None = None
    action: date | None = None
    action_kind: ActionKind | None = None
    #: footnote markers found in the name or cells, e.g. ("1", "3"); texts are in Snapshot.notes
    footnotes: tuple[str, ...] = ()
    declarations: tuple[Declaration, ...] = ()
    #: where this row comes from when it is not the depositary file itself (bundled snapshot)
    source: str | None = None
    #: what the importer noticed about the row's cells, e.g. a date the depositary printed in
    #: square brackets (kept, with the brackets recorded here)
    remarks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TreatyRecord:
    """What the header of a depositary record says about the treaty."""

    #: the depositary reference, e.g. "XVIII-16"
    reference: str
    title: str
    conclusion: str | None = None  # place and date as the depositary writes them
    entry_into_force_text: str | None = None
    registration: str | None = None
    signatories_count: int | None = None
    parties_count: int | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The whole status of one treaty as read from one source at one time."""

    treaty: TreatyRecord
    #: a path or URL, or a description for a compiled snapshot
    source: str
    retrieved_at: datetime
    participants: tuple[Participant, ...]
    #: footnote/end-note texts by marker
    notes: dict[str, str] = field(default_factory=dict)
    #: True when the snapshot is known to be incomplete (the bundled one is)
    partial: bool = False
    #: why it is partial, what it covers, as of when
    remark: str | None = None
    #: problems the importer worked around (e.g. a participant name it could not map to ISO
    #: 3166), so a reader can check them
    warnings: tuple[str, ...] = ()

    def participant(self, key: str) -> Participant | None:
        for participant in self.participants:
            if participant.key == key:
                return participant
        return None


@dataclass(frozen=True, slots=True)
class Standing:
    """Where one participant stands under a treaty, derived from a snapshot and the treaty's
    entry-into-force rule (computed by `treatydesk.status.rules`)."""

    key: str
    name: str
    signature: date | None
    #: date its instrument of ratification, acceptance, approval, accession or succession was
    #: deposited, and which kind
    consent: date | None
    consent_kind: ActionKind | None
    #: first day the treaty is (or will be) in force for it; None while it is not bound
    in_force_from: date | None
    is_reio: bool = False
