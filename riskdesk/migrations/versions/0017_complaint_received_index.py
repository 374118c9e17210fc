"""An index on complaint.received_on: the annual reports count a year's complaints by the date received
across every procedure, which the (procedure, received_on) index cannot serve (issue 13: each year's
count scanned the whole table).

Revision ID: 0017_complaint_received_index
Revises: 0016_foi
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0017_complaint_received_index"
down_revision = "0016_foi"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An index only: no table is rebuilt, on SQLite or PostgreSQL, and no row changes.
    op.create_index("ix_complaint_received_on", "complaint", ["received_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_complaint_received_on", table_name="complaint")
