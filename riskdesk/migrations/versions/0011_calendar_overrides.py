"""Calendar overrides: proclaimed bank holidays, removed days, local closure days.

Revision ID: 0011_calendar_overrides
Revises: 0010_import_provenance
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_calendar_overrides"
down_revision = "0010_import_provenance"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A new table only: existing databases upgrade in place (after the usual backup).
    op.create_table(
        "calendar_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("nations", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_override")),
        sa.UniqueConstraint("day", "kind", "nations", name="uq_calendar_override_day_kind_nations"),
    )
    with op.batch_alter_table("calendar_override", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_override_day"), ["day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("calendar_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_override_day"))
    op.drop_table("calendar_override")
