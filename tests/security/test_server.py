"""``server init`` and ``upgrade`` on PostgreSQL: the owner role owns everything, a shared database
is never upgraded by whoever opens it, and only the database administrator can upgrade it."""

from __future__ import annotations

import pytest
from secworld import World
from sqlalchemy import text

import riskdesk.db as dbmod
from riskdesk.db import Database, DatabaseError, upgrade_shared


@pytest.mark.db
def test_the_owner_role_owns_every_table_and_nobody_logs_in_as_it(world: World) -> None:
    if not world.pg:
        pytest.skip("PostgreSQL roles")
    with world.admin.db.engine.connect() as conn:
        owners = dict(conn.execute(text(
            "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'")).all())
        can_login = conn.execute(text("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'riskdesk_owner'")).scalar()
        triggers = set(conn.execute(text(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_entry'::regclass AND NOT tgisinternal")).scalars())
        rls = dict(conn.execute(text(
            "SELECT relname, relrowsecurity FROM pg_class WHERE relname IN ('audit_entry', 'assessment')")).all())
    assert set(owners.values()) == {"riskdesk_owner"}, owners
    assert can_login is False
    assert "audit_entry_10_actor" in triggers
    assert rls == {"audit_entry": True, "assessment": True}


@pytest.mark.db
def test_a_shared_database_is_only_upgraded_by_its_administrator(world: World,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    if not world.pg:
        pytest.skip("the window upgrades a personal SQLite file itself, after a backup")
    services, _ = world.as_role("risk_team")
    # Opening a database older than this riskdesk says so, and changes nothing.
    monkeypatch.setattr(dbmod, "SCHEMA_HEAD", "9999_future")
    with pytest.raises(DatabaseError, match=r"only upgraded by its administrator.*riskdesk --database URL upgrade"):
        Database.open(str(services.db.engine.url.render_as_string(hide_password=False)), backup=False)
    monkeypatch.undo()
    # A riskdesk login cannot run migrations (they run as the owner role).
    with pytest.raises(DatabaseError, match="Only the database administrator"):
        upgrade_shared(services.db.engine, backup=False)
    # The database administrator can, and the tables stay the owner's.
    upgrade_shared(world.admin.db.engine, backup=False)
    with world.admin.db.engine.connect() as conn:
        assert set(conn.execute(text(
            "SELECT tableowner FROM pg_tables WHERE schemaname = 'public'")).scalars()) == {"riskdesk_owner"}
