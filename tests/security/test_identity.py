"""Who the audit trail names: the server's login on PostgreSQL (``--as`` refused), the OS login
beside any ``--as`` name on SQLite; direct changes with psql are recorded; SI text never reaches
a risk owner; the SQLite file, its WAL and every backup are the owner's only."""

from __future__ import annotations

import stat
import sys
from datetime import date
from pathlib import Path

import pytest
from secworld import FIXTURES, LOGINS, SI_TEXT, World
from sqlalchemy import text

from riskdesk.cli import run
from riskdesk.db import Database
from riskdesk.domain.actor import os_login
from riskdesk.domain.errors import PermissionDenied
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import ActionChange
from riskdesk.services import Services


@pytest.mark.db
def test_acting_as_someone_else(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    if not db_url.startswith("sqlite"):
        # PostgreSQL: refused outright, with a sentence, whoever asks.
        assert run(["--database", db_url, "--as", "admin1", "info"]) == 2
        err = capsys.readouterr().err
        assert "--as is not available on a shared PostgreSQL database" in err and "Traceback" not in err
        from riskdesk.app import open_services  # the window's way in refuses it too

        with pytest.raises(PermissionDenied, match="--as is not available"):
            open_services(db_url, Actor("admin1"), acting_as="admin1")
        return
    # SQLite: the first user (this OS login) is the administrator and names a colleague.
    me = Actor(os_login())
    db = Database.open(db_url, backup=False)
    try:
        services = Services(db)
        services.published.load(me, FIXTURES / "crr-2023-11.json")
        services.users.add(me, "admin1", "admin", display_name="Alex Admin")
    finally:
        db.dispose()
    assert run(["--database", db_url, "--as", "admin1", "upgrade", "--no-backup"]) == 0
    assert run(["--database", db_url, "--as", "somebody_new", "info"]) == 2  # a newcomer has no rights
    assert "no riskdesk role yet" in capsys.readouterr().err
    assert run(["--database", db_url, "--as", "admin1", "user", "add", "c.jones", "--role", "risk_owner"]) == 0
    db = Database.open(db_url, backup=False)
    try:
        trail = Services(db).risks.audit_trail(me)
    finally:
        db.dispose()
    acted = [e for e in trail if e.user_login == "admin1"]
    assert acted and all(e.os_login == os_login() for e in acted)
    # Nobody appears under another person's name without the real login beside it.
    hidden = [e for e in trail if e.user_login != e.os_login and f"as login {e.os_login}" not in e.who]
    print(f"\nentries naming someone other than the real login without showing it: {len(hidden)} of {len(trail)}")
    assert hidden == [] and all(e.os_login for e in trail)
    out = Path(db_url.removeprefix("sqlite:///")).with_name("trail.csv")
    assert run(["--database", db_url, "export", "audit-trail", "--out", str(out)]) == 0
    assert f"admin1 (as login {os_login()})" in out.read_text(encoding="utf-8-sig")


@pytest.mark.db
def test_the_server_names_the_author_of_every_entry(world: World) -> None:
    if not world.pg:
        pytest.skip("PostgreSQL trigger audit_entry_10_actor")
    services, _actor = world.as_role("risk_owner")
    with services.db.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_entry (at, user_login, action, entity, label, changes, note, os_login) "
                          "VALUES ('2020-01-01', 'tester', 'risk.assess', 'risk', 'Forged', '{}', '', 'tester')"))
    with world.admin.db.engine.connect() as conn:
        row = conn.execute(text("SELECT user_login, os_login, at FROM audit_entry WHERE label = 'Forged'")).one()
    assert row.user_login == LOGINS["risk_owner"] and row.os_login == LOGINS["risk_owner"]
    assert row.at.year > 2020  # the server's clock, not the client's
    # Through riskdesk too: the actor passed in is not believed.
    services.risks.add_action(Actor("tester"), world.own_risk, ActionChange("Call the contractor"))
    newest = world.admin.risks.audit_trail(world.admin_actor, limit=1)[0]
    assert newest.user_login == LOGINS["risk_owner"] and newest.action == "action.add"


