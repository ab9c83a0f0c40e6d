"""Who is running a run: owner pid and host and a heartbeat, so a run whose process died
(`kill -9`, a crash, a lost machine) reads as interrupted instead of running forever; and
seeds as 64-bit integers (PostgreSQL's INTEGER holds 32 bits).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("owner_pid", sa.Integer))
        batch.add_column(sa.Column("owner_host", sa.String(255)))
        batch.add_column(sa.Column("heartbeat_at", sa.Float))
        batch.alter_column("seed", type_=sa.BigInteger, existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.alter_column("seed", type_=sa.Integer, existing_nullable=False)
        batch.drop_column("heartbeat_at")
        batch.drop_column("owner_host")
        batch.drop_column("owner_pid")
