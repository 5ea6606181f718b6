"""Declaration rows keep what queries need (section, articles, reservation or not) but no longer
a copy of the text: the snapshot's document holds every statement's text, and reading a
snapshot back decodes the document. An import of a record with megabytes of statements
wrote them twice.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("status_declarations") as batch:
        batch.drop_column("text")


def downgrade() -> None:
    # the texts are not copied back into the rows: they remain in the snapshots' documents
    with op.batch_alter_table("status_declarations") as batch:
        batch.add_column(sa.Column("text", sa.Text(), nullable=False, server_default=""))