@pytest.mark.db
def test_a_change_made_with_psql_leaves_an_entry_naming_the_login(world: World) -> None:
    if not world.pg:
        pytest.skip("PostgreSQL direct-change triggers")
    ph, ph_actor = world.as_role("public_health")
    with ph.db.engine.begin() as conn:
        changed = conn.execute(text("UPDATE serious_incident SET category = 'Changed quietly' WHERE id = :i"),
                               {"i": world.si_id}).rowcount
    assert changed == 1
    entries = [e for e in world.admin.risks.audit_trail(world.admin_actor) if e.action.startswith("db.")]
    assert [(e.user_login, e.action, e.entity, e.entity_id) for e in entries] == [
        (LOGINS["public_health"], "db.update", "serious_incident", world.si_id)]
    assert entries[0].changes["new"]["category"] == "Changed quietly"
    # A change made through riskdesk carries riskdesk's own entry and no second one.
    si = world.admin.incidents.get(world.admin_actor, world.si_id)
    ph.incidents.add_review(ph_actor, world.si_id, date(2023, 4, 5), "Pat", "Reviewed", expected_version=si.version)
    after = [e for e in world.admin.risks.audit_trail(world.admin_actor) if e.action.startswith("db.")]
    assert len(after) == 1
    # The owner cannot see it: it is about an incident.
    owner, owner_actor = world.as_role("risk_owner")
    assert not [e for e in owner.risks.audit_trail(owner_actor) if e.entity == "serious_incident"]


@pytest.mark.db
def test_si_text_reaches_no_view_or_export_of_a_risk_owner(world: World, tmp_path: Path) -> None:
    services, actor = world.as_role("risk_owner")
    with pytest.raises(PermissionDenied):
        services.incidents.list_incidents(actor)
    with pytest.raises(PermissionDenied):
        services.incidents.get(actor, world.si_id)
    seen: list[str] = []
    trail = services.risks.audit_trail(actor)
    assert trail, "the owner reads the register's trail"
    seen += [repr(e) for e in trail]
    seen += [repr(r) for r in services.risks.list_risks(actor, world.corporate_id)]
    seen += [repr(services.risks.get(actor, world.own_risk)), repr(services.risks.history(actor, world.own_risk))]
    for name, export in (("trail.csv", lambda p: services.exporting.audit_trail(actor, p)),
                         ("register.csv", lambda p: services.exporting.register(actor, p,
                                                                                register_id=world.corporate_id)),
                         ("removed.csv", lambda p: services.exporting.removed(actor, p, world.corporate_id)),
                         # Rows handed in (say, by a window that held an administrator's) are filtered too.
                         ("handed.csv", lambda p: services.exporting.audit_trail(
                             actor, p, world.admin.risks.audit_trail(world.admin_actor)))):
        export(tmp_path / name)
        seen.append((tmp_path / name).read_text(encoding="utf-8-sig"))
    leaks = [s for s in seen if SI_TEXT in s or "Naloxone audit" in s]
    print(f"\nrisk owner: SI or clinical text in {len(leaks)} of {len(seen)} views and exports")
    assert leaks == []
    # Internal audit may read the incident entries (the filter is by role, not a blanket removal).
    auditor, auditor_actor = world.as_role("auditor")
    assert any(SI_TEXT in repr(e) for e in auditor.risks.audit_trail(auditor_actor))


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_database_wal_and_backups_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "mine.sqlite"
    db = Database.open(f"sqlite:///{path}", backup=False)
    try:
        me = Actor("first.person")
        services = Services(db)
        services.registers.add_department(me, "PH", "Public Health")
        with db.engine.connect() as conn:  # the WAL and shared-memory files exist while connected
            conn.execute(text("SELECT 1"))
            files = [p for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")) if p.exists()]
            assert len(files) == 3
            copy = services.info.backup(me, tmp_path / "out" / "copy.sqlite")
            files.append(copy)
            modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in files}
        print(f"\nfile modes: { {k: oct(v) for k, v in modes.items()} }")
        assert set(modes.values()) == {0o600}
        services.users.add(me, "r.owner", "risk_owner")
        with pytest.raises(PermissionDenied, match="Only the corporate risk team or an administrator can back up"):
            services.info.backup(Actor("r.owner"), tmp_path / "owner.sqlite")
        assert not (tmp_path / "owner.sqlite").exists()
    finally:
        db.dispose()


