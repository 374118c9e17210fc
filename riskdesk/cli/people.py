"""Setting up a shared server and its people: ``server init``, ``user add|set-role|remove|list``."""

from __future__ import annotations

import argparse
import getpass
import os

from riskdesk.domain.permissions import ASSIGNABLE
from riskdesk.domain.register import Actor
from riskdesk.services import Services

_ROLES = [r.value for r in ASSIGNABLE]


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    server = sub.add_parser("server", help="set up a shared PostgreSQL database (its administrator)")
    server_sub = server.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    p = server_sub.add_parser(
        "init", help="create the owner and group roles, give the tables to the owner, upgrade the schema as "
        "the owner, apply privileges and row-level security (run as a PostgreSQL administrator; safe to repeat)")
    p.add_argument("--admin", action="append", default=[], metavar="LOGIN",
                   help="make this existing login a riskdesk administrator (repeatable)")
    p.add_argument("--no-backup", action="store_true", help="do not back up a database that already holds data")
    p.set_defaults(run=_server_init, migrate=False)

    user = sub.add_parser("user", help="people and their roles (administrators)")
    user_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    p = user_sub.add_parser("add", help="give a login a riskdesk role (on PostgreSQL: GRANT its group role)")
    p.add_argument("user_login", metavar="LOGIN")
    p.add_argument("--role", required=True, choices=_ROLES)
    p.add_argument("--name", default="", help="the person's name as riskdesk shows it")
    p.add_argument("--job-title", default="")
    p.add_argument("--create-login", action="store_true",
                   help="also create the PostgreSQL login (needs CREATEROLE); the password is read from "
                   "$RISKDESK_NEW_PASSWORD or asked for; leave it empty for Kerberos/GSSAPI")
    p.set_defaults(run=_user_add)
    p = user_sub.add_parser("set-role", help="change a person's role")
    p.add_argument("user_login", metavar="LOGIN")
    p.add_argument("role", choices=_ROLES)
    p.set_defaults(run=_user_set_role)
    p = user_sub.add_parser("remove", help="take every riskdesk role from a person (their history keeps their name)")
    p.add_argument("user_login", metavar="LOGIN")
    p.set_defaults(run=_user_remove)
    p = user_sub.add_parser("list", help="who has which role")
    p.set_defaults(run=_user_list)


def _server_init(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    from riskdesk.db import server_init

    for line in server_init(services.db.engine, admins=tuple(args.admin), backup=not args.no_backup,
                            progress=print):
        print(line)
    print("Next: riskdesk user add LOGIN --role ROLE for each person (see the README, Security model).")
    return 0


def _user_add(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    password = None
    if args.create_login and not services.db.is_sqlite:  # on SQLite the services refuse --create-login
        password = os.environ.get("RISKDESK_NEW_PASSWORD")
        if password is None:
            try:
                password = getpass.getpass(f"Password for {args.user_login} (empty for Kerberos/GSSAPI): ") or None
            except EOFError:  # no terminal, and standard input closed: nothing to read a password from
                from riskdesk.domain.errors import RiskdeskError

                raise RiskdeskError(f"No password could be read for {args.user_login}: there is no terminal to "
                                    "type it in. Give it in RISKDESK_NEW_PASSWORD, or run the command in a "
                                    "terminal. Nothing was changed.") from None
    row = services.users.add(actor, args.user_login, args.role, display_name=args.name, job_title=args.job_title,
                             create_login=args.create_login, password=password)
    print(f"{row.display_name} ({row.login}) is now: {_label(row.role)}.")
    return 0


def _user_set_role(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    from riskdesk.services.users import RoleChange

    row, change = services.users.change_role(actor, args.user_login, args.role)
    if change is RoleChange.NONE:
        print(f"{row.display_name} ({row.login}) is already: {_label(row.role)}. Nothing changed.")
    elif change is RoleChange.RESTORED:
        print(f"{row.display_name} ({row.login}) is still: {_label(row.role)}; their server role membership, "
              "which had drifted from it, is put right.")
    else:
        print(f"{row.display_name} ({row.login}) is now: {_label(row.role)}.")
    return 0


def _user_remove(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    row = services.users.remove(actor, args.user_login)
    print(f"{row.display_name} ({row.login}) has no riskdesk role any more.")
    return 0


def _user_list(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    for row in services.users.list(actor):
        state = "" if row.active else " (left)"
        print(f"{row.login:24} {_label(row.role):28} {row.display_name}{state}")
    return 0


def _label(role: str) -> str:
    from riskdesk.domain.permissions import Role

    try:
        return Role(role).label
    except ValueError:
        return role
