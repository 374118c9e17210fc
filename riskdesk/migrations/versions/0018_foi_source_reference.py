"""FOI requests keep the reference they had in the export they were imported from, in a column of
their own, unique: an import refuses a request imported before by it, where it read the reference
back from the request's summary, which an officer may since have rewritten.

Requests imported before this revision are given it from their summary ("Imported from FILE (REF)",
as the import wrote it). Should two of them already share a reference (the same export read twice
before imports checked), the first logged keeps it and the later ones are left without: the column
is unique, and which of the two is the duplicate is for the team to decide, not for a migration.

Revision ID: 0018_foi_source_reference
Revises: 0017_complaint_received_index
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018_foi_source_reference"
down_revision = "0017_complaint_received_index"
branch_labels = None
depends_on = None

#: How the import began an imported request's summary (riskdesk.domain.foi.IMPORTED_FROM at this revision).
_IMPORTED_FROM = "Imported from "


def _reference_in(summary: str) -> str | None:
    """The export's reference in a summary the import wrote ("Imported from FILE (REF)"), else None."""
    if not summary.startswith(_IMPORTED_FROM) or not summary.endswith(")") or " (" not in summary:
        return None
    reference = summary[summary.rindex(" (") + 2:-1].strip()
    return reference if 0 < len(reference) <= 80 else None


def upgrade() -> None:
    # The index before the rows are given their references: on PostgreSQL, the rows changed outside
    # riskdesk are recorded in the trail at commit (``dbroles``), and a table with such changes
    # pending cannot be indexed in the same transaction.
    with op.batch_alter_table("foi_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source_reference", sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f("ix_foi_request_source_reference"), ["source_reference"], unique=True)
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, summary FROM foi_request WHERE summary LIKE :imported ORDER BY id"),
                        {"imported": _IMPORTED_FROM + "%"}).all()
    taken: set[str] = set()
    given = []
    for request_id, summary in rows:
        reference = _reference_in(summary)
        if reference is not None and reference.casefold() not in taken:
            taken.add(reference.casefold())
            given.append({"id": request_id, "reference": reference})
    if given:
        bind.execute(sa.text("UPDATE foi_request SET source_reference = :reference WHERE id = :id"), given)


def downgrade() -> None:
    with op.batch_alter_table("foi_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_foi_request_source_reference"))
        batch_op.drop_column("source_reference")
