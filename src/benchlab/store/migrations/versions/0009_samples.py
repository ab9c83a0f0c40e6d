"""Production samples (issue 15): what an application really sent and answered, with feedback.

`benchlab samples import` and, later, the cleaning and sampling steps read and
write this table. Its key is a content hash of (timestamp, input, output,
model), so importing the same sample twice keeps one row.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "samples",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("sample_id", sa.String(200)),
        sa.Column("timestamp", sa.Float),
        sa.Column("input", sa.Text, nullable=False),
        sa.Column("output", sa.Text, nullable=False),
        sa.Column("feedback_score", sa.Float),
        sa.Column("feedback_label", sa.String(200)),
        sa.Column("feedback_comment", sa.Text),
        sa.Column("metadata", sa.Text, nullable=False),
        sa.Column("model", sa.String(200)),
        sa.Column("input_tokens", sa.Integer),
        sa.Column("output_tokens", sa.Integer),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("source_line", sa.Integer, nullable=False),
        sa.Column("source_format", sa.String(20), nullable=False),
        sa.Column("imported_at", sa.Float, nullable=False),
    )
    op.create_index("ix_samples_timestamp", "samples", ["timestamp"])
    op.create_index("ix_samples_model", "samples", ["model"])


def downgrade() -> None:
    op.drop_index("ix_samples_model", "samples")
    op.drop_index("ix_samples_timestamp", "samples")
    op.drop_table("samples")
