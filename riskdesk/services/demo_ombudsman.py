"""A year of fictional Ombudsman casework for the demo council, so the Ombudsman page and its report
have something on first run. Written through the Ombudsman service (its rules, clocks and audit trail
apply); dates are counted back from ``today``; deterministic."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from riskdesk.domain.ombudsman import LGSCO_DEPARTMENTS, CaseDraft, Decision, Procedure, RecommendationKind
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.register import Actor
from riskdesk.models import OmbudsmanCase
from riskdesk.services.base import ServiceContext

_GROUPS = {"E&T": ("Highways", Procedure.CORPORATE), "CFS": ("Education & SEND", Procedure.CORPORATE),
           "A&C": ("Adult Social Care", Procedure.ADULT_SOCIAL_CARE), "CR": ("Council Tax", Procedure.CORPORATE),
           "CEX": ("Registration Services", Procedure.CORPORATE), "PH": ("Public Health", Procedure.CORPORATE)}
#: Department of each demo case, in date order (the Ombudsman's enquiries are mostly about SEN).
_DEPTS = ("CFS", "CFS", "A&C", "E&T", "CFS", "A&C", "CFS", "E&T", "CR", "CFS", "A&C", "CFS", "CEX", "CFS", "E&T",
          "A&C", "CFS", "CFS", "A&C", "E&T", "CFS", "A&C", "CFS", "CFS", "E&T", "A&C", "CFS", "CFS", "A&C", "CFS")
_DECISIONS = (Decision.PREMATURE, Decision.UPHELD_FAULT_INJUSTICE, Decision.CLOSED_NO_FURTHER_ACTION,
              Decision.UPHELD_FAULT_INJUSTICE, Decision.NOT_UPHELD_NO_FAULT, Decision.PREMATURE,
              Decision.UPHELD_FAULT_NO_INJUSTICE, Decision.OUT_OF_JURISDICTION, Decision.UPHELD_FAULT_INJUSTICE,
              Decision.CLOSED_NO_FURTHER_ACTION, Decision.UPHELD_SATISFACTORY_REMEDY)


def load_demo_ombudsman(ctx: ServiceContext, actor: Actor, today: date) -> int:
    """Add the demo cases unless the Ombudsman log already has some or ``actor`` may not edit it."""
    from riskdesk.services.ombudsman import OmbudsmanService

    with ctx.begin() as s:
        if not allows(ctx.user(s, actor).role, Permission.EDIT_COMPLAINTS):
            return 0
        if s.scalar(select(func.count()).select_from(OmbudsmanCase)):
            return 0
    om = OmbudsmanService(ctx)
    labels = dict(LGSCO_DEPARTMENTS)
    for i, dept in enumerate(_DEPTS):
        first = today - timedelta(days=360 - i * 12)
        group, procedure = _GROUPS[dept]
        d = om.create_case(actor, CaseDraft(
            reference=f"{first.year % 100:02d} {900 + i:03d} {100 + 7 * i:03d}", department=dept,
            first_enquiry_on=first, response_due_on=first + timedelta(days=28), service_group=group,
            procedure=procedure, complaint_ref=f"DEMO-{first.year}-{i + 1:04d}",
            summary=f"Fictional demo complaint about {group.lower()} ({labels[dept]}).",
            responded_on=first + timedelta(days=24) if first + timedelta(days=28) < today - timedelta(days=3)
            else None))
        if i == 27:  # one extension agreed with the Ombudsman, with its reason
            d = om.agree_extension(actor, d.row.id, new_due=first + timedelta(days=42),
                                   reason="Service records held by a contractor", agreed_on=first + timedelta(days=20),
                                   expected_version=d.row.version)
        decided = first + timedelta(days=150)
        if i >= len(_DECISIONS) * 2 or decided > today:
            continue
        decision = _DECISIONS[i % len(_DECISIONS)]
        d = om.record_decision(actor, d.row.id, decision=decision, decided_on=decided, expected_version=d.row.version)
        if decision.upheld:
            due = decided + timedelta(days=30)
            d = om.add_recommendation(actor, d.row.id, kind=RecommendationKind.PERSONAL_REMEDY,
                                      text="Apologise and pay a sum for the distress caused", due_on=due,
                                      expected_version=d.row.version)
            if due < today:
                d = om.record_compliance(actor, d.row.id, d.recommendations[0].id, completed_on=due - timedelta(days=5),
                                         expected_version=d.row.version)
            amount = 35_000 + 25_000 * (i % 4) if i != 8 else 650_000
            d = om.add_remedy(actor, d.row.id, amount_pence=amount, approved_on=decided + timedelta(days=10),
                              chair_consulted_on=decided + timedelta(days=7) if amount > 500_000 else None,
                              expected_version=d.row.version)
            om.add_recommendation(actor, d.row.id, kind=RecommendationKind.SERVICE_IMPROVEMENT,
                                  text="Remind officers of the statutory timescales", due_on=decided + timedelta(days=90),
                                  expected_version=d.row.version)
    return len(_DEPTS)
