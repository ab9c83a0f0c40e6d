"""Budget alerts (issue 14): which thresholds of the monthly budget were crossed and notified.

One row per (month, threshold percent), written when the month's spend first
crosses it; `delivered_at` is set once the webhook accepted the notice, so a
restarted server does not send it again (and retries one it could not send).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "budget_alerts",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("threshold_pct", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("budget_usd", sa.Float, nullable=False),
        sa.Column("spent_usd", sa.Float, nullable=False),
        sa.Column("raised_at", sa.Float, nullable=False),
        sa.Column("delivered_at", sa.Float),
        sa.Column("tries", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
    )


def downgrade() -> None:
    op.drop_table("budget_alerts")
