"""An index on attempts.finished_at: the month's spend without reading every attempt.

`benchlab spend`, `GET /api/spend` and the overview (opened all day on a
dashboard) select the attempts answered in one calendar month; without this
index each of them read the whole table (a million attempts: ~180 ms of CPU
for the month's 59,000). Building it on an existing store is one pass over
the table (1.7 s for a million attempts on SQLite).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_attempts_finished", "attempts", ["finished_at"])


def downgrade() -> None:
    op.drop_index("ix_attempts_finished", table_name="attempts")
