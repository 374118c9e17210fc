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
