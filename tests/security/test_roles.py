"""Every write the services expose, tried by a login with no role, a risk owner, internal audit
and a public health lead; and, on PostgreSQL, the same writes as raw SQL on their own connection.
Every attempt outside the role must be refused; the counts are printed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from secworld import FIXTURES, LOGINS, SI_TEXT, World, unique
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from riskdesk.domain.clinical import AuditDraft, PgdDraft, VisitDraft
from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import PermissionDenied
from riskdesk.domain.incidents import ActionDraft, Framework, IncidentDraft, Status
from riskdesk.domain.risk_detail import ActionChange, AssessmentChange, NewRisk, RiskChange
from riskdesk.domain.scoring import Score
from riskdesk.domain.snapshot import Footnote
from riskdesk.services import Services

Write = tuple[str, str, Callable[[Services, Any, World], object]]

#: What each role may write, by kind of write.
ALLOWED = {
    "none": set(),
    "risk_owner": {"own"},
    "auditor": set(),
    "public_health": {"own", "incident", "clinical", "provider"},
}


def _assess(score: int = 3) -> AssessmentChange:
    return AssessmentChange(Score(score, 3), Score(2, 2), Direction.LEVEL, "Reviewed by the owner.")


def _risk(w: World, risk_id: int):  # type: ignore[no-untyped-def]
    return w.admin.risks.get(w.admin_actor, risk_id)


def _si(w: World):  # type: ignore[no-untyped-def]
    return w.admin.incidents.get(w.admin_actor, w.si_id)


def writes() -> list[Write]:
    """(name, kind, attempt) for every write the services offer."""
    from riskdesk.io.mapping import ImportMapping

    a = "register"
    return [
        ("create register", a, lambda s, u, w: s.registers.create_register(u, unique("Reg "), "departmental")),
        ("add category", a, lambda s, u, w: s.registers.add_category(u, w.corporate_id, 99, "New heading")),
        ("retire category", a, lambda s, u, w: s.registers.set_category_retired(
            u, w.category_id, True, expected_version=w.admin.registers.list_categories(
                w.admin_actor, w.corporate_id)[0].version)),
        ("add department", a, lambda s, u, w: s.registers.add_department(u, unique("D")[:6], "New department")),
        ("rename department", a, lambda s, u, w: s.registers.update_department(u, w.department_id, name="Renamed")),
        ("add user (people list)", a, lambda s, u, w: s.registers.add_user(u, unique("p."), "New Person")),
        ("set role (people list)", "users", lambda s, u, w: s.registers.set_role(
            u, next(x.id for x in w.admin.users.list(w.admin_actor) if x.login == LOGINS["risk_owner"]), "admin")),
        ("set current period", a, lambda s, u, w: s.registers.set_current_period(u, w.period.next())),
        ("close quarter", a, lambda s, u, w: s.registers.close_quarter(u, expected=w.period)),
        ("add risk", a, lambda s, u, w: s.risks.add_risk(u, NewRisk(w.corporate_id, "9.9", "If X then Y"))),
        ("amend risk", a, lambda s, u, w: s.risks.amend_risk(
            u, w.other_risk, RiskChange(service_area="ICT"), expected_version=_risk(w, w.other_risk).version)),
        ("amend own risk's wording", a, lambda s, u, w: s.risks.amend_risk(
            u, w.own_risk, RiskChange(service_area="ICT"), expected_version=_risk(w, w.own_risk).version)),
        ("remove risk", a, lambda s, u, w: s.risks.remove_risk(
            u, w.other_risk, "No longer a risk", expected_version=_risk(w, w.other_risk).version)),
        ("restore risk", a, lambda s, u, w: s.risks.restore_risk(
            u, w.removed_risk, expected_version=_risk(w, w.removed_risk).version, new_ref="R1")),
        ("move risk to another register", a, lambda s, u, w: s.risks.move_register(
            u, w.other_risk, w.departmental_id, "De-escalated", expected_version=_risk(w, w.other_risk).version)),
        ("assess another's risk", a, lambda s, u, w: s.risks.record_assessment(
            u, w.other_risk, w.period, _assess(), expected_version=_seen(w, w.other_risk))),
        ("add action to another's risk", a, lambda s, u, w: s.risks.add_action(
            u, w.other_risk, ActionChange("Mine now"))),
        ("change another's action", a, lambda s, u, w: s.risks.update_action(
            u, w.other_action, ActionChange("Changed"), expected_version=_action_version(w))),
        ("delete another's action", a, lambda s, u, w: s.risks.delete_action(
            u, w.other_action, expected_version=_action_version(w))),
        ("mark register presented", a, lambda s, u, w: s.risks.mark_presented(u, w.corporate_id, date(2024, 2, 1))),
        ("create report cycle", a, lambda s, u, w: s.cycles.create(u, date(2024, 5, 1), register_id=w.corporate_id)),
        ("present report cycle", a, lambda s, u, w: s.cycles.present(u, w.cycle_id)),
        ("change appendix wording", a, lambda s, u, w: s.cycles.set_wording(
            u, footnotes=(Footnote("*", "Changed footnote"),))),
        ("save import mapping", a, lambda s, u, w: s.importing.save_mapping(
            u, unique("map "), ImportMapping(columns=(("Ref", "ref"),)))),
        ("load published register", a, lambda s, u, w: s.published.load(
            u, FIXTURES / "crr-2023-11.json")),
        ("load demo council", a, lambda s, u, w: s.demo().load(u, force=True)),
        ("assess own risk", "own", lambda s, u, w: s.risks.record_assessment(
            u, w.own_risk, w.period, _assess(4), expected_version=_seen(w, w.own_risk))),
        ("add action to own risk", "own", lambda s, u, w: s.risks.add_action(u, w.own_risk, ActionChange("Mine"))),
        ("record SI", "incident", lambda s, u, w: s.incidents.save(u, IncidentDraft(
            provider_id=w.provider_id, service_id=w.service_id, identified_on=date(2023, 4, 1),
            reported_on=date(2023, 4, 2), description="Fall in a residential service", framework=Framework.SIF_2015,
            category="Fall"))),
        ("add SI action", "incident", lambda s, u, w: s.incidents.add_action(
            u, w.si_id, ActionDraft(None, "Check naloxone kits"), expected_version=_si(w).version)),
        ("add SI review", "incident", lambda s, u, w: s.incidents.add_review(
            u, w.si_id, date(2023, 4, 5), "Pat", "Reviewed", expected_version=_si(w).version)),
        ("extend SI deadline", "incident", lambda s, u, w: s.incidents.extend(
            u, w.si_id, date(2023, 9, 1), "Coroner's inquest", expected_version=_si(w).version)),
        ("change SI status", "incident", lambda s, u, w: s.incidents.set_status(
            u, w.si_id, Status.UNDER_INVESTIGATION, expected_version=_si(w).version)),
        ("delete SI", "incident", lambda s, u, w: s.incidents.delete(u, w.si_id, expected_version=_si(w).version)),
        ("add clinical audit", "clinical", lambda s, u, w: s.clinical.add_audit(
            u, AuditDraft(w.service_id, w.period, "Another audit"))),
        ("change clinical audit", "clinical", lambda s, u, w: s.clinical.update_audit(
            u, w.audit_id, AuditDraft(w.service_id, w.period, "Renamed audit"),
            expected_version=w.admin.clinical.get_audit(w.admin_actor, w.audit_id).version)),
        ("delete clinical audit", "clinical", lambda s, u, w: s.clinical.delete_audit(
            u, w.audit_id, expected_version=w.admin.clinical.get_audit(w.admin_actor, w.audit_id).version)),
        ("add quality visit", "clinical", lambda s, u, w: s.clinical.add_visit(
            u, VisitDraft(w.service_id, date(2023, 6, 1)))),
        ("delete quality visit", "clinical", lambda s, u, w: s.clinical.delete_visit(
            u, w.visit_id, expected_version=w.admin.clinical.get_visit(w.admin_actor, w.visit_id).version)),
        ("add PGD", "clinical", lambda s, u, w: s.clinical.add_pgd(u, PgdDraft(w.service_id, "Another PGD", expiry=date(2027, 1, 1)))),
        ("delete PGD", "clinical", lambda s, u, w: s.clinical.delete_pgd(
            u, w.pgd_id, expected_version=w.admin.clinical.get_pgd(w.admin_actor, w.pgd_id).version)),
        ("create assurance summary", "clinical", lambda s, u, w: s.clinical.create_summary(
            u, date(2022, 4, 1), date(2023, 3, 31), lines=[])),
        ("delete assurance summary", "clinical", lambda s, u, w: s.clinical.delete_summary(
            u, w.summary_id, expected_version=w.admin.clinical.get_summary(w.admin_actor, w.summary_id).version)),
        ("add provider", "provider", lambda s, u, w: s.providers.add_provider(u, unique("Provider "))),
        ("rename provider", "provider", lambda s, u, w: s.providers.update_provider(
            u, w.provider_id, expected_version=w.admin.providers.get(w.admin_actor, w.provider_id).version,
            name="Turning Point Ltd")),
        ("add commissioned service", "provider", lambda s, u, w: s.providers.add_service(u, w.provider_id, "Outreach")),
        ("close commissioned service", "provider", lambda s, u, w: s.providers.set_service_active(
            u, w.service_id, False)),
        ("give someone a role", "users", lambda s, u, w: s.users.add(u, LOGINS["none"], "risk_team")),
        ("make self administrator", "users", lambda s, u, w: s.users.set_role(u, u.login, "admin")),
        ("remove a person", "users", lambda s, u, w: s.users.remove(u, LOGINS["auditor"])),
        ("back up the database", "backup", lambda s, u, w: s.info.backup(u, __import__("pathlib").Path(
            __import__("tempfile").mkdtemp()) / "copy.bak")),
    ]


def _seen(w: World, risk_id: int) -> int | None:
    row = _risk(w, risk_id)
    return row.assessment_version if getattr(row, "period", None) == w.period.code else _period_version(w, risk_id)


def _period_version(w: World, risk_id: int) -> int | None:
    for h in w.admin.risks.history(w.admin_actor, risk_id):
        if h.period == w.period.code:
            return h.version
    return None


def _action_version(w: World) -> int:
    return next(a.version for a in w.admin.risks.actions(w.admin_actor, w.other_risk) if a.id == w.other_action)


def _try(fn: Callable[[], object]) -> str:
    """'refused', 'succeeded' or 'error: …' (anything else means the test did not reach the check)."""
    try:
        fn()
    except PermissionDenied:
        return "refused"
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", "") == "42501":  # the database refused it
            return "refused"
        return f"error: {exc.orig}"
    except Exception as exc:
        return f"error: {type(exc).__name__}: {exc}"
    return "succeeded"


@pytest.mark.db
@pytest.mark.parametrize("role", ["none", "risk_owner", "auditor", "public_health"])
def test_every_service_write_outside_the_role_is_refused(world: World, role: str) -> None:
    services, actor = world.as_role(role)
    outcomes = {name: (kind, _try(lambda f=fn: f(services, actor, world))) for name, kind, fn in writes()}
    forbidden = {n: o for n, (k, o) in outcomes.items() if k not in ALLOWED[role]}
    succeeded = [n for n, o in forbidden.items() if o == "succeeded"]
    errors = {n: o for n, o in forbidden.items() if o.startswith("error")}
    label = role.replace("_", " ")
    print(f"\n{label}: {len(succeeded)} of {len(forbidden)} forbidden writes succeeded "
          f"({'sqlite' if not world.pg else 'PostgreSQL'}, through the services)")
    assert not errors, errors
    assert succeeded == []
    # What the role may do still works (a refusal of everything would pass the test above).
    # (The public health lead owns no risk here, so "own" is not among the writes expected to work.)
    expected = ALLOWED[role] - ({"own"} if role == "public_health" else set())
    allowed = {n: o for n, (k, o) in outcomes.items() if k in expected and not n.startswith("delete")}
    assert all(o == "succeeded" for o in allowed.values()), allowed


def test_a_newcomer_on_sqlite_is_not_an_administrator(tmp_path) -> None:
    from riskdesk.db import Database
    from riskdesk.domain.register import Actor

    db = Database.open(f"sqlite:///{tmp_path / 'mine.sqlite'}", backup=False)
    try:
        services = Services(db)
        first, newcomer = Actor("first.person"), Actor("somebody_new")
        assert services.registers.me(first).role == "admin"  # the database's first user
        assert services.registers.me(newcomer).role == "none"
        with pytest.raises(PermissionDenied, match="no riskdesk role yet"):
            services.registers.close_quarter(newcomer, expected=services.registers.current_period(first))
        with pytest.raises(PermissionDenied):
            services.registers.list_registers(newcomer)
        services.users.add(first, "somebody_new", "risk_owner")
        assert services.registers.list_registers(newcomer) == []
    finally:
        db.dispose()


# -- PostgreSQL: the same writes as raw SQL on the person's own connection --------------------------


def _raw_attempts(w: World) -> list[tuple[str, str, str]]:
    """(name, kind, SQL) for writes through psql; the kind says which role may do it."""
    out: list[tuple[str, str, str]] = []
    register = ["setting", "scheme_version", "department", "register", "category", "risk_department", "risk",
                "amendment", "removal", "escalation", "report_cycle", "import_mapping"]
    for table in register:
        out += [(f"update {table}", "register", f"UPDATE {table} SET {_col(table)} = {_col(table)}"),
                (f"delete {table}", "register", f"DELETE FROM {table}"),
                (f"copy a row of {table}", "register", f"INSERT INTO {table} SELECT * FROM {table} LIMIT 1")]
    for table, where in (("assessment", f"risk_id = {w.other_risk}"), ("risk_action", f"risk_id = {w.other_risk}"),
                         ("assessment_line", f"assessment_id IN (SELECT id FROM assessment WHERE risk_id = "
                                             f"{w.other_risk})")):
        out += [(f"update another's {table}", "register", f"UPDATE {table} SET id = id WHERE {where}"),
                (f"delete another's {table}", "register", f"DELETE FROM {table} WHERE {where}"),
                (f"copy another's {table}", "register",
                 f"INSERT INTO {table} SELECT * FROM {table} WHERE {where} LIMIT 1")]
    for kind, tables in (("incident", ["serious_incident", "incident_action", "incident_review",
                                       "incident_extension", "incident_risk"]),
                         ("clinical", ["clinical_audit", "quality_visit", "clinical_action", "pgd",
                                       "assurance_summary", "assurance_entry"]),
                         ("provider", ["provider", "commissioned_service"])):
        for table in tables:
            out += [(f"update {table}", kind, f"UPDATE {table} SET {_col(table)} = {_col(table)}"),
                    (f"delete {table}", kind, f"DELETE FROM {table}"),
                    (f"insert {table}", kind, f"INSERT INTO {table} SELECT * FROM {table} LIMIT 1")]
    out += [
        ("make self administrator in app_user", "users", "UPDATE app_user SET role = 'admin'"),
        ("delete people", "users", "DELETE FROM app_user"),
        ("add someone else to app_user", "users",
         "INSERT INTO app_user (login, display_name, job_title, role, active) "
         "VALUES ('rdt_ghost', 'Ghost', '', 'admin', true)"),
        ("give self the admin group role", "users", f"GRANT riskdesk_admin TO {LOGINS['none']}"),
        ("become the owner", "owner", "SET ROLE riskdesk_owner"),
        ("become an administrator", "users", "SET ROLE riskdesk_admin"),
        ("edit the audit trail", "owner", "UPDATE audit_entry SET note = 'edited'"),
        ("delete the audit trail", "owner", "DELETE FROM audit_entry"),
        ("truncate the audit trail", "owner", "TRUNCATE audit_entry"),
        ("disable the audit trail's triggers", "owner", "ALTER TABLE audit_entry DISABLE TRIGGER USER"),
        ("drop the actor trigger", "owner", "DROP TRIGGER audit_entry_10_actor ON audit_entry"),
        ("turn off row-level security", "owner", "ALTER TABLE audit_entry DISABLE ROW LEVEL SECURITY"),
        ("truncate the risks", "owner", "TRUNCATE risk CASCADE"),
        ("disable a table's direct-change trigger", "owner", "ALTER TABLE risk DISABLE TRIGGER ALL"),
        ("create a table", "owner", "CREATE TABLE rdt_mine (x int)"),
    ]
    return out


def _col(table: str) -> str:
    return {"setting": "key", "risk_department": "risk_id", "incident_risk": "incident_id"}.get(table, "id")


RAW_ALLOWED = {
    "none": set(),
    "risk_owner": set(),
    "auditor": set(),
    "public_health": {"incident", "clinical", "provider"},
}


def _raw(conn: Any, sql: str) -> str:
    tx = conn.begin()
    try:
        result = conn.execute(text(sql))
        changed = result.rowcount
    except DBAPIError as exc:
        tx.rollback()
        return "refused" if getattr(exc.orig, "sqlstate", "") == "42501" else f"error: {exc.orig}"
    tx.rollback()  # the attempt is counted; the world stays as it was for the next one
    if sql.startswith(("UPDATE", "DELETE", "INSERT")) and changed == 0:
        return "refused"  # row-level security hid every row
    return "succeeded"


@pytest.mark.db
@pytest.mark.parametrize("role", ["none", "risk_owner", "auditor", "public_health"])
def test_database_refuses_raw_sql_outside_the_role(world: World, role: str) -> None:
    if not world.pg:
        pytest.skip("the database enforces roles on PostgreSQL; a SQLite file is its owner's")
    services, _actor = world.as_role(role)
    outcomes: dict[str, str] = {}
    kinds: dict[str, str] = {}
    with services.db.engine.connect() as conn:
        for name, kind, sql in _raw_attempts(world):
            kinds[name] = kind
            outcomes[name] = _raw(conn, sql)
    forbidden = {n: o for n, o in outcomes.items() if kinds[n] not in RAW_ALLOWED[role]}
    succeeded = [n for n, o in forbidden.items() if o != "refused"]
    print(f"\n{role.replace('_', ' ')}: {len(succeeded)} of {len(forbidden)} forbidden raw SQL writes succeeded "
          "(PostgreSQL, own login)")
    assert succeeded == [], {n: forbidden[n] for n in succeeded}


@pytest.mark.db
def test_a_login_with_no_role_reads_nothing(world: World) -> None:
    if not world.pg:
        pytest.skip("PostgreSQL privileges")
    services, actor = world.as_role("none")
    with services.db.engine.connect() as conn:
        for table in ("risk", "assessment", "serious_incident", "audit_entry", "app_user", "setting"):
            assert _raw(conn, f"SELECT * FROM {table}") == "refused", table
    with pytest.raises(PermissionDenied, match="no riskdesk role yet"):
        services.risks.list_risks(actor, world.corporate_id)


@pytest.mark.db
def test_risk_owner_reads_no_incident_text_in_the_database(world: World) -> None:
    if not world.pg:
        pytest.skip("PostgreSQL row-level security")
    services, _ = world.as_role("risk_owner")
    with services.db.engine.connect() as conn:
        assert _raw(conn, "SELECT * FROM serious_incident") == "refused"
        trail = conn.execute(text("SELECT entity, label, changes::text, note FROM audit_entry")).all()
    assert trail, "the risk owner reads the register's entries"
    assert not [row for row in trail if SI_TEXT in " ".join(map(str, row))]
    assert {row[0] for row in trail}.isdisjoint({"serious_incident", "clinical_audit", "pgd"})
    audit, _ = world.as_role("auditor")
    with audit.db.engine.connect() as conn:
        texts = conn.execute(text("SELECT changes::text FROM audit_entry WHERE entity = 'serious_incident'")).all()
    assert any(SI_TEXT in t[0] for t in texts), "internal audit may read entries about incidents"
