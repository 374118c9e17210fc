"""The demo council: register, serious incidents and clinical governance seeded on first run."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from riskdesk.domain.clinical import AuditKind, WarningLevel, last_working_day_on_or_before
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.incidents import ClockBand, Framework, Status, find_pid
from riskdesk.domain.register import Actor
from riskdesk.services.demo import demo_file, public_health_file

TODAY = date(2025, 11, 19)  # a Wednesday, nowhere near a bank holiday


def _ph() -> dict:
    return json.loads(public_health_file().read_text(encoding="utf-8"))


def _due(today: date, offset: int) -> date:
    return last_working_day_on_or_before(today + timedelta(days=offset))


def _snapshot(services, admin) -> tuple:
    """Everything the demo writes, counted."""
    info = services.info.summary(admin)
    return (
        info.registers, info.users, info.audit_entries,
        len(services.providers.list_providers(admin, include_inactive=True)),
        len(services.incidents.list_incidents(admin, today=TODAY)),
        len(services.clinical.list_audits(admin)), len(services.clinical.list_visits(admin)),
        len(services.clinical.list_pgds(admin)), len(services.clinical.list_summaries(admin)),
    )


def _renamed_register(tmp_path):
    """The demo register file with other register names (names are unique in a database)."""
    data = json.loads(demo_file().read_text(encoding="utf-8"))
    data["register"] = "Second Corporate Risk Register"
    for r in data["departmental_registers"]:
        r["name"] = f"Second {r['name']}"
    out = tmp_path / "register.json"
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


@pytest.fixture
def demo(services, admin):
    assert services.demo().is_empty()
    return services.demo().load(admin, today=TODAY)


def test_demo_loads_into_an_empty_database(services, admin, demo):
    ph = _ph()
    assert (demo.registers, demo.current_risks, demo.removed_risks, demo.periods) == (3, 34, 5, 4)
    assert (demo.providers, demo.services) == (3, 6)
    assert demo.incidents == len(ph["incidents"]) == 14
    assert demo.audits == len(ph["audits"]) == 10
    assert (demo.visits, demo.pgds) == (4, 5)
    assert demo.assurance_lines > len(ph["assurance"]["extra_lines"])
    assert not services.demo().is_empty()
    registers = {name: (kind, current, removed) for name, kind, current, removed in services.info.summary(admin).registers}
    assert registers["Corporate Risk Register"] == ("corporate", 25, 5)
    assert sum(current for _, current, _ in registers.values()) == 34
    providers = services.providers.list_providers(admin)
    assert sorted(p.short_name for p in providers) == ["MVCHT", "SVISH", "VRP"]
    assert all(1 <= len(p.services) <= 2 for p in providers)


def test_demo_incidents_show_a_believable_log(services, admin, demo):
    rows = services.incidents.list_incidents(admin, today=TODAY)
    assert len(rows) == 14
    assert {r.status for r in rows} == set(Status)
    assert {r.framework for r in rows} == set(Framework)
    assert len({r.learning_response for r in rows if r.framework is Framework.PSIRF}) == 5
    assert any(c.band is ClockBand.OVERDUE for r in rows for c in r.clocks)
    assert sum(r.overdue_actions for r in rows) >= 2
    assert min(r.reported_on for r in rows) >= TODAY - timedelta(days=14 * 31)
    assert all(r.reported_on <= TODAY for r in rows)
    details = [services.incidents.get(admin, r.id, today=TODAY) for r in rows]
    assert sum(1 for d in details if d.lessons) == 2
    extended = [d for d in details if d.extensions]
    assert len(extended) == 1 and extended[0].extensions[0].reason
    assert extended[0].row.next_clock is not None and extended[0].row.next_clock.extended
    assert sum(1 for d in details if d.reviews) >= 10
    linked = {k.ref for d in details for k in d.risks}
    assert linked == {"4.2", "7.1"}
    assert all(k.register_name == "Corporate Risk Register" for d in details for k in d.risks)
    closed = [d for d in details if d.row.status is Status.CLOSED]
    assert closed and all(a.completed_on for d in closed for a in d.actions)


def test_demo_clinical_governance(services, admin, demo):
    overview = services.clinical.overview(admin, today=TODAY)
    assert overview.expired_pgds == 1
    levels = sorted(a.level for _, a in overview.pgd_alerts)
    assert levels == [WarningLevel.DAYS_90, WarningLevel.DAYS_30, WarningLevel.PASSED]
    assert overview.overdue_actions >= 2
    assert overview.audits_this_quarter == 2 and overview.audits_in_progress == 1
    assert overview.visits_due == 1
    audits = services.clinical.list_audits(admin)
    reaudits = [a for a in audits if a.kind is AuditKind.RE_AUDIT]
    assert len(reaudits) == 1 and reaudits[0].previous_audit_id in {a.id for a in audits}
    assert {a.standard_body for a in audits} >= {"BASHH", "FSRH", "NICE"}
    visits = services.clinical.list_visits(admin)
    assert any(v.rag and v.rag.value == "amber" and v.actions_complete is False for v in visits)
    [summary] = services.clinical.list_summaries(admin)
    assert (summary.start, summary.end) == (date(2024, 11, 1), date(2025, 10, 31))
    headings = [line.heading for line in summary.lines]
    assert {"Quality Visits", "Clinical Audits", "Patient Group Directions (PGDs)", "Serious Incidents (SIs)",
            "Safeguarding", "Patient Feedback"} <= set(headings)
    extra = {x["assurance"] for x in _ph()["assurance"]["extra_lines"]}
    assert extra <= {line.assurance for line in summary.lines}


def test_loading_twice_without_force_is_refused_and_changes_nothing(services, admin, demo):
    before = _snapshot(services, admin)
    with pytest.raises(ValidationError, match="already holds registers"):
        services.demo().load(admin, today=TODAY)
    assert _snapshot(services, admin) == before


def test_forced_second_load_reuses_providers(services, admin, demo, tmp_path):
    again = services.demo().load(admin, force=True, today=TODAY, source=_renamed_register(tmp_path))
    assert (again.providers, again.services, again.incidents) == (0, 0, 14)
    assert len(services.providers.list_providers(admin)) == 3
    assert len(services.incidents.list_incidents(admin, today=TODAY)) == 28
    assert len(services.clinical.list_summaries(admin)) == 1  # same period: not duplicated


def test_a_user_without_si_rights_gets_the_register_only(services, admin, demo, tmp_path):
    # t.moyo is in the corporate risk team: may edit the register, not the SI log.
    result = services.demo().load(Actor("t.moyo", "Tendai Moyo"), force=True, today=TODAY,
                                  source=_renamed_register(tmp_path))
    assert result.current_risks == 34 and (result.incidents, result.audits) == (0, 0)
    assert len(services.incidents.list_incidents(admin, today=TODAY)) == 14


@pytest.mark.parametrize("today", [TODAY, date(2026, 6, 7)])
def test_dates_are_relative_to_the_day_loaded(services, admin, today):
    services.demo().load(admin, today=today)
    ph = _ph()
    rows = sorted(services.incidents.list_incidents(admin, today=today), key=lambda r: (r.reported_on, r.id))
    expected = sorted(_due(today, i["reported_offset_days"]) for i in ph["incidents"])
    assert [r.reported_on for r in rows] == expected
    assert [r.identified_on for r in rows] == [
        _due(today, i["identified_offset_days"])
        for i in sorted(ph["incidents"], key=lambda i: i["reported_offset_days"])]
    pgds = {g.name: g for g in services.clinical.list_pgds(admin)}
    for g in ph["pgds"]:
        assert pgds[g["name"]].expiry == _due(today, g["expiry_offset_days"])
        assert pgds[g["name"]].issued == _due(today, g["issued_offset_days"])
    overview = services.clinical.overview(admin, today=today)
    assert overview.expired_pgds == 1 and len(overview.pgd_alerts) == 3
    assert any(c.band is ClockBand.OVERDUE for r in rows for c in r.clocks)


def test_demo_text_holds_no_patient_identifiable_data():
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            texts.append(node.replace("{year}", "2025"))

    walk(_ph())
    assert texts and find_pid({str(n): t for n, t in enumerate(texts)}) == []
