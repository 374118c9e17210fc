"""The daily "due in the next N days" list (002:126-138) and the Code self-assessment (SPEC H.6)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ombudsman_helpers import pdf_text

from riskdesk.domain.errors import AlreadyDone, ValidationError
from riskdesk.domain.ombudsman import CaseDraft, Comply, Decision, RecommendationKind
from riskdesk.domain.register import Actor
from riskdesk.services import Services


def test_due_list_holds_replies_and_recommendations_due_within_n_days(services: Services, team: Actor) -> None:
    om = services.ombudsman
    soon = om.create_case(team, CaseDraft("24 001 001", "CFS", date(2024, 5, 1), date(2024, 5, 29)))
    om.create_case(team, CaseDraft("24 001 002", "A&C", date(2024, 5, 2), date(2024, 7, 1)))  # not yet due
    late = om.create_case(team, CaseDraft("24 001 003", "E&T", date(2024, 4, 2), date(2024, 4, 30)))
    answered = om.create_case(team, CaseDraft("24 001 004", "E&T", date(2024, 4, 3), date(2024, 5, 28),
                                              responded_on=date(2024, 5, 20)))
    d = om.record_decision(team, answered.row.id, decision=Decision.UPHELD_FAULT_INJUSTICE,
                           decided_on=date(2024, 5, 21), expected_version=answered.row.version)
    om.add_recommendation(team, d.row.id, kind=RecommendationKind.SERVICE_IMPROVEMENT,
                          text="Remind staff of the transport appeal process", due_on=date(2024, 6, 3),
                          expected_version=d.row.version)
    lines = om.due(team, 10, today=date(2024, 5, 24))
    assert [(x.reference, x.due_on, x.overdue) for x in lines] == [
        ("24 001 003", date(2024, 4, 30), True),
        ("24 001 001", date(2024, 5, 29), False),
        ("24 001 004", date(2024, 6, 3), False),
    ]
    assert lines[2].what.startswith("recommendation: Remind staff")
    assert [x.reference for x in om.due(team, 0, today=date(2024, 5, 24))] == ["24 001 003"]
    with pytest.raises(ValidationError):
        om.due(team, -1)
    assert late.row.next_due_on == date(2024, 4, 30) and soon.row.next_due_what == "reply to the Ombudsman"


def test_self_assessment_template_prefilled_printed_and_frozen(fx_lcc: Services, team: Actor,
                                                               tmp_path: Path) -> None:
    sa = fx_lcc.self_assessment.start(team, 2023)
    assert len(sa.rows) == 72  # AC-SA01: the draft template's 72 requirement rows
    refs = [r.code_ref for r in sa.rows]
    assert refs[:4] == ["1.2/ 1.4", "1.3", "1.5", "2.1"] and refs.count("6.1") == 2 and refs[-1] == "9.8"
    by_ref = {r.code_ref: r for r in sa.rows}
    assert by_ref["6.8"].evidence == "No 'partially upheld' outcome can be recorded (enforced by riskdesk)."
    assert "Ombudsman enquiries in 2023/24: 83" in by_ref["4.1"].evidence
    with pytest.raises(ValidationError, match="comply or explain"):
        fx_lcc.self_assessment.update_row(team, sa.id, by_ref["5.2"].id, comply=Comply.NO, explanation="",
                                          evidence="", target_date=None, expected_version=sa.version)
    sa2 = fx_lcc.self_assessment.update_row(team, sa.id, by_ref["5.2"].id, comply=Comply.NO,
                                            explanation="Stage 0 informal resolution to be removed",
                                            evidence="", target_date=date(2024, 9, 30), expected_version=sa.version)
    assert sa2.version != sa.version
    presented = fx_lcc.self_assessment.present(team, sa.id, presented_on=date(2024, 5, 20),
                                               expected_version=sa2.version)
    assert presented.frozen
    with pytest.raises(AlreadyDone, match="frozen"):
        fx_lcc.self_assessment.update_row(team, sa.id, by_ref["5.3"].id, comply=Comply.YES, explanation="",
                                          evidence="", target_date=None, expected_version=presented.version)
    pdf = tmp_path / "sa.pdf"
    fx_lcc.self_assessment.write(team, 2023, pdf=str(pdf))
    text = pdf_text(str(pdf))
    assert "Presented on 20 May 2024" in text
    assert "Code section Code requirement Comply: Yes/No Explanations and Commentary Evidence" in text
    assert "Stage 0 informal resolution to be removed Date to comply: 30/09/2024" in pdf_text(str(pdf), layout=False)
    assert "Section 9 – Scrutiny & oversight: Continuous learning and improvement" in text
