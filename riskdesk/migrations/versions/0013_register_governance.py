"""Register governance: controls, sources of assurance, responses and review dates, lessons, expected dates.

Revision ID: 0013_register_governance
Revises: 0011_calendar_overrides
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_register_governance"
down_revision = "0011_calendar_overrides"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New tables and one nullable column: existing databases upgrade in place (after the backup).
    op.create_table(
        "risk_control",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("effectiveness", sa.String(length=16), nullable=False),
        sa.Column("last_tested_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["risk_id"], ["risk.id"], name=op.f("fk_risk_control_risk_id_risk"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_control")),
    )
    with op.batch_alter_table("risk_control", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_risk_control_risk_id"), ["risk_id"], unique=False)
    op.create_table(
        "assurance_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("last_received_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["risk_id"], ["risk.id"], name=op.f("fk_assurance_source_risk_id_risk"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assurance_source")),
    )
    with op.batch_alter_table("assurance_source", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assurance_source_risk_id"), ["risk_id"], unique=False)
    op.create_table(
        "assessment_governance",
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("response", sa.String(length=16), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"],
                                name=op.f("fk_assessment_governance_assessment_id_assessment"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("assessment_id", name=op.f("pk_assessment_governance")),
    )
    op.create_table(
        "lesson_risk",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("risk_id", sa.Integer(), nullable=False),
        sa.Column("lesson", sa.Text(), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=False),
        sa.Column("marked_by", sa.String(length=128), nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["serious_incident.id"],
                                name=op.f("fk_lesson_risk_incident_id_serious_incident"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["risk_id"], ["risk.id"], name=op.f("fk_lesson_risk_risk_id_risk"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lesson_risk")),
    )
    with op.batch_alter_table("lesson_risk", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lesson_risk_incident_id"), ["incident_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lesson_risk_risk_id"), ["risk_id"], unique=False)
    with op.batch_alter_table("risk_action", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expected_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("risk_action", schema=None) as batch_op:
        batch_op.drop_column("expected_on")
    for table, indexes in (("lesson_risk", ("incident_id", "risk_id")), ("assessment_governance", ()),
                           ("assurance_source", ("risk_id",)), ("risk_control", ("risk_id",))):
        if indexes:
            with op.batch_alter_table(table, schema=None) as batch_op:
                for col in indexes:
                    batch_op.drop_index(batch_op.f(f"ix_{table}_{col}"))
        op.drop_table(table)
