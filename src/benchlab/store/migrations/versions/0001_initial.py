"""The initial schema: runs, models, suites, cases, attempts, scores, response cache.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
        sa.Column("started_at", sa.Float),
        sa.Column("finished_at", sa.Float),
        sa.Column("seed", sa.Integer, nullable=False),
        sa.Column("suites", sa.JSON, nullable=False),
        sa.Column("models", sa.JSON, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("benchlab_version", sa.String(32), nullable=False),
        sa.Column("config", sa.JSON, nullable=False),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_runs_created_at", "runs", ["created_at"])
    op.create_table(
        "models",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("spec", sa.String(300), nullable=False),
        sa.Column("provider", sa.String(50), nullable=False),
        sa.Column("first_seen", sa.Float, nullable=False),
    )
    op.create_table(
        "run_models",
        sa.Column("run_id", sa.String(64), primary_key=True),
        sa.Column("model", sa.String(200), primary_key=True),
        sa.Column("spec", sa.String(300), nullable=False),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_run_models_model_created", "run_models", ["model", "created_at"])
    op.create_table(
        "suites",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("version", sa.String(50), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("header", sa.JSON, nullable=False),
        sa.Column("n_cases", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.Float, nullable=False),
    )
    op.create_index("ix_suites_name", "suites", ["name"])
    op.create_table(
        "run_suites",
        sa.Column("run_id", sa.String(64), primary_key=True),
        sa.Column("suite", sa.String(200), primary_key=True),
        sa.Column("suite_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )
    op.create_index("ix_run_suites_suite_created", "run_suites", ["suite", "created_at"])
    op.create_table(
        "cases",
        sa.Column("suite_hash", sa.String(64), primary_key=True),
        sa.Column("case_id", sa.String(300), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("context", sa.Text),
        sa.Column("expected", sa.Text),
        sa.Column("scorers", sa.Text),
        sa.Column("category", sa.String(200)),
        sa.Column("metadata", sa.Text, nullable=False),
    )
    op.create_table(
        "attempts",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("suite", sa.String(200), nullable=False),
        sa.Column("case_id", sa.String(300), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("sample", sa.Integer, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("category", sa.String(200)),
        sa.Column("prompt", sa.Text, nullable=False),
        sa.Column("output", sa.Text),
        sa.Column("tool_calls", sa.Text),
        sa.Column("finish_reason", sa.String(50)),
        sa.Column("input_tokens", sa.Integer),
        sa.Column("output_tokens", sa.Integer),
        sa.Column("latency_ms", sa.Float),
        sa.Column("cost_usd", sa.Float),
        sa.Column("error_type", sa.String(100)),
        sa.Column("error_message", sa.Text),
        sa.Column("cached", sa.Boolean, nullable=False),
        sa.Column("retries", sa.Integer, nullable=False),
        sa.Column("passed", sa.Boolean),
        sa.Column("finished_at", sa.Float, nullable=False),
        sa.UniqueConstraint("run_id", "suite", "case_id", "model", "sample", name="uq_attempt_key"),
    )
    op.create_index("ix_attempts_run_model", "attempts", ["run_id", "model"])
    op.create_table(
        "scores",
        sa.Column("attempt_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("scorer", sa.String(200), primary_key=True),
        sa.Column("pass_no", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("value", sa.Float),
        sa.Column("passed", sa.Boolean),
        sa.Column("explanation", sa.Text),
        sa.Column("details", sa.Text),
    )
    op.create_index("ix_scores_run", "scores", ["run_id"])
    op.create_table(
        "response_cache",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("model", sa.String(300), nullable=False),
        sa.Column("completion", sa.Text, nullable=False),
        sa.Column("created_at", sa.Float, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "response_cache",
        "scores",
        "attempts",
        "cases",
        "run_suites",
        "suites",
        "run_models",
        "models",
        "runs",
    ):
        op.drop_table(table)
