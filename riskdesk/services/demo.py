"""The demo council (fictional) that a new database is seeded with on first run.

Quarters in the demo file are offsets from the current quarter, so the demo always shows a
year of history ending now, whenever it is loaded.

After the register, the public-health side is seeded from ``public_health.json`` (dates there
are day offsets from today): commissioned providers and services, serious incidents, clinical
audits, quality visits, PGDs and an assurance summary. That part goes through the SI log's and
clinical governance's own services, so their rules, clocks and audit trail apply. The file is
read and checked before anything is written, so a broken file never leaves half a demo.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskdesk import paths
from riskdesk.domain.clinical import (
    ASSURANCE_HEADINGS,
    ActionItem,
    AssuranceLine,
    AuditDraft,
    AuditKind,
    AuditStatus,
    PgdDraft,
    PgdStatus,
    Rag,
    VisitDraft,
    check_audit,
    check_pgd,
    check_visit,
    last_working_day_on_or_before,
)
from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.incidents import (
    ActionDraft,
    ExtensionRow,
    Framework,
    IncidentDraft,
    LearningResponse,
    ReviewRow,
    Status,
    add_months,
    find_pid,
    pid_fields,
    validate_draft,
)
from riskdesk.domain.permissions import Permission, Role, allows
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.scoring import Score
from riskdesk.models import (
    Assessment,
    Category,
    Department,
    Register,
    Removal,
    Risk,
    RiskDepartment,
    User,
)
from riskdesk.services.base import ServiceContext
from riskdesk.services.cycles import seed_published_cycles
from riskdesk.services.registers import (
    COMMITTEE_NAME,
    COUNCIL_NAME,
    CURRENT_PERIOD,
    find_department,
    scheme_row,
)


@dataclass(frozen=True)
class DemoResult:
    """What the demo added. The public-health counts stay 0 when the acting user may not edit the
    SI log and clinical governance (their data is then left out, not half loaded)."""

    registers: int
    current_risks: int
    removed_risks: int
    periods: int
    providers: int = 0
    services: int = 0
    incidents: int = 0
    audits: int = 0
    visits: int = 0
    pgds: int = 0
    assurance_lines: int = 0
    complaints: int = 0
    contacts: int = 0


def demo_file() -> Path:
    return paths.resource_path("demo", "register.json")


def public_health_file() -> Path:
    return paths.resource_path("demo", "public_health.json")


class DemoLoader:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def is_empty(self) -> bool:
        with self._ctx.read() as s:
            return not s.scalar(select(func.count()).select_from(Register))

    def load(self, actor: Actor, *, force: bool = False, today: date | None = None,
             source: Path | None = None, public_health: Path | None = None) -> DemoResult:
        """Seed the demo council: its registers, then its public-health services, SIs and audits.

        Args:
            force: load even into a database that already holds registers.
            today: the day the demo's relative dates are counted from (default: today).
            source: the register file (default: the shipped ``register.json``).
            public_health: the public-health file (default: the shipped ``public_health.json``).

        Raises:
            ValidationError: the database already holds registers (without ``force``) or a demo
                file is wrong; nothing is written then.
        """
        data = json.loads((source or demo_file()).read_text(encoding="utf-8"))
        today = today or date.today()
        now = Quarter.of(today)
        plan = _plan_public_health(
            json.loads((public_health or public_health_file()).read_text(encoding="utf-8")), today, now)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_REGISTER)
            if not force and s.scalar(select(func.count()).select_from(Register)):
                raise ValidationError("database", "", "already holds registers; use --force to add the demo anyway")
            with_ph = allows(user.role, Permission.EDIT_INCIDENTS) and allows(user.role, Permission.EDIT_CLINICAL)
            scheme = scheme_row(s)
            for d in data["departments"]:
                if find_department(s, d["code"]) is None:
                    s.add(Department(code=d["code"], name=d["name"]))
            users: dict[str, int] = {}
            for u in data.get("users", []):
                row = s.scalar(select(User).where(User.login == u["login"]))
                if row is None:
                    row = User(login=u["login"], display_name=u["display_name"], job_title=u.get("job_title", ""),
                               role=Role(u.get("role", "risk_owner")).value)
                    s.add(row)
                    s.flush()
                users[u["login"]] = row.id
            s.flush()

            periods: set[str] = set()
            deferred: list[Assessment] = []
            later = deferred.append
            counts = {"current": 0, "removed": 0, "registers": 0}
            presented = now.previous().end  # the register went to committee last quarter

            def make_register(name: str, kind: str, dept_code: str | None, categories: list[dict[str, Any]]) -> Register:
                dept = find_department(s, dept_code) if dept_code else None
                reg = Register(name=name, kind=kind, department_id=dept.id if dept else None)
                s.add(reg)
                s.flush()
                counts["registers"] += 1
                for pos, c in enumerate(categories, start=1):
                    cat = Category(register_id=reg.id, number=c.get("number"), name=c.get("name"),
                                   retired=bool(c.get("retired")), position=pos)
                    s.add(cat)
                    s.flush()
                    for r in c.get("risks", []):
                        risk = Risk(register_id=reg.id, category_id=cat.id, ref=str(r["ref"]),
                                    description=r["description"], service_area=r.get("service_area", ""),
                                    owner_id=users.get(r.get("owner", "")), exempt=bool(r.get("exempt")),
                                    first_presented_on=presented if kind == "corporate" else None)
                        risk.departments = _departments(s, r.get("departments", []))
                        s.add(risk)
                        s.flush()
                        for a in r.get("assessments", []):
                            q = _offset(now, int(a["offset"]))
                            periods.add(q.code)
                            cur = Score.of(*a["current"], what=f"demo risk {risk.ref} current")
                            tgt = Score.of(*a["target"], what=f"demo risk {risk.ref} target") if a.get("target") else None
                            # This quarter's scores come after last quarter's committee: added once it is frozen.
                            (later if kind == "corporate" and q == now else s.add)(Assessment(
                                risk_id=risk.id, period=q.code, current_impact=cur.impact,
                                current_likelihood=cur.likelihood,
                                target_impact=tgt.impact if tgt else None,
                                target_likelihood=tgt.likelihood if tgt else None,
                                direction=Direction.parse(a.get("direction", "level")).value,
                                update_text=a.get("update", ""), scheme_id=scheme.id,
                                recorded_by=r.get("owner", "") or user.login,
                            ))
                        counts["current"] += 1
                return reg

            corporate = make_register(data.get("register", "Corporate Risk Register"), "corporate", None,
                                      data["categories"])
            for rem in data.get("removed", []):
                risk = Risk(register_id=corporate.id, ref=str(rem["ref"]), description=rem["description"],
                            status="removed", first_presented_on=presented)
                risk.departments = _departments(s, rem.get("departments", []))
                s.add(risk)
                s.flush()
                score = Score.of(rem["impact"], rem["likelihood"], what=f"removed demo risk {rem['ref']}")
                s.add(Removal(risk_id=risk.id, removed_on=today + timedelta(days=int(rem["removed_offset_days"])),
                              reason=rem["reason"], score=score.score, impact=score.impact,
                              likelihood=score.likelihood, removed_by=user.login))
                counts["removed"] += 1
            for dr in data.get("departmental_registers", []):
                make_register(dr["name"], "departmental", dr.get("department"), dr["categories"])

            self._ctx.set_setting(s, COUNCIL_NAME, data.get("council", ""))
            self._ctx.set_setting(s, COMMITTEE_NAME, data.get("committee", "Corporate Governance Committee"))
            self._ctx.set_setting(s, CURRENT_PERIOD, now.code)
            # Last quarter's register as presented to committee, and this quarter's draft after it:
            # a newcomer's first report cycle shows movements, score changes and the appendix.
            meeting = max(now.start + timedelta(days=70), presented + timedelta(days=1))
            seed_published_cycles(self._ctx, s, user, corporate, last_presented=presented, meeting=meeting,
                                  title=None, update_heading=None, period=now.code,
                                  meeting_title=self._ctx.setting(s, COMMITTEE_NAME, ""), amended_from={})
            s.add_all(deferred)
            self._ctx.audit(s, user, "demo.load", "register", corporate.id, corporate.name,
                            {"risks": [None, counts["current"]]}, "demo data for first run")
            result = DemoResult(counts["registers"], counts["current"], counts["removed"], len(periods))
            corporate_id = corporate.id
        # The register is committed; the SI log and clinical governance write through their own
        # services (one transaction each), which check, stamp clocks and audit as for a user.
        if with_ph:
            result = self._seed_public_health(actor, plan, corporate_id, today, result)
        __import__("riskdesk.services.demo_foi", fromlist=["seed_foi"]).seed_foi(self._ctx, actor, today)
        if allows(user.role, Permission.EDIT_COMPLAINTS):
            result = seed_complaints(self._ctx, actor, today, result)
        from riskdesk.services.demo_ombudsman import load_demo_ombudsman  # a year of Ombudsman casework

        load_demo_ombudsman(self._ctx, actor, today)
        return result

    def _seed_public_health(self, actor: Actor, plan: _PublicHealthPlan, corporate_id: int, today: date,
                            result: DemoResult) -> DemoResult:
        from riskdesk.services.clinical import ClinicalService, period_words
        from riskdesk.services.incidents import IncidentService
        from riskdesk.services.providers import ProviderService

        providers = ProviderService(self._ctx)
        incidents = IncidentService(self._ctx)
        clinical = ClinicalService(self._ctx, si_counts=incidents.counts_by_provider)

        # Providers and services; a forced second load reuses those of the same name.
        existing = {p.name.lower(): p for p in providers.list_providers(actor, include_inactive=True)}
        ids: dict[str, tuple[int, int]] = {}  # service key -> (provider id, service id)
        n_providers = n_services = 0
        for p in plan.providers:
            row = existing.get(p.name.lower())
            if row is None:
                row = providers.add_provider(actor, p.name, p.short_name)
                n_providers += 1
            have = {sv.name.lower(): sv.id for sv in row.services}
            for key, name, area in p.services:
                sid = have.get(name.lower())
                if sid is None:
                    sid = providers.add_service(actor, row.id, name, area).id
                    n_services += 1
                ids[key] = (row.id, sid)

        with self._ctx.read() as s:
            risk_ids = dict(s.execute(select(Risk.ref, Risk.id).where(Risk.register_id == corporate_id)).all())

        for si in plan.incidents:
            pid, sid = ids[si.service]
            draft = si.draft.with_(provider_id=pid, service_id=sid,
                                   risk_ids=tuple(risk_ids[r] for r in si.risk_refs if r in risk_ids))
            detail = incidents.save(actor, draft, today=today)
            if si.extension is not None:
                new_due, reason = si.extension
                detail = incidents.extend(actor, detail.id, new_due, reason, expected_version=detail.version,
                                          today=today)
            for step in list(Status)[Status.REPORTED.step + 1:si.status.step + 1]:
                on = si.closed_on if step is Status.CLOSED else si.report_received_on
                detail = incidents.set_status(actor, detail.id, step, expected_version=detail.version, on=on,
                                              today=today)

        audit_ids: dict[str, int] = {}
        for a in plan.audits:
            previous = audit_ids[a.previous] if a.previous else None
            row = clinical.add_audit(actor, replace(a.draft, service_id=ids[a.service][1], previous_audit_id=previous))
            audit_ids[a.key] = row.id
        for key, visit in plan.visits:
            clinical.add_visit(actor, replace(visit, service_id=ids[key][1]))
        for key, pgd in plan.pgds:
            clinical.add_pgd(actor, replace(pgd, service_id=ids[key][1]))

        # The assurance summary for the last twelve complete months: the service's own draft,
        # with the demo's extra lines slotted in under their headings.
        end = today.replace(day=1) - timedelta(days=1)
        first = add_months((end.year, end.month), -11)
        start = date(first[0], first[1], 1)
        n_lines = 0
        if not any(m.label == period_words(start, end) for m in clinical.list_summaries(actor)):
            order = {h: i for i, h in enumerate(ASSURANCE_HEADINGS)}
            lines = [*clinical.draft_assurance(actor, start, end), *plan.assurance_lines]
            lines.sort(key=lambda x: order.get(x.heading, len(order)))
            n_lines = len(clinical.create_summary(actor, start, end, lines=lines).lines)

        return replace(result, providers=n_providers, services=n_services, incidents=len(plan.incidents),
                       audits=len(plan.audits), visits=len(plan.visits), pgds=len(plan.pgds),
                       assurance_lines=n_lines)


def _offset(q: Quarter, n: int) -> Quarter:
    for _ in range(abs(n)):
        q = q.next() if n > 0 else q.previous()
    return q


def _departments(s: Session, codes: list[str]) -> list[RiskDepartment]:
    out = []
    for pos, code in enumerate(codes):
        dept = find_department(s, code)
        if dept is None:
            raise ValidationError("demo department", code, "is not in the demo file's department list")
        out.append(RiskDepartment(department_id=dept.id, position=pos, department=dept))
    return out


# -- the public-health demo file -----------------------------------------------------------------


@dataclass(frozen=True)
class _ProviderPlan:
    name: str
    short_name: str
    services: tuple[tuple[str, str, str], ...]  # (key, name, area)


@dataclass(frozen=True)
class _IncidentPlan:
    service: str
    draft: IncidentDraft  # as first saved: status Reported, no provider or service ids yet
    status: Status
    report_received_on: date | None
    closed_on: date | None
    extension: tuple[date, str] | None
    risk_refs: tuple[str, ...]


@dataclass(frozen=True)
class _AuditPlan:
    key: str
    service: str
    previous: str | None
    draft: AuditDraft


@dataclass(frozen=True)
class _PublicHealthPlan:
    providers: tuple[_ProviderPlan, ...]
    incidents: tuple[_IncidentPlan, ...]
    audits: tuple[_AuditPlan, ...]
    visits: tuple[tuple[str, VisitDraft], ...]
    pgds: tuple[tuple[str, PgdDraft], ...]
    assurance_lines: tuple[AssuranceLine, ...]


def _plan_public_health(data: dict[str, Any], today: date, now: Quarter) -> _PublicHealthPlan:
    """Read the public-health demo file into drafts with real dates, checked by the same pure rules
    the services apply (provider and service ids are filled in when they exist).

    ``*_offset_days`` are days from ``today``, moved back to a working day; ``quarter_offset`` is
    quarters from the current financial quarter.
    """

    def day(item: dict[str, Any], key: str) -> date | None:
        # Meetings, visits and deadlines fall on working days: the last one on or before the offset.
        # (Monotonic, so the order of an SI's dates survives; never later, so the past stays past.)
        value = item.get(key)
        return None if value is None else last_working_day_on_or_before(today + timedelta(days=int(value)))

    def required_day(item: dict[str, Any], key: str, what: str) -> date:
        value = day(item, key)
        if value is None:
            raise ValidationError(f"demo {what}", key, "is missing")
        return value

    providers = tuple(
        _ProviderPlan(p["name"], p.get("short_name", ""),
                      tuple((sv["key"], sv["name"], sv.get("area", "")) for sv in p["services"]))
        for p in data.get("providers", []))
    known = {key for p in providers for key, _, _ in p.services}

    def service(item: dict[str, Any]) -> str:
        key = str(item.get("service", ""))
        if key not in known:
            raise ValidationError("demo service", key, "is not a service in the demo file's provider list")
        return key

    def clinical_actions(items: list[dict[str, Any]]) -> tuple[ActionItem, ...]:
        return tuple(ActionItem(a["description"], a.get("owner", ""), day(a, "due_offset_days"),
                                day(a, "done_offset_days")) for a in items)

    incidents = []
    for n, i in enumerate(data.get("incidents", []), start=1):
        what = f"incident {n}"
        reported = required_day(i, "reported_offset_days", what)
        year = str(reported.year)
        status = Status(i.get("status", "reported"))
        ext = i.get("extension")
        extension = (required_day(ext, "new_due_offset_days", f"{what} extension"), ext["reason"]) if ext else None
        draft = IncidentDraft(
            provider_id=0, service_id=0, identified_on=required_day(i, "identified_offset_days", what),
            reported_on=reported, description=i["description"], framework=Framework(i["framework"]),
            occurred_on=day(i, "occurred_offset_days"), category=i.get("category", ""),
            external_ref=i.get("external_ref", "").replace("{year}", year),
            learning_response=LearningResponse(i["learning_response"]) if i.get("learning_response") else None,
            agreed_due=day(i, "agreed_due_offset_days"),
            steis_reported_on=day(i, "steis_reported_offset_days"),
            initial_review_on=day(i, "initial_review_offset_days"), lessons=i.get("lessons", ""),
            actions=tuple(ActionDraft(None, a["description"], a.get("owner", ""), day(a, "due_offset_days"),
                                      day(a, "completed_offset_days")) for a in i.get("actions", [])),
            reviews=tuple(ReviewRow(None, required_day(r, "offset_days", f"{what} review"), r.get("reviewer", ""),
                                    r["notes"]) for r in i.get("reviews", [])),
        )
        checked = validate_draft(draft.with_(new_extensions=(ExtensionRow(None, None, *extension),)
                                             if extension else ()), None, None)
        findings = find_pid(pid_fields(checked))
        if findings:
            raise ValidationError(f"demo {what}", findings[0].text, f"looks like {findings[0].kind.with_article}")
        received, closed = day(i, "report_received_offset_days"), day(i, "closed_offset_days")
        if status.step >= Status.REPORT_RECEIVED.step and received is None:
            raise ValidationError(f"demo {what}", status.value, "needs report_received_offset_days")
        if status is Status.CLOSED and (closed is None or any(a.completed_on is None for a in draft.actions)):
            raise ValidationError(f"demo {what}", status.value, "needs closed_offset_days and every action done")
        incidents.append(_IncidentPlan(service(i), draft, status, received, closed, extension,
                                       tuple(str(r) for r in i.get("risks", []))))

    audits: list[_AuditPlan] = []
    for a in data.get("audits", []):
        previous = a.get("previous")
        if previous is not None and previous not in {x.key for x in audits}:
            raise ValidationError("demo audit", a.get("title"), f"names earlier audit {previous!r}, not listed before it")
        draft = check_audit(AuditDraft(
            0, _offset(now, int(a.get("quarter_offset", 0))), a["title"], AuditKind(a.get("kind", "audit")), None,
            a.get("standard_body", ""), AuditStatus(a.get("status", "planned")), a.get("findings", ""),
            Rag(a["rag"]) if a.get("rag") else None, clinical_actions(a.get("actions", [])),
            day(a, "reaudit_due_offset_days")))
        audits.append(_AuditPlan(a["key"], service(a), previous, draft))

    visits = tuple(
        (service(v), check_visit(VisitDraft(
            0, required_day(v, "planned_offset_days", "visit"), day(v, "actual_offset_days"), v.get("visitors", ""),
            v.get("outcome", ""), Rag(v["rag"]) if v.get("rag") else None, clinical_actions(v.get("actions", [])),
            day(v, "next_due_offset_days"))))
        for v in data.get("visits", []))
    pgds = tuple(
        (service(g), check_pgd(PgdDraft(
            0, g["name"], g.get("medicine", ""), g.get("version", ""), day(g, "issued_offset_days"),
            day(g, "review_offset_days"), day(g, "expiry_offset_days"), PgdStatus(g.get("status", "in_use")))))
        for g in data.get("pgds", []))
    lines = tuple(AssuranceLine(x["heading"], x.get("area", ""), x["assurance"])
                  for x in data.get("assurance", {}).get("extra_lines", []))
    return _PublicHealthPlan(providers, tuple(incidents), tuple(audits), visits, pgds, lines)


#: (service, department code, aliases) of the demo council's complaints log.
_DEMO_SERVICES = (
    ("SEN Assessment", "CFS", ("SENA",)), ("School Admissions", "CFS", ()), ("SEN and School Transport", "E&T", ()),
    ("Highway Repair and Maintenance", "E&T", ("Highway Maintenance",)), ("Waste Management", "E&T", ()),
    ("Grass Cutting", "E&T", ()), ("Libraries", "ASC", ()), ("Council Tax", "CR", ()),
)
_DEMO_SUMMARIES = (
    "Assessment not completed within the statutory timescale", "Place not offered at the preferred school",
    "Transport not arranged for the start of term", "Pothole reported twice and not repaired",
    "Bin missed three weeks running", "Verge not cut as scheduled", "Library closed without notice",
    "Reminder sent after the bill was paid",
)
_DEMO_HANDLERS = ("J. Patel", "M. Okafor", "R. Hughes", "S. Lewis")


def seed_complaints(ctx: ServiceContext, actor: Actor, today: date, result: DemoResult) -> DemoResult:
    """A year of fictional complaints, enquiries and compliments for the demo council, written through
    the complaints service (checked, clocked and audited as a user's would be); some cases are open
    so the list shows every clock band on first run."""
    import contextlib
    import random

    from riskdesk.domain.complaints import (
        ComplaintDraft,
        ContactDraft,
        ContactKind,
        EnquiryCategory,
        Outcome,
        Procedure,
        RemedyKind,
    )
    from riskdesk.services.complaints import ComplaintsService

    rng = random.Random(7)
    svc = ComplaintsService(ctx)
    with ctx.read() as s:
        known = {c.lower() for c in s.scalars(select(Department.code))}
    names = []
    for name, dep, aliases in _DEMO_SERVICES:
        with contextlib.suppress(ValidationError):  # already there (a demo loaded twice with --force)
            svc.add_service(actor, name, department=dep if dep.lower() in known else "", aliases=aliases)
        names.append(name)
    complaints = contacts = 0
    for i in range(36):  # a year, every ten days or so: each is several audited transactions
        k = rng.randrange(len(names))
        received = today - timedelta(days=int(365 * (i + 1) / 36) - rng.randrange(3))
        if i == 3:
            received = today - timedelta(days=25)  # past its 15 working days, within the longest extension
        proc = Procedure.CORPORATE if i % 9 else Procedure.ASC
        d = svc.log_complaint(actor, ComplaintDraft(proc, received, service=names[k] if proc is Procedure.CORPORATE
                                                     else "", summary=_DEMO_SUMMARIES[k],
                                                     handler=_DEMO_HANDLERS[i % 4]), today=today)
        complaints += 1
        age = (today - received).days
        v = d.row.version
        if i < 3:
            continue  # the newest: on track or due soon
        if i == 3:  # past the timescale, within an agreed extension
            st = d.stages[0]
            if st.due and st.max_due and st.due < today <= st.max_due:
                svc.extend(actor, d.row.id, 1, new_due=st.max_due, reason="Waiting for the service's records",
                           communicated_on=today - timedelta(days=2), ombudsman_details_given=True,
                           expected_version=v, today=today)
            continue
        if age < 20 or i == 4:
            continue  # open: overdue or due soon
            continue
        responded = received + timedelta(days=min(age - 1, 10 + rng.randrange(30)))
        outcome = (Outcome.FAULT_FOUND, Outcome.NOT_UPHELD, Outcome.NO_FINDING)[rng.randrange(3)]
        d = svc.respond(actor, d.row.id, 1, responded_on=responded, outcome=outcome, handler=_DEMO_HANDLERS[i % 4],
                        expected_version=v, today=today)
        if outcome is Outcome.FAULT_FOUND:
            d = svc.add_remedy(actor, d.row.id, RemedyKind.APOLOGY, "Apology and explanation sent",
                               owner="Service manager", due_on=responded + timedelta(days=7),
                               expected_version=d.row.version, today=today)
        if proc is Procedure.CORPORATE and i % 5 == 0 and age > 80:
            svc.escalate(actor, d.row.id, requested_on=responded + timedelta(days=5),
                         handler=_DEMO_HANDLERS[(i + 1) % 4], expected_version=d.row.version, today=today)
    for i in range(12):
        day = today - timedelta(days=int(365 * (i + 1) / 12))
        category = tuple(EnquiryCategory)[i % 4]
        kind = ContactKind.SERVICE_REQUEST if category is EnquiryCategory.SERVICE_REQUEST else ContactKind.ENQUIRY
        svc.log_contact(actor, ContactDraft(kind, day, category=category, summary="Enquiry about a service"))
        contacts += 1
    for i in range(8):
        day = today - timedelta(days=int(365 * (i + 1) / 8))
        svc.log_contact(actor, ContactDraft(ContactKind.COMPLIMENT, day, service=names[i % len(names)],
                                            summary="Thank you to the team for their help."))
        contacts += 1
    return replace(result, complaints=complaints, contacts=contacts)
