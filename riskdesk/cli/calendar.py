"""``riskdesk calendar``: the administrator's changes to the working-day calendars, headless."""

from __future__ import annotations

import argparse

from riskdesk.cli.arguments import day as _day
from riskdesk.domain.calendars import ALL_NATIONS, Nation
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.services.calendar import CalendarChange


def _nations(text: str) -> tuple[Nation, ...]:
    if text.strip().upper() in ("UK", "ALL"):
        return ALL_NATIONS
    out = []
    for part in text.split(","):
        try:
            out.append(Nation(part.strip().upper()))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{part.strip()!r} is not a UK nation: use ENG, WLS, SCT, NIR (comma-separated) or UK") from None
    return tuple(out)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("calendar", help="bank-holiday overrides and local closure days (administrator)")
    c = p.add_subparsers(dest="calendar_command", metavar="ACTION", required=True)
    ls = c.add_parser("list", help="every calendar change, by day")
    ls.set_defaults(run=_list)
    add = c.add_parser("add-holiday", help="a newly proclaimed bank holiday")
    add.add_argument("day", type=_day, metavar="YYYY-MM-DD")
    add.add_argument("--name", required=True, help="what it is called, as explanations print it")
    add.add_argument("--nations", type=_nations, default=ALL_NATIONS, help="ENG,WLS,SCT,NIR or UK (default UK)")
    add.add_argument("--reason", default="", help="e.g. the proclamation")
    add.set_defaults(run=_add)
    rm = c.add_parser("remove-holiday", help="treat a listed bank holiday as a working day (cancelled, or an error)")
    rm.add_argument("day", type=_day, metavar="YYYY-MM-DD")
    rm.add_argument("--nations", type=_nations, required=True, help="ENG,WLS,SCT,NIR or UK")
    rm.add_argument("--reason", required=True)
    rm.set_defaults(run=_remove)
    cl = c.add_parser("add-closure", help="a local closure day: complaint clocks skip it, FOI and SI clocks do not")
    cl.add_argument("day", type=_day, metavar="YYYY-MM-DD")
    cl.add_argument("--name", default="Local closure day")
    cl.add_argument("--reason", default="")
    cl.set_defaults(run=_closure)
    rc = c.add_parser("recompute", help="recompute stored due dates (after upgrading the holidays package)")
    rc.set_defaults(run=_recompute)
    wd = c.add_parser("withdraw", help="withdraw a calendar change by its number (see list)")
    wd.add_argument("id", type=int)
    wd.add_argument("--reason", required=True)
    wd.set_defaults(run=_withdraw)


def _list(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    rows = services.calendar.overrides(actor)
    stale = services.calendar.stale_holidays_version()
    if stale:
        print(f"Note: stored due dates were worked out with holidays {stale}; run 'riskdesk calendar recompute'.")
    if not rows:
        print("No calendar changes: clocks count the published bank holidays.")
    for r in rows:
        print(f"{r.id:>4}  {r.label}" + (f" — {r.reason}" if r.reason else ""))
    return 0


def _recompute(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    moved = services.calendar.recompute(actor)
    print(f"Stored due dates recomputed: {moved} moved.")
    return 0


def _report(change: CalendarChange) -> int:
    print(f"Recorded: {change.override.label}.")
    print(f"Stored due dates moved: {change.due_dates_moved}.")
    return 0


def _add(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    return _report(services.calendar.add_bank_holiday(actor, args.day, args.name, nations=args.nations,
                                                      reason=args.reason))


def _remove(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    return _report(services.calendar.remove_bank_holiday(actor, args.day, nations=args.nations, reason=args.reason))


def _closure(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    return _report(services.calendar.add_local_closure(actor, args.day, args.name, reason=args.reason))


def _withdraw(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    if args.id <= 0:
        raise ValidationError("id", args.id, "must be a number from 'riskdesk calendar list'")
    change = services.calendar.delete(actor, args.id, reason=args.reason)
    print(f"Withdrawn: {change.override.label}.")
    print(f"Stored due dates moved: {change.due_dates_moved}.")
    return 0
