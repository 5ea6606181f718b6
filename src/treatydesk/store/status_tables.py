"""Tables for stored status snapshots of treaties (depositary records as read at one time).

The whole snapshot is kept as its serialised document so that reading it back gives exactly what
was imported; participants and their declarations are also stored as rows so that they can be
queried (who ratified when, which declarations name Art 42) without decoding documents; a
declaration row has no copy of its text, which only the document holds.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from treatydesk.store.db import Base


class StatusSnapshotRow(Base):
    __tablename__ = "status_snapshots"
    __table_args__ = (
        Index("ix_status_snapshots_treaty_retrieved", "treaty", "retrieved_at"),
        Index("ix_status_snapshots_content_sha256", "content_sha256"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: the depositary reference, e.g. "XVIII-16"
    treaty: Mapped[str] = mapped_column(String(64), nullable=False)
    title: Mapped[str] = mapped_column(Text, nullable=False)
    source: Mapped[str] = mapped_column(Text, nullable=False)
    #: when the source was read (UTC); imported_at is when it was stored here
    retrieved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    partial: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    remark: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: sha256 of the document without source and retrieval time: equal hashes, equal status
    content_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    #: the serialised snapshot (treatydesk.status.serialize), for an exact round trip
    document: Mapped[str] = mapped_column(Text, nullable=False)

    participants: Mapped[list[StatusParticipantRow]] = relationship(
        back_populates="snapshot", cascade="all, delete-orphan", passive_deletes=True,
        order_by="StatusParticipantRow.position",
    )


class StatusParticipantRow(Base):
    __tablename__ = "status_participants"
    __table_args__ = (
        UniqueConstraint("snapshot_id", "key", name="uq_status_participants_snapshot_key"),
        Index("ix_status_participants_key", "key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    snapshot_id: Mapped[int] = mapped_column(
        ForeignKey("status_snapshots.id", ondelete="CASCADE"), nullable=False
    )
    #: order in the depositary's table
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    key: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(Text, nullable=False)
    iso3: Mapped[str | None] = mapped_column(String(3), nullable=True)
    is_reio: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    signature: Mapped[date | None] = mapped_column(Date, nullable=True)
    action: Mapped[date | None] = mapped_column(Date, nullable=True)
    action_kind: Mapped[str | None] = mapped_column(String(16), nullable=True)
    footnotes: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)

    snapshot: Mapped[StatusSnapshotRow] = relationship(back_populates="participants")
    declarations: Mapped[list[StatusDeclarationRow]] = relationship(
        back_populates="participant", cascade="all, delete-orphan", passive_deletes=True,
        order_by="StatusDeclarationRow.position",
    )


class StatusDeclarationRow(Base):
    __tablename__ = "status_declarations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("status_participants.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    section: Mapped[str] = mapped_column(String(40), nullable=False)
    # no copy of the statement's text: the snapshot's document holds it (migration 0005)
    #: article numbers the text names, e.g. ["11", "42(3)"]
    articles: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    is_reservation: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    participant: Mapped[StatusParticipantRow] = relationship(back_populates="declarations")
