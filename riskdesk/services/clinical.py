"""Clinical governance: audits, quality visits, PGDs, the assurance summary and provider profiles.

Every public method is one transaction, checks ``VIEW_CLINICAL`` or ``EDIT_CLINICAL``, writes
the audit trail for changes and returns frozen rows from ``riskdesk.domain.clinical``.

Serious-incident counts come from a callable (``riskdesk.domain.clinical.SiCounts``) that the
composition root may set as ``ClinicalService.si_counts``; this module never imports the SI log.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from riskdesk.domain.clinical import (
    ActionItem,
    AssuranceLine,
    AssuranceSummaryRow,
    AuditAppendix,
    AuditDraft,
    AuditKind,
    AuditStatus,
    ClinicalAuditRow,
    ClinicalOverview,
    PgdDraft,
    PgdRow,
    PgdStatus,
    ProviderProfile,
    QualityVisitRow,
    Rag,
    SiCounts,
    VisitDraft,
    WarningLevel,
    appendix_groups,
    check_audit,
    check_pgd,
    check_visit,
    clean_text,
    guess_standard_body,
    looks_like_reaudit,
)
from riskdesk.domain.errors import NotFound, StaleEdit, ValidationError
from riskdesk.domain.permissions import Permission
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.models import (
    AssuranceEntry,
    AssuranceSummary,
    ClinicalAction,
    ClinicalAudit,
    CommissionedService,
    PatientGroupDirection,
    Provider,
    QualityVisit,
)
from riskdesk.services.base import ServiceContext, diff, get_or_404

# -- ORM → rows ------------------------------------------------------------------------------------


def _audits() -> Any:
    """Audits with their service, provider, earlier audit and actions loaded up front (no N+1)."""
    return select(ClinicalAudit).options(
        joinedload(ClinicalAudit.service).joinedload(CommissionedService.provider),
        joinedload(ClinicalAudit.previous), selectinload(ClinicalAudit.actions))


def _visits() -> Any:
    return select(QualityVisit).options(
        joinedload(QualityVisit.service).joinedload(CommissionedService.provider), selectinload(QualityVisit.actions))


def _pgds() -> Any:
    return select(PatientGroupDirection).options(
        joinedload(PatientGroupDirection.service).joinedload(CommissionedService.provider))


@lru_cache(maxsize=512)
def _quarter(code: str) -> Quarter:
    return Quarter.parse(code)


def _label(p: Provider) -> str:
    return f"{p.name} ({p.short_name})" if p.short_name else p.name


def _actions(rows: Sequence[ClinicalAction]) -> tuple[ActionItem, ...]:
    return tuple(ActionItem(a.description, a.owner, a.due, a.done) for a in rows)


def audit_row(a: ClinicalAudit) -> ClinicalAuditRow:
    sv, p = a.service, a.service.provider
    return ClinicalAuditRow(
        a.id, sv.id, sv.name, p.id, p.name, _label(p), _quarter(a.quarter), a.title, AuditKind(a.kind),
        a.previous_audit_id, a.previous.title if a.previous else "", a.standard_body, AuditStatus(a.status),
        a.findings, Rag(a.rag) if a.rag else None, _actions(a.actions), a.reaudit_due, a.version, a.id,
    )


def visit_row(v: QualityVisit) -> QualityVisitRow:
    sv, p = v.service, v.service.provider
    return QualityVisitRow(v.id, sv.id, sv.name, p.id, p.name, _label(p), v.planned, v.actual, v.visitors,
                           v.outcome, Rag(v.rag) if v.rag else None, _actions(v.actions), v.next_due, v.version)


def pgd_row(g: PatientGroupDirection) -> PgdRow:
    sv, p = g.service, g.service.provider
    return PgdRow(g.id, sv.id, sv.name, p.id, p.name, _label(p), g.name, g.medicine, g.document_version, g.issued,
                  g.review_due, g.expiry, PgdStatus(g.status), g.version)


def summary_row(m: AssuranceSummary) -> AssuranceSummaryRow:
    return AssuranceSummaryRow(
        m.id, m.label, m.period_start, m.period_end, m.caption,
        tuple(AssuranceLine(e.heading, e.area, e.assurance, e.service_id) for e in m.entries), m.version,
    )


def _audit_state(a: ClinicalAudit) -> dict[str, Any]:
    return {"service_id": a.service_id, "quarter": a.quarter, "title": a.title, "kind": a.kind,
            "previous_audit_id": a.previous_audit_id, "standard_body": a.standard_body, "status": a.status,
            "findings": a.findings, "rag": a.rag, "reaudit_due": a.reaudit_due,
            "actions": [[x.description, x.owner, x.due, x.done] for x in a.actions]}


def _visit_state(v: QualityVisit) -> dict[str, Any]:
    return {"service_id": v.service_id, "planned": v.planned, "actual": v.actual, "visitors": v.visitors,
            "outcome": v.outcome, "rag": v.rag, "next_due": v.next_due,
            "actions": [[x.description, x.owner, x.due, x.done] for x in v.actions]}


def _pgd_state(g: PatientGroupDirection) -> dict[str, Any]:
    return {"service_id": g.service_id, "name": g.name, "medicine": g.medicine,
            "document_version": g.document_version, "issued": g.issued, "review_due": g.review_due,
            "expiry": g.expiry, "status": g.status}


def _summary_state(m: AssuranceSummary) -> dict[str, Any]:
    return {"label": m.label, "start": m.period_start, "end": m.period_end, "caption": m.caption,
            "lines": [[e.heading, e.area, e.assurance, e.service_id] for e in m.entries]}


def _new_actions(items: Sequence[ActionItem]) -> list[ClinicalAction]:
    return [ClinicalAction(position=i, description=a.description, owner=a.owner, due=a.due, done=a.done)
            for i, a in enumerate(items)]


@dataclass(frozen=True)
class ClinicalLoadResult:
    """What ``load_published`` added."""

    providers: int
    services: int
    audits: int
    re_audits: int
    pgds: int
    assurance_lines: int
    summary_label: str


def period_words(start: date, end: date) -> str:
    """"October 2022 – September 2023"."""
    return f"{start:%B %Y} – {end:%B %Y}"


class ClinicalService:
    """Clinical audits, quality visits, PGDs, the assurance summary and provider profiles."""

    def __init__(self, ctx: ServiceContext, si_counts: SiCounts | None = None) -> None:
        self._ctx = ctx
        #: Serious-incident counts per provider id for a period; None = SI log not available.
        self.si_counts: SiCounts | None = si_counts

    # -- helpers -------------------------------------------------------------------------------

    def _view(self, s: Session, actor: Actor) -> None:
        self._ctx.require(s, actor, Permission.VIEW_CLINICAL)

    def _edit(self, s: Session, actor: Actor):  # type: ignore[no-untyped-def]
        return self._ctx.require(s, actor, Permission.EDIT_CLINICAL)

    @staticmethod
    def _service(s: Session, service_id: int) -> CommissionedService:
        sv = s.get(CommissionedService, service_id)
        if sv is None:
            raise ValidationError("service", service_id, "is not a commissioned service riskdesk knows")
        return sv

    def _si(self, start: date, end: date) -> dict[int, int] | None:
        if self.si_counts is None:
            return None
        return {int(k): int(v) for k, v in self.si_counts(start, end).items()}

    # -- clinical audits -----------------------------------------------------------------------

    def list_audits(self, actor: Actor, *, provider_id: int | None = None, first: Quarter | None = None,
                    last: Quarter | None = None) -> list[ClinicalAuditRow]:
        """Audits and re-audits, by provider, service, quarter and the order they were recorded."""
        with self._ctx.begin() as s:
            self._view(s, actor)
            stmt = (_audits().join(ClinicalAudit.service).join(CommissionedService.provider)
                    .order_by(Provider.name, CommissionedService.name, ClinicalAudit.quarter, ClinicalAudit.id))
            if provider_id is not None:
                stmt = stmt.where(Provider.id == provider_id)
            if first is not None:
                stmt = stmt.where(ClinicalAudit.quarter >= first.code)
            if last is not None:
                stmt = stmt.where(ClinicalAudit.quarter <= last.code)
            return [audit_row(a) for a in s.scalars(stmt)]

    def get_audit(self, actor: Actor, audit_id: int) -> ClinicalAuditRow:
        with self._ctx.begin() as s:
            self._view(s, actor)
            return audit_row(get_or_404(s, ClinicalAudit, audit_id, "Clinical audit"))

    def _check_previous(self, s: Session, draft: AuditDraft, own_id: int | None) -> None:
        if draft.previous_audit_id is None:
            return
        if draft.previous_audit_id == own_id:
            raise ValidationError("earlier audit", draft.previous_audit_id, "cannot be the re-audit itself")
        prev = s.get(ClinicalAudit, draft.previous_audit_id)
        if prev is None:
            raise ValidationError("earlier audit", draft.previous_audit_id, "does not exist")
        if prev.quarter > draft.quarter.code:
            raise ValidationError("earlier audit", prev.title,
                                  f"is in {Quarter.parse(prev.quarter).label}, after the re-audit")

    def add_audit(self, actor: Actor, draft: AuditDraft) -> ClinicalAuditRow:
        d = check_audit(draft)
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            self._service(s, d.service_id)
            self._check_previous(s, d, None)
            a = ClinicalAudit(service_id=d.service_id, quarter=d.quarter.code, title=d.title, kind=d.kind.value,
                              previous_audit_id=d.previous_audit_id, standard_body=d.standard_body,
                              status=d.status.value, findings=d.findings, rag=d.rag.value if d.rag else None,
                              reaudit_due=d.reaudit_due)
            a.actions = _new_actions(d.actions)
            s.add(a)
            s.flush()
            s.refresh(a)
            self._ctx.audit(s, user, "clinical_audit.add", "clinical_audit", a.id, a.title,
                            diff({}, _audit_state(a)))
            return audit_row(a)

    def update_audit(self, actor: Actor, audit_id: int, draft: AuditDraft, *,
                     expected_version: int) -> ClinicalAuditRow:
        d = check_audit(draft)
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            a = get_or_404(s, ClinicalAudit, audit_id, "Clinical audit")
            if a.version != expected_version:
                raise StaleEdit(f"The audit “{a.title}”")
            self._service(s, d.service_id)
            self._check_previous(s, d, a.id)
            before = _audit_state(a)
            a.service_id, a.quarter, a.title, a.kind = d.service_id, d.quarter.code, d.title, d.kind.value
            a.previous_audit_id, a.standard_body, a.status = d.previous_audit_id, d.standard_body, d.status.value
            a.findings, a.rag, a.reaudit_due = d.findings, d.rag.value if d.rag else None, d.reaudit_due
            if [(x.description, x.owner, x.due, x.done) for x in a.actions] != [
                    (x.description, x.owner, x.due, x.done) for x in d.actions]:
                a.actions = _new_actions(d.actions)
            s.flush()
            changes = diff(before, _audit_state(a))
            if changes:
                self._bump(s, a, expected_version)
                self._ctx.audit(s, user, "clinical_audit.update", "clinical_audit", a.id, a.title, changes)
            s.flush()
            s.refresh(a)
            return audit_row(a)

    @staticmethod
    def _bump(s: Session, obj: Any, expected_version: int) -> None:
        """Make sure a save moves the version even when only child rows (actions, lines) changed.

        A change to child rows alone issues no UPDATE of the parent, so its version would stay
        put and another window's stale copy would still be accepted.
        """
        s.flush()
        if obj.version == expected_version:
            obj.version = expected_version + 1  # SQLAlchemy checks the old value and writes this one
            s.flush()

    def delete_audit(self, actor: Actor, audit_id: int, *, expected_version: int) -> None:
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            a = get_or_404(s, ClinicalAudit, audit_id, "Clinical audit")
            if a.version != expected_version:
                raise StaleEdit(f"The audit “{a.title}”")
            later = s.scalar(select(ClinicalAudit.title).where(ClinicalAudit.previous_audit_id == a.id))
            if later is not None:
                raise ValidationError("audit", a.title, f"has a re-audit (“{later}”); delete that first")
            self._ctx.audit(s, user, "clinical_audit.delete", "clinical_audit", a.id, a.title,
                            diff(_audit_state(a), {}))
            s.delete(a)

    # -- quality visits ------------------------------------------------------------------------

    def list_visits(self, actor: Actor, *, provider_id: int | None = None) -> list[QualityVisitRow]:
        with self._ctx.begin() as s:
            self._view(s, actor)
            stmt = (_visits().join(QualityVisit.service).join(CommissionedService.provider)
                    .order_by(QualityVisit.planned.desc(), QualityVisit.id))
            if provider_id is not None:
                stmt = stmt.where(Provider.id == provider_id)
            return [visit_row(v) for v in s.scalars(stmt)]

    def get_visit(self, actor: Actor, visit_id: int) -> QualityVisitRow:
        with self._ctx.begin() as s:
            self._view(s, actor)
            return visit_row(get_or_404(s, QualityVisit, visit_id, "Quality visit"))

    def add_visit(self, actor: Actor, draft: VisitDraft) -> QualityVisitRow:
        d = check_visit(draft)
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            sv = self._service(s, d.service_id)
            v = QualityVisit(service_id=d.service_id, planned=d.planned, actual=d.actual, visitors=d.visitors,
                             outcome=d.outcome, rag=d.rag.value if d.rag else None, next_due=d.next_due)
            v.actions = _new_actions(d.actions)
            s.add(v)
            s.flush()
            s.refresh(v)
            self._ctx.audit(s, user, "quality_visit.add", "quality_visit", v.id, f"{sv.name} {d.planned}",
                            diff({}, _visit_state(v)))
            return visit_row(v)

    def update_visit(self, actor: Actor, visit_id: int, draft: VisitDraft, *,
                     expected_version: int) -> QualityVisitRow:
        d = check_visit(draft)
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            v = get_or_404(s, QualityVisit, visit_id, "Quality visit")
            if v.version != expected_version:
                raise StaleEdit(f"The quality visit to {v.service.name} planned for {v.planned:%d/%m/%Y}")
            sv = self._service(s, d.service_id)
            before = _visit_state(v)
            v.service_id, v.planned, v.actual, v.visitors = d.service_id, d.planned, d.actual, d.visitors
            v.outcome, v.rag, v.next_due = d.outcome, d.rag.value if d.rag else None, d.next_due
            if [(x.description, x.owner, x.due, x.done) for x in v.actions] != [
                    (x.description, x.owner, x.due, x.done) for x in d.actions]:
                v.actions = _new_actions(d.actions)
            s.flush()
            changes = diff(before, _visit_state(v))
            if changes:
                self._bump(s, v, expected_version)
                self._ctx.audit(s, user, "quality_visit.update", "quality_visit", v.id,
                                f"{sv.name} {d.planned}", changes)
            s.refresh(v)
            return visit_row(v)

    def delete_visit(self, actor: Actor, visit_id: int, *, expected_version: int) -> None:
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            v = get_or_404(s, QualityVisit, visit_id, "Quality visit")
            if v.version != expected_version:
                raise StaleEdit(f"The quality visit to {v.service.name} planned for {v.planned:%d/%m/%Y}")
            self._ctx.audit(s, user, "quality_visit.delete", "quality_visit", v.id, v.service.name,
                            diff(_visit_state(v), {}))
            s.delete(v)

    # -- PGDs ----------------------------------------------------------------------------------

    def list_pgds(self, actor: Actor, *, provider_id: int | None = None) -> list[PgdRow]:
        with self._ctx.begin() as s:
            self._view(s, actor)
            stmt = (_pgds().join(PatientGroupDirection.service)
                    .join(CommissionedService.provider)
                    .order_by(Provider.name, CommissionedService.name, PatientGroupDirection.id))
            if provider_id is not None:
                stmt = stmt.where(Provider.id == provider_id)
            return [pgd_row(g) for g in s.scalars(stmt)]

    def get_pgd(self, actor: Actor, pgd_id: int) -> PgdRow:
        with self._ctx.begin() as s:
            self._view(s, actor)
            return pgd_row(get_or_404(s, PatientGroupDirection, pgd_id, "PGD"))

    def add_pgd(self, actor: Actor, draft: PgdDraft) -> PgdRow:
        d = check_pgd(draft)
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            self._service(s, d.service_id)
            g = PatientGroupDirection(service_id=d.service_id, name=d.name, medicine=d.medicine,
                                      document_version=d.document_version, issued=d.issued,
                                      review_due=d.review_due, expiry=d.expiry, status=d.status.value)
            s.add(g)
            s.flush()
            s.refresh(g)
            self._ctx.audit(s, user, "pgd.add", "pgd", g.id, g.name, diff({}, _pgd_state(g)))
            return pgd_row(g)

    def update_pgd(self, actor: Actor, pgd_id: int, draft: PgdDraft, *, expected_version: int) -> PgdRow:
        d = check_pgd(draft)
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            g = get_or_404(s, PatientGroupDirection, pgd_id, "PGD")
            if g.version != expected_version:
                raise StaleEdit(f"The PGD “{g.name}”")
            self._service(s, d.service_id)
            before = _pgd_state(g)
            g.service_id, g.name, g.medicine, g.document_version = d.service_id, d.name, d.medicine, \
                d.document_version
            g.issued, g.review_due, g.expiry, g.status = d.issued, d.review_due, d.expiry, d.status.value
            changes = diff(before, _pgd_state(g))
            if changes:
                self._ctx.audit(s, user, "pgd.update", "pgd", g.id, g.name, changes)
            s.flush()
            s.refresh(g)
            return pgd_row(g)

    def delete_pgd(self, actor: Actor, pgd_id: int, *, expected_version: int) -> None:
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            g = get_or_404(s, PatientGroupDirection, pgd_id, "PGD")
            if g.version != expected_version:
                raise StaleEdit(f"The PGD “{g.name}”")
            self._ctx.audit(s, user, "pgd.delete", "pgd", g.id, g.name, diff(_pgd_state(g), {}))
            s.delete(g)

    # -- overview and profile ------------------------------------------------------------------

    def overview(self, actor: Actor, today: date | None = None) -> ClinicalOverview:
        """The page's dashboard strip: this quarter's audits, what is due and every PGD warning."""
        today = today or date.today()
        quarter = Quarter.of(today)
        with self._ctx.begin() as s:
            self._view(s, actor)
            audits = [audit_row(a) for a in s.scalars(_audits())]
            visits = [visit_row(v) for v in s.scalars(_visits())]
            pgds = [pgd_row(g) for g in s.scalars(_pgds().order_by(PatientGroupDirection.id))]
        alerts = [(g, g.alert(today)) for g in pgds]
        alerts = [(g, a) for g, a in alerts if a.level > WarningLevel.NONE]
        alerts.sort(key=lambda ga: (-ga[1].level, ga[1].days_left, ga[0].name))
        overdue = sum(1 for r in (*audits, *visits) for x in r.actions if x.overdue(today))
        return ClinicalOverview(
            today=today,
            audits_this_quarter=sum(1 for a in audits if a.quarter == quarter),
            audits_in_progress=sum(1 for a in audits if a.status is AuditStatus.IN_PROGRESS),
            reaudits_due=len(_reaudits_due(audits, quarter.end)),
            visits_due=sum(1 for v in visits if v.actual is None and v.planned <= quarter.end),
            overdue_actions=overdue,
            pgd_alerts=tuple(alerts),
        )

    def provider_profile(self, actor: Actor, provider_id: int, quarter: Quarter,
                         today: date | None = None) -> ProviderProfile:
        """One provider in one quarter: audits, re-audits due, visits, PGDs, open actions and SIs."""
        today = today or date.today()
        with self._ctx.begin() as s:
            self._view(s, actor)
            p = get_or_404(s, Provider, provider_id, "Provider")
            label = _label(p)
            services = tuple(sv.name for sv in p.services)
            stmt = _audits().join(ClinicalAudit.service).where(CommissionedService.provider_id == p.id)
            audits = [audit_row(a) for a in s.scalars(stmt.order_by(ClinicalAudit.quarter, ClinicalAudit.id))]
            visits = [visit_row(v) for v in s.scalars(
                _visits().join(QualityVisit.service).where(CommissionedService.provider_id == p.id)
                .order_by(QualityVisit.planned))]
            pgds = [pgd_row(g) for g in s.scalars(
                _pgds().join(PatientGroupDirection.service)
                .where(CommissionedService.provider_id == p.id).order_by(PatientGroupDirection.id))]
        in_quarter = tuple(a for a in audits if a.quarter == quarter)
        visits_q = tuple(v for v in visits if quarter.contains(v.when))
        done = [v for v in visits if v.actual is not None and v.actual <= quarter.end]
        open_actions = tuple(
            (f"{r.title if isinstance(r, ClinicalAuditRow) else 'Visit ' + r.when.strftime('%d/%m/%Y')}", x)
            for r in (*audits, *visits) for x in r.actions if not x.complete
        )
        si = self._si(quarter.start, quarter.end)
        year_start = Quarter(quarter.fy, 1).start
        si_year = self._si(year_start, quarter.end)
        return ProviderProfile(
            provider_id=provider_id, provider_label=label, quarter=quarter, today=today, services=services,
            audits=in_quarter, reaudits_due=tuple(_reaudits_due(audits, quarter.end)), visits=visits_q,
            last_visit=max(done, key=lambda v: v.actual or v.planned) if done else None,
            pgds=tuple((g, g.alert(today)) for g in pgds), open_actions=open_actions,
            serious_incidents=None if si is None else si.get(provider_id, 0),
            serious_incidents_year=None if si_year is None else si_year.get(provider_id, 0),
        )

    # -- assurance summary ---------------------------------------------------------------------

    def draft_assurance(self, actor: Actor, start: date, end: date) -> list[AssuranceLine]:
        """Table 1 rows pre-filled from what riskdesk holds for ``start``–``end`` (both inclusive)."""
        if end < start:
            raise ValidationError("period", f"{start} – {end}", "ends before it starts")
        with self._ctx.begin() as s:
            self._view(s, actor)
            audits = [audit_row(a) for a in s.scalars(_audits().order_by(ClinicalAudit.quarter,
                                                                                      ClinicalAudit.id))]
            visits = [visit_row(v) for v in s.scalars(_visits().order_by(QualityVisit.planned))]
            pgds = [pgd_row(g) for g in s.scalars(_pgds().order_by(PatientGroupDirection.id))]
            providers = {p.id: p for p in s.scalars(select(Provider))}
            labels = {pid: _label(p) for pid, p in providers.items()}
        lines: list[AssuranceLine] = []
        # Quality visits: those done or planned in the period, per service.
        for sid, group in _by_service(v for v in visits if start <= v.when <= end):
            parts = []
            for v in group:
                if v.actual:
                    rag = f", rated {v.rag.label.lower()}" if v.rag else ""
                    acts = ""
                    if v.actions_complete is True:
                        acts = "; all actions completed"
                    elif v.actions_complete is False:
                        acts = f"; {sum(1 for x in v.actions if not x.complete)} action(s) open"
                    outcome = f" Outcome: {v.outcome}" if v.outcome else ""
                    parts.append(f"Quality visit on {v.actual:%d %B %Y}{rag}{acts}.{outcome}")
                else:
                    parts.append(f"Quality visit planned for {v.planned:%B %Y}.")
            lines.append(AssuranceLine("Quality Visits", _area(group[0]), "\n".join(parts), sid))
        # Clinical audits: completed in a quarter that overlaps the period.
        for sid, group in _by_service(a for a in audits if a.status is AuditStatus.COMPLETE
                                      and a.quarter.start <= end and a.quarter.end >= start):
            re = sum(1 for a in group if a.kind is AuditKind.RE_AUDIT)
            text = (f"{len(group)} clinical audit{'s' if len(group) != 1 else ''} completed"
                    f"{f' (including {re} re-audit' + ('s' if re != 1 else '') + ')' if re else ''}: "
                    + "; ".join(f"{a.title} ({a.quarter.label})" for a in group) + ".")
            lines.append(AssuranceLine("Clinical Audits", _area(group[0]), text, sid))
        # PGDs in use, with their dates.
        for sid, group in _by_service(g for g in pgds if g.status is not PgdStatus.WITHDRAWN):
            parts = []
            for g in group:
                bits = [f"issued {g.issued:%B %Y}" if g.issued else "",
                        f"review due {g.review_due:%B %Y}" if g.review_due else "",
                        f"expires {g.expiry:%B %Y}" if g.expiry else ""]
                dates = ", ".join(b for b in bits if b) or "dates not recorded"
                parts.append(f"{g.name}: {dates}.")
            lines.append(AssuranceLine("Patient Group Directions (PGDs)", _area(group[0]), "\n".join(parts), sid))
        # Serious incidents, from the SI log when one is connected.
        si = self._si(start, end)
        if si:
            for pid, count in sorted(si.items(), key=lambda kv: labels.get(kv[0], "")):
                if count and pid in labels:
                    lines.append(AssuranceLine(
                        "Serious Incidents (SIs)", labels[pid],
                        f"{count} serious incident{'s' if count != 1 else ''} reported "
                        f"{period_words(start, end)}.", None))
        return lines

    def list_summaries(self, actor: Actor) -> list[AssuranceSummaryRow]:
        with self._ctx.begin() as s:
            self._view(s, actor)
            return [summary_row(m) for m in s.scalars(select(AssuranceSummary).order_by(
                AssuranceSummary.period_start.desc(), AssuranceSummary.id))]

    def get_summary(self, actor: Actor, summary_id: int) -> AssuranceSummaryRow:
        with self._ctx.begin() as s:
            self._view(s, actor)
            return summary_row(get_or_404(s, AssuranceSummary, summary_id, "Assurance summary"))

    def create_summary(self, actor: Actor, start: date, end: date, *, label: str = "", caption: str = "",
                       lines: Sequence[AssuranceLine] | None = None) -> AssuranceSummaryRow:
        """A summary for a period, holding ``lines`` or, when None, the pre-filled draft."""
        if end < start:
            raise ValidationError("period", f"{start:%d/%m/%Y} – {end:%d/%m/%Y}", "ends before it starts")
        label = clean_text("period name", label, limit=120) or period_words(start, end)
        if lines is None:
            lines = self.draft_assurance(actor, start, end)
        checked = _check_lines(lines)
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            if s.scalar(select(AssuranceSummary.id).where(func.lower(AssuranceSummary.label) == label.lower())):
                raise ValidationError("period name", label, "already has an assurance summary")
            m = AssuranceSummary(label=label, period_start=start, period_end=end,
                                 caption=clean_text("caption", caption, limit=300)
                                 or f"Clinical Governance Summary {label}")
            m.entries = [AssuranceEntry(position=i, heading=x.heading, area=x.area, assurance=x.assurance,
                                        service_id=x.service_id) for i, x in enumerate(checked)]
            s.add(m)
            s.flush()
            self._ctx.audit(s, user, "assurance.add", "assurance_summary", m.id, m.label, diff({}, _summary_state(m)))
            return summary_row(m)

    def save_summary(self, actor: Actor, summary_id: int, lines: Sequence[AssuranceLine], *,
                     expected_version: int, caption: str | None = None) -> AssuranceSummaryRow:
        """Replace the summary's rows with ``lines`` (the editor's whole table)."""
        checked = _check_lines(lines)
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            m = get_or_404(s, AssuranceSummary, summary_id, "Assurance summary")
            if m.version != expected_version:
                raise StaleEdit(f"The assurance summary for {m.label}")
            before = _summary_state(m)
            if caption is not None:
                m.caption = clean_text("caption", caption, limit=300)
            old = [(e.heading, e.area, e.assurance, e.service_id) for e in m.entries]
            new = [(x.heading, x.area, x.assurance, x.service_id) for x in checked]
            if old != new:
                m.entries = [AssuranceEntry(position=i, heading=x.heading, area=x.area, assurance=x.assurance,
                                            service_id=x.service_id) for i, x in enumerate(checked)]
                s.flush()
            changes = diff(before, _summary_state(m))
            if changes:
                self._bump(s, m, expected_version)
                self._ctx.audit(s, user, "assurance.update", "assurance_summary", m.id, m.label, changes)
            s.flush()
            s.refresh(m)
            return summary_row(m)

    def delete_summary(self, actor: Actor, summary_id: int, *, expected_version: int) -> None:
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            m = get_or_404(s, AssuranceSummary, summary_id, "Assurance summary")
            if m.version != expected_version:
                raise StaleEdit(f"The assurance summary for {m.label}")
            self._ctx.audit(s, user, "assurance.delete", "assurance_summary", m.id, m.label,
                            diff(_summary_state(m), {}))
            s.delete(m)

    # -- reports -------------------------------------------------------------------------------

    def audit_appendix(self, actor: Actor, first: Quarter, last: Quarter, *,
                       title: str = "Clinical audits") -> AuditAppendix:
        """The appendix data: audits grouped by service, provider and quarter, then the PGD list."""
        if last < first:
            raise ValidationError("period", f"{first.label} to {last.label}", "ends before it starts")
        audits = self.list_audits(actor, first=first, last=last)
        pgds = [g for g in self.list_pgds(actor) if g.status is not PgdStatus.WITHDRAWN]
        period = first.label if first == last else f"{first.label} to {last.label}"
        return AuditAppendix(title, period, appendix_groups(audits), tuple(pgds))

    # -- published data ------------------------------------------------------------------------

    def load_published(self, actor: Actor, directory: str | Path, *,
                       pgd_dates_from_table1: bool = False) -> ClinicalLoadResult:
        """Load Appendix C audits, the PGD list and Table 1 from the published transcriptions.

        Reads ``clinical-audits-appendix-c.csv``, ``pgds.csv`` and
        ``clinical-governance-table1.json`` in ``directory``. Audits are recorded as complete (the
        appendix lists audits undertaken); titles saying "re-audit" become re-audits and a
        standard body named in a title ("BASHH …") is recorded. PGD dates are not printed per
        PGD; with ``pgd_dates_from_table1`` the Table 1 sentence (issued August 2023, review
        August 2024, expiry February 2026) is applied using the first day of each month, the
        cautious reading (warnings come no later than they should).

        Raises:
            ValidationError: a file is missing or a row cannot be read; nothing is loaded then.
        """
        folder = Path(directory)
        if not folder.is_dir():
            raise ValidationError("folder", str(folder), "does not exist" if not folder.exists() else
                                  "is a file: name the folder that holds the published tables")
        audits_csv, pgds_csv = folder / "clinical-audits-appendix-c.csv", folder / "pgds.csv"
        table1 = folder / "clinical-governance-table1.json"
        for f in (audits_csv, pgds_csv, table1):
            if not f.is_file():
                raise ValidationError("folder", str(folder), f"has no {f.name}")
        try:
            audit_rows = list(csv.DictReader(audits_csv.open(encoding="utf-8-sig", newline="")))
            pgd_rows = list(csv.DictReader(pgds_csv.open(encoding="utf-8-sig", newline="")))
            t1 = json.loads(table1.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, csv.Error) as exc:
            raise ValidationError("file", str(folder), f"could not be read: {exc}") from exc
        rows = t1.get("rows") or []
        if not rows:
            raise ValidationError(table1.name, str(table1), "holds no rows")
        # The caption names the period: "Clinical Governance Summary October 2022 – September 2023".
        t1_label = "October 2022 – September 2023"
        caption = str(t1.get("caption") or f"Clinical Governance Summary {t1_label}")
        with self._ctx.begin() as s:
            user = self._edit(s, actor)
            counts = {"providers": 0, "services": 0}
            provider_cache: dict[str, Provider] = {}

            def service_for(provider_text: str, service_name: str) -> CommissionedService:
                name, short = _split_provider(provider_text)
                p = provider_cache.get(name)
                if p is None:
                    p = s.scalar(select(Provider).where(func.lower(Provider.name) == name.lower()))
                    if p is None:
                        p = Provider(name=name, short_name=short)
                        s.add(p)
                        s.flush()
                        counts["providers"] += 1
                        self._ctx.audit(s, user, "provider.add", "provider", p.id, p.name,
                                        {"name": [None, name], "short_name": [None, short]}, note="published data")
                    provider_cache[name] = p
                sv = s.scalar(select(CommissionedService).where(
                    CommissionedService.provider_id == p.id,
                    func.lower(CommissionedService.name) == service_name.lower()))
                if sv is None:
                    sv = CommissionedService(provider_id=p.id, name=service_name, area=service_name)
                    s.add(sv)
                    s.flush()
                    counts["services"] += 1
                    self._ctx.audit(s, user, "service.add", "commissioned_service", sv.id,
                                    f"{p.name}: {service_name}", {"name": [None, service_name]},
                                    note="published data")
                return sv

            n_audits = n_re = 0
            default_provider = audit_rows[0]["provider"] if audit_rows else ""
            for n, r in enumerate(audit_rows, start=2):
                title = (r.get("audit") or "").strip()
                if not title:
                    raise ValidationError(f"{audits_csv.name} line {n}", r, "has no audit title")
                quarter = Quarter.parse(r.get("quarter_as_given") or "")
                sv = service_for(r.get("provider") or "", (r.get("service") or "").strip())
                kind = AuditKind.RE_AUDIT if looks_like_reaudit(title) else AuditKind.AUDIT
                a = ClinicalAudit(service_id=sv.id, quarter=quarter.code, title=title, kind=kind.value,
                                  standard_body=guess_standard_body(title), status=AuditStatus.COMPLETE.value)
                s.add(a)
                s.flush()
                self._ctx.audit(s, user, "clinical_audit.add", "clinical_audit", a.id, a.title,
                                diff({}, _audit_state(a)), note="published Appendix C")
                n_audits += 1
                n_re += kind is AuditKind.RE_AUDIT
            issued = review = expiry = None
            if pgd_dates_from_table1:
                issued, review, expiry = date(2023, 8, 1), date(2024, 8, 1), date(2026, 2, 1)
            n_pgds = 0
            for n, r in enumerate(pgd_rows, start=2):
                name = (r.get("pgd_as_given") or "").strip()
                if not name:
                    raise ValidationError(f"{pgds_csv.name} line {n}", r, "has no PGD name")
                # pgds.csv names the service only; Appendix C prints it under the same provider.
                sv = service_for(default_provider, (r.get("service") or "").strip())
                g = PatientGroupDirection(service_id=sv.id, name=name, medicine=(r.get("medicine") or "").strip(),
                                          issued=issued, review_due=review, expiry=expiry,
                                          status=PgdStatus.IN_USE.value)
                s.add(g)
                s.flush()
                self._ctx.audit(s, user, "pgd.add", "pgd", g.id, g.name, diff({}, _pgd_state(g)),
                                note="published Appendix C")
                n_pgds += 1
            existing = s.scalar(select(AssuranceSummary).where(AssuranceSummary.label == t1_label))
            if existing is not None:
                raise ValidationError("assurance summary", t1_label, "is already loaded")
            m = AssuranceSummary(label=t1_label, period_start=date(2022, 10, 1), period_end=date(2023, 9, 30),
                                 caption=caption)
            m.entries = [AssuranceEntry(position=i, heading=str(r["heading"]), area=str(r.get("area") or ""),
                                        assurance=str(r.get("assurance") or "")) for i, r in enumerate(rows)]
            s.add(m)
            s.flush()
            self._ctx.audit(s, user, "assurance.add", "assurance_summary", m.id, m.label,
                            {"lines": [None, len(rows)]}, note="published Table 1")
            return ClinicalLoadResult(counts["providers"], counts["services"], n_audits, n_re, n_pgds, len(rows),
                                      t1_label)


# -- helpers -------------------------------------------------------------------------------------


def _split_provider(text: str) -> tuple[str, str]:
    """"Midlands Partnership NHS Foundation Trust (MPFT)" → (name, "MPFT")."""
    text = (text or "").strip()
    if not text:
        raise ValidationError("provider", text, "must not be empty")
    if text.endswith(")") and " (" in text:
        name, short = text[:-1].rsplit(" (", 1)
        return name.strip(), short.strip()
    return text, ""


def _area(row: Any) -> str:
    return f"{row.service_name} delivered by {row.provider_label}"


def _by_service(rows: Any) -> list[tuple[int, list[Any]]]:
    out: dict[int, list[Any]] = {}
    for r in rows:
        out.setdefault(r.service_id, []).append(r)
    return sorted(out.items(), key=lambda kv: (kv[1][0].provider_name, kv[1][0].service_name))


def _reaudits_due(audits: Sequence[ClinicalAuditRow], by: date) -> list[ClinicalAuditRow]:
    """Audits whose re-audit is due by ``by`` and has not been recorded yet."""
    followed = {a.previous_audit_id for a in audits if a.previous_audit_id is not None}
    return [a for a in audits if a.reaudit_due is not None and a.reaudit_due <= by and a.id not in followed]


def _check_lines(lines: Sequence[AssuranceLine]) -> list[AssuranceLine]:
    out = []
    for n, x in enumerate(lines, start=1):
        heading = clean_text(f"row {n} heading", x.heading, required=True, limit=200)
        area = clean_text(f"row {n} area", x.area)
        assurance = clean_text(f"row {n} assurance", x.assurance)
        out.append(AssuranceLine(heading, area, assurance, x.service_id))
    return out


__all__ = ["ClinicalLoadResult", "ClinicalService", "NotFound", "period_words"]
