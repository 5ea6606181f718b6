"""Tables of the web desk: server-side sign-in sessions, and the party profiles and policy pack
an organisation's administrators upload (the safeguards check reads them).

Sessions are server-side rows so that signing out, deactivation and expiry take effect at once;
the cookie carries a random token whose SHA-256 is the only thing stored. Migration:
versions/0003_web_sessions_profiles.py.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from treatydesk.store.db import Base
from treatydesk.store.desk_tables import UtcDateTime


class WebSessionRow(Base):
    __tablename__ = "web_sessions"
    __table_args__ = (Index("ix_web_sessions_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: SHA-256 hex of the cookie value; the value itself is never stored
    token_sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    #: the synchronizer token every state-changing form of this session must echo
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class StoredProfileRow(Base):
    """A State Party's profile (YAML, as uploaded) as one organisation's desk knows it."""

    __tablename__ = "party_profiles"
    __table_args__ = (
        UniqueConstraint("org_id", "party_key", name="uq_party_profiles_org_key"),
        Index("ix_party_profiles_org_id", "org_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), nullable=False)
    party_key: Mapped[str] = mapped_column(String(64), nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    source_yaml: Mapped[str] = mapped_column(Text, nullable=False)
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)


class StoredPolicyRow(Base):
    """The organisation's policy pack (YAML, as uploaded): one per organisation."""

    __tablename__ = "policy_packs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), nullable=False,
                                        unique=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    source_yaml: Mapped[str] = mapped_column(Text, nullable=False)
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime(), nullable=False)
