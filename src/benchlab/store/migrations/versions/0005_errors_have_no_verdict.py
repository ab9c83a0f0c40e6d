"""Errored attempts have no verdict; error types become kinds; cached aggregates recomputed.

Before this revision an attempt whose request failed was stored with
`passed = false` (an error counted as a wrong answer) and `error_type` held
the exception's class name. Stored runs are brought to today's meaning so that
their pass rates, history and leaderboards agree with new runs: `passed` is
NULL on every errored attempt, `error_type` is the kind (`auth`, `server`,
...), and `run_stats` is emptied so every run's aggregates are recomputed on
first read.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

KINDS = {
    "RateLimited": "rate_limit",
    "ProviderTimeout": "timeout",
    "ConnectionFailed": "transport",
    "ServerError": "server",
    "BadResponse": "bad_response",
    "AuthenticationFailed": "auth",
    "RequestRejected": "rejected",
    "NoRecordedAnswer": "not_found",
    "ProviderError": "transport",
}


def upgrade() -> None:
    attempts = sa.table(
        "attempts",
        sa.column("status", sa.String),
        sa.column("passed", sa.Boolean),
        sa.column("error_type", sa.String),
    )
    op.execute(attempts.update().where(attempts.c.status == "error").values(passed=None))
    for old, kind in KINDS.items():
        op.execute(attempts.update().where(attempts.c.error_type == old).values(error_type=kind))
    op.execute(sa.table("run_stats").delete())


def downgrade() -> None:
    attempts = sa.table(
        "attempts",
        sa.column("status", sa.String),
        sa.column("passed", sa.Boolean),
        sa.column("error_type", sa.String),
    )
    op.execute(attempts.update().where(attempts.c.status == "error").values(passed=False))
    op.execute(sa.table("run_stats").delete())
