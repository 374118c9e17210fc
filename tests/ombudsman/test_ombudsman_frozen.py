"""The Ombudsman report is frozen when presented (SPEC D.8, H.9 AC-Z01 for this report): the presented
year reprints byte for byte whatever later happens to the records, and the next year is a draft computed
from the records that reads last year's figures as presented."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from ombudsman_helpers import pdf_text
from sqlalchemy import select

from riskdesk.cli import run
from riskdesk.domain.errors import AlreadyDone, PermissionDenied, ValidationError
from riskdesk.domain.ombudsman import CaseDraft, Decision
from riskdesk.domain.register import Actor
from riskdesk.models import AuditEntry
from riskdesk.services import Services

pytestmark = pytest.mark.db

PRESENTED_ON = date(2024, 7, 1)


def _differing_bytes(a: Path, b: Path) -> int:
    x, y = a.read_bytes(), b.read_bytes()
    return sum(1 for p, q in zip(x, y, strict=False) if p != q) + abs(len(x) - len(y))


def _uphold_to_no_fault(services: Services, team: Actor) -> str:
    """Correct one 2023/24 maladministration-and-injustice decision to 'not upheld' (a record change
    after the committee saw the report)."""
    row = next(r for r in services.ombudsman.list_cases(team)
               if r.decision is Decision.UPHELD_FAULT_INJUSTICE and r.final_decision_on
               and date(2023, 4, 1) <= r.final_decision_on <= date(2024, 3, 31))
    services.ombudsman.record_decision(team, row.id, decision=Decision.NOT_UPHELD_NO_FAULT,
                                       decided_on=row.final_decision_on, expected_version=row.version)
    return row.reference


def test_presented_report_reprints_byte_for_byte_after_a_decision_changes(fx_lcc: Services, team: Actor,
                                                                         tmp_path: Path) -> None:
    om = fx_lcc.ombudsman
    digest = om.present(team, 2023, on=PRESENTED_ON)
    a_pdf, a_docx = tmp_path / "a.pdf", tmp_path / "a.docx"
    om.write_report(team, 2023, pdf=str(a_pdf), docx=str(a_docx))
    presented_text = pdf_text(str(a_pdf))
    assert "Twenty-seven cases of maladministration and injustice were found." in presented_text
    assert "Presented to the committee on 1 July 2024." in presented_text
    assert om.presentation(team, 2023) == (PRESENTED_ON, "cat", digest)

    _uphold_to_no_fault(fx_lcc, team)
    # The records now say 26; the presented report keeps saying what the committee was told.
    b_pdf, b_docx = tmp_path / "b.pdf", tmp_path / "b.docx"
    data = om.write_report(team, 2023, pdf=str(b_pdf), docx=str(b_docx), today=date(2025, 1, 1))
    changed = _differing_bytes(a_pdf, b_pdf) + _differing_bytes(a_docx, b_docx)
    print(f"bytes that differ between the presented report and its reprint (PDF + Word): {changed}")
    assert changed == 0
    assert a_pdf.read_bytes() == b_pdf.read_bytes() and a_docx.read_bytes() == b_docx.read_bytes()
    assert data.count(Decision.UPHELD_FAULT_INJUSTICE) == 27 and data.count(Decision.NOT_UPHELD_NO_FAULT) == 4

    # The audit trail records the presentation with the snapshot's hash.
    with fx_lcc.ctx.begin() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "ombudsman.present")).all()
        assert [(e.entity, e.user_login, e.label) for e in entries] == [("casework_report", "cat",
                                                                        "Ombudsman report 2023/24")]
        assert digest in str(entries[0].changes)


def test_the_next_year_is_a_draft_that_reflects_changes_and_restates_last_year(fx_lcc: Services, team: Actor,
                                                                              tmp_path: Path) -> None:
    om = fx_lcc.ombudsman
    om.present(team, 2023, on=PRESENTED_ON)
    before = pdf_text(str(om.write_report(team, 2024, pdf=str(tmp_path / "draft1.pdf")) and tmp_path / "draft1.pdf"))
    assert "Draft: not yet presented" in before
    assert "During the year 2024-25, the LGSCO made enquiries into 0 complaints." in before

    reference = _uphold_to_no_fault(fx_lcc, team)
    case = om.create_case(team, CaseDraft(reference="24 900 001", department="E&T",
                                          first_enquiry_on=date(2024, 5, 2), response_due_on=date(2024, 5, 30),
                                          service_group="Environment and Transport"))
    om.record_decision(team, case.row.id, decision=Decision.UPHELD_FAULT_INJUSTICE, decided_on=date(2024, 9, 2),
                       expected_version=case.row.version)
    draft = tmp_path / "draft2.pdf"
    data = om.write_report(team, 2024, pdf=str(draft))
    text = pdf_text(str(draft))
    # The new year's own figures come from the records as they are now …
    assert "During the year 2024-25, the LGSCO made enquiries into 1 complaints." in text
    assert "The LGSCO issued Final Decisions on 1 cases during the year." in text
    assert data.count(Decision.UPHELD_FAULT_INJUSTICE) == 1
    # … its comparison with 2023/24 is the presented figure, and the correction is named, not hidden.
    assert "decreased this year from 27 in 2023/24" in text
    assert ("restated: maladministration and injustice findings 27 as presented, 26 in the records now") in text
    assert "2023/24 figures are those of the 2023/24 report as presented on 1 July 2024" in text
    assert "Draft: not yet presented" in text
    print(f"corrected after presentation: case {reference}; 2023/24 presented 27, records now 26")


def test_presenting_twice_early_or_without_the_right_is_refused(fx_lcc: Services, team: Actor,
                                                               services: Services, admin: Actor) -> None:
    om = fx_lcc.ombudsman
    with pytest.raises(ValidationError, match="is not after the end of 2023/24"):
        om.present(team, 2023, on=date(2024, 3, 31))
    fx_lcc.registers.add_user(admin, "lee", "Lee Link", role="complaints_read")
    with pytest.raises(PermissionDenied):
        om.present(Actor("lee", "Lee Link"), 2023, on=PRESENTED_ON)
    om.present(team, 2023, on=PRESENTED_ON)
    with pytest.raises(AlreadyDone, match="already presented on 1 July 2024"):
        om.present(team, 2023, on=date(2024, 9, 1))
    # Refusals wrote nothing: one presentation, as first made.
    assert om.presentation(team, 2023)[0] == PRESENTED_ON  # type: ignore[index]


def test_present_and_reprint_from_the_command_line(db_url: str, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    def cli(*argv: str) -> int:
        return run(["--database", db_url, "--as", "tester", *argv])

    assert cli("ombudsman", "load-fx-lcc") == 0
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert cli("casework-report", "ombudsman", "--year", "23/24", "--present", "--on", "2024-07-01",
               "--pdf", str(a)) == 0
    out = capsys.readouterr().out
    assert "Presented: the Ombudsman report 2023/24 is frozen" in out and "82 decisions" in out
    assert cli("casework-report", "ombudsman", "--year", "23/24", "--present", "--on", "2024-07-02") != 0
    err = capsys.readouterr().err
    assert "already presented on 1 July 2024" in err and "Traceback" not in err
    assert cli("ombudsman", "report", "--year", "23/24", "--pdf", str(b)) == 0
    assert a.read_bytes() == b.read_bytes()


def test_last_years_compensation_is_read_from_its_presented_report(fx_lcc: Services, team: Actor,
                                                                  tmp_path: Path) -> None:
    """SPEC AC-L02 / A.7 I-4: the 2023/24 report's "a decrease from £68,945 in 2022/23" comes from the
    2022/23 report as presented (17 November 2023), even after a 2022/23 payment is added to the records;
    the seed's £40,750 is not reachable either way."""
    om = fx_lcc.ombudsman
    om.present(team, 2022, on=date(2023, 11, 17))
    row = next(r for r in om.list_cases(team)
               if r.final_decision_on and date(2022, 4, 1) <= r.final_decision_on <= date(2023, 3, 31))
    om.add_remedy(team, row.id, amount_pence=10_000, description="payment agreed after the committee met",
                  expected_version=row.version)
    pdf = tmp_path / "2023.pdf"
    data = om.write_report(team, 2023, pdf=str(pdf))
    text = pdf_text(str(pdf))
    assert data.prior_compensation_pence == 6_894_500
    assert ("Total compensation payments recommended by the Ombudsman this year amounted to £27,222.15 a decrease "
            "from £68,945 in 2022/23") in text
    assert "restated: compensation £68,945 as presented, £69,045 in the records now." in text
    assert "£40,750" not in text
