"""A reasoning model's thinking, kept with each attempt apart from its answer (issue 13).

Reasoning models return their chain of thought in a field of its own
(`reasoning_content`, Anthropic's `thinking` blocks): it is worth reading
next to a wrong answer, and must never be what a scorer reads.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attempts", sa.Column("reasoning", sa.Text))


def downgrade() -> None:
    op.drop_column("attempts", "reasoning")
