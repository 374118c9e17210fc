"""FX-LCC: complaints records consistent with the council's published figures (SPEC H.0, complaints part).

Counts marked [S] in the SPEC come from the seed reports; the rest are fixture choices [X] that
fill cells the seeds leave open (which day a complaint arrived, how the not-upheld split goes) so
that every published total is reachable. Deterministic: the same records every time.

Rows go in through Core inserts in one transaction (thousands of rows; the ORM would take
seconds), with one audit entry naming what was loaded.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from riskdesk.domain.calendars import CalendarId, get
from riskdesk.domain.complaints import ContactKind, EnquiryCategory, Outcome, Procedure, stage_clock
from riskdesk.domain.permissions import Permission
from riskdesk.domain.register import Actor
from riskdesk.models import (
    CaseworkReport,
    Complaint,
    ComplaintRemedy,
    ComplaintService,
    ComplaintServiceAlias,
    ComplaintStage,
    Compliment,
    Contact,
    Department,
)
from riskdesk.services.base import ServiceContext

DEPARTMENTS = (("A&C", "Adults and Communities"), ("CEX", "Chief Executives"),
               ("CFS", "Children and Family Services"), ("CR", "Corporate Resources"),
               ("E&T", "Environment and Transport"), ("PH", "Public Health"))

#: (name, department, aliases, service group, excluded from top five, children's social care)
SERVICES: tuple[tuple[str, str, tuple[str, ...], str, bool, bool], ...] = (
    ("SENA", "CFS", ("SENA Services", "SEN Assessment"), "Education & SEND", False, False),
    ("SEN and School Transport", "E&T", (), "Education & SEND", False, False),
    ("School Admissions", "CFS", (), "Education & SEND", False, False),
    ("Highway Repair and Maintenance", "E&T", ("Highway Maintenance",), "Highways", False, False),
    ("Public Transport", "E&T", (), "Transport", False, False),
    ("Waste Management", "E&T", (), "Environment", False, False),
    ("Grass Cutting", "E&T", (), "Highways", False, False),
    ("Children's Social Care (corporate procedure)", "CFS", (), "Children's Social Care", True, True),
    ("Libraries", "A&C", (), "Communities", False, False),
    ("Registrars", "CR", (), "", False, False),
    ("Inclusion Services", "CFS", (), "Education & SEND", False, False),
    ("Customer Services", "CR", (), "", False, False),
    ("Complaints Team", "CEX", (), "", False, False),
    ("Country Parks", "A&C", (), "", False, False),
    ("Customer Service Centre", "CR", (), "", False, False),
    ("Highways", "E&T", (), "Highways", False, False),
    ("Environmental Services", "E&T", (), "Environment", False, False),
    ("Adult Social Care", "A&C", (), "Adult Social Care", True, False),
    ("Children's Social Care", "CFS", (), "Children's Social Care", True, True),
    *((f"Other service {i}", dep, (), "", False, False)
      for i, dep in enumerate(("CR", "CEX", "A&C", "PH", "CR", "A&C", "CEX", "CR"), start=1)),
)

#: 004:268-278, printed in this order [S].
LEARNING = (
    ("Kept repeating the same information when I contacted the Customer Service Centre",
     "Reminded staff of the need to escalate into complaints process where matters are reaching an impasse and to "
     "ensure objective senior manager oversight"),
    ("Highways officers refused to help answer questions about a diversion route",
     "All operatives reminded to be polite to the general public whilst working on sites and should give guidance to "
     "anyone not sure of alternative routes"),
    ("Refused to allow me to speak as part of a Transport appeal hearing",
     "Reminded all appeals officers of the importance of offering verbal representations"),
    ("The waiting time is too long for Educational Psychologist advice to be provided.",
     "This is very much a national challenge, but we have acted to increase capacity within this area through use of "
     "Locums"),
    ("You took too long in answering my call when contacting the Admissions team to find out about my son's place",
     "Reviewed our IVR systems to ensure that calls are routed to the right place and better access to information "
     "online. This has freed up resources and reduced call wait times"),
    ("There was a lack of urgency to assist with education for my daughter when she could not attend School",
     "We identified a gap in ownership where children are applying for an EHCP. Lines of responsibility clarified "
     "moving forwards"),
    ("Lack of assistance provided from transport team whilst arranging transport for my disabled son",
     "We reminded the need to consider reimbursement for mileage costs if there are delays in commissioning "
     "arrangements"),
    ("The grass cutting schedule was not being updated",
     "We recognised issues with the performance during the year and will thoroughly review how we can ensure more "
     "timely updates provided online"),
    ("You took too long to resolve a payment I was due",
     "Undertaken training with the team to ensure better awareness of what information was needed up front."),
)

#: 004:393-407: (text, service) [S]; staff named by initial only.
APPENDIX_COMPLIMENTS = (
    ("Thank you to the friendly and helpful staff at Shepshed Library, I love coming here", "Libraries"),
    ("Awesome beatfeet event at Blaby library, my children loved it.", "Libraries"),
    ("Thank you to the 3 registrars who attended our wedding at Rothley Court hotel for being so professional and "
     "welcoming", "Registrars"),
    ("Thank you, S, YOU are a force of nature! Deeply impressed, immensely grateful and feel so relieved", "SENA"),
    ("Thank you to the SENA team for all your help and support, she has relaxed progressively, and I've seen her "
     "smile come back.", "SENA"),
    ("Thank you, C, for being so lovely and understanding, it very rare to find a professional with such a caring "
     "attitude for your own child", "SENA"),
    ("Thank you, S, for the time and support that you have provided South Leicestershire Inclusion Partnership this "
     "year", "Inclusion Services"),
    ("Compliment re help providing in securing school place", "School Admissions"),
    ("Compliment for School Admissions re advice and helpfulness when contacted re a move", "Customer Services"),
    ("I really would like to thank C for our conversation as it has helped me reach many conclusions.",
     "Complaints Team"),
    ("On Boxing Day, the staff of Beacon Hill car park kiosk remained unruffled, efficient & courteous. Thank you and "
     "WELL DONE", "Country Parks"),
    ("Thank you to C the advisor who was very helpful and pleasant, she answered all my queries, gave very clear "
     "directions for my next actions and kindly offered to send an appropriate link", "Customer Service Centre"),
    ("Compliment re speed of response to reporting a fallen tree", "Highways"),
    ("My sincere thanks to A for organising all the elements regarding the two drains and please pass on my thanks "
     "to all your team.", "Environmental Services"),
    ("Thank you so much to your highways team who have acted so quickly to my request regarding the dislodged kerb "
     "outside my house.", "Highways"),
)

#: The 2021/22 figures as the 2022/23 committee report printed them (000:640-680), frozen as that
#: year's presented report so that 2022/23's "(prior)" brackets come from it, not from records.
PRIOR_2021_22 = {
    "corporate": {"received": 610, "upheld_pct": 39, "s1_pct": {"10": 41, "20": 68, "40": 87}},
    "asc": {"received": 210, "fault_pct": 43},
    "csc": {"accepted": 65},
}


@dataclass
class _Case:
    procedure: Procedure
    service: str
    received: date
    s1_taken: int | None  # None: open at the year end
    outcome: Outcome | None
    s2_taken: int | None = None
    s3: bool = False
    ombudsman: bool = False


def _spread(start: date, end: date, n: int) -> list[date]:
    span = (end - start).days
    return [start + timedelta(days=(i * span) // max(n, 1)) for i in range(n)]


def _series(*parts: tuple[int, Any]) -> list[Any]:
    out: list[Any] = []
    for n, value in parts:
        out += [value] * n
    return out


def _corporate_year(fy: int, services: list[tuple[str, int]], *, late: int, late_fault: int, fault: int,
                    no_finding: int, taken: list[int], rng: random.Random, early_services: dict[str, int],
                    fault_by_service: dict[str, int]) -> tuple[list[_Case], list[_Case]]:
    """(answered in the year, received in the last days of March and answered in April)."""
    names: list[str] = []
    for name, n in services:
        names += [name] * n
    # The late ones are filler services (so no named service's in-year count moves).
    late_names = [n for n in names if n.startswith("Other service")][:late]
    for n in late_names:
        names.remove(n)
    start, last_receipt = date(fy, 4, 1), date(fy + 1, 1, 12)
    dates: list[date] = []
    by_service: dict[str, list[date]] = {}
    for name in dict.fromkeys(names):
        k = names.count(name)
        if name in early_services:  # School Admissions: so many Apr-Sep, the rest Oct-Jan (004:149-151)
            first = early_services[name]
            by_service[name] = (_spread(start, date(fy, 9, 30), first)
                                + _spread(date(fy, 10, 1), last_receipt, k - first))
        else:
            by_service[name] = _spread(start, last_receipt, k)
    for name in names:
        dates.append(by_service[name].pop(0))
    # Outcomes: each named service's fault-found count first, then the rest at random.
    outcomes: list[Outcome | None] = [None] * len(names)
    left_fault = fault
    for name, k in fault_by_service.items():
        idx = [i for i, n in enumerate(names) if n == name]
        for i in idx[:k]:
            outcomes[i] = Outcome.FAULT_FOUND
        for i in idx[k:]:
            outcomes[i] = Outcome.NOT_UPHELD
        left_fault -= k
    free = [i for i, o in enumerate(outcomes) if o is None]
    rng.shuffle(free)
    for j, i in enumerate(free):
        outcomes[i] = (Outcome.FAULT_FOUND if j < left_fault else Outcome.NO_FINDING
                       if j < left_fault + no_finding else Outcome.NOT_UPHELD)
    rng.shuffle(taken)
    answered = [_Case(Procedure.CORPORATE, n, d, t, o) for n, d, t, o in zip(names, dates, taken, outcomes,
                                                                                strict=True)]
    # Received in the last week of March and answered in April (8 working days later).
    late_dates = _spread(date(fy + 1, 3, 24), date(fy + 1, 3, 31), late)
    late_cases = [_Case(Procedure.CORPORATE, n, d, 8, Outcome.FAULT_FOUND if i < late_fault else Outcome.NOT_UPHELD)
                  for i, (n, d) in enumerate(zip(late_names, late_dates, strict=True))]
    return answered, late_cases


def _stage2(cases: list[_Case], within: int, over: int) -> None:
    """The earliest-answered cases went to stage 2, so that every stage 2 response falls in the year."""
    ordered = sorted(cases, key=lambda c: c.received)
    for i, c in enumerate(ordered[:within + over]):
        c.s2_taken = 15 if i < within else 25


def build_cases(rng: random.Random) -> tuple[list[_Case], list[_Case]]:
    """(complaints received 2022/23 and before, complaints received 2023/24)."""
    # 2022/23 [S]: 781 received; stage 1 responses in the year 781 = 761 + 20 received in March 2022.
    svc22 = [("School Admissions", 237), ("SENA", 193), ("SEN and School Transport", 79),
             ("Highway Repair and Maintenance", 26), ("Public Transport", 24),
             ("Children's Social Care (corporate procedure)", 82)] + [(f"Other service {i}", 20) for i in range(1, 8)]
    # ≤10: 359, ≤20: 547, ≤40: 664 of 781 responses; the 20 carried in take 8.
    taken22 = _series((339, 8), (188, 15), (117, 30), (117, 45))
    y22, late22 = _corporate_year(2022, svc22, late=20, late_fault=10, fault=388, no_finding=83, taken=taken22,
                                  rng=rng, early_services={}, fault_by_service={})
    carried_in = [_Case(Procedure.CORPORATE, f"Other service {1 + i % 7}", d, 8,
                        Outcome.FAULT_FOUND if i < 10 else Outcome.NOT_UPHELD)
                  for i, d in enumerate(_spread(date(2022, 3, 24), date(2022, 3, 31), 20))]
    _stage2(y22, 31, 52)
    # 2023/24 [S]: 1112 received; 1125 stage 1 responses = 20 carried + 1105; 7 open at the year end.
    svc23 = [("SENA", 285), ("SEN and School Transport", 149), ("School Admissions", 109), ("Waste Management", 60),
             ("Grass Cutting", 49), ("Children's Social Care (corporate procedure)", 101),
             ("Highway Repair and Maintenance", 41), ("Public Transport", 11)]
    svc23 += [(f"Other service {i}", 43) for i in range(1, 8)] + [("Other service 8", 6)]
    taken23 = _series((520, 8), (270, 15), (203, 30), (112, 45))
    y23, open23 = _corporate_year(2023, svc23, late=7, late_fault=0, fault=519, no_finding=115, taken=taken23,
                                  rng=rng, early_services={"School Admissions": 88},
                                  fault_by_service={"Waste Management": 22})
    for c in open23:
        c.s1_taken, c.outcome = None, None
    _stage2(y23, 49, 31)
    # Adult social care 2022/23 [S/D]: 204, 155 within 20 WD, 19 over 65 WD, 78 fault found.
    asc22 = []
    asc_taken = _series((19, 70), (30, 40), (155, 15))
    asc_fault = set(rng.sample(range(204), 78))
    for i, d in enumerate(_spread(date(2022, 4, 1), date(2023, 1, 12), 204)):
        asc22.append(_Case(Procedure.ASC, "Adult Social Care", d, asc_taken[i],
                           Outcome.FAULT_FOUND if i in asc_fault else Outcome.NOT_UPHELD))
    asc23 = [_Case(Procedure.ASC, "Adult Social Care", d, 15, Outcome.FAULT_FOUND if i % 5 < 2 else Outcome.NOT_UPHELD)
             for i, d in enumerate(_spread(date(2023, 4, 1), date(2024, 1, 12), 382))]
    # Children's social care 2022/23 [S/D]: 86 accepted; 32 within 20 WD, 12 over 40; 10 to stage 2, 5 to
    # stage 3, 3 to the Ombudsman.
    csc_taken = _series((12, 45), (32, 15), (42, 30))
    csc22 = [_Case(Procedure.CSC, "Children's Social Care", d, csc_taken[i], Outcome.NOT_UPHELD)
             for i, d in enumerate(_spread(date(2022, 4, 1), date(2022, 12, 16), 86))]
    for i, c in enumerate(csc22[12:22]):
        c.s2_taken = 25
        c.s3 = i < 5
        c.ombudsman = i < 3
    csc23 = [_Case(Procedure.CSC, "Children's Social Care", d, 15, Outcome.NOT_UPHELD)
             for d in _spread(date(2023, 4, 1), date(2024, 1, 12), 81)]
    return carried_in + y22 + late22 + asc22 + csc22, y23 + open23 + asc23 + csc23


class CaseworkFixtureLoader:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def load(self, actor: Actor) -> dict[str, int]:
        """Load FX-LCC into an empty complaints log; returns the rows added per table."""
        rng = random.Random(2324)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            if s.scalar(select(func.count()).select_from(Complaint)):
                from riskdesk.domain.errors import ValidationError

                raise ValidationError("complaints log", "not empty", "already holds complaints: the fixture loads "
                                      "only into an empty log")
            deps = self._departments(s, actor)
            svc = self._services(s, deps)
            counts = self._load(s, svc, deps, rng)
            self._ctx.audit(s, user, "casework.fixture", "complaint", None, "FX-LCC",
                            {k: [None, v] for k, v in counts.items()},
                            note="fixture consistent with the published 2022/23 and 2023/24 figures")
            return counts

    def _departments(self, s: Session, actor: Actor) -> dict[str, int]:
        have = {c.lower(): i for i, c in s.execute(select(Department.id, Department.code))}
        missing = [(c, n) for c, n in DEPARTMENTS if c.lower() not in have]
        if missing:
            self._ctx.require(s, actor, Permission.MANAGE_REFERENCE)
            for code, name in missing:
                d = Department(code=code, name=name)
                s.add(d)
                s.flush()
                have[code.lower()] = d.id
        return {c: have[c.lower()] for c, _n in DEPARTMENTS}

    @staticmethod
    def _services(s: Session, deps: dict[str, int]) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for name, dep, aliases, group, excluded, csc in SERVICES:
            existing = s.scalar(select(ComplaintService).where(ComplaintService.name == name))
            if existing is None:
                existing = ComplaintService(name=name, department_id=deps[dep], service_group=group,
                                            exclude_from_top_services=excluded, childrens_social_care=csc)
                existing.aliases = [ComplaintServiceAlias(alias=a) for a in aliases]
                s.add(existing)
                s.flush()
            out[name] = (existing.id, existing.department_id or deps[dep])
        return out

    def _load(self, s: Session, svc: dict[str, tuple[int, int]], deps: dict[str, int],
              rng: random.Random) -> dict[str, int]:
        cal = get(CalendarId.COMPLAINTS)
        before, during = build_cases(rng)
        contacts: list[dict[str, Any]] = []
        refs: dict[str, int] = {}

        def ref(prefix: str, day: date) -> str:
            key = f"{prefix}-{day.year}"
            refs[key] = refs.get(key, 0) + 1
            return f"{key}-{refs[key]:05d}"

        contact_id = (s.scalar(select(func.max(Contact.id))) or 0)
        complaint_id = (s.scalar(select(func.max(Complaint.id))) or 0)
        complaints: list[dict[str, Any]] = []
        stages: list[dict[str, Any]] = []
        fault_found_23: list[int] = []
        handlers = ("A. Officer", "B. Officer", "C. Officer", "D. Officer")
        for i, case in enumerate(before + during):
            contact_id += 1
            complaint_id += 1
            sid, dep = svc[case.service]
            contacts.append(dict(id=contact_id, reference=ref("CT", case.received), kind=ContactKind.COMPLAINT.value,
                                 received_on=case.received, logged_on=case.received, channel="email",
                                 department_id=dep, service_id=sid, summary="", version=1))
            c_stages = self._stages(case, cal, complaint_id, handlers[i % 4], handlers[(i + 1) % 4])
            stages += c_stages
            answered = [st for st in c_stages if st["responded_on"]]
            final = answered[-1]["outcome"] if answered else None
            resolved = answered[-1]["responded_on"] if answered else None
            complaints.append(dict(
                id=complaint_id, reference=ref(case.procedure.prefix, case.received), contact_id=contact_id,
                procedure=case.procedure.value,
                rule_set=stage_clock_rule(case), received_on=case.received, acceptance="accepted",
                department_id=dep, service_id=sid, summary="", final_outcome=final, resolved_on=resolved,
                went_to_ombudsman=case.ombudsman, safeguarding=False, health_and_safety=False, exclusion_evidence="",
                out_of_time_reason="", version=1))
            if case.procedure is Procedure.CORPORATE and final == Outcome.FAULT_FOUND.value and resolved and \
                    date(2023, 4, 1) <= c_stages[0]["responded_on"] <= date(2024, 3, 31):
                fault_found_23.append(complaint_id)
        remedies = []
        for j, cid in enumerate(fault_found_23):
            you, we = LEARNING[j] if j < len(LEARNING) else ("", "")
            remedies.append(dict(complaint_id=cid, kind="apology" if j >= len(LEARNING) else "change_policy",
                                 what=we or "Apology and explanation given", owner="Service manager",
                                 you_complained_that=you, we_have=we, cancelled_reason="",
                                 sample_for_report_fy="2023/24" if j < len(LEARNING) else None))
        # Enquiries, service requests and Ombudsman contacts, logged through each year.
        plan = (
            (2022, EnquiryCategory.SERVICE_REQUEST, 800), (2022, EnquiryCategory.INFORMAL, 600),
            (2022, EnquiryCategory.ADVICE, 437), (2022, EnquiryCategory.REDRESS, 200),
            (2023, EnquiryCategory.SERVICE_REQUEST, 653), (2023, EnquiryCategory.INFORMAL, 505),
            (2023, EnquiryCategory.ADVICE, 346), (2023, EnquiryCategory.REDRESS, 101),
        )
        for fy, category, n in plan:
            kind = ContactKind.SERVICE_REQUEST if category is EnquiryCategory.SERVICE_REQUEST else ContactKind.ENQUIRY
            for d in _spread(date(fy, 4, 1), date(fy + 1, 3, 31), n):
                contact_id += 1
                contacts.append(dict(id=contact_id, reference=ref("CT", d), kind=kind.value, received_on=d,
                                     logged_on=d, channel="phone", enquiry_category=category.value, summary="",
                                     version=1))
        for fy, n in ((2022, 80), (2023, 82)):
            for d in _spread(date(fy, 4, 1), date(fy + 1, 3, 31), n):
                contact_id += 1
                contacts.append(dict(id=contact_id, reference=ref("CT", d), kind=ContactKind.LGSCO.value,
                                     received_on=d, logged_on=d, channel="letter", summary="", version=1))
        compliments = []
        for fy, plan_c in ((2022, [("Libraries", 120), ("Registrars", 40), ("Highways", 30), ("Country Parks", 21)]),
                           (2023, [("Libraries", 251), ("Registrars", 20), ("Country Parks", 21),
                                   ("Customer Service Centre", 28)])):
            names: list[tuple[str, str, str | None]] = []
            for name, n in plan_c:
                names += [(name, f"Thank you to the {name.lower()} staff.", None)] * n
            if fy == 2023:
                names += [(service, text, "2023/24") for text, service in APPENDIX_COMPLIMENTS]
            for d, (name, text, publish) in zip(_spread(date(fy, 4, 1), date(fy + 1, 3, 31), len(names)),
                                                sorted(names, key=lambda x: x[2] is None), strict=True):
                contact_id += 1
                sid, dep = svc[name]
                contacts.append(dict(id=contact_id, reference=ref("CT", d), kind=ContactKind.COMPLIMENT.value,
                                     received_on=d, logged_on=d, channel="email", department_id=dep, service_id=sid,
                                     summary=text, version=1))
                compliments.append(dict(contact_id=contact_id, logged_on=d, department_id=dep, service_id=sid,
                                        text=text, publish_fy=publish))
        for table, rows in ((Contact, contacts), (Complaint, complaints), (ComplaintStage, stages),
                            (ComplaintRemedy, remedies), (Compliment, compliments)):
            for chunk in _chunks(rows, 2000):
                s.execute(insert(table), chunk)
        s.add(CaseworkReport(kind="item8", fy="2021/22", presented_on=date(2022, 11, 18), presented_by="as published",
                             payload=json.dumps({"current": PRIOR_2021_22, "source": "as published (000:640-680)"},
                                                sort_keys=True),
                             digest=""))
        return {"contacts": len(contacts), "complaints": len(complaints), "stages": len(stages),
                "remedies": len(remedies), "compliments": len(compliments)}

    @staticmethod
    def _stages(case: _Case, cal: Any, complaint_id: int, h1: str, h2: str) -> list[dict[str, Any]]:
        out = []
        requested = case.received
        plan = [(1, case.s1_taken, h1)]
        if case.s2_taken is not None:
            plan.append((2, case.s2_taken, h2))
        if case.s3:
            plan.append((3, 30, "Review panel"))
        for number, taken, handler in plan:
            ack, resp = stage_clock(case.procedure, number, received_on=case.received, requested_on=requested,
                                    acknowledged_on=None, rule_set_code=stage_clock_rule(case))
            responded = cal.add_working_days(requested, taken) if taken is not None else None
            out.append(dict(complaint_id=complaint_id, number=number, requested_on=requested, handler=handler,
                            acknowledged_on=None, responded_on=responded,
                            outcome=case.outcome.value if (responded and case.outcome) else None,
                            ack_due=ack.due if ack else None, base_due=resp.base_due, due=resp.base_due,
                            max_due=resp.maximum, days_taken=taken))
            if responded is None:
                break
            requested = responded + timedelta(days=3)
        return out


def stage_clock_rule(case: _Case) -> str:
    from riskdesk.domain.complaints import default_rule_set

    return default_rule_set(case.procedure, case.received)


def _chunks(rows: list[dict[str, Any]], n: int) -> Iterator[list[dict[str, Any]]]:
    # Core executemany needs the same keys in every row of a batch.
    keys: dict[frozenset[str], list[dict[str, Any]]] = {}
    for r in rows:
        keys.setdefault(frozenset(r), []).append(r)
    for group in keys.values():
        for i in range(0, len(group), n):
            yield group[i:i + n]
