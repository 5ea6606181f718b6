"""Status snapshots of treaties, their participants and declarations.

Revision ID: 0001
Revises:
Create Date: 2025-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "status_snapshots",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("treaty", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("retrieved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("remark", sa.Text(), nullable=True),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
    )
    op.create_index(
        "ix_status_snapshots_treaty_retrieved", "status_snapshots", ["treaty", "retrieved_at"]
    )
    op.create_index(
        "ix_status_snapshots_content_sha256", "status_snapshots", ["content_sha256"]
    )
    op.create_table(
        "status_participants",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "snapshot_id", sa.Integer(),
            sa.ForeignKey("status_snapshots.id", ondelete="CASCADE"), nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=True),
        sa.Column("is_reio", sa.Boolean(), nullable=False),
        sa.Column("signature", sa.Date(), nullable=True),
        sa.Column("action", sa.Date(), nullable=True),
        sa.Column("action_kind", sa.String(length=16), nullable=True),
        sa.Column("footnotes", sa.JSON(), nullable=False),
        sa.UniqueConstraint("snapshot_id", "key", name="uq_status_participants_snapshot_key"),
    )
    op.create_index("ix_status_participants_key", "status_participants", ["key"])
    op.create_table(
        "status_declarations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "participant_id", sa.Integer(),
            sa.ForeignKey("status_participants.id", ondelete="CASCADE"), nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=40), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("articles", sa.JSON(), nullable=False),
        sa.Column("is_reservation", sa.Boolean(), nullable=False),
    )
    op.create_index(
        "ix_status_declarations_participant_id", "status_declarations", ["participant_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_status_declarations_participant_id", table_name="status_declarations")
    op.drop_table("status_declarations")
    op.drop_index("ix_status_participants_key", table_name="status_participants")
    op.drop_table("status_participants")
    op.drop_index("ix_status_snapshots_content_sha256", table_name="status_snapshots")
    op.drop_index("ix_status_snapshots_treaty_retrieved", table_name="status_snapshots")
    op.drop_table("status_snapshots")
