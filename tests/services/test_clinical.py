"""Clinical audits, visits, PGDs, the assurance summary and provider profiles through the service."""

import json
from datetime import date

import pytest

from riskdesk.domain.clinical import (
    ActionItem,
    AssuranceLine,
    AuditDraft,
    AuditKind,
    AuditStatus,
    PgdDraft,
    Rag,
    VisitDraft,
    WarningLevel,
)
from riskdesk.domain.errors import PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from tests.conftest import FIXTURES

Q3 = Quarter.parse("22/23 Q3")


@pytest.fixture
def sexual_health(services, admin):
    p = services.providers.add_provider(admin, "Midlands Partnership NHS Foundation Trust", "MPFT")
    return services.providers.add_service(admin, p.id, "Sexual Health", "Sexual health")


def test_audit_and_its_reaudit(services, admin, sexual_health):
    c = services.clinical
    first = c.add_audit(admin, AuditDraft(sexual_health.id, Q3, "Anogenital warts", standard_body="BASHH",
                                          status=AuditStatus.COMPLETE, rag=Rag.AMBER, findings="78% compliant",
                                          actions=(ActionItem("Retrain staff", "Lead nurse", date(2023, 3, 1)),),
                                          reaudit_due=date(2023, 12, 31)))
    assert first.provider_label == "Midlands Partnership NHS Foundation Trust (MPFT)"
    assert c.overview(admin, date(2024, 1, 10)).reaudits_due == 1
    again = c.add_audit(admin, AuditDraft(sexual_health.id, Quarter.parse("23/24 Q3"), "Re-audit of warts",
                                          AuditKind.RE_AUDIT, first.id, status=AuditStatus.IN_PROGRESS))
    assert again.previous_audit_title == "Anogenital warts"
    assert c.overview(admin, date(2024, 1, 10)).reaudits_due == 0  # the re-audit is recorded
    with pytest.raises(ValidationError, match="after the re-audit"):
        c.add_audit(admin, AuditDraft(sexual_health.id, Quarter.parse("21/22 Q1"), "Too early",
                                      AuditKind.RE_AUDIT, again.id))
    with pytest.raises(ValidationError, match="has a re-audit"):
        c.delete_audit(admin, first.id, expected_version=first.version)
    trail = services.risks.audit_trail(admin, entity="clinical_audit", entity_id=first.id)
    assert trail[-1].action == "clinical_audit.add" and trail[-1].changes["title"] == [None, "Anogenital warts"]


def test_changing_only_an_action_moves_the_version_and_stale_saves_are_refused(services, admin, sexual_health):
    c = services.clinical
    a = c.add_audit(admin, AuditDraft(sexual_health.id, Q3, "PEP", actions=(ActionItem("Audit notes"),)))
    done = AuditDraft(**{**a.draft().__dict__, "actions": (ActionItem("Audit notes", done=date(2023, 1, 5)),)})
    b = c.update_audit(admin, a.id, done, expected_version=a.version)
    assert b.version == a.version + 1 and b.actions[0].complete
    with pytest.raises(StaleEdit):
        c.update_audit(admin, a.id, a.draft(), expected_version=a.version)
    changes = services.risks.audit_trail(admin, entity="clinical_audit", entity_id=a.id)[0].changes
    assert changes == {"actions": [[["Audit notes", "", None, None]], [["Audit notes", "", None, "2023-01-05"]]]}


def test_quality_visit_with_actions(services, admin, sexual_health):
    c = services.clinical
    v = c.add_visit(admin, VisitDraft(sexual_health.id, date(2023, 5, 10), date(2023, 5, 12), "Head of Integration",
                                      "Service delivery in line with specification.", Rag.GREEN,
                                      (ActionItem("Update chaperone policy", "MPFT", date(2023, 7, 1)),),
                                      date(2024, 5, 1)))
    assert v.actions_complete is False
    assert c.overview(admin, date(2023, 8, 1)).overdue_actions == 1
    v2 = c.update_visit(admin, v.id, VisitDraft(**{**v.draft().__dict__, "actions": (
        ActionItem("Update chaperone policy", "MPFT", date(2023, 7, 1), date(2023, 6, 20)),)}),
        expected_version=v.version)
    assert v2.actions_complete is True and c.overview(admin, date(2023, 8, 1)).overdue_actions == 0


def test_pgd_warning_and_expired_everywhere(services, admin, sexual_health):
    c = services.clinical
    g = c.add_pgd(admin, PgdDraft(sexual_health.id, "Ulipristal (EHC)", "Ulipristal", "v3", date(2023, 8, 1),
                                  date(2024, 8, 1), date(2026, 2, 1)))
    ov = c.overview(admin, date(2026, 1, 5))
    assert [(row.name, alert.level) for row, alert in ov.pgd_alerts] == [("Ulipristal (EHC)", WarningLevel.PASSED)]
    assert ov.pgd_alerts[0][1].what == "review"
    ov = c.overview(admin, date(2026, 2, 2))
    assert ov.expired_pgds == 1
    profile = c.provider_profile(admin, sexual_health.provider_id, Quarter.of(date(2026, 2, 2)), date(2026, 2, 2))
    assert profile.pgds[0][1].expired
    with pytest.raises(StaleEdit):
        c.update_pgd(admin, g.id, g.draft(), expected_version=g.version + 5)


