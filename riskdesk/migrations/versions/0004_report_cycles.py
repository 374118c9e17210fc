"""Report cycles: committee meetings, their frozen snapshots and SHA-256.

Revision ID: 0004_report_cycles
Revises: 0003_register_workflow
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_report_cycles"
down_revision = "0003_register_workflow"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_cycle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("register_id", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=False),
        sa.Column("meeting_title", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("appendix_label", sa.String(length=64), nullable=False),
        sa.Column("update_heading", sa.String(length=200), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("previous_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("presented_at", sa.DateTime(), nullable=True),
        sa.Column("presented_by", sa.String(length=128), nullable=True),
        sa.Column("snapshot_json", sa.Text(), nullable=True),
        sa.Column("snapshot_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=128), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["previous_id"], ["report_cycle.id"], name=op.f("fk_report_cycle_previous_id_report_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["register_id"], ["register.id"], name=op.f("fk_report_cycle_register_id_register")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_cycle")),
    )
    with op.batch_alter_table("report_cycle", schema=None) as batch_op:
        batch_op.create_index("ix_report_cycle_register_status", ["register_id", "status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("report_cycle", schema=None) as batch_op:
        batch_op.drop_index("ix_report_cycle_register_status")

    op.drop_table("report_cycle")
