"""Headless commands: ``riskdesk [--database URL] [--as LOGIN] COMMAND``.

Each command group is a module with ``add_parsers(subparsers)``; the parser registers a
``run(args, services, actor) -> int`` function per command.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from riskdesk import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from riskdesk.db import Database

#: Modules that add commands, in help order.
COMMAND_MODULES = (
    "riskdesk.cli.database",
    "riskdesk.cli.people",
    "riskdesk.cli.quarters",
    "riskdesk.cli.cycles",
    "riskdesk.cli.incidents",
    "riskdesk.cli.casework",
    "riskdesk.cli.importing",
    "riskdesk.cli.clinical",
    "riskdesk.cli.deadline",
    "riskdesk.cli.foi",
    "riskdesk.cli.calendar",
    "riskdesk.cli.audit",
    "riskdesk.cli.scheme",
    "riskdesk.cli.evidence",
    "riskdesk.cli.profiles",
    "riskdesk.cli.restore",
    "riskdesk.cli.ombudsman",
)


#: Each command and the module that adds it, so that a command imports its own module only
#: (``riskdesk info`` need not import the importers, the clinical reports or the calendars).
#: tests/test_cli_lazy.py keeps it equal to what the modules register.
COMMANDS = {
    "demo": "riskdesk.cli.database", "info": "riskdesk.cli.database", "backup": "riskdesk.cli.database",
    "load-register": "riskdesk.cli.database", "upgrade": "riskdesk.cli.database", "migrate": "riskdesk.cli.database",
    "server": "riskdesk.cli.people", "user": "riskdesk.cli.people",
    "quarter": "riskdesk.cli.quarters",
    "cycle": "riskdesk.cli.cycles", "appendix": "riskdesk.cli.cycles", "movements": "riskdesk.cli.cycles",
    "si-report": "riskdesk.cli.incidents",
    "import": "riskdesk.cli.importing", "export": "riskdesk.cli.importing",
    "audit-report": "riskdesk.cli.clinical", "assurance-report": "riskdesk.cli.clinical",
    "pgd-schedule": "riskdesk.cli.clinical", "load-clinical": "riskdesk.cli.clinical",
    "deadline": "riskdesk.cli.deadline",
    "calendar": "riskdesk.cli.calendar",
    "audit": "riskdesk.cli.audit", "redact": "riskdesk.cli.audit",
    "scheme": "riskdesk.cli.scheme",
    "evidence-pack": "riskdesk.cli.evidence",
    "provider-profile": "riskdesk.cli.profiles",
    "restore": "riskdesk.cli.restore",
    "casework-report": "riskdesk.cli.casework", "load-casework": "riskdesk.cli.casework",
    "import-complaints": "riskdesk.cli.casework", "check-narrative": "riskdesk.cli.casework",
    "foi": "riskdesk.cli.foi",
    "ombudsman": "riskdesk.cli.ombudsman",
}


def _login(text: str) -> str:
    """``--as LOGIN``: an empty one is refused; before, it was dropped and the command ran as you."""
    if not text.strip():
        raise argparse.ArgumentTypeError("needs a login: an empty one would act as you, not as anyone named")
    return text


def _global_options(parser: argparse.ArgumentParser, *, version: bool = True) -> None:
    """The options that apply to the window and to every command. The quick parses that only look
    for the command leave out ``--version`` (``version=False``): its action prints and exits as soon
    as it is seen, anywhere, and a command may have a --version of its own (``scheme show``)."""
    if version:
        parser.add_argument("--version", action="version", version=f"riskdesk {__version__}")
    parser.add_argument(
        "--database",
        metavar="URL",
        help="database to use: a SQLite file path, sqlite:///FILE or postgresql://user@host/db "
        "(default: $RISKDESK_DATABASE_URL, else riskdesk.sqlite in the user data folder)",
    )
    parser.add_argument(
        "--as", dest="login", metavar="LOGIN", type=_login,
        help="SQLite only, for scripts: act as this riskdesk user; the audit trail also records your real "
        "login. Refused on PostgreSQL, where you are the login you connect with.",
    )
    parser.add_argument("--debug", action="store_true", help="show the full traceback when a command fails")


def window_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The options when ``argv`` asks for the window (no command, no help), else None.

    This avoids importing every command module (and the database layer behind them) before
    the window has painted.
    """
    if any(a in ("-h", "--help") for a in argv):
        return None
    parser = argparse.ArgumentParser(prog="riskdesk", add_help=False, exit_on_error=False)
    _global_options(parser, version=False)  # riskdesk --version: left in ``rest``, for the full parser
    try:
        args, rest = parser.parse_known_args(list(argv))
    except argparse.ArgumentError:
        return None  # the full parser reports it, with the whole usage
    if rest:
        return None
    args.command = None
    return args


