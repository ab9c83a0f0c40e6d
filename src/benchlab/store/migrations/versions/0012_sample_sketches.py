"""Samples keep their de-duplication sketch (issue 15): exact key and MinHash signature.

Made by the import's worker processes while they read each sample, so that
de-duplicating the stored samples reads 137 bytes a sample instead of
decoding and hashing every input again (benchlab/samples/sketch.py). Rows
stored before stay NULL: their sketch is made from the input when needed.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("samples", sa.Column("dedupe_sketch", sa.LargeBinary))


def downgrade() -> None:
    with op.batch_alter_table("samples") as batch:
        batch.drop_column("dedupe_sketch")
