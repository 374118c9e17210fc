"""The rules the Code and the regulations set, enforced by the complaints service: each refusal
is a clear sentence and changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from riskdesk.domain.complaints import (
    Acceptance,
    ClockBand,
    ComplainantData,
    ComplaintDraft,
    ContactDraft,
    ContactKind,
    EnquiryCategory,
    ExclusionReason,
    Outcome,
    Procedure,
    RemedyKind,
)
from riskdesk.domain.errors import PermissionDenied, StaleEdit, ValidationError

from .conftest import Team

TODAY = date(2024, 5, 1)


def _new(team: Team, received: date = date(2024, 4, 2), **kw):  # type: ignore[no-untyped-def]
    d = ComplaintDraft(procedure=kw.pop("procedure", Procedure.CORPORATE), received_on=received,
                       service=kw.pop("service", "SEN Assessment"), summary="Late EHCP assessment",
                       handler=kw.pop("handler", "Ann Smith"), **kw)
    return team.services.complaints.log_complaint(team.team, d, today=TODAY)


def test_a_corporate_complaint_gets_the_code_clocks_and_explains_them(team: Team) -> None:
    c = _new(team)
    assert c.row.reference == "CC-2024-00001"
    assert c.row.service == "SENA"  # logged under its alias, stored under the service
    assert c.row.department == "CFS"
    assert c.rule_set == "RS-CODE-2024"  # chosen by the receipt date
    s1 = c.stages[0]
    assert s1.ack_due == date(2024, 4, 9)
    # Not yet acknowledged: the response clock runs from the acknowledgement due date.
    assert s1.due == date(2024, 4, 23)
    assert s1.max_due == date(2024, 5, 8)
    assert any(line.startswith("day 0:") and "acknowledgement due date" in line for line in s1.why)
    assert any("06 May 2024" in line or "6 May 2024" in line for line in s1.why)  # the bank holiday, by name


def test_stage_2_handler_must_not_be_the_stage_1_handler(team: Team) -> None:
    svc = team.services.complaints
    c = _new(team)
    c = svc.respond(team.team, c.row.id, 1, responded_on=date(2024, 4, 20), outcome=Outcome.NOT_UPHELD,
                    handler="Ann Smith", expected_version=c.row.version, today=TODAY)
    with pytest.raises(ValidationError, match=r"must not be the same person that considered it at stage 1 \(Code 6.17\)"):
        svc.escalate(team.team, c.row.id, requested_on=date(2024, 4, 25), handler="ann  SMITH",
                     expected_version=c.row.version, today=TODAY)
    c = svc.escalate(team.team, c.row.id, requested_on=date(2024, 4, 25), handler="",
                     expected_version=c.row.version, today=TODAY)
    with pytest.raises(ValidationError, match=r"Code 6\.17"):
        svc.respond(team.team, c.row.id, 2, responded_on=date(2024, 5, 10), outcome=Outcome.FAULT_FOUND,
                    handler="Ann Smith", expected_version=c.row.version, today=TODAY)
    c = svc.respond(team.team, c.row.id, 2, responded_on=date(2024, 5, 10), outcome=Outcome.FAULT_FOUND,
                    handler="Director Bob", expected_version=c.row.version, today=TODAY)
    assert c.row.outcome is Outcome.FAULT_FOUND  # the last stage decides (Code 6.22)


@pytest.mark.parametrize("said", ["partially upheld", "Partly upheld", "partially_upheld"])
def test_partially_upheld_is_not_an_outcome(team: Team, said: str) -> None:
    c = _new(team)
    with pytest.raises(ValidationError, match="there is no \"partially upheld\""):
        team.services.complaints.respond(team.team, c.row.id, 1, responded_on=date(2024, 4, 20), outcome=said,
                                         handler="Ann Smith", expected_version=c.row.version, today=TODAY)
    assert team.services.complaints.get(team.team, c.row.id, today=TODAY).stages[0].outcome is None
    assert {o.label for o in Outcome} == {"Fault Found", "Not Upheld", "No finding", "Withdrawn"}


def test_extension_refusals_and_the_band_outside_the_timescale(team: Team) -> None:
    svc = team.services.complaints
    c = _new(team)
    v = c.row.version
    base = dict(new_due=date(2024, 5, 3), communicated_on=date(2024, 4, 18), expected_version=v, today=TODAY)
    refused = 0
    with pytest.raises(ValidationError, match="extension reason: '' is required"):
        svc.extend(team.team, c.row.id, 1, reason=" ", ombudsman_details_given=True, **base)
    refused += 1
    with pytest.raises(ValidationError, match=r"Ombudsman's contact details \(Code 6.5\)"):
        svc.extend(team.team, c.row.id, 1, reason="Waiting for the school's records", ombudsman_details_given=False,
                   **base)
    refused += 1
    beyond = dict(base, new_due=date(2024, 5, 20))
    with pytest.raises(ValidationError, match=r"beyond the most the rules allow \(08 May 2024\)"):
        svc.extend(team.team, c.row.id, 1, reason="Waiting for records", ombudsman_details_given=True, **beyond)
    refused += 1
    print(f"extensions refused: {refused}; extensions recorded: "
          f"{len(svc.get(team.team, c.row.id, today=TODAY).stages[0].extensions)}")
    assert svc.get(team.team, c.row.id, today=TODAY).stages[0].extensions == ()
    c = svc.extend(team.team, c.row.id, 1, reason="Waiting for records", ombudsman_details_given=True, **base)
    assert c.stages[0].due == date(2024, 5, 3)
    assert c.stages[0].base_due == date(2024, 4, 23)
    # 1 May: past the Code's 10 working days, within the extension.
    assert c.row.band is ClockBand.EXTENDED
    later = svc.extend(team.team, c.row.id, 1, new_due=date(2024, 5, 20), reason="Further records",
                       communicated_on=date(2024, 5, 1), ombudsman_details_given=True,
                       good_reason="Independent legal advice needed", expected_version=c.row.version, today=TODAY)
    assert later.stages[0].due == date(2024, 5, 20)
    assert any("beyond the maximum" in line for line in later.stages[0].why)


def test_safeguarding_and_reasonless_exclusions_are_refused(team: Team) -> None:
    svc = team.services.complaints
    c = _new(team, safeguarding=True)
    with pytest.raises(ValidationError, match=r"flagged safeguarding.*\(2.3\)"):
        svc.set_acceptance(team.team, c.row.id, Acceptance.NOT_ACCEPTED, exclusion_reason=ExclusionReason.LEGAL_PROCEEDINGS,
                           exclusion_evidence="Court date set", expected_version=c.row.version, today=TODAY)
    h = _new(team, health_and_safety=True)
    with pytest.raises(ValidationError, match="flagged health and safety"):
        svc.set_acceptance(team.team, h.row.id, Acceptance.NOT_ACCEPTED, exclusion_reason=ExclusionReason.LEGAL_PROCEEDINGS,
                           exclusion_evidence="Court date set", expected_version=h.row.version, today=TODAY)
    plain = _new(team)
    with pytest.raises(ValidationError, match="exclusion reason: '' is required"):
        svc.set_acceptance(team.team, plain.row.id, Acceptance.NOT_ACCEPTED, exclusion_evidence="x",
                           expected_version=plain.row.version, today=TODAY)
    with pytest.raises(ValidationError, match="exclusion evidence"):
        svc.set_acceptance(team.team, plain.row.id, Acceptance.NOT_ACCEPTED,
                           exclusion_reason=ExclusionReason.LEGAL_PROCEEDINGS, expected_version=plain.row.version,
                           today=TODAY)
    done = svc.set_acceptance(team.team, plain.row.id, Acceptance.NOT_ACCEPTED,
                              exclusion_reason=ExclusionReason.LEGAL_PROCEEDINGS, exclusion_evidence="Claim issued",
                              expected_version=plain.row.version, today=TODAY)
    assert done.row.band is ClockBand.NOT_ACCEPTED
    assert svc.get(team.team, c.row.id, today=TODAY).row.acceptance is Acceptance.ACCEPTED


def test_the_twelve_month_limit_is_computed(team: Team) -> None:
    svc = team.services.complaints
    c = _new(team)
    with pytest.raises(ValidationError, match=r"within 12 months \(the limit is 14 Feb 2025\)"):
        svc.set_acceptance(team.team, c.row.id, Acceptance.NOT_ACCEPTED, issue_on=date(2024, 2, 15),
                           exclusion_reason=ExclusionReason.OUT_OF_TIME, exclusion_evidence="old",
                           expected_version=c.row.version, today=TODAY)
    with pytest.raises(ValidationError, match=r"after the 12-month limit \(01 Mar 2024\)"):
        svc.set_acceptance(team.team, c.row.id, Acceptance.ACCEPTED, issue_on=date(2023, 3, 2),
                           expected_version=c.row.version, today=TODAY)
    ok = svc.set_acceptance(team.team, c.row.id, Acceptance.ACCEPTED, issue_on=date(2023, 3, 2),
                            out_of_time_reason="Complainant was in hospital", expected_version=c.row.version,
                            today=TODAY)
    assert ok.time_limit == date(2024, 3, 1)


def test_a_stale_edit_is_refused(team: Team) -> None:
    svc = team.services.complaints
    c = _new(team)
    svc.acknowledge(team.team, c.row.id, 1, date(2024, 4, 3), expected_version=c.row.version, today=TODAY)
    with pytest.raises(StaleEdit, match="changed by someone else"):
        svc.respond(team.team, c.row.id, 1, responded_on=date(2024, 4, 10), outcome="Not Upheld",
                    handler="Ann Smith", expected_version=c.row.version, today=TODAY)


def test_service_request_becomes_a_complaint_by_recorded_conversion(team: Team) -> None:
    svc = team.services.complaints
    sr = svc.log_contact(team.team, ContactDraft(ContactKind.SERVICE_REQUEST, date(2024, 4, 2),
                                                 service="Highway Maintenance", summary="Pothole on Main St"))
    assert sr.category is EnquiryCategory.SERVICE_REQUEST
    c = svc.convert_to_complaint(team.team, sr.id, dissatisfied_on=date(2024, 4, 20), expected_version=sr.version,
                                 today=TODAY)
    assert c.converted_from == sr.reference
    assert c.row.received_on == date(2024, 4, 20)
    assert c.row.service == "Highway Repair and Maintenance"
    again = svc.list_contacts(team.team, kind=ContactKind.SERVICE_REQUEST)
    assert [x.converted_to for x in again] == [c.row.reference]  # still counted as a service request
    with pytest.raises(ValidationError, match="already converted"):
        svc.convert_to_complaint(team.team, sr.id, dissatisfied_on=date(2024, 4, 21), expected_version=sr.version)


def test_remedies_are_tracked_after_the_response(team: Team) -> None:
    svc = team.services.complaints
    c = _new(team)
    c = svc.respond(team.team, c.row.id, 1, responded_on=date(2024, 4, 12), outcome="Fault Found",
                    handler="Ann Smith", expected_version=c.row.version, today=TODAY)
    c = svc.add_remedy(team.team, c.row.id, RemedyKind.APOLOGY, "Written apology", due_on=date(2024, 4, 19),
                       expected_version=c.row.version, today=TODAY)
    assert c.resolved_on == date(2024, 4, 12) and c.closed_on is None
    c = svc.complete_remedy(team.team, c.row.id, c.remedies[0].id, done_on=date(2024, 4, 18),
                            expected_version=c.row.version, today=TODAY)
    assert c.closed_on == date(2024, 4, 18)


def test_personal_data_is_restricted_and_audited_as_hashes(team: Team) -> None:
    svc = team.services.complaints
    c = _new(team)
    svc.set_complainant(team.team, c.row.id, ComplainantData(name="Jane Doe", email="jane@example.org",
                                                             disclosed_disability="Deaf; BSL interpreter"),
                        today=TODAY)
    assert svc.complainant(team.team, c.row.id).name == "Jane Doe"
    with pytest.raises(PermissionDenied):
        svc.complainant(team.link, c.row.id)  # link officers see case facts only
    with pytest.raises(PermissionDenied):
        svc.complainant(team.auditor, c.row.id)
    with pytest.raises(PermissionDenied):
        svc.list_complaints(team.owner)
    assert svc.list_complaints(team.link, today=TODAY)[0].reference == c.row.reference
    from riskdesk.models import AuditEntry

    with team.services.db.sessions() as s:
        trail = " ".join(str(e.changes) + e.note for e in s.query(AuditEntry).all())
    leaked = sum(trail.count(v) for v in ("Jane Doe", "jane@example.org", "BSL interpreter"))
    print(f"personal values found in the audit trail: {leaked}")
    assert leaked == 0
    assert "sha256:" in trail


def test_retention_deletes_old_personal_data_and_reports_it(team: Team) -> None:
    svc = team.services.complaints
    old = _new(team, received=date(2017, 5, 2))
    svc.set_complainant(team.team, old.row.id, ComplainantData(name="Old Person", phone="0116 000"),
                        today=date(2017, 5, 2))
    new = _new(team)
    svc.set_complainant(team.team, new.row.id, ComplainantData(name="New Person"), today=TODAY)
    dry = svc.delete_expired_personal_data(team.team, today=TODAY, dry_run=True)
    assert (dry.complainants, dry.fields, dry.references) == (1, 2, (old.row.reference,))
    assert svc.complainant(team.team, old.row.id) is not None
    report = svc.delete_expired_personal_data(team.team, today=TODAY, dry_run=False)
    print(report.text)
    assert "deleted 1 complainant record(s), 2 filled field(s)" in report.text
    assert svc.complainant(team.team, old.row.id) is None
    assert svc.complainant(team.team, new.row.id).name == "New Person"
    assert svc.get(team.team, old.row.id, today=TODAY).row.summary == "Late EHCP assessment"  # facts stay
    with pytest.raises(PermissionDenied):
        svc.delete_expired_personal_data(team.link, today=TODAY, dry_run=False)


def test_asc_and_csc_clocks(team: Team) -> None:
    svc = team.services.complaints
    a = _new(team, received=date(2023, 6, 1), procedure=Procedure.ASC, service="")
    assert a.stages[0].due == date(2023, 11, 30)  # six months beginning with the day of receipt
    k = _new(team, received=date(2023, 6, 1), procedure=Procedure.CSC, service="")
    assert (k.stages[0].due, k.stages[0].max_due) == (date(2023, 6, 15), date(2023, 6, 29))
    with pytest.raises(ValidationError, match="procedure has 1 stage"):
        a = svc.respond(team.team, a.row.id, 1, responded_on=date(2023, 6, 20), outcome="Not Upheld",
                        handler="X", expected_version=a.row.version)
        svc.escalate(team.team, a.row.id, requested_on=date(2023, 7, 1), handler="Y", expected_version=a.row.version)
