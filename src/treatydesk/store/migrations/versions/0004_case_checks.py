"""Safeguards check stored with each case version (outcome, record, rules revision) and the
latest one on the case (outcome and summary for the list and the case view).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # nullable: versions saved before this migration were never checked when saved
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("check_outcome", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("check_summary", sa.JSON(), nullable=True))
    with op.batch_alter_table("case_versions") as batch:
        batch.add_column(sa.Column("check_outcome", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("check_record", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("rules_revision", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("case_versions") as batch:
        batch.drop_column("rules_revision")
        batch.drop_column("check_record")
        batch.drop_column("check_outcome")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("check_summary")
        batch.drop_column("check_outcome")
