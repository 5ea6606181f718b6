"""Small status snapshots built from the model directly (no depositary file needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from treatydesk.status.model import (
    ActionKind,
    Declaration,
    DeclarationSection,
    Participant,
    Snapshot,
    TreatyRecord,
)
from treatydesk.store.db import Database
from treatydesk.store.status_tables import (
    StatusDeclarationRow,
    StatusParticipantRow,
    StatusSnapshotRow,
)


def make_snapshot(
    *,
    retrieved_at: datetime = datetime(2025, 11, 1, 9, 30, tzinfo=UTC),
    source: str = "test://xviii-16.xml",
    ratify_austria: date | None = None,
    extra: tuple[Participant, ...] = (),
) -> Snapshot:
    participants = (
        Participant(
            key="AUT", name="Austria", iso3="AUT", signature=date(2025, 10, 25),
            action=ratify_austria,
            action_kind=ActionKind.RATIFICATION if ratify_austria else None,
        ),
        Participant(
            key="BRA", name="Brazil", iso3="BRA", signature=date(2025, 10, 25),
            footnotes=("1",),
            declarations=(
                Declaration(
                    section=DeclarationSection.DECLARATIONS,
                    text="Brazil declares under article 42, paragraph 3, that ...",
                    articles=("42(3)",),
                    is_reservation=False,
                ),
            ),
        ),
        Participant(
            key="european-union", name="European Union", iso3=None, is_reio=True,
            signature=date(2025, 10, 25),
        ),
        *extra,
    )
    return Snapshot(
        treaty=TreatyRecord(reference="XVIII-16", title="United Nations Convention against "
                            "Cybercrime"),
        source=source,
        retrieved_at=retrieved_at,
        participants=participants,
        notes={"1": "A test footnote."},
        partial=False,
    )


def row_counts(db: Database) -> tuple[int, int, int]:
    """(snapshots, participants, declarations) rows in the database."""
    with db.reading() as session:
        return (
            session.scalar(select(func.count(StatusSnapshotRow.id))) or 0,
            session.scalar(select(func.count(StatusParticipantRow.id))) or 0,
            session.scalar(select(func.count(StatusDeclarationRow.id))) or 0,
        )
