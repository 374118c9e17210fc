"""``riskdesk deadline``: any statutory or policy clock, computed headless and explained.

It needs no database and never opens or creates one: the clocks are pure domain functions over
the published bank holidays (the ``holidays`` package). Calendar overrides an administrator has
recorded live in a database, so they apply in the window and the services, not here.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from riskdesk.cli.arguments import day as _day
from riskdesk.domain import clocks
from riskdesk.domain.calendars import fmt_day
from riskdesk.domain.clocks import Due
from riskdesk.domain.errors import RiskdeskError

REGIMES = ("foia", "eir", "internal-review", "eir-reconsideration", "complaint", "asc", "csc")

# Which options each regime understands; any other option given is refused by name, so a
# mistyped command never silently computes a different clock.
_ALLOWED: dict[str, set[str]] = {
    "foia": {"clarification_sought", "clarified", "fee_requested", "fee_received", "extended", "pit_notice"},
    "eir": {"clarification_sought", "clarified", "extended", "extension_notified"},
    "internal-review": {"extended"},
    "eir-reconsideration": {"response_sent"},
    "complaint": {"stage", "acknowledged", "rule_set", "extended", "complaint_received"},
    "asc": {"agreed_until"},
    "csc": {"stage", "extended"},
}
_OPTION_FLAGS = {
    "clarification_sought": "--clarification-sought", "clarified": "--clarified",
    "fee_requested": "--fee-requested", "fee_received": "--fee-received", "extended": "--extended",
    "pit_notice": "--pit-notice", "extension_notified": "--extension-notified", "response_sent": "--response-sent",
    "stage": "--stage", "acknowledged": "--acknowledged", "rule_set": "--rule-set",
    "complaint_received": "--complaint-received", "agreed_until": "--agreed-until",
}


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "deadline",
        help="compute a statutory or policy due date and explain it (no database needed)",
        description="Prints 'due: YYYY-MM-DD' first, then why: day 0, the calendar, every non-working day "
        "skipped by name, pauses and extensions. FOI/EIR count bank holidays in any part of the UK "
        "(FOIA s.10(6)); complaints count England's.",
    )
    p.add_argument("--regime", required=True, choices=REGIMES, help="which clock")
    p.add_argument("--received", required=True, type=_day, metavar="YYYY-MM-DD",
                   help="date received (for a review or stage 2: the date it was requested)")
    p.add_argument("--clarification-sought", type=_day, metavar="YYYY-MM-DD", help="FOI/EIR: clarification asked for")
    p.add_argument("--clarified", type=_day, metavar="YYYY-MM-DD",
                   help="FOI/EIR: clarification received (the clock restarts)")
    p.add_argument("--fee-requested", type=_day, metavar="YYYY-MM-DD", help="FOIA: fees notice given")
    p.add_argument("--fee-received", type=_day, metavar="YYYY-MM-DD", help="FOIA: fee received")
    p.add_argument("--pit-notice", type=_day, metavar="YYYY-MM-DD",
                   help="FOIA: s.17 notice of a public-interest extension given")
    p.add_argument("--extension-notified", type=_day, metavar="YYYY-MM-DD",
                   help="EIR: reg 7 extension notified (must be within 20 working days)")
    p.add_argument("--extended", action="store_true",
                   help="apply the longest extension (FOIA PIT, EIR reg 7, review, complaint or CSC maximum)")
    p.add_argument("--response-sent", type=_day, metavar="YYYY-MM-DD",
                   help="EIR reconsideration: the response the representations are about")
    p.add_argument("--stage", type=int, choices=(1, 2, 3), help="complaint: 1 or 2; csc: 1, 2 or 3 (default 1)")
    p.add_argument("--acknowledged", type=_day, metavar="YYYY-MM-DD", help="complaint: date acknowledged")
    p.add_argument("--rule-set", metavar="CODE",
                   help="complaint: " + ", ".join(r.code for r in clocks.RULE_SETS) + " (default: in force on receipt)")
    p.add_argument("--complaint-received", type=_day, metavar="YYYY-MM-DD",
                   help="complaint stage 2: when the complaint was first received (chooses the rule set)")
    p.add_argument("--agreed-until", type=_day, metavar="YYYY-MM-DD",
                   help="asc: a longer response period agreed with the complainant")
    p.add_argument("--responded", type=_day, metavar="YYYY-MM-DD", help="also print working days taken to this date")
    p.add_argument("--today", type=_day, metavar="YYYY-MM-DD",
                   help="print the clock's state on this day (default: today)")
    p.set_defaults(run=None, headless=run_headless)


def _compute(a: argparse.Namespace) -> Due:
    r = a.regime
    if r == "foia":
        return clocks.foia_response(a.received, clarification_sought=a.clarification_sought, clarified=a.clarified,
                                    fee_requested=a.fee_requested, fee_received=a.fee_received,
                                    pit_extended=a.extended, pit_notice_on=a.pit_notice)
    if r == "eir":
        return clocks.eir_response(a.received, clarification_sought=a.clarification_sought, clarified=a.clarified,
                                   extended=a.extended, extension_notified_on=a.extension_notified)
    if r == "internal-review":
        return clocks.foia_internal_review(a.received, extended=a.extended)
    if r == "eir-reconsideration":
        return clocks.eir_reconsideration(a.received, response_sent_on=a.response_sent)
    if r == "complaint":
        if a.stage == 3:
            raise RiskdeskError("a corporate complaint has two stages (Code 6.24): use --stage 1 or 2")
        return clocks.complaint_response(a.received, stage=a.stage or 1, acknowledged_on=a.acknowledged,
                                         rule_set_code=a.rule_set, extended=a.extended,
                                         case_received=a.complaint_received)
    if r == "asc":
        return clocks.asc_response(a.received, agreed_until=a.agreed_until)
    if a.stage == 3:
        if a.extended:
            raise RiskdeskError("--extended: the stage 3 panel has no extension")
        return clocks.csc_panel(a.received)
    return clocks.csc_response(a.received, stage=a.stage or 1, extended=a.extended)


def _check_options(a: argparse.Namespace) -> None:
    allowed = _ALLOWED[a.regime]
    for name, flag in _OPTION_FLAGS.items():
        value = getattr(a, name)
        if value not in (None, False) and name not in allowed:
            users = [r for r, opts in _ALLOWED.items() if name in opts]
            raise RiskdeskError(f"{flag} does not apply to --regime {a.regime} (it applies to: {', '.join(users)})")


def run_headless(args: argparse.Namespace) -> int:
    """Print the due date and its explanation; 2 with one clear line on bad input."""
    try:
        _check_options(args)
        due = _compute(args)
    except RiskdeskError as exc:
        print(f"riskdesk deadline: {exc}", file=sys.stderr)
        return 2
    print(f"due: {due.due.isoformat()}")
    for line in due.lines():
        print(line)
    if args.regime == "complaint" and due.rule_set:
        ack = clocks.complaint_ack(args.received, stage=args.stage or 1, rule_set_code=due.rule_set)
        if ack is not None:
            print(f"acknowledge by: {ack.due:%a} {fmt_day(ack.due)} ({ack.working_days} working days)")
    if args.responded is not None:
        taken = due.taken(args.responded)
        verdict = "within the time" if args.responded <= due.due else "late"
        if due.working_days:
            verdict += f"; {'within' if taken <= due.working_days else 'beyond'} {due.working_days} working days"
        print(f"responded: {fmt_day(args.responded)} — {taken} working days taken ({verdict})")
    today = args.today or date.today()
    state = due.state(today, args.responded)
    print(f"state on {fmt_day(today)}: {state.label}")
    return 0
