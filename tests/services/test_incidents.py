"""The SI log service: permissions, audit, stale edits, PID refusal, workflow, monthly review, report data."""

from datetime import date

import pytest
from si_world import draft, make_world, monthly_fixture

from riskdesk.domain.errors import PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.incidents import (
    ActionDraft,
    ClockBand,
    ClockKind,
    Framework,
    PidWarning,
    Status,
)
from riskdesk.domain.register import Actor

TODAY = date(2023, 6, 15)


@pytest.fixture
def world(services, admin):
    return make_world(services, admin)


def test_log_an_si_gets_a_reference_clocks_and_an_audit_entry(services, admin, world):
    d = services.incidents.save(admin, draft(world, date(2023, 5, 5), external_ref="2023/12345"), today=TODAY)
    assert d.row.reference == "SI-2023-001"
    assert d.row.provider_name == "TP" and d.row.status is Status.REPORTED
    clocks = {c.kind: c for c in d.row.clocks}
    assert clocks[ClockKind.STEIS].due == date(2023, 5, 10)  # skips the coronation bank holiday
    assert clocks[ClockKind.STEIS].band is ClockBand.OVERDUE
    assert d.row.overdue
    trail = services.risks.audit_trail(admin, entity="serious_incident", entity_id=d.id)
    assert trail[0].action == "incident.add" and trail[0].changes["external_ref"] == [None, "2023/12345"]
    second = services.incidents.save(admin, draft(world, date(2023, 5, 9)), today=TODAY)
    assert second.row.reference == "SI-2023-002"


def test_full_workflow_actions_review_extension_and_closure(services, admin, world):
    si = services.incidents.save(admin, draft(world, date(2023, 3, 1), steis_reported_on=date(2023, 3, 2),
                                              initial_review_on=date(2023, 3, 3)), today=TODAY)
    si = services.incidents.set_status(admin, si.id, Status.UNDER_INVESTIGATION, expected_version=si.version,
                                       today=TODAY)
    si = services.incidents.add_action(admin, si.id, ActionDraft(None, "Refresh naloxone training", "Service manager",
                                                                  date(2023, 6, 1)), expected_version=si.version,
                                       today=TODAY)
    assert si.row.open_actions == 1 and si.row.overdue_actions == 1
    si = services.incidents.add_review(admin, si.id, date(2023, 6, 14), "PH lead", "Chased the report.",
                                       expected_version=si.version, today=TODAY)
    old_due = {c.kind: c for c in si.row.clocks}[ClockKind.REPORT].due
    with pytest.raises(ValidationError, match="reason"):
        services.incidents.extend(admin, si.id, date(2023, 7, 31), "", expected_version=si.version)
    si = services.incidents.extend(admin, si.id, date(2023, 7, 31), "Awaiting coroner's findings",
                                   expected_version=si.version, today=TODAY)
    report = {c.kind: c for c in si.row.clocks}[ClockKind.REPORT]
    assert report.due == date(2023, 7, 31) and report.extended and report.band is ClockBand.ON_TRACK
    assert si.extensions[0].previous_due == old_due and si.extensions[0].recorded_by == "tester"
    for step in (Status.REPORT_RECEIVED, Status.ACTION_PLAN):
        si = services.incidents.set_status(admin, si.id, step, expected_version=si.version, on=date(2023, 7, 10),
                                           today=TODAY)
    with pytest.raises(ValidationError, match="action 1 is still open"):
        services.incidents.set_status(admin, si.id, Status.CLOSED, expected_version=si.version)
    si = services.incidents.complete_action(admin, si.id, si.actions[0].id, date(2023, 7, 20),
                                            expected_version=si.version, today=TODAY)
    si = services.incidents.set_status(admin, si.id, Status.CLOSED, expected_version=si.version,
                                       on=date(2023, 8, 1), today=TODAY)
    assert si.row.status is Status.CLOSED and si.row.closed_on == date(2023, 8, 1)
    assert all(c.band is ClockBand.MET for c in si.row.clocks) and not si.row.overdue
    assert len(si.reviews) == 1 and si.reviews[0].notes == "Chased the report."
    actions = [e.action for e in services.risks.audit_trail(admin, entity="serious_incident", entity_id=si.id)]
    assert actions.count("incident.extend") == 1 and actions[-1] == "incident.add"


