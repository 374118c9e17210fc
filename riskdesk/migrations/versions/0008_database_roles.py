"""Identity and roles the database enforces: the real login beside every audit entry and, on
PostgreSQL, the audit trail's actor trigger, direct-change triggers and row-level security.

The roles themselves (owner, one group per riskdesk role) are cluster-wide and made by
``riskdesk server init``; this migration needs none of them.

Revision ID: 0008_database_roles
Revises: 0007_import_mappings
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_database_roles"
down_revision = "0007_import_mappings"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_entry") as batch:
        batch.add_column(sa.Column("os_login", sa.String(length=128), nullable=False, server_default=""))
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from riskdesk import dbroles

        dbroles.apply_schema_security(bind)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for table in bind.execute(sa.text(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars():
            op.execute(f'DROP TRIGGER IF EXISTS riskdesk_direct_change ON "{table}"')
            op.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
        op.execute("DROP TRIGGER IF EXISTS audit_entry_10_actor ON audit_entry")
        op.execute("DROP TABLE IF EXISTS riskdesk_audited_xact")
    with op.batch_alter_table("audit_entry") as batch:
        batch.drop_column("os_login")
