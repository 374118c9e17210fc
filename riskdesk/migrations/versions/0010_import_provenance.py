"""Imported scores keep where they came from: the inherent score on the risk, the file's cells on the assessment.

Revision ID: 0010_import_provenance
Revises: 0009_audit_chain
Create Date: 2026-12-01

Existing databases gain nullable columns only, so nothing is rewritten and nothing is lost.
Inherent scores imported before this revision stay where that import put them (an assessment
of the quarter before the import, noted "Inherent score"): moving them would rewrite history
people may already have reported.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_import_provenance"
down_revision = "0009_audit_chain"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inherent_impact", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("inherent_likelihood", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("inherent_source", sa.Text(), nullable=True))
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_values", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assessment", schema=None) as batch_op:
        batch_op.drop_column("source_values")
    with op.batch_alter_table("risk", schema=None) as batch_op:
        batch_op.drop_column("inherent_source")
        batch_op.drop_column("inherent_likelihood")
        batch_op.drop_column("inherent_impact")