def test_skipping_a_status_is_refused(services, admin, world):
    si = services.incidents.save(admin, draft(world, date(2023, 3, 1)))
    with pytest.raises(ValidationError, match="cannot follow Reported"):
        services.incidents.set_status(admin, si.id, Status.ACTION_PLAN, expected_version=si.version)


def test_stale_edit_is_refused_including_child_only_edits(services, admin, world):
    si = services.incidents.save(admin, draft(world, date(2023, 3, 1)))
    services.incidents.add_review(admin, si.id, date(2023, 3, 5), "A", "First look", expected_version=si.version)
    with pytest.raises(StaleEdit):
        services.incidents.save(admin, si.to_draft().with_(category="Other"), expected_version=si.version)
    assert services.incidents.get(admin, si.id).row.category == "Drug-related death"


def test_pid_refused_unless_confirmed(services, admin, world):
    d = draft(world, date(2023, 3, 1), description="Client 943 476 5919 found unresponsive")
    with pytest.raises(PidWarning) as err:
        services.incidents.save(admin, d)
    assert err.value.findings[0].field == "description" and err.value.findings[0].text == "943 476 5919"
    assert services.incidents.list_incidents(admin) == []
    si = services.incidents.save(admin, d, confirm_no_pid=True)
    trail = services.risks.audit_trail(admin, entity="serious_incident", entity_id=si.id)
    assert "not patient data" in trail[0].note
    # Text already confirmed is not flagged again; new text is.
    si = services.incidents.add_review(admin, si.id, date(2023, 3, 2), "PH", "Reviewed", expected_version=si.version)
    with pytest.raises(PidWarning, match="date of birth"):
        services.incidents.add_review(admin, si.id, date(2023, 3, 2), "PH", "Client DOB 12/03/1984",
                                      expected_version=si.version)


def test_service_must_belong_to_provider(services, admin, world):
    with pytest.raises(ValidationError, match="not a service of the chosen provider"):
        services.incidents.save(admin, draft(world, date(2023, 3, 1)).with_(service_id=world.mpft_service))


def test_access_by_role(services, admin, world):
    si = services.incidents.save(admin, draft(world, date(2023, 3, 1)))
    services.registers.add_user(admin, "owner", "Ann Owner", role="risk_owner")
    services.registers.add_user(admin, "audit", "Ivor Auditor", role="auditor")
    services.registers.add_user(admin, "ph", "Pat Health", role="public_health")
    with pytest.raises(PermissionDenied):
        services.incidents.list_incidents(Actor("owner"))
    with pytest.raises(PermissionDenied):
        services.incidents.get(Actor("owner"), si.id)
    assert len(services.incidents.list_incidents(Actor("audit"))) == 1
    with pytest.raises(PermissionDenied):
        services.incidents.add_review(Actor("audit"), si.id, date(2023, 3, 2), "x", "y", expected_version=si.version)
    services.incidents.add_review(Actor("ph"), si.id, date(2023, 3, 2), "Pat", "Reviewed", expected_version=si.version)


def test_risk_links(published, admin, corporate_id):
    world = make_world(published, admin)
    risks = published.incidents.linkable_risks(admin)
    assert risks and risks[0].register_name
    si = published.incidents.save(admin, draft(world, date(2023, 3, 1)).with_(risk_ids=(risks[0].risk_id,)))
    assert [r.risk_id for r in si.risks] == [risks[0].risk_id]
    si = published.incidents.save(admin, si.to_draft().with_(risk_ids=()), expected_version=si.version)
    assert si.risks == ()
    with pytest.raises(ValidationError, match="linked risk"):
        published.incidents.save(admin, si.to_draft().with_(risk_ids=(999999,)), expected_version=si.version)


