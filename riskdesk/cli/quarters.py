"""The reporting period: show it, close it (move owners on to the next quarter), or set it."""

from __future__ import annotations

import argparse

from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.services import Services


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("quarter", help="the reporting period owners update: show, close or set it")
    q = p.add_subparsers(dest="quarter_command", metavar="ACTION", required=True)
    show = q.add_parser("show", help="the current reporting period and the risks not yet updated in it")
    show.set_defaults(run=_show)
    close = q.add_parser("close", help="close the current quarter; updates go into the next one")
    close.add_argument("--expect", metavar="QUARTER", help="refuse unless this (e.g. 26/27 Q3) is current")
    close.set_defaults(run=_close)
    set_ = q.add_parser("set", help="make QUARTER current (reopen a quarter closed by mistake)")
    set_.add_argument("quarter", metavar="QUARTER", help="e.g. 26/27 Q3")
    set_.set_defaults(run=_set)


def _show(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    period = services.registers.current_period(actor)
    missing = services.registers.not_updated(actor, period)
    print(f"Current reporting period: {period.label} ({period.start:%d %b %Y} – {period.end:%d %b %Y})")
    print(f"Risks not yet updated for {period.label}: {len(missing)}")
    for register, ref in missing:
        print(f"  {register}: {ref}")
    return 0


def _close(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    period = services.registers.current_period(actor)
    expected = Quarter.parse(args.expect) if args.expect else period
    if expected not in (period, period.previous()):  # closed just now by someone else: the services say by whom
        from riskdesk.domain.errors import NotAsExpected

        raise NotAsExpected(f"The current reporting period is {period.label}, not {expected.label} as --expect "
                            "says; nothing was closed.")
    missing = services.registers.not_updated(actor, expected)
    new = services.registers.close_quarter(actor, expected=expected)
    print(f"Closed {expected.label}; owners now update {new.label}.")
    if missing:
        print(f"{len(missing)} risk(s) had no update for {expected.label}: "
              + ", ".join(f"{ref}" for _, ref in missing))
    # register governance (issue 16): the close lists the risks whose review date has passed.
    overdue = services.governance.overdue_reviews(actor)
    if overdue:
        print(f"{len(overdue)} risk(s) overdue for review:")
        for r in overdue:
            print(f"  {r.ref}  due {r.next_review_on:%d %b %Y}  {r.owner_name or 'no owner'}  ({r.band}, {r.score})")
    for cycle in services.cycles.drafts_for(actor, expected):
        print(f"Note: “{cycle.title}” is still a draft. Its appendix prints the register as it stands, so "
              f"present it (riskdesk cycle present) before owners begin {new.label}'s updates.")
    return 0


def _set(args: argparse.Namespace, services: Services, actor: Actor) -> int:
    quarter = Quarter.parse(args.quarter)
    services.registers.set_current_period(actor, quarter)
    print(f"Current reporting period set to {quarter.label}.")
    return 0