@pytest.mark.db
def test_a_riskdesk_administrator_gives_and_takes_roles_on_the_server(world: World, tmp_path: Path) -> None:
    if not world.pg:
        pytest.skip("GRANT/REVOKE of PostgreSQL group roles")
    boss, boss_actor = world.as_role("admin")
    newcomer, newcomer_actor = world.as_role("none")
    login = LOGINS["none"]
    with pytest.raises(PermissionDenied, match="no riskdesk role yet"):
        newcomer.risks.list_risks(newcomer_actor, world.corporate_id)
    boss.users.add(boss_actor, login, "risk_owner", display_name="Nia Newcomer")
    assert newcomer.risks.list_risks(newcomer_actor, world.corporate_id)
    assert newcomer.registers.me(newcomer_actor).role == "risk_owner"
    boss.users.set_role(boss_actor, login, "auditor")
    assert newcomer.registers.me(newcomer_actor).role == "auditor"
    # Only the database administrator makes a riskdesk administrator.
    with pytest.raises(PermissionDenied, match="database administrator"):
        boss.users.set_role(boss_actor, login, "admin")
    assert newcomer.registers.me(newcomer_actor).role == "auditor"
    boss.users.remove(boss_actor, login)
    with newcomer.db.engine.connect() as conn:
        held = conn.execute(text("SELECT riskdesk_role()")).scalar()
    assert held == "none"
    with pytest.raises(PermissionDenied):
        newcomer.risks.list_risks(newcomer_actor, world.corporate_id)
    entries = [(e.user_login, e.action) for e in world.admin.risks.audit_trail(world.admin_actor, entity="user")]
    assert entries[:3] == [(LOGINS["admin"], "user.remove"), (LOGINS["admin"], "user.role"),
                           (LOGINS["admin"], "user.add")]
    # An administrator's login backs the whole database up (pg_dump through row-level security).
    import shutil

    if shutil.which("pg_dump"):
        out = boss.info.backup(boss_actor, tmp_path / "boss.pgdump")
        assert out.stat().st_size > 0 and stat.S_IMODE(out.stat().st_mode) == 0o600
    # Someone who is not an administrator cannot give roles, through riskdesk or with GRANT.
    team, team_actor = world.as_role("risk_team")
    with pytest.raises(PermissionDenied):
        team.users.add(team_actor, login, "risk_team")
    with team.db.engine.connect() as conn, pytest.raises(Exception, match=r"permission denied|must have admin"):
        conn.execute(text(f"GRANT riskdesk_risk_team TO {login}"))


@pytest.mark.db
def test_a_login_is_who_it_says_it_is(world: World) -> None:
    """The URLs of the test logins carry no password (libpq finds it in PGPASSFILE, as it would in
    ~/.pgpass); a wrong one is refused, so nobody connects as somebody else."""
    if not world.pg:
        pytest.skip("PostgreSQL authentication")
    from sqlalchemy.engine import make_url

    from riskdesk.db import DatabaseError

    owner, owner_actor = world.as_role("risk_owner")
    assert make_url(str(owner.db.engine.url)).password is None
    assert owner.registers.me(owner_actor).login == LOGINS["risk_owner"]
    with world.admin.db.engine.connect() as conn:
        methods = set(conn.execute(text("SELECT auth_method FROM pg_hba_file_rules WHERE type = 'host'")).scalars())
    if methods <= {"trust"}:
        pytest.skip("this server trusts every client (CI runs it with scram-sha-256)")
    wrong = make_url(world.url).set(username=LOGINS["risk_owner"], password="not-the-password")
    with pytest.raises(DatabaseError, match="password authentication failed"):
        Database.open(wrong.render_as_string(hide_password=False), backup=False)