def command_modules(argv: Sequence[str] | None = None) -> tuple[str, ...]:
    """The command modules a parse of ``argv`` needs: the one that owns its command, or every
    module when there is none to be sure of (help, no command, an unknown one)."""
    if argv is None or any(a in ("-h", "--help") for a in argv[:1]):
        return COMMAND_MODULES
    parser = argparse.ArgumentParser(prog="riskdesk", add_help=False, exit_on_error=False)
    _global_options(parser, version=False)
    parser.add_argument("command", nargs="?")
    try:
        args, _rest = parser.parse_known_args(list(argv))
    except (argparse.ArgumentError, SystemExit):
        return COMMAND_MODULES
    module = COMMANDS.get(args.command or "")
    return (module,) if module else COMMAND_MODULES


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command-line parser; given ``argv``, with only the command module it names."""
    import importlib

    parser = argparse.ArgumentParser(
        prog="riskdesk",
        description="Corporate risk register, serious-incident and clinical-audit logs, complaints, "
        "Ombudsman cases and FOI/EIR requests. With no command, opens the window.",
    )
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules(argv):
        importlib.import_module(name).add_parsers(sub)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """Run a headless command (the window is started by ``riskdesk.__main__``)."""
    args = build_parser(sys.argv[1:] if argv is None else argv).parse_args(argv)
    if args.command is None:
        build_parser().print_usage(sys.stderr)
        return 2
    return run_command(args)


def run_command(args: argparse.Namespace) -> int:
    headless = getattr(args, "headless", None)
    if headless is not None:
        return int(headless(args))  # needs no database: never open or create one
    from riskdesk.domain.actor import Actor, default_actor

    actor = Actor(args.login) if args.login else default_actor()
    try:
        if getattr(args, "standalone", False):  # restore: opens the (maybe damaged) database itself
            return int(args.run(args, None, actor) or 0)
        missing = None if getattr(args, "creates_database", False) else missing_database(args.database)
        if missing is not None:
            print(missing, file=sys.stderr)
            return 4  # riskdesk.cli.errors.DATABASE: the database cannot be used as it is (missing)
        # A command may answer from a personal SQLite file read without the database layer (not
        # even importing it); None means only the services can.
        look = getattr(args, "look", None)
        done = look(args, actor) if look is not None else None
        if done is not None:
            return int(done)
        from riskdesk.db import Database

        db = Database.open(args.database, migrate=getattr(args, "migrate", True))
        try:
            refuse_acting_as(db, args.login)
            # A command may answer from the open database alone, without building the services
            # (and importing the ORM and models behind them); None means it could not.
            quick = getattr(args, "quick", None)
            done = quick(args, db, actor) if quick is not None else None
            if done is not None:
                return int(done)
            from riskdesk.services import Services

            return int(args.run(args, Services(db), actor) or 0)
        finally:
            db.dispose()
    except BrokenPipeError:  # output piped into `head`: riskdesk.__main__ ends quietly
        raise
    except Exception as exc:  # one paragraph, never a traceback (riskdesk.cli.errors)
        from riskdesk.cli.errors import report

        return report(exc, args.database, debug=getattr(args, "debug", False))
    except KeyboardInterrupt:
        print("riskdesk: interrupted; nothing was changed by the unfinished step.", file=sys.stderr)
        return 130


def database_not_there(database: str | None) -> tuple[Path, str] | None:
    """The SQLite file that ``--database`` (or ``RISKDESK_DATABASE_URL``) names, and which of the
    two named it, when that file does not exist; else None (neither was given, a shared server,
    or a file that is there). The data folder's own database is made on first use, so it is never
    "not there"."""
    import os

    if not (database or os.environ.get("RISKDESK_DATABASE_URL")):
        return None
    from riskdesk.services.early_reads import sqlite_file  # the window's and `appendix`'s reading of the URL

    path = sqlite_file(database)
    if path is None or path.exists():
        return None
    return path, "--database" if database else "RISKDESK_DATABASE_URL"


def missing_database(database: str | None) -> str | None:
    """What to say when ``--database`` (or ``RISKDESK_DATABASE_URL``) names a SQLite file that does
    not exist, else None. Only the commands that make a database (``creates_database``: demo,
    upgrade, the loaders) may make one there: a mistyped path must not become a new, empty
    database that a command reports on, or writes to, while the user's own is left as it was.
    The window asks instead (``riskdesk.app``)."""
    missing = database_not_there(database)
    if missing is None:
        return None
    path, given = missing
    return (f"riskdesk: there is no database at {path} (named by {given}), so nothing was read, "
            "created or changed. Check the path. To make a new database there, run: "
            f"riskdesk --database {path} upgrade (an empty one) or demo (the demo council).")


AS_REFUSED = (
    "--as is not available on a shared PostgreSQL database: riskdesk acts as the login you connect "
    "with ({login}), so that nobody can appear in the audit trail under another name. Connect as "
    "that person's own login instead."
)


def refuse_acting_as(db: Database, login: str | None) -> None:
    """``--as`` names someone else; only a personal SQLite file allows it (and records the real login)."""
    from riskdesk.domain.errors import PermissionDenied

    if login and not db.is_sqlite:
        ident = db.server_identity()
        raise PermissionDenied(AS_REFUSED.format(login=ident.login if ident else "?"))
