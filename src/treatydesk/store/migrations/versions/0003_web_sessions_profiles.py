"""Web desk: sign-in sessions (server-side), stored party profiles and policy packs.

Revision ID: 0003
Revises: 0002
Create Date: 2025-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _tz() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("token_sha256", sa.String(length=64), nullable=False, unique=True),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("created_at", _tz(), nullable=False),
        sa.Column("last_seen_at", _tz(), nullable=False),
        sa.Column("expires_at", _tz(), nullable=False),
    )
    op.create_index("ix_web_sessions_user_id", "web_sessions", ["user_id"])
    op.create_table(
        "party_profiles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=False),
        sa.Column("party_key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("source_yaml", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("uploaded_at", _tz(), nullable=False),
        sa.UniqueConstraint("org_id", "party_key", name="uq_party_profiles_org_key"),
    )
    op.create_index("ix_party_profiles_org_id", "party_profiles", ["org_id"])
    op.create_table(
        "policy_packs",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("org_id", sa.Integer(), sa.ForeignKey("organisations.id"), nullable=False,
                  unique=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("source_yaml", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("uploaded_at", _tz(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("policy_packs")
    op.drop_index("ix_party_profiles_org_id", table_name="party_profiles")
    op.drop_table("party_profiles")
    op.drop_index("ix_web_sessions_user_id", table_name="web_sessions")
    op.drop_table("web_sessions")
