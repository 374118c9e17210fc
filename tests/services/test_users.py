"""People and roles: nobody may leave a database without an administrator, by whichever command."""

from __future__ import annotations

import uuid

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.register import Actor
from riskdesk.services import Services


def _admins(services: Services, admin: Actor) -> list[str]:
    return [u.login for u in services.users.list(admin) if u.role == "admin" and u.active]


def test_the_only_administrator_cannot_be_demoted_by_add_set_role_or_remove(services: Services, admin: Actor) -> None:
    """``user add LOGIN --role …`` also changes an existing person's role; it skipped the check
    that ``user set-role`` makes, so the only administrator could make themselves an auditor and
    leave nobody able to give a role again."""
    services.users.list(admin)  # the first login of a fresh database becomes its administrator
    assert _admins(services, admin) == [admin.login]
    attempts = {
        "add": lambda: services.users.add(admin, admin.login, "auditor"),
        "set_role": lambda: services.users.set_role(admin, admin.login, "risk_team"),
        "remove": lambda: services.users.remove(admin, admin.login),
    }
    succeeded = []
    for name, attempt in attempts.items():
        try:
            attempt()
            succeeded.append(name)
        except ValidationError:
            pass
    print(f"ways to demote the only administrator that succeeded: {succeeded}")
    assert succeeded == []
    assert _admins(services, admin) == [admin.login]


def test_an_administrator_who_is_not_the_only_one_may_be_given_another_role_by_add(services: Services, admin: Actor,
                                                                                   db) -> None:  # type: ignore[no-untyped-def]
    on_server = db.engine.dialect.name == "postgresql"
    deputy = f"deputy_{uuid.uuid4().hex[:8]}"  # on PostgreSQL a login is cluster-wide
    services.users.add(admin, deputy, "admin", display_name="A Deputy", create_login=on_server,
                       password="x" if on_server else None)
    assert sorted(_admins(services, admin)) == sorted([admin.login, deputy])
    assert services.users.add(admin, deputy, "auditor").role == "auditor"
    assert _admins(services, admin) == [admin.login]


def test_create_login_never_waits_for_a_password_it_cannot_read(db, db_url: str, monkeypatch,  # type: ignore[no-untyped-def]
                                                                 capsys) -> None:  # type: ignore[no-untyped-def]
    """Before: on SQLite, --create-login asked for a password it would never use; with no terminal
    (a script, CI) the prompt met the end of input and the command said "Unexpected error: EOFError"."""
    import getpass

    from riskdesk.cli import run

    asked = []

    def no_terminal(prompt: str = "") -> str:
        asked.append(prompt)
        raise EOFError

    monkeypatch.setattr(getpass, "getpass", no_terminal)
    monkeypatch.delenv("RISKDESK_NEW_PASSWORD", raising=False)
    login = f"newcomer_{uuid.uuid4().hex[:8]}"
    assert run(["--database", db_url, "--as", "tester", "user", "add", login, "--role", "auditor",
                "--create-login"]) == 2
    err = capsys.readouterr().err
    print(f"password prompts: {len(asked)}; said: {err.strip()}")
    assert "Unexpected error" not in err and "Traceback" not in err
    if db.is_sqlite:
        assert asked == [] and "applies to a shared PostgreSQL database only" in err
    else:
        assert len(asked) == 1 and f"No password could be read for {login}: there is no terminal" in err
    assert login not in [u.login for u in Services(db).users.list(Actor("tester"))]  # nothing was changed


def test_an_empty_as_is_refused_not_dropped(db_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    """Before: --as "" (an unset variable in a script) was dropped and the command ran as the person
    signed in, an administrator perhaps, with the audit trail saying so."""
    import pytest

    from riskdesk.cli import run

    for empty in ("", "  "):
        with pytest.raises(SystemExit) as stop:
            run(["--database", db_url, "--as", empty, "info"])
        assert stop.value.code == 2
        assert "argument --as: needs a login" in capsys.readouterr().err


def test_the_role_a_person_already_has_changes_and_records_nothing(services: Services, admin: Actor, db,  # type: ignore[no-untyped-def]
                                                                   db_url: str, capsys) -> None:  # type: ignore[no-untyped-def]
    """Before: ``user set-role`` to the role a person already had wrote "role: auditor → auditor" into
    the trail each time a provisioning script ran. Now it says so and records nothing; on PostgreSQL
    a server membership that had drifted from the role (a REVOKE by hand) is put right, and recorded."""
    from sqlalchemy import text

    from riskdesk.cli import run

    on_server = db.engine.dialect.name == "postgresql"
    login = f"auditor_{uuid.uuid4().hex[:8]}"
    services.users.add(admin, login, "auditor", display_name="Ada Auditor", create_login=on_server,
                       password="x" if on_server else None)

    def recorded() -> list[tuple[str, str]]:
        with db.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(
                "SELECT changes, note FROM audit_entry WHERE action = 'user.role' ORDER BY id")).all()]

    def set_role(role: str) -> str:
        capsys.readouterr()  # what was said before
        assert run(["--database", db_url, "--as", admin.login, "user", "set-role", login, role]) == 0
        return capsys.readouterr().out.strip()

    for _ in range(2):
        said = set_role("auditor")
        assert said == f"Ada Auditor ({login}) is already: Internal audit (read only). Nothing changed."
    print(f"trail entries after setting the role a person has, twice: {len(recorded())}")
    assert recorded() == []
    assert set_role("risk_team").startswith(f"Ada Auditor ({login}) is now: ")
    assert len(recorded()) == 1
    if not on_server:
        return
    with db.engine.begin() as conn:  # the database administrator, by hand
        conn.execute(text(f'REVOKE riskdesk_risk_team FROM "{login}"'))
    assert "is put right" in set_role("risk_team")
    with db.engine.connect() as conn:
        held = conn.execute(text(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = :n"), {"n": login}).scalars().all()
    assert held == ["riskdesk_risk_team"]
    assert [note for _changes, note in recorded()] == ["", "server role membership put right"]
