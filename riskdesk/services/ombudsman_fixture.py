"""FX-LCC, the Ombudsman part: records consistent with the seeds (SPEC H.0, H.4), loaded in one
transaction with one audit entry.

Counts marked [S] in the SPEC are the seeds' own; the rest ([X]: dates, the split of payments
inside a published range, decisions the seeds do not itemise) are fixture choices that make every
printed total reachable — tests assert only the seeds' figures. Deterministic: the same records
every time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.ombudsman import (
    BenchmarkRow,
    Decision,
    Procedure,
    PublishedYear,
    RecommendationKind,
    fy_bounds,
)
from riskdesk.domain.permissions import Permission
from riskdesk.domain.register import Actor
from riskdesk.models import (
    OmbudsmanBenchmark,
    OmbudsmanCase,
    OmbudsmanPublishedYear,
    OmbudsmanRecommendation,
    OmbudsmanRemedy,
)
from riskdesk.services.base import ServiceContext

#: New enquiries by the Ombudsman's first-enquiry year and department (004:294-301) [S].
ENQUIRIES: dict[int, dict[str, int]] = {
    2021: {"E&T": 22, "CFS": 14, "A&C": 10, "CR": 1, "CEX": 3, "PH": 0},
    2022: {"E&T": 16, "CFS": 37, "A&C": 24, "CR": 1, "CEX": 2, "PH": 0},
    2023: {"E&T": 11, "CFS": 50, "A&C": 22, "CR": 0, "CEX": 0, "PH": 0},
}

FI, FNI, SR = Decision.UPHELD_FAULT_INJUSTICE, Decision.UPHELD_FAULT_NO_INJUSTICE, Decision.UPHELD_SATISFACTORY_REMEDY
CORP, ASC, CSC = Procedure.CORPORATE, Procedure.ADULT_SOCIAL_CARE, Procedure.CHILDRENS_SOCIAL_CARE


@dataclass(frozen=True)
class _Decided:
    department: str
    decision: Decision
    group: str = ""
    procedure: Procedure = CORP
    payments: tuple[tuple[int, bool, int], ...] = ()  # (pence, others similarly affected, beneficiaries)
    public_report: bool = False


def _decisions_2022() -> list[_Decided]:
    """22/23: the 27 upheld cases of 000:577-619 [S] (23 fault and injustice [S 004:316], 3 fault without
    injustice [X], 1 remedied by the council [S]) and payments within the published ranges; others [X]."""
    edu, sc = "Children and Family Services – Education", "Children and Family Services – Social Care"
    out = [_Decided("CFS", FI if i < 9 else FNI, edu, CORP) for i in range(10)]
    for i, p in enumerate((30_000, 1_397_500, 490_000, 500_000, 500_000)):
        out[i] = _Decided("CFS", out[i].decision, edu, CORP, ((p, False, 1),))
    out[5] = _Decided("CFS", FI, edu, CORP, ((2_510_000, True, 7),))  # others similarly affected: 7 cases [S]
    out += [_Decided("CFS", FI if i < 5 else FNI, sc, CSC, ((p, False, 1),) if p else ())
            for i, p in enumerate((10_000, 20_000, 240_000, 0, 0, 0))]
    asc = "Adult Social Care"
    out += [_Decided("A&C", FI, asc, ASC, ((1_002_000, False, 1),), public_report=True)]  # 2,500+7,220+300 [D]
    out += [_Decided("A&C", d, asc, ASC, ((p, False, 1),) if p else ())
            for d, p in ((FI, 15_000), (FI, 160_000), (FI, 0), (FI, 0), (FI, 0), (FI, 0), (FNI, 0), (SR, 0))]
    out += [_Decided("CEX", FI, "Trading Standards", CORP, ((20_000, False, 1),)),
            _Decided("E&T", FI, "School Transport", CORP, (), public_report=True)]
    others = ([Decision.PREMATURE] * 10 + [Decision.CLOSED_NO_FURTHER_ACTION] * 8
              + [Decision.NOT_UPHELD_NO_FAULT] * 5 + [Decision.OUT_OF_JURISDICTION] * 2)
    depts = ("E&T", "A&C", "E&T", "CFS", "E&T")
    out += [_Decided(depts[i % len(depts)], d) for i, d in enumerate(others)]
    return out


def _decisions_2023() -> list[_Decided]:
    """23/24: 82 final decisions (004:307-314) [S]; 18 corporate findings, 17 Education & SEND and one
    Environment and Transport paying £350 [S]; 9 statutory (ASC 6 / CSC 3 [X]); payments total £27,222.15 [S]."""
    edu = "Education & SEND"
    edu_pay = (150_000, 250_000, 300_000, 75_000, 120_000, 400_000, 600_000, 200_000, 90_000)
    out = [_Decided("CFS", FI, edu, CORP, ((edu_pay[i], False, 1),) if i < len(edu_pay) else ()) for i in range(17)]
    out.append(_Decided("E&T", FI, "Environment and Transport", CORP, ((35_000, False, 1),)))
    asc_pay = (100_000, 180_000, 172_215)
    out += [_Decided("A&C", FI, "Adult Social Care", ASC, ((asc_pay[i], False, 1),) if i < 3 else ())
            for i in range(6)]
    out += [_Decided("CFS", FI, "Children's Social Care", CSC, ((50_000, False, 1),) if i == 0 else ())
            for i in range(3)]
    others = ([Decision.OUT_OF_JURISDICTION] * 6 + [Decision.CLOSED_NO_FURTHER_ACTION] * 22
              + [Decision.NOT_UPHELD_NO_FAULT] * 4 + [Decision.PREMATURE] * 23)
    depts = ("CFS", "A&C", "E&T", "CFS", "A&C")
    out += [_Decided(depts[i % len(depts)], d) for i, d in enumerate(others)]
    return out


PUBLISHED = (
    PublishedYear(2021, complaints_and_enquiries_received=89, investigations=26, uphold_pct="81",
                  source="2021/22 figures quoted in the 2022/23 committee report (000:563, 568-569)"),
    PublishedYear(2022, date(2023, 7, 19), 117, 33, 56, 38, 27, "71", "80", "", "", 25, "100", "100", 1, "4", "6", 2,
                  "LGSCO annual review letter 2022-23 (000:813-922)"),
    PublishedYear(2023, date(2024, 7, 17), None, None, None, 35, 29, "83", "85", "4", "4.5", 24, "100", "100", 7, "24",
                  "7", None, "LGSCO annual review letter 2023-24 (003)"),
)

#: 2022/23 statistical neighbours as printed, by uphold rate (000:1366-1381) [S].
BENCHMARK_2022 = (
    BenchmarkRow("Gloucestershire", 88, 61, "14"), BenchmarkRow("Leicestershire", 117, 71, "16", True),
    BenchmarkRow("Warwickshire", 59, 73, "10"), BenchmarkRow("Devon", 161, 74, "20"),
    BenchmarkRow("North Yorkshire (former)", 79, 78, "13"), BenchmarkRow("Cambridgeshire", 76, 78, "11"),
    BenchmarkRow("Essex", 141, 79, "9"), BenchmarkRow("West Sussex", 103, 80, "12"),
    BenchmarkRow("Nottinghamshire", 76, 81, "9"), BenchmarkRow("Derbyshire", 97, 81, "12"),
    BenchmarkRow("Suffolk", 143, 83, "19"), BenchmarkRow("Hampshire", 143, 83, "10"),
    BenchmarkRow("Staffordshire", 123, 84, "14"), BenchmarkRow("Somerset (former authority)", 90, 86, "16"),
    BenchmarkRow("Oxfordshire", 102, 91, "14"), BenchmarkRow("Worcestershire", 70, 92, "12"),
)


def _enquiry_cases() -> list[OmbudsmanCase]:
    cases = []
    for fy, by_dept in ENQUIRIES.items():
        start, _ = fy_bounds(fy)
        depts = [d for d, n in by_dept.items() for _ in range(n)]
        # Interleave departments across the year so each has early and late enquiries.
        order = sorted(range(len(depts)), key=lambda i: (i % 7, i))
        for k, i in enumerate(order):
            first = start + timedelta(days=k * 360 // len(depts))
            cases.append(OmbudsmanCase(
                reference=f"{fy % 100:02d} {100 + k:03d} {len(cases) + 1:03d}", department=depts[i],
                logged_on=first, first_enquiry_on=first, response_due_on=first + timedelta(days=28),
                reply_due_on=first + timedelta(days=28), responded_on=first + timedelta(days=21),
                summary="FX-LCC fixture case"))
    # I-3: one CFS case the Ombudsman opened on 28 Mar 2024 and the team logged on 2 Apr 2024.
    late = next(c for c in reversed(cases) if c.department == "CFS" and c.first_enquiry_on.year == 2024)
    late.first_enquiry_on, late.logged_on = date(2024, 3, 28), date(2024, 4, 2)
    late.response_due_on = late.reply_due_on = date(2024, 4, 25)
    late.responded_on = date(2024, 4, 19)
    return cases


def _decide(cases: list[OmbudsmanCase], fy: int, decided: list[_Decided]) -> None:
    start, end = fy_bounds(fy)
    for j, d in enumerate(decided):
        when = start + timedelta(days=20 + j * 330 // len(decided))
        pool = sorted((c for c in cases if c.decision is None and c.department == d.department
                       and c.first_enquiry_on <= when - timedelta(days=14)), key=lambda c: c.first_enquiry_on)
        if not pool:
            raise ValidationError("FX-LCC", d.department, f"has no undecided case for a {fy} decision")
        c = pool[0]
        c.decision, c.final_decision_on, c.investigated = d.decision.value, min(when, end), d.decision.investigated
        c.service_group, c.procedure = d.group, d.procedure.value
        if d.public_report:
            c.public_report_on = c.final_decision_on
        for pence, others, n in d.payments:
            approved = c.final_decision_on + timedelta(days=10)
            chair = approved - timedelta(days=3) if pence > 500_000 else None
            c.remedies.append(OmbudsmanRemedy(amount_pence=pence, others_affected=others, beneficiaries=n,
                                              description="payment recommended by the Ombudsman",
                                              approved_on=min(approved, end), chair_consulted_on=chair and min(
                                                  chair, end)))
        if d.decision.upheld:
            c.recommendations.append(OmbudsmanRecommendation(
                kind=RecommendationKind.PERSONAL_REMEDY.value, text="Apologise and put things right",
                due_on=c.final_decision_on + timedelta(days=30),
                completed_on=c.final_decision_on + timedelta(days=21)))


def load_fx_lcc(ctx: ServiceContext, actor: Actor) -> int:
    """Load the FX-LCC Ombudsman records into an empty Ombudsman log; returns the number of cases."""
    with ctx.begin() as s:
        user = ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
        if s.scalar(select(func.count()).select_from(OmbudsmanCase)):
            raise ValidationError("FX-LCC", "Ombudsman cases", "are already recorded: load the fixture into an "
                                  "empty Ombudsman log")
        cases = _enquiry_cases()
        _decide(cases, 2022, _decisions_2022())
        _decide(cases, 2023, _decisions_2023())
        s.add_all(cases)
        for p in PUBLISHED:
            s.add(OmbudsmanPublishedYear(**p.__dict__))
        for i, r in enumerate(BENCHMARK_2022, 1):
            s.add(OmbudsmanBenchmark(fy=2022, position=i, authority=r.authority, new_complaints=r.new_complaints,
                                     uphold_pct=r.uphold_pct, per_100k=r.per_100k, is_self=r.is_self))
        s.flush()
        ctx.audit(s, user, "ombudsman.load", "ombudsman_case", None, "FX-LCC Ombudsman records",
                  {"cases": [0, len(cases)]}, "fixture consistent with the seeds (SPEC H.0)")
        return len(cases)