def _load_fixture_months(services, admin, world):
    """One SI per reported incident in the published Table 2, spread over the providers."""
    providers = ["tp", "tp", "mpft", "lpt"]
    n = 0
    for row in monthly_fixture():
        if row["row_type"] != "month":
            continue
        year, month = map(int, row["month_iso"].split("-"))
        for i in range(int(row["serious_incidents_reported"])):
            reported = date(year, month, min(1 + 3 * i, 28))
            services.incidents.save(admin, draft(world, reported, provider=providers[n % 4],
                                                 framework=Framework.PSIRF if n % 3 else Framework.SIF_2015,
                                                 reference=f"T2-{n:03d}"))
            n += 1
    return n


def test_two_period_table_reproduces_the_annual_report(services, admin, world):
    assert _load_fixture_months(services, admin, world) == 58
    data = services.incidents.report_data(admin, (2022, 10), (2023, 9), today=date(2023, 10, 1))
    expected = {}
    totals = {}
    for row in monthly_fixture():
        if row["row_type"] == "month":
            expected[row["month_iso"]] = int(row["serious_incidents_reported"])
        else:
            totals[row["source_column"]] = int(row["serious_incidents_reported"])
    got = {f"{y}-{m:02d}": n for (y, m), n in data.period1.months + data.period2.months}
    assert got == expected
    assert [m for m, _ in data.period2.months][2] == (2022, 12)  # the source's "December 2023"
    assert (data.period1.total, data.period2.total) == (totals["1"], totals["2"]) == (31, 27)
    assert data.period1.label == "October 2021 – September 2022"


def test_monthly_review_lists_open_due_and_overdue(services, admin, world):
    a = services.incidents.save(admin, draft(world, date(2023, 6, 1), steis_reported_on=date(2023, 6, 2),
                                             initial_review_on=date(2023, 6, 2)), today=TODAY)
    b = services.incidents.save(admin, draft(world, date(2023, 5, 2), provider="mpft",
                                             framework=Framework.PSIRF, agreed_due=date(2023, 9, 29)), today=TODAY)
    services.incidents.add_action(admin, b.id, ActionDraft(None, "Audit PGDs", "Lead nurse", date(2023, 6, 30)),
                                  expected_version=b.version)
    review = services.incidents.monthly_review(admin, (2023, 6), today=TODAY)
    assert [r.reference for r in review.reported] == [a.row.reference]
    assert {r.id for r in review.open} == {a.id, b.id}
    assert {r.id for r in review.due} == {b.id}  # the action falls due in June
    assert review.overdue == ()
    assert [x.description for x in review.actions_due] == ["Audit PGDs"]
    later = services.incidents.monthly_review(admin, (2023, 7), today=date(2023, 7, 3))
    assert [r.id for r in later.overdue] == [b.id]


def test_report_files(services, admin, world, tmp_path):
    _load_fixture_months(services, admin, world)
    pdf = services.incidents.write_report(admin, (2022, 10), (2023, 9), tmp_path / "si.pdf",
                                          today=date(2023, 10, 1))
    assert pdf.read_bytes().startswith(b"%PDF")
    xlsx = services.incidents.write_report(admin, (2022, 10), (2023, 9), tmp_path / "si.xlsx")
    import openpyxl

    ws = openpyxl.load_workbook(xlsx).active
    assert ws.cell(2, 1).value == "October 2021" and ws.cell(4, 3).value == "December 2022"
    assert [ws.cell(14, c).value for c in range(1, 5)] == ["Total", 31, "Total", 27]
    with pytest.raises(ValidationError, match=r"\.pdf"):
        services.incidents.write_report(admin, (2022, 10), (2023, 9), tmp_path / "si.doc")


def test_export_list(services, admin, world, tmp_path):
    services.incidents.save(admin, draft(world, date(2023, 3, 1), description="=HYPERLINK(bad)"))
    rows = services.incidents.list_incidents(admin)
    out = services.incidents.export(admin, tmp_path / "sis.csv", rows)
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Reference,Provider")
    assert "'=HYPERLINK(bad)" in text


def test_delete_is_audited(services, admin, world):
    si = services.incidents.save(admin, draft(world, date(2023, 3, 1)))
    services.incidents.delete(admin, si.id, expected_version=si.version)
    assert services.incidents.list_incidents(admin) == []
    assert services.risks.audit_trail(admin, entity="serious_incident")[0].action == "incident.delete"