def test_permissions_checked(services, admin, sexual_health):
    services.registers.add_user(admin, "owner", "Ann Owner", role="risk_owner")
    services.registers.add_user(admin, "ia", "Internal Audit", role="auditor")
    with pytest.raises(PermissionDenied):
        services.clinical.list_audits(Actor("owner"))
    with pytest.raises(PermissionDenied):
        services.clinical.overview(Actor("owner"))
    assert services.clinical.list_pgds(Actor("ia")) == []
    with pytest.raises(PermissionDenied):
        services.clinical.add_pgd(Actor("ia"), PgdDraft(sexual_health.id, "X", expiry=date(2027, 1, 1)))
    with pytest.raises(PermissionDenied):
        services.clinical.create_summary(Actor("ia"), date(2023, 4, 1), date(2024, 3, 31), lines=[])


def test_profile_without_and_with_the_si_log(services, admin, sexual_health):
    from riskdesk.services.clinical import ClinicalService

    c = ClinicalService(services.ctx)  # no SI log wired in
    c.add_visit(admin, VisitDraft(sexual_health.id, date(2022, 11, 10), date(2022, 11, 11), rag=Rag.AMBER))
    profile = c.provider_profile(admin, sexual_health.provider_id, Q3, date(2023, 2, 1))
    assert profile.serious_incidents is None  # "not available"
    assert profile.last_visit is not None and profile.last_visit.rag is Rag.AMBER
    asked = []

    def counts(start, end):
        asked.append((start, end))
        return {sexual_health.provider_id: 2}

    c.si_counts = counts
    profile = c.provider_profile(admin, sexual_health.provider_id, Q3, date(2023, 2, 1))
    assert profile.serious_incidents == 2
    assert asked[0] == (date(2022, 10, 1), date(2022, 12, 31))
    lines = c.draft_assurance(admin, date(2022, 10, 1), date(2023, 9, 30))
    si = [x for x in lines if x.heading == "Serious Incidents (SIs)"]
    assert si and si[0].assurance.startswith("2 serious incidents reported October 2022 – September 2023")
    visits = [x for x in lines if x.heading == "Quality Visits"]
    assert "Quality visit on 11 November 2022, rated amber" in visits[0].assurance


def test_published_appendix_c_pgds_and_table1_load(services, admin):
    r = services.clinical.load_published(admin, FIXTURES)
    assert (r.audits, r.re_audits, r.pgds, r.assurance_lines) == (8, 3, 2, 23)
    audits = services.clinical.list_audits(admin)
    assert [a.quarter.label for a in audits] == ["22/23 Q3"] * 5 + ["23/24 Q1"] * 2 + ["23/24 Q2"]
    assert {a.provider_label for a in audits} == {"Midlands Partnership NHS Foundation Trust (MPFT)"}
    assert [a.standard_body for a in audits[:3]] == ["", "BASHH", "BASHH"]
    summary = services.clinical.list_summaries(admin)[0]
    table1 = json.loads((FIXTURES / "clinical-governance-table1.json").read_text(encoding="utf-8"))["rows"]
    assert [(x.heading, x.area, x.assurance) for x in summary.lines] == [
        (r["heading"], r["area"], r["assurance"]) for r in table1]
    # Round trip: save the 23 rows back as edited, read them again.
    edited = [*summary.lines[:-1], AssuranceLine(summary.lines[-1].heading, summary.lines[-1].area, "Edited.")]
    saved = services.clinical.save_summary(admin, summary.id, edited, expected_version=summary.version)
    again = services.clinical.get_summary(admin, summary.id)
    assert again == saved and len(again.lines) == 23 and again.lines[-1].assurance == "Edited."
    assert [x.heading for x in again.lines] == [r["heading"] for r in table1]
    with pytest.raises(StaleEdit):
        services.clinical.save_summary(admin, summary.id, summary.lines, expected_version=summary.version)
    with pytest.raises(ValidationError, match="already loaded"):
        services.clinical.load_published(admin, FIXTURES)
    assert len(services.clinical.list_audits(admin)) == 8  # the refused second load added nothing


def test_summary_prefilled_and_validated(services, admin, sexual_health):
    c = services.clinical
    c.add_audit(admin, AuditDraft(sexual_health.id, Q3, "Chlamydia Management", status=AuditStatus.COMPLETE))
    c.add_audit(admin, AuditDraft(sexual_health.id, Q3, "Planned one", status=AuditStatus.PLANNED))
    m = c.create_summary(admin, date(2022, 10, 1), date(2023, 9, 30))
    assert m.label == "October 2022 – September 2023"
    audits = [x for x in m.lines if x.heading == "Clinical Audits"]
    assert audits[0].assurance == "1 clinical audit completed: Chlamydia Management (22/23 Q3)."
    with pytest.raises(ValidationError, match="already has"):
        c.create_summary(admin, date(2022, 10, 1), date(2023, 9, 30))
    with pytest.raises(ValidationError, match="row 1 heading"):
        c.save_summary(admin, m.id, [AssuranceLine(" ", "x", "y")], expected_version=m.version)
    with pytest.raises(ValidationError, match="ends before"):
        c.create_summary(admin, date(2023, 10, 1), date(2023, 9, 30))
