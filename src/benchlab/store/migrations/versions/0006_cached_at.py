"""When a reused answer was first asked, and cached answers at cost 0 (issue 11).

A run that reused stored answers must say from when they are, so each attempt
served from the response cache keeps the cache entry's `created_at` as
`cached_at`. A reused answer cost nothing, so attempts already recorded as
cached get `cost_usd = 0` (they carried the original request's price), and
the per-run aggregates of those runs are dropped to be recomputed on read.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("attempts", sa.Column("cached_at", sa.Float))
    attempts = sa.table(
        "attempts",
        sa.column("run_id", sa.String),
        sa.column("cached", sa.Boolean),
        sa.column("status", sa.String),
        sa.column("cost_usd", sa.Float),
    )
    run_stats = sa.table("run_stats", sa.column("run_id", sa.String))
    cached = sa.and_(attempts.c.cached.is_(True), attempts.c.status == "ok")
    op.execute(
        run_stats.delete().where(run_stats.c.run_id.in_(sa.select(attempts.c.run_id).where(cached)))
    )
    op.execute(attempts.update().where(cached).values(cost_usd=0.0))


def downgrade() -> None:
    op.drop_column("attempts", "cached_at")
