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
