"""Ombudsman casework, the Ombudsman's published figures, and the Code self-assessment.

Revision ID: 0015_ombudsman
Revises: 0013_register_governance
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_ombudsman"
down_revision = "0014_complaints"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New tables only: an existing database upgrades in place (after the backup riskdesk takes).
    op.create_table(
        "ombudsman_benchmark",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fy", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("authority", sa.String(length=120), nullable=False),
        sa.Column("new_complaints", sa.Integer(), nullable=False),
        sa.Column("uphold_pct", sa.Integer(), nullable=False),
        sa.Column("per_100k", sa.String(length=16), nullable=False),
        sa.Column("is_self", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ombudsman_benchmark")),
        sa.UniqueConstraint("fy", "authority", name=op.f("uq_ombudsman_benchmark_fy")),
    )
    op.create_index(op.f("ix_ombudsman_benchmark_fy"), "ombudsman_benchmark", ["fy"], unique=False)
    op.create_table(
        "ombudsman_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("department", sa.String(length=16), nullable=False),
        sa.Column("service_group", sa.String(length=120), nullable=False),
        sa.Column("procedure", sa.String(length=16), nullable=False),
        sa.Column("complaint_ref", sa.String(length=60), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("logged_on", sa.Date(), nullable=False),
        sa.Column("first_enquiry_on", sa.Date(), nullable=False),
        sa.Column("response_due_on", sa.Date(), nullable=True),
        sa.Column("reply_due_on", sa.Date(), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("early_resolution_offered_on", sa.Date(), nullable=True),
        sa.Column("decision", sa.String(length=40), nullable=True),
        sa.Column("final_decision_on", sa.Date(), nullable=True),
        sa.Column("investigated", sa.Boolean(), nullable=False),
        sa.Column("public_report_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ombudsman_case")),
        sa.UniqueConstraint("reference", name=op.f("uq_ombudsman_case_reference")),
    )
    op.create_index(op.f("ix_ombudsman_case_department"), "ombudsman_case", ["department"], unique=False)
    op.create_index(
        op.f("ix_ombudsman_case_final_decision_on"), "ombudsman_case", ["final_decision_on"], unique=False
    )
    op.create_index(
        op.f("ix_ombudsman_case_first_enquiry_on"), "ombudsman_case", ["first_enquiry_on"], unique=False
    )
    op.create_index(op.f("ix_ombudsman_case_reply_due_on"), "ombudsman_case", ["reply_due_on"], unique=False)
    op.create_table(
        "ombudsman_published_year",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fy", sa.Integer(), nullable=False),
        sa.Column("letter_date", sa.Date(), nullable=True),
        sa.Column("complaints_and_enquiries_received", sa.Integer(), nullable=True),
        sa.Column("premature", sa.Integer(), nullable=True),
        sa.Column("assessment_closures", sa.Integer(), nullable=True),
        sa.Column("investigations", sa.Integer(), nullable=True),
        sa.Column("upheld", sa.Integer(), nullable=True),
        sa.Column("uphold_pct", sa.String(length=16), nullable=False),
        sa.Column("similar_avg_uphold_pct", sa.String(length=16), nullable=False),
        sa.Column("upheld_per_100k", sa.String(length=16), nullable=False),
        sa.Column("similar_avg_per_100k", sa.String(length=16), nullable=False),
        sa.Column("compliance_outcomes", sa.Integer(), nullable=True),
        sa.Column("compliance_pct", sa.String(length=16), nullable=False),
        sa.Column("similar_avg_compliance_pct", sa.String(length=16), nullable=False),
        sa.Column("satisfactory_remedy_count", sa.Integer(), nullable=True),
        sa.Column("satisfactory_remedy_pct", sa.String(length=16), nullable=False),
        sa.Column("similar_avg_satisfactory_pct", sa.String(length=16), nullable=False),
        sa.Column("public_reports", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ombudsman_published_year")),
        sa.UniqueConstraint("fy", name=op.f("uq_ombudsman_published_year_fy")),
    )
    op.create_table(
        "self_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fy", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("presented_on", sa.Date(), nullable=True),
        sa.Column("presented_by", sa.String(length=128), nullable=False),
        sa.Column("snapshot", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment")),
        sa.UniqueConstraint("fy", "template", name=op.f("uq_self_assessment_fy")),
    )
    op.create_table(
        "ombudsman_extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("previous_due", sa.Date(), nullable=True),
        sa.Column("new_due", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.String(length=128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["ombudsman_case.id"],
            name=op.f("fk_ombudsman_extension_case_id_ombudsman_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ombudsman_extension")),
    )
    op.create_index(op.f("ix_ombudsman_extension_case_id"), "ombudsman_extension", ["case_id"], unique=False)
    op.create_table(
        "ombudsman_recommendation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["ombudsman_case.id"],
            name=op.f("fk_ombudsman_recommendation_case_id_ombudsman_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ombudsman_recommendation")),
    )
    op.create_index(
        op.f("ix_ombudsman_recommendation_case_id"), "ombudsman_recommendation", ["case_id"], unique=False
    )
    op.create_index(
        op.f("ix_ombudsman_recommendation_due_on"), "ombudsman_recommendation", ["due_on"], unique=False
    )
    op.create_table(
        "ombudsman_remedy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("others_affected", sa.Boolean(), nullable=False),
        sa.Column("beneficiaries", sa.Integer(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("chair_consulted_on", sa.Date(), nullable=True),
        sa.Column("paid_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["ombudsman_case.id"],
            name=op.f("fk_ombudsman_remedy_case_id_ombudsman_case"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ombudsman_remedy")),
    )
    op.create_index(op.f("ix_ombudsman_remedy_case_id"), "ombudsman_remedy", ["case_id"], unique=False)
    op.create_table(
        "self_assessment_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code_ref", sa.String(length=16), nullable=False),
        sa.Column("comply", sa.String(length=8), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["self_assessment.id"],
            name=op.f("fk_self_assessment_row_assessment_id_self_assessment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_self_assessment_row")),
    )
    op.create_index(
        op.f("ix_self_assessment_row_assessment_id"), "self_assessment_row", ["assessment_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_self_assessment_row_assessment_id"), table_name="self_assessment_row")
    op.drop_table("self_assessment_row")
    op.drop_index(op.f("ix_ombudsman_remedy_case_id"), table_name="ombudsman_remedy")
    op.drop_table("ombudsman_remedy")
    op.drop_index(op.f("ix_ombudsman_recommendation_case_id"), table_name="ombudsman_recommendation")
    op.drop_index(op.f("ix_ombudsman_recommendation_due_on"), table_name="ombudsman_recommendation")
    op.drop_table("ombudsman_recommendation")
    op.drop_index(op.f("ix_ombudsman_extension_case_id"), table_name="ombudsman_extension")
    op.drop_table("ombudsman_extension")
    op.drop_table("self_assessment")
    op.drop_table("ombudsman_published_year")
    op.drop_index(op.f("ix_ombudsman_case_department"), table_name="ombudsman_case")
    op.drop_index(op.f("ix_ombudsman_case_final_decision_on"), table_name="ombudsman_case")
    op.drop_index(op.f("ix_ombudsman_case_first_enquiry_on"), table_name="ombudsman_case")
    op.drop_index(op.f("ix_ombudsman_case_reply_due_on"), table_name="ombudsman_case")
    op.drop_table("ombudsman_case")
    op.drop_index(op.f("ix_ombudsman_benchmark_fy"), table_name="ombudsman_benchmark")
    op.drop_table("ombudsman_benchmark")
