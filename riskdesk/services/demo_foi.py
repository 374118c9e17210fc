"""Demo data for the FOI/EIR page: a year of fictional requests for the demo council.

Written through ``FoiService`` (so the clocks, the rules and the audit trail apply as for a user),
deterministically (a seeded generator) and relative to ``today``, so the page always shows some
requests overdue, some due today and the year's report has figures in every table.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from riskdesk.domain.calendars import CalendarId, get
from riskdesk.domain.foi import DEPARTMENTS, FoiDraft, IcoOutcome, Outcome, Regime, ReviewOutcome
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.register import Actor
from riskdesk.models import FoiRequest
from riskdesk.services.base import ServiceContext

#: About thirty a month: a small district's volume, quick to load on first start.
REQUESTS = 360
SUBJECTS = ("Education Services", "Children in Care", "Adult Social Care", "Highways and Transport", "Waste",
            "Finance", "Planning", "Public Health", "Libraries", "Property", "ICT", "Human Resources")
TYPES = ("Member of the public", "Member of the public", "Business", "Media", "Researcher", "Campaign group", None)


def seed_foi(ctx: ServiceContext, actor: Actor, today: date) -> int:
    """Add the demo requests unless the database already has some; returns how many were added."""
    from riskdesk.services.foi import FoiService, IcoDraft, ReviewDraft

    with ctx.read() as s:
        if not allows(ctx.user(s, actor).role, Permission.EDIT_FOI):
            return 0
        if s.scalar(select(func.count()).select_from(FoiRequest)):
            return 0
    rnd = random.Random(14)
    cal = get(CalendarId.UK_ANY)
    items = []
    start = today - timedelta(days=365)
    for n in range(REQUESTS):
        received = start + timedelta(days=n * 365 // REQUESTS)
        regime = Regime.EIR if rnd.random() < 0.11 else Regime.FOIA
        depts = rnd.choice(DEPARTMENTS) if rnd.random() > 0.12 else " ".join(rnd.sample(DEPARTMENTS, 2))
        rtype = rnd.choice(TYPES)
        taken = max(1, int(rnd.gauss(14, 6)))
        responded = cal.add_working_days(received, taken)
        if responded >= today:
            responded = None
        roll = rnd.random()
        outcome, bases, hours, pit = Outcome.FULL, "", None, ""
        if roll > 0.92 and regime == Regime.FOIA:
            outcome, bases, hours = Outcome.REFUSED, "s.12", Decimal(rnd.choice((22, 30, 45)))
        elif roll > 0.86:
            outcome, bases = Outcome.NOT_HELD, ""
        elif roll > 0.78:
            outcome, bases = Outcome.PARTIAL, "s.40(2)" if regime == Regime.FOIA else "reg 13"
            pit = "" if regime == Regime.FOIA else "Personal data of third parties: the public interest is in withholding."
        elif roll > 0.76:
            outcome, bases, pit = Outcome.REFUSED, "s.43(2)" if regime == Regime.FOIA else "reg 12(5)(e)", \
                "The commercial interests of the supplier outweigh the public interest in disclosure."
        media = rtype == "Media"
        items.append((FoiDraft(
            regime=regime, received_on=received, departments=depts, subject=rnd.choice(SUBJECTS),
            requester_type=rtype, summary="Demo request (fictional).", media=media,
            media_approved_on=responded if media and responded else None, responded_on=responded,
            outcome=outcome if responded else None, bases=bases if responded else "",
            cost_estimate_hours=hours if responded else None, public_interest_test=pit if responded else "",
            disclosure_log=True if responded else None), None))
    foi = FoiService(ctx)
    ids = foi.import_requests(actor, items)
    answered = [(i, d) for i, (d, _p) in zip(ids, items, strict=True)
                if d.responded_on and d.responded_on < today - timedelta(days=60)]
    for k, (rid, d) in enumerate(answered[::40][:6]):
        asked = d.responded_on + timedelta(days=5)  # type: ignore[operator]
        done = cal.add_working_days(asked, 15)
        foi.add_review(actor, rid, ReviewDraft(
            requested_on=asked, reviewer="Information governance manager", responded_on=done,
            outcome=ReviewOutcome.UPHELD_DISCLOSURE if k % 2 == 0 else ReviewOutcome.NOT_UPHELD,
            ico_rights_given=k % 2 == 1))
        if k == 1:
            foi.add_ico_case(actor, rid, IcoDraft(received_on=done + timedelta(days=20), ico_reference="IC-DEMO-1",
                                                  decision_on=done + timedelta(days=50), decision_ref="IC-DN-DEMO",
                                                  outcome=IcoOutcome.NO_BREACH))
    return len(ids)
