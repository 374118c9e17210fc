"""FX-LCC for FOI/EIR (SPEC H.0): records consistent with the committee's Part 3 for 2022/23.

Seed facts [S]: 880 received (832 the year before), the top subjects and applicant types, 883
responded (783 FOIA, 100 EIR), 699 full, 71 partial, 65 refused (39 s.12), 772 within 20 working
days, the department × band table of 000:740-748, 11 internal reviews (5 upheld with disclosure),
3 ICO enquiries and 1 decision. Fixture choices [X]: 40 of the responses answer requests received on
31 March 2022; 37 of the year's receipts are answered in 2023/24 or still open; taken = 3, 8, 13, 18
and 25 working days per band; 48 "not held" responses fill the outcomes the report does not name.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from riskdesk.domain.calendars import CalendarId, get
from riskdesk.domain.foi import FoiDraft, IcoOutcome, Outcome, Regime, ReviewOutcome
from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.services.foi import FoiService, IcoDraft, Requester, ReviewDraft

#: 000:741-747 exactly: (row label, counts per band <5, 6-10, 11-15, 16-20, >20).
TABLE: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("A&C", (18, 13, 20, 9, 16)),
    ("CEX", (17, 9, 13, 8, 11)),
    ("CFS", (47, 74, 57, 35, 10)),
    ("CR", (56, 40, 48, 46, 45)),
    ("E&T", (25, 35, 37, 50, 12)),
    ("PH", (2, 6, 8, 3, 2)),
    ("MULTI", (19, 24, 22, 31, 15)),
)
TAKEN = (3, 8, 13, 18, 25)
MULTI_PAIRS = ("A&C CR", "CFS E&T", "CR E&T", "A&C PH", "CEX CR")
SUBJECTS = (("Education Services", 134), ("Children in Care", 85), ("Adult Social Care", 73),
            ("Highways and Transport", 70), ("Waste", 65), ("Finance", 64), ("Planning", 60),
            ("Public Health", 55), ("Libraries", 50), ("Property", 50), ("ICT", 45), ("Human Resources", 45),
            ("Trading Standards", 40), ("Other", 44))
TYPES = (("Member of the public", 300), ("Business", 126), ("Media", 108), ("Researcher", 70),
         ("Campaign group", 50), ("Solicitor", 40))


def _expand(pairs: tuple[tuple[str, int], ...], total: int) -> list[str | None]:
    out: list[str | None] = [name for name, n in pairs for _ in range(n)]
    out += [None] * (total - len(out))
    return out


def _spread(values: list, step: int = 7) -> list:
    """A deterministic interleaving (step coprime with the length), so categories mix."""
    n = len(values)
    while n and _gcd(step, n) != 1:
        step += 1
    return [values[(i * step) % n] for i in range(n)]


def _gcd(a: int, b: int) -> int:
    while b:
        a, b = b, a % b
    return a


def build(services: Services, actor: Actor) -> FoiService:
    """Load FX-LCC's FOI records; returns the FOI service over them."""
    foi = FoiService(services.ctx)
    cal = get(CalendarId.UK_ANY)
    cells: list[tuple[str, int]] = []
    multi = 0
    for label, counts in TABLE:
        for band, n in enumerate(counts):
            for _ in range(n):
                if label == "MULTI":
                    cells.append((MULTI_PAIRS[multi % len(MULTI_PAIRS)], TAKEN[band]))
                    multi += 1
                else:
                    cells.append((label, TAKEN[band]))
    assert len(cells) == 883
    cells = _spread(cells, 11)
    # Outcomes in a fixed order: the s.12 refusals first (FOIA only), the EIR responses last (full).
    outcomes = ([(Outcome.REFUSED, "s.12")] * 39 + [(Outcome.REFUSED, "s.14(1)")] * 13
                + [(Outcome.REFUSED, "s.43(2)")] * 13 + [(Outcome.PARTIAL, "s.40(2)")] * 71
                + [(Outcome.NOT_HELD, "")] * 48 + [(Outcome.FULL, "")] * 699)
    regimes = [Regime.FOIA] * 783 + [Regime.EIR] * 100
    subjects = _spread(_expand(SUBJECTS, 880), 13)
    types = _spread(_expand(TYPES, 880), 17)
    items: list[tuple[FoiDraft, Requester | None]] = []
    year_start, spread_days = date(2022, 4, 1), 315
    for i, ((depts, taken), (outcome, basis), regime) in enumerate(zip(cells, outcomes, regimes, strict=True)):
        if i < 40:
            received = date(2022, 3, 31)
            subject, rtype = "Finance", "Member of the public"
        else:
            k = i - 40
            received = year_start + timedelta(days=k * spread_days // 843)
            subject, rtype = subjects[k], types[k]
        items.append((_draft(regime, received, depts, subject, rtype, outcome, basis,
                             cal.add_working_days(received, taken)), None))
    # 37 receipts of 2022/23 answered in 2023/24 or still open (AC-F04's request among them).
    for j in range(37):
        received = date(2023, 3, 6) + timedelta(days=j % 20)
        answered = cal.add_working_days(received, 20) if j < 20 else None
        items.append((_draft(Regime.FOIA, received, "CFS", subjects[843 + j], types[843 + j],
                             Outcome.FULL if answered else None, "", answered), None))
    items[0] = (items[0][0], Requester("A. Requester", "a.requester@example.org", "1 High Street"))
    ids = foi.import_requests(actor, items)
    # Internal reviews: 11 requested in the year, on responses answered before February 2023.
    rows = {r.id: r for r in foi.list(actor, today=date(2023, 4, 1))}
    candidates = [i for i in ids[40:883] if rows[i].responded_on and rows[i].responded_on < date(2023, 1, 1)]
    for n, rid in enumerate(candidates[:11]):
        asked = rows[rid].responded_on + timedelta(days=7)
        upheld = n < 5
        review = foi.add_review(actor, rid, ReviewDraft(
            requested_on=asked, reviewer="Information governance manager",
            responded_on=cal.add_working_days(asked, 15),
            outcome=ReviewOutcome.UPHELD_DISCLOSURE if upheld else ReviewOutcome.NOT_UPHELD,
            ico_rights_given=not upheld))
        assert review.id
        if 5 <= n < 8:  # three of the six went on to the ICO
            decided = n == 5
            foi.add_ico_case(actor, rid, IcoDraft(
                received_on=asked + timedelta(days=40), ico_reference=f"IC-2022-{n:04d}",
                decision_on=asked + timedelta(days=90) if decided else None,
                decision_ref="IC-DN-0001" if decided else "",
                outcome=IcoOutcome.NO_BREACH if decided else None, further_disclosure=decided))
    foi.record_published_year(actor, "21/22", received=832, within_20_pct=90)
    return foi


def _draft(regime: Regime, received: date, depts: str, subject: str | None, rtype: str | None,
           outcome: Outcome | None, basis: str, responded: date | None) -> FoiDraft:
    media = rtype == "Media"
    return FoiDraft(
        regime=regime, received_on=received, departments=depts, subject=subject or "Other", requester_type=rtype,
        media=media, media_approved_on=responded if media and responded else None, responded_on=responded,
        outcome=outcome, bases=basis,
        cost_estimate_hours=Decimal("24.5") if basis == "s.12" else None,
        public_interest_test="Commercial interests outweigh the public interest" if basis == "s.43(2)" else "",
        disclosure_log=True if responded else None,
    )
