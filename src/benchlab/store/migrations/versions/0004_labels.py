"""Human labels of attempts, one per (attempt, labeler), for the `human` score and agreement.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "labels",
        sa.Column("attempt_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("labeler", sa.String(64), primary_key=True),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("label", sa.String(20), nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("passed", sa.Boolean),
        sa.Column("note", sa.Text),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_labels_run_labeler", "labels", ["run_id", "labeler"])


def downgrade() -> None:
    op.drop_index("ix_labels_run_labeler", "labels")
    op.drop_table("labels")
