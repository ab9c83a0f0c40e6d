"""For the server: materialised per-run aggregates and an index for live progress polling.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_attempts_run_finished", "attempts", ["run_id", "finished_at"])
    op.create_table(
        "run_stats",
        sa.Column("run_id", sa.String(64), primary_key=True),
        sa.Column("suite", sa.String(200), primary_key=True),
        sa.Column("model", sa.String(200), primary_key=True),
        sa.Column("run_finished_at", sa.Float),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("judged", sa.Integer, nullable=False),
        sa.Column("passed", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("cost_usd", sa.Float, nullable=False),
        sa.Column("cost_unknown", sa.Integer, nullable=False),
        sa.Column("input_tokens", sa.BigInteger, nullable=False),
        sa.Column("output_tokens", sa.BigInteger, nullable=False),
        sa.Column("latency_sum", sa.Float, nullable=False),
        sa.Column("latency_n", sa.Integer, nullable=False),
        sa.Column("first_at", sa.Float),
        sa.Column("last_at", sa.Float),
    )
    op.create_index("ix_run_stats_suite_model", "run_stats", ["suite", "model"])


def downgrade() -> None:
    op.drop_index("ix_run_stats_suite_model", "run_stats")
    op.drop_table("run_stats")
    op.drop_index("ix_attempts_run_finished", "attempts")
