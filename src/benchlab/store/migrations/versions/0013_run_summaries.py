"""What is computed from a finished run and read on every view of it, kept (issue 14: run
pages and compares at a million attempts read a row instead of rescanning the run).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "run_summaries",
        sa.Column("run_id", sa.String(64), primary_key=True),
        sa.Column("part", sa.String(300), primary_key=True),
        sa.Column("fingerprint", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("made_at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("run_summaries")
