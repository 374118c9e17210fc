"""Report cycles: defaults, presenting freezes the appendix for good, movements, Part A/B."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import AssessmentChange, NewRisk, RiskChange
from riskdesk.domain.scoring import Score
from riskdesk.domain.snapshot import Footnote
from riskdesk.models import ReportCycle
from riskdesk.services.cycles import SnapshotProblem

Q3 = Quarter(2023, 3)
Q4 = Quarter(2023, 4)


def _pdf(services, admin, cycle_id, part="A") -> bytes:
    buffer = io.BytesIO()
    services.cycles.write_appendix(admin, cycle_id, buffer, part=part)
    return buffer.getvalue()


def _text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def _row(services, admin, register_id, ref):
    return next(r for r in services.risks.list_risks(admin, register_id) if r.ref == ref)


def _november(services, admin):
    return next(c for c in services.cycles.list(admin) if c.meeting_date == date(2023, 11, 17))


def _present_november(services, admin):
    nov = _november(services, admin)
    return services.cycles.present(admin, nov.id, expected_version=nov.version)


def _add_risk(services, admin, register_id, ref="9.9", exempt=False, current=(5, 4)):
    cat = next(c for c in services.registers.list_categories(admin, register_id) if c.number == 9)
    row = services.risks.add_risk(admin, NewRisk(register_id, ref, f"If {ref} happens then trouble.",
                                                 category_id=cat.id, departments=("CR",), exempt=exempt))
    return services.risks.record_assessment(
        admin, row.id, Q4, AssessmentChange(Score(*current), Score(2, 2), Direction.DOWN, f"Update for {ref}."),
        expected_version=None)


def test_create_derives_title_heading_period_and_previous(published, admin, corporate_id):
    nov = _present_november(published, admin)
    jan = published.cycles.create(admin, date(2024, 1, 26))
    assert jan.title == "Corporate Risk Register Update (January 2024)"
    assert jan.update_heading == "Update December 2023"
    assert jan.meeting_title == "Corporate Governance Committee"
    assert jan.appendix_label == "Appendix A"
    assert jan.period == "2023Q3"  # the current reporting period setting
    assert jan.previous_id == nov.id and jan.status == "draft"
    assert published.cycles.create(admin, date(2024, 3, 8), title="Special", update_heading="Update Feb",
                                   register_id=corporate_id).title == "Special"


def test_create_refuses_a_duplicate_or_earlier_meeting(published, admin):
    with pytest.raises(ValidationError, match="already has a report cycle"):
        published.cycles.create(admin, date(2023, 11, 17))
    with pytest.raises(ValidationError, match="not after the last presented meeting"):
        published.cycles.create(admin, date(2023, 8, 1))


def test_presented_cycle_prints_the_same_bytes_whatever_happens_next(published, admin, corporate_id):
    nov = _present_november(published, admin)
    assert nov.status == "presented" and len(nov.snapshot_sha256) == 64
    first = _pdf(published, admin, nov.id)
    assert first == _pdf(published, admin, nov.id)

    # The register moves on: a new risk, an amended description, a new score, a removal.
    _add_risk(published, admin, corporate_id)
    r11 = _row(published, admin, corporate_id, "1.1")
    published.risks.amend_risk(admin, r11.id, RiskChange(description="If the MTFS fails then cuts follow.",
                                                         rationale="Simpler wording."), expected_version=r11.version)
    r17 = _row(published, admin, corporate_id, "1.7")
    published.risks.record_assessment(
        admin, r17.id, Q4, AssessmentChange(Score(4, 3), Score(4, 3), Direction.LEVEL, "Better."),
        expected_version=None)
    r95 = _row(published, admin, corporate_id, "9.5")
    published.risks.remove_risk(admin, r95.id, "Managed in the E&T register.", expected_version=r95.version,
                                removed_on=date(2023, 12, 1))
    published.cycles.set_wording(admin, footnotes=(Footnote("*", "New footnote wording."),),
                                 columns={"ref": "Risk No."})

    assert _pdf(published, admin, nov.id) == first
    assert "New footnote wording" not in _text(first)

    # …and the next draft shows all of it as movements since November.
    jan = published.cycles.create(admin, date(2024, 1, 26))
    moves = published.cycles.movements(admin, jan.id)
    assert moves.since == date(2023, 11, 17)
    assert [r.ref for r in moves.added] == ["9.9"]
    assert [(r.ref, r.reason, r.removed_on) for r in moves.removed] == [
        ("9.5", "Managed in the E&T register.", date(2023, 12, 1))]
    assert [(a.ref, a.rationale) for a in moves.amended] == [("1.1", "Simpler wording.")]
    assert moves.amended[0].change_from.startswith("If we fail to deliver the MTFS savings")
    assert [(c.ref, c.previous, c.current) for c in moves.score_changes] == [("1.7", 20, 12)]
    jan_text = _text(_pdf(published, admin, jan.id))
    assert "New footnote wording" in jan_text and "Risk No." in jan_text
    assert "Decreased from 20" in jan_text  # 1.7's note now comes from its history


def test_presenting_marks_risks_presented_audits_and_never_happens_twice(published, admin, corporate_id):
    new = _add_risk(published, admin, corporate_id)
    assert new.first_presented_on is None
    nov = _present_november(published, admin)
    assert published.risks.get(admin, new.id).first_presented_on == date(2023, 11, 17)
    trail = published.risks.audit_trail(admin, entity="report_cycle", entity_id=nov.id)
    assert trail[0].action == "cycle.present" and trail[0].changes["status"] == ["draft", "presented"]
    with pytest.raises(ValidationError, match="already presented"):
        published.cycles.present(admin, nov.id)


def test_stale_present_is_refused(published, admin):
    nov = _november(published, admin)
    with pytest.raises(StaleEdit):
        published.cycles.present(admin, nov.id, expected_version=nov.version + 1)
    assert _november(published, admin).status == "draft"


def test_only_the_risk_team_may_present(published, admin):
    published.registers.add_user(admin, "owner", "Risk Owner", role="risk_owner")
    with pytest.raises(PermissionDenied):
        published.cycles.present(Actor("owner"), _november(published, admin).id)


def test_an_unscored_risk_blocks_presenting(published, admin, corporate_id):
    published.risks.add_risk(admin, NewRisk(corporate_id, "9.8", "If unscored then unclear.", departments=("CR",)))
    nov = _november(published, admin)
    assert published.cycles.unscored(admin, nov.id) == ["9.8"]
    assert "9.8" not in [r.ref for r in published.cycles.preview_snapshot(admin, nov.id).risks()]
    with pytest.raises(SnapshotProblem, match=r"9\.8"):
        published.cycles.present(admin, nov.id)


def test_a_tampered_snapshot_is_detected(published, admin, db):
    nov = _present_november(published, admin)
    with db.sessions.begin() as s:
        s.execute(update(ReportCycle).where(ReportCycle.id == nov.id)
                  .values(snapshot_json=ReportCycle.snapshot_json + " "))
    with pytest.raises(ValidationError, match="SHA-256"):
        published.cycles.preview_snapshot(admin, nov.id)


def test_exempt_risks_stay_out_of_part_a_and_alone_in_part_b(published, admin, corporate_id):
    _present_november(published, admin)
    secret = _add_risk(published, admin, corporate_id, ref="9.7", exempt=True)
    published.risks.amend_risk(admin, secret.id, RiskChange(description="If the secret deal fails then loss."),
                               expected_version=secret.version)
    r94 = _row(published, admin, corporate_id, "9.4")
    r94 = published.risks.amend_risk(admin, r94.id, RiskChange(exempt=True), expected_version=r94.version)
    published.risks.amend_risk(admin, r94.id, RiskChange(description="If the confidential thing happens.",
                                                         rationale="Commercially sensitive."),
                               expected_version=r94.version)
    r95 = _row(published, admin, corporate_id, "9.5")
    r95 = published.risks.amend_risk(admin, r95.id, RiskChange(exempt=True), expected_version=r95.version)
    published.risks.remove_risk(admin, r95.id, "Closed in confidence.", expected_version=r95.version)
    jan = published.cycles.create(admin, date(2024, 1, 26))
    moves = published.cycles.movements(admin, jan.id)
    assert {r.ref for r in moves.added} == {"9.7"} and moves.added[0].exempt
    assert [(r.ref, r.exempt) for r in moves.amended] == [("9.4", True)]
    assert [(r.ref, r.exempt) for r in moves.removed] == [("9.5", True)]

    part_a = _text(_pdf(published, admin, jan.id, "A"))
    for secret_text in ("secret deal", "confidential thing", "Commercially sensitive", "Closed in confidence",
                        "9.7", "9.4 "):
        assert secret_text not in part_a
    assert "If there are significant changes / clarifications" not in part_a  # 9.5's description
    part_b = _text(_pdf(published, admin, jan.id, "B"))
    assert "confidential thing" in part_b and "9.7" in part_b and "NOT FOR PUBLICATION" in part_b
    assert "If the current cost of living crisis" not in part_b  # no public risk in Part B


def test_word_output_from_a_cycle(published, admin, tmp_path):
    nov = _present_november(published, admin)
    out = tmp_path / "appendix.docx"
    published.cycles.write_appendix(admin, nov.id, out, include_movements=True)
    from docx import Document

    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "Movements since the CRR was last presented" in text
    published.cycles.write_appendix(admin, nov.id, out)  # as published: no movements unless asked
    assert "Movements since" not in "\n".join(p.text for p in Document(str(out)).paragraphs)
    with pytest.raises(ValidationError, match="pdf or docx"):
        published.cycles.write_appendix(admin, nov.id, tmp_path / "appendix.odt")


def test_resolve_latest_and_bad_ids(published, admin):
    assert published.cycles.resolve(admin, "latest").meeting_date == date(2023, 11, 17)
    with pytest.raises(ValidationError):
        published.cycles.resolve(admin, "newest")
    from riskdesk.domain.errors import NotFound

    with pytest.raises(NotFound):
        published.cycles.resolve(admin, "999")


def test_first_cycle_of_an_empty_database_has_no_movements(services, admin):
    with pytest.raises(ValidationError, match="no corporate register"):
        services.cycles.create(admin, date(2024, 1, 26))
    services.registers.create_register(admin, "Corporate Risk Register", "corporate")
    row = services.cycles.create(admin, date(2024, 1, 26))
    assert row.previous_id is None
    assert services.cycles.movements(admin, row.id) is None
    services.cycles.present(admin, row.id)  # an empty register can still be presented
