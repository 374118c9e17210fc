"""FOI and EIR requests, requesters (restricted personal data), internal reviews, ICO cases, frozen reports.

Revision ID: 0016_foi
Revises: 0013_register_governance
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_foi"
down_revision = "0015_ombudsman"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New tables only: existing databases upgrade in place (after the backup).
    op.create_table(
        "foi_link_officer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=128), nullable=False),
        sa.Column("department", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_foi_link_officer")),
        sa.UniqueConstraint("login", "department", name="uq_foi_link_officer_login_department"),
    )
    with op.batch_alter_table("foi_link_officer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_foi_link_officer_login"), ["login"], unique=False)

    op.create_table(
        "foi_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("presented_at", sa.DateTime(), nullable=False),
        sa.Column("presented_by", sa.String(length=128), nullable=False),
        sa.Column("figures_json", sa.Text(), nullable=False),
        sa.Column("figures_sha256", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_foi_report")),
        sa.UniqueConstraint("period", name=op.f("uq_foi_report_period")),
    )
    op.create_table(
        "foi_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("regime", sa.String(length=8), nullable=False),
        sa.Column("regime_reason", sa.Text(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("requester_type", sa.String(length=80), nullable=True),
        sa.Column("subject", sa.String(length=120), nullable=False),
        sa.Column("departments", sa.String(length=120), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("division", sa.String(length=120), nullable=False),
        sa.Column("local_alert_sent_on", sa.Date(), nullable=True),
        sa.Column("media", sa.Boolean(), nullable=False),
        sa.Column("media_approved_on", sa.Date(), nullable=True),
        sa.Column("clarification_sought_on", sa.Date(), nullable=True),
        sa.Column("clarified_on", sa.Date(), nullable=True),
        sa.Column("fee_requested_on", sa.Date(), nullable=True),
        sa.Column("fee_received_on", sa.Date(), nullable=True),
        sa.Column("extension_notified_on", sa.Date(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extended_due_on", sa.Date(), nullable=True),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("days_taken", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("bases", sa.String(length=300), nullable=False),
        sa.Column("public_interest_test", sa.Text(), nullable=False),
        sa.Column("cost_estimate_hours", sa.Numeric(precision=7, scale=2), nullable=True),
        sa.Column("disclosure_log", sa.Boolean(), nullable=True),
        sa.Column("disclosure_published_on", sa.Date(), nullable=True),
        sa.Column("disclosure_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_foi_request")),
        sa.UniqueConstraint("reference", name=op.f("uq_foi_request_reference")),
    )
    with op.batch_alter_table("foi_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_foi_request_departments"), ["departments"], unique=False)
        batch_op.create_index(batch_op.f("ix_foi_request_due_on"), ["due_on"], unique=False)
        batch_op.create_index("ix_foi_request_outcome_responded", ["outcome", "responded_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_foi_request_received_on"), ["received_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_foi_request_responded_on"), ["responded_on"], unique=False)

    op.create_table(
        "foi_ico_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("ico_reference", sa.String(length=60), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("decision_on", sa.Date(), nullable=True),
        sa.Column("decision_ref", sa.String(length=60), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("further_disclosure", sa.Boolean(), nullable=False),
        sa.Column("steps_due_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["foi_request.id"],
            name=op.f("fk_foi_ico_case_request_id_foi_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_foi_ico_case")),
    )
    with op.batch_alter_table("foi_ico_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_foi_ico_case_decision_on"), ["decision_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_foi_ico_case_received_on"), ["received_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_foi_ico_case_request_id"), ["request_id"], unique=False)

    op.create_table(
        "foi_internal_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("extended_due_on", sa.Date(), nullable=True),
        sa.Column("extension_reason", sa.Text(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("responded_on", sa.Date(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=True),
        sa.Column("ico_rights_given", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["foi_request.id"],
            name=op.f("fk_foi_internal_review_request_id_foi_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_foi_internal_review")),
    )
    with op.batch_alter_table("foi_internal_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_foi_internal_review_request_id"), ["request_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_foi_internal_review_requested_on"), ["requested_on"], unique=False
        )

    op.create_table(
        "foi_requester",
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["foi_request.id"],
            name=op.f("fk_foi_requester_request_id_foi_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_id", name=op.f("pk_foi_requester")),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # Row-level security on the new tables (link officers see their own departments'
        # requests; requesters only for VIEW_REQUESTER), and privileges where the roles exist.
        from riskdesk import dbroles

        dbroles.apply_schema_security(bind)


def downgrade() -> None:
    op.drop_table("foi_requester")
    with op.batch_alter_table("foi_internal_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_foi_internal_review_requested_on"))
        batch_op.drop_index(batch_op.f("ix_foi_internal_review_request_id"))

    op.drop_table("foi_internal_review")
    with op.batch_alter_table("foi_ico_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_foi_ico_case_request_id"))
        batch_op.drop_index(batch_op.f("ix_foi_ico_case_received_on"))
        batch_op.drop_index(batch_op.f("ix_foi_ico_case_decision_on"))

    op.drop_table("foi_ico_case")
    with op.batch_alter_table("foi_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_foi_request_responded_on"))
        batch_op.drop_index(batch_op.f("ix_foi_request_received_on"))
        batch_op.drop_index("ix_foi_request_outcome_responded")
        batch_op.drop_index(batch_op.f("ix_foi_request_due_on"))
        batch_op.drop_index(batch_op.f("ix_foi_request_departments"))

    op.drop_table("foi_request")
    op.drop_table("foi_report")
    with op.batch_alter_table("foi_link_officer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_foi_link_officer_login"))

    op.drop_table("foi_link_officer")
