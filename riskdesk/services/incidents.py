"""The serious-incident log: read and write SIs, their actions, reviews, extensions and risk links.

Every public method takes the acting user and checks ``VIEW_INCIDENTS`` or ``EDIT_INCIDENTS``:
SI records are sensitive, and risk owners may not see them. Writes are audited in the same
transaction, with old → new values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import Session

from riskdesk.domain.errors import StaleEdit, ValidationError
from riskdesk.domain.incidents import (
    ActionDraft,
    ActionRow,
    ClockBand,
    ExtensionRow,
    Framework,
    IncidentDetail,
    IncidentDraft,
    IncidentRow,
    LearningResponse,
    OpenActionLine,
    OverdueClockLine,
    PidWarning,
    ReviewRow,
    RiskLink,
    SiReportData,
    Status,
    add_months,
    clocks_for,
    due_dates,
    new_pid_findings,
    provider_summary,
    two_period_counts,
    validate_draft,
)
from riskdesk.domain.permissions import Permission
from riskdesk.domain.providers import ProviderRow
from riskdesk.domain.register import Actor
from riskdesk.models import (
    CommissionedService,
    IncidentAction,
    IncidentExtension,
    IncidentReview,
    IncidentRisk,
    Provider,
    Register,
    Risk,
    SeriousIncident,
)
from riskdesk.models.base import utcnow
from riskdesk.services.base import ServiceContext, diff, get_or_404
from riskdesk.services.providers import provider_reads, providers_from


@dataclass(frozen=True)
class MonthlyReview:
    """What the monthly SI review meeting goes through.

    Attributes:
        month: (year, month) reviewed.
        reported: SIs reported into the inbox this month.
        open: every SI not closed.
        due: open SIs with a clock or an action falling due this month.
        overdue: SIs with an overdue clock or action.
        actions_due: open actions due by the end of the month, with their SI reference.
    """

    month: tuple[int, int]
    reported: tuple[IncidentRow, ...]
    open: tuple[IncidentRow, ...]
    due: tuple[IncidentRow, ...]
    overdue: tuple[IncidentRow, ...]
    actions_due: tuple[OpenActionLine, ...]


@dataclass(frozen=True)
class IncidentList:
    """What the Incidents page opens on (:meth:`IncidentService.open_list`)."""

    rows: list[IncidentRow]
    providers: list[ProviderRow]
    review: MonthlyReview


def _month_bounds(month: tuple[int, int]) -> tuple[date, date]:
    """The first day of ``month`` and of the month after it."""
    nxt = add_months(month, 1)
    return date(month[0], month[1], 1), date(nxt[0], nxt[1], 1)


#: Columns of the exported SI list.
EXPORT_HEADINGS = (
    "Reference", "Provider", "Service", "Date of incident", "Date identified", "Date reported", "Category",
    "Framework", "Learning response", "StEIS/LFPSE ref", "Status", "Next deadline", "Due", "Working days left",
    "Open actions", "Overdue actions", "Closed", "Description",
)


def export_cells(r: IncidentRow) -> list[Any]:
    nxt = r.next_clock
    return [
        r.reference, r.provider_name, r.service_name, r.occurred_on, r.identified_on, r.reported_on, r.category,
        r.framework.label, r.learning_response.label if r.learning_response else "", r.external_ref, r.status.label,
        nxt.label if nxt else "", nxt.due if nxt else None, nxt.days_left if nxt else None, r.open_actions,
        r.overdue_actions, r.closed_on, r.description,
    ]


def _snapshot(si: SeriousIncident) -> dict[str, Any]:
    """What the audit trail compares before and after an edit."""
    return {
        "reference": si.reference, "provider_id": si.provider_id, "service_id": si.service_id,
        "occurred_on": si.occurred_on, "identified_on": si.identified_on, "reported_on": si.reported_on,
        "category": si.category, "description": si.description, "external_ref": si.external_ref,
        "framework": si.framework, "learning_response": si.learning_response, "agreed_due": si.agreed_due,
        "status": si.status, "steis_reported_on": si.steis_reported_on, "initial_review_on": si.initial_review_on,
        "report_received_on": si.report_received_on, "closed_on": si.closed_on, "lessons": si.lessons,
        "report_due": si.report_due,
        "actions": [f"{a.description} | {a.owner} | due {a.due_on or '-'} | done {a.completed_on or '-'}"
                    for a in si.actions],
        "reviews": [f"{r.reviewed_on} {r.reviewer}: {r.notes}" for r in si.reviews],
        "risks": sorted(k.risk_id for k in si.risk_links),
    }


def _stored_text(si: SeriousIncident) -> list[str]:
    """The free text an SI holds now (for telling new patient-data findings from confirmed ones)."""
    out = [si.reference, si.category, si.description, si.external_ref, si.lessons]
    out += [t for a in si.actions for t in (a.description, a.owner)]
    out += [r.notes for r in si.reviews] + [x.reason for x in si.extensions]
    return out


class IncidentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- reading -----------------------------------------------------------------------------------

    def can_edit(self, actor: Actor) -> bool:
        """Whether the window should offer editing (the service checks again on every write)."""
        from riskdesk.domain.permissions import allows

        with self._ctx.begin() as s:
            return allows(self._ctx.user(s, actor).role, Permission.EDIT_INCIDENTS)

    def counts_by_provider(self, start: date, end: date) -> dict[int, int]:
        """SIs reported to the council per provider id, ``start`` to ``end`` inclusive.

        Counts only, no incident detail: the clinical-governance assurance summary and provider
        profile call this under their own VIEW_CLINICAL check (see ``Services``).
        """
        with self._ctx.read() as s:
            rows = s.execute(
                select(SeriousIncident.provider_id, func.count())
                .where(SeriousIncident.reported_on >= start, SeriousIncident.reported_on <= end)
                .group_by(SeriousIncident.provider_id)
            )
            return {int(provider): int(n) for provider, n in rows}

    def list_incidents(self, actor: Actor, *, today: date | None = None) -> list[IncidentRow]:
        """Every SI, newest report first, with clocks worked out for ``today``."""
        today = today or date.today()
        with self._ctx.begin() as s:
            return self._listing(s, actor, today, [])[0]

    def open_list(self, actor: Actor, month: tuple[int, int], *, today: date | None = None) -> IncidentList:
        """What the Incidents page shows as it opens: every SI (as :meth:`list_incidents`), the
        providers with their services, inactive ones too (as ``ProviderService.list_providers``),
        and ``month``'s review of those SIs (as :meth:`monthly_review`). One transaction; on a
        shared server one round trip, where the three calls took eleven."""
        today = today or date.today()
        with self._ctx.begin() as s:
            rows, (providers, services, actions) = self._listing(
                s, actor, today, [*provider_reads(include_inactive=True), self._review_read(month)])
        return IncidentList(rows, providers_from(providers, services), self._review_from(month, rows, actions, today))

    def _listing(self, s: Session, actor: Actor, today: date, reads: Sequence[Any]
                 ) -> tuple[list[IncidentRow], list[list[Any]]]:
        """Every SI, once the actor may see them, and the rows of each of ``reads`` (plain reads),
        sent together with the user check: one round trip to a shared server. On SQLite the SIs
        are made into rows as the driver reads them, not all held first (100,000 SIs: tens of MB)."""
        extended, listing = self._row_reads(today)
        together = not self._ctx.db.is_sqlite
        who, results = self._ctx.read_with_user(s, actor, [extended, *reads, *([listing] if together else [])],
                                                Permission.VIEW_INCIDENTS)
        self._ctx.require_from(s, actor, who, Permission.VIEW_INCIDENTS)
        found = results.pop() if together else s.connection().execute(listing)
        return self._rows_from({r[0] for r in results[0]}, found, today), results[1:]

    def _rows(self, s: Session, today: date, where: Any = None) -> list[IncidentRow]:
        extended, listing = self._row_reads(today, where)
        return self._rows_from(set(s.scalars(extended)), s.connection().execute(listing), today)

    @staticmethod
    def _row_reads(today: date, where: Any = None) -> tuple[Select[Any], Select[Any]]:
        """The ids of SIs whose deadline was extended, and the SIs (those ``where`` picks) with
        their open and late actions counted: what :meth:`_rows_from` makes the rows of."""
        a = IncidentAction
        open_ = case((a.completed_on.is_(None), 1), else_=0)
        late = case((and_(a.completed_on.is_(None), a.due_on < today), 1), else_=0)
        counts = (
            select(a.incident_id, func.sum(open_).label("open_n"), func.sum(late).label("late_n"))
            .group_by(a.incident_id)
            .subquery()
        )
        si = SeriousIncident
        stmt = (
            select(
                si.id, si.reference, si.provider_id, Provider.name, Provider.short_name, si.service_id,
                CommissionedService.name, si.occurred_on, si.identified_on, si.reported_on, si.category,
                si.description, si.external_ref, si.framework, si.learning_response, si.status, si.closed_on,
                si.steis_due, si.initial_review_due, si.report_due, si.steis_reported_on, si.initial_review_on,
                si.report_received_on, si.agreed_due, counts.c.open_n, counts.c.late_n, si.version,
            )
            .join(Provider, Provider.id == si.provider_id)
            .join(CommissionedService, CommissionedService.id == si.service_id)
            .outerjoin(counts, counts.c.incident_id == si.id)
            .order_by(si.reported_on.desc(), si.id.desc())
        )
        if where is not None:
            stmt = stmt.where(where)
        return select(IncidentExtension.incident_id).distinct(), stmt

    @staticmethod
    def _rows_from(extended: set[int], found: Iterable[Sequence[Any]], today: date) -> list[IncidentRow]:
        """The SIs of ``found`` (the second of :meth:`_row_reads`' reads) as rows, clocks for ``today``."""
        out = []
        frameworks = {f.value: f for f in Framework}
        statuses = {st.value: st for st in Status}
        responses = {lr.value: lr for lr in LearningResponse}
        from riskdesk.domain.incidents import DueDates

        # Provider and service names, categories, dates and clocks repeat across a ten-year log:
        # the driver makes a new object for each row, so keep one of each (tens of MB at 100,000
        # SIs). Not the external references: nearly each is its own, and would only fill the map.
        shared: dict[Any, Any] = {}
        one = shared.setdefault

        for (id_, ref, pid, pname, pshort, sid, sname, occ, ident, rep, cat, desc, ext, fw, lr, st, closed,
             d_steis, d_review, d_report, steis_on, review_on, report_on, _agreed, open_n, late_n,
             version) in found:  # Core rows: no ORM bookkeeping for 100,000 SIs
            clocks = clocks_for(DueDates(one(d_steis, d_steis), one(d_review, d_review), one(d_report, d_report)),
                                steis_reported_on=one(steis_on, steis_on), initial_review_on=one(review_on, review_on),
                                report_received_on=one(report_on, report_on), closed_on=one(closed, closed),
                                today=today, extended=id_ in extended)
            clocks = one(clocks, clocks)  # the same (cached) clocks recur: one tuple for each set
            provider = pshort or pname
            out.append(IncidentRow(
                id_, ref, pid, one(provider, provider), sid, one(sname, sname), one(occ, occ), one(ident, ident),
                one(rep, rep), one(cat, cat), desc, ext, frameworks[fw],
                responses.get(lr) if lr else None, statuses[st], one(closed, closed), clocks, int(open_n or 0),
                int(late_n or 0), version,
            ))
        return out

    def get(self, actor: Actor, incident_id: int, *, today: date | None = None) -> IncidentDetail:
        today = today or date.today()
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_INCIDENTS)
            return self._detail(s, get_or_404(s, SeriousIncident, incident_id, "Serious incident"), today)

    def _detail(self, s: Session, si: SeriousIncident, today: date) -> IncidentDetail:
        s.flush()
        row = self._rows(s, today, SeriousIncident.id == si.id)[0]
        risks = []
        if si.risk_links:
            ids = [k.risk_id for k in si.risk_links]
            for rid, ref, desc, reg in s.execute(
                select(Risk.id, Risk.ref, Risk.description, Register.name)
                .join(Register, Register.id == Risk.register_id)
                .where(Risk.id.in_(ids))
                .order_by(Register.name, Risk.ref)
            ):
                risks.append(RiskLink(rid, ref, reg, desc))
        return IncidentDetail(
            row=row, agreed_due=si.agreed_due, steis_reported_on=si.steis_reported_on,
            initial_review_on=si.initial_review_on, report_received_on=si.report_received_on, lessons=si.lessons,
            actions=tuple(ActionRow(a.id, a.description, a.owner, a.due_on, a.completed_on) for a in si.actions),
            reviews=tuple(ReviewRow(r.id, r.reviewed_on, r.reviewer, r.notes) for r in si.reviews),
            extensions=tuple(ExtensionRow(x.id, x.previous_due, x.new_due, x.reason, x.recorded_by, x.recorded_at)
                             for x in si.extensions),
            risks=tuple(risks),
        )

    def linkable_risks(self, actor: Actor) -> list[RiskLink]:
        """Current risks of every register, for linking an SI to them."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_INCIDENTS)
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            stmt = (
                select(Risk.id, Risk.ref, Risk.description, Register.name)
                .join(Register, Register.id == Risk.register_id)
                .where(Risk.status == "current")
                .order_by(Register.name, Risk.ref)
            )
            return [RiskLink(rid, ref, reg, desc) for rid, ref, desc, reg in s.execute(stmt)]

    # -- writing -----------------------------------------------------------------------------------

    def save(self, actor: Actor, draft: IncidentDraft, *, expected_version: int | None = None,
             confirm_no_pid: bool = False, today: date | None = None) -> IncidentDetail:
        """Log a new SI (``draft.id`` None) or save an edit of one, children included.

        Args:
            actor: who is acting (needs ``EDIT_INCIDENTS``).
            draft: the whole record as the user left it.
            expected_version: the version the user opened (required for an edit).
            confirm_no_pid: the user confirmed that text flagged as patient data is not.
            today: for the clocks of the returned record (tests pass a fixed day).

        Raises:
            PidWarning: free text looks like an NHS number or date of birth and was not confirmed.
            ValidationError: a rule is broken. StaleEdit: someone else saved first.
        """
        today = today or date.today()
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_INCIDENTS)
            si: SeriousIncident | None = None
            if draft.id is not None:
                si = get_or_404(s, SeriousIncident, draft.id, "Serious incident")
                if expected_version is None or si.version != expected_version:
                    raise StaleEdit(f"Serious incident {si.reference}")
            extended_to = si.extensions[-1].new_due if si is not None and si.extensions else None
            clean = validate_draft(draft, Status(si.status) if si else None, extended_to)
            # Text a user already confirmed as not patient data is not flagged again on later saves.
            findings = new_pid_findings(clean, _stored_text(si) if si is not None else ())
            if findings and not confirm_no_pid:
                raise PidWarning(findings)
            service = s.get(CommissionedService, clean.service_id)
            if service is None or service.provider_id != clean.provider_id:
                raise ValidationError("service", clean.service_id, "is not a service of the chosen provider")
            if clean.risk_ids:
                found = set(s.scalars(select(Risk.id).where(Risk.id.in_(clean.risk_ids))))
                missing = [r for r in clean.risk_ids if r not in found]
                if missing:
                    raise ValidationError("linked risk", missing[0], "does not exist (it may have been deleted)")
            reference = clean.reference or self._next_reference(s, clean.reported_on.year)
            clash = s.scalar(select(SeriousIncident.id).where(func.lower(SeriousIncident.reference) == reference.lower()))
            if clash is not None and (si is None or clash != si.id):
                raise ValidationError("reference", reference, "is already used by another SI")

            before = _snapshot(si) if si else {}
            if si is None:
                si = SeriousIncident(reference=reference, provider_id=clean.provider_id,
                                     service_id=clean.service_id, identified_on=clean.identified_on,
                                     reported_on=clean.reported_on, description=clean.description,
                                     framework=clean.framework.value)
                s.add(si)
            self._apply(s, si, clean, reference, user.login)
            s.flush()
            after = _snapshot(si)
            action = "incident.update" if before else "incident.add"
            changes = diff(before, after)
            if changes:
                self._ctx.audit(s, user, action, "serious_incident", si.id, si.reference, changes,
                                note="; ".join(f"user confirmed not patient data: {f}" for f in findings))
            for x in clean.new_extensions:
                self._ctx.audit(s, user, "incident.extend", "serious_incident", si.id, si.reference,
                                {"report_due": [x.previous_due, x.new_due]}, note=x.reason)
            return self._detail(s, si, today)

    def _apply(self, s: Session, si: SeriousIncident, d: IncidentDraft, reference: str, login: str) -> None:
        si.reference = reference
        si.provider_id, si.service_id = d.provider_id, d.service_id
        si.occurred_on, si.identified_on, si.reported_on = d.occurred_on, d.identified_on, d.reported_on
        si.category, si.description, si.external_ref = d.category, d.description, d.external_ref
        si.framework = Framework(d.framework).value
        si.learning_response = d.learning_response.value if d.learning_response else None
        si.agreed_due, si.status = d.agreed_due, Status(d.status).value
        si.steis_reported_on, si.initial_review_on = d.steis_reported_on, d.initial_review_on
        si.report_received_on, si.closed_on, si.lessons = d.report_received_on, d.closed_on, d.lessons
        # Children: keep rows whose ids come back, add new ones, drop the rest.
        by_id = {a.id: a for a in si.actions}
        actions = []
        for pos, a in enumerate(d.actions):
            obj = by_id.get(a.id) if a.id is not None else None
            if obj is None:
                obj = IncidentAction(description=a.description)
            obj.position, obj.description, obj.owner = pos, a.description, a.owner
            obj.due_on, obj.completed_on = a.due_on, a.completed_on
            actions.append(obj)
        si.actions = actions
        reviews_by_id = {r.id: r for r in si.reviews}
        reviews = []
        for r in d.reviews:
            obj = reviews_by_id.get(r.id) if r.id is not None else None
            if obj is None:
                obj = IncidentReview(reviewed_on=r.reviewed_on, notes=r.notes)
            obj.reviewed_on, obj.reviewer, obj.notes = r.reviewed_on, r.reviewer, r.notes
            reviews.append(obj)
        si.reviews = reviews
        for x in d.new_extensions:
            si.extensions.append(IncidentExtension(previous_due=x.previous_due, new_due=x.new_due, reason=x.reason,
                                                   recorded_by=login))
        wanted = list(d.risk_ids)
        si.risk_links = [k for k in si.risk_links if k.risk_id in wanted] + [
            IncidentRisk(risk_id=r) for r in wanted if r not in {k.risk_id for k in si.risk_links}
        ]
        extended_to = si.extensions[-1].new_due if si.extensions else None
        dues = due_dates(Framework(d.framework), d.identified_on, d.reported_on, d.agreed_due, extended_to)
        si.steis_due, si.initial_review_due, si.report_due = dues.steis, dues.initial_review, dues.report
        # Touch the row on every save so its version moves even when only children changed:
        # that is what makes a stale edit of the actions or reviews detectable.
        si.updated_at = utcnow()

    @staticmethod
    def _next_reference(s: Session, year: int) -> str:
        prefix = f"SI-{year}-"
        taken = set(s.scalars(select(SeriousIncident.reference).where(SeriousIncident.reference.like(prefix + "%"))))
        n = len(taken) + 1
        while f"{prefix}{n:03d}" in taken:
            n += 1
        return f"{prefix}{n:03d}"

    # Convenience edits: each reads the SI, changes one thing and saves through ``save``.

    def _edit(self, actor: Actor, incident_id: int, expected_version: int, change: Any, *,
              confirm_no_pid: bool = False, today: date | None = None) -> IncidentDetail:
        detail = self.get(actor, incident_id, today=today)
        if detail.version != expected_version:
            raise StaleEdit(f"Serious incident {detail.row.reference}")
        return self.save(actor, change(detail.to_draft()), expected_version=expected_version,
                         confirm_no_pid=confirm_no_pid, today=today)

    def add_action(self, actor: Actor, incident_id: int, action: ActionDraft, *, expected_version: int,
                   confirm_no_pid: bool = False, today: date | None = None) -> IncidentDetail:
        return self._edit(actor, incident_id, expected_version, lambda d: d.with_(actions=(*d.actions, action)),
                          confirm_no_pid=confirm_no_pid, today=today)

    def complete_action(self, actor: Actor, incident_id: int, action_id: int, completed_on: date, *,
                        expected_version: int, today: date | None = None) -> IncidentDetail:
        def change(d: IncidentDraft) -> IncidentDraft:
            if action_id not in {a.id for a in d.actions}:
                raise ValidationError("action", action_id, "is not an action of this SI")
            return d.with_(actions=tuple(a if a.id != action_id else ActionDraft(
                a.id, a.description, a.owner, a.due_on, completed_on) for a in d.actions))
        return self._edit(actor, incident_id, expected_version, change, today=today)

    def add_review(self, actor: Actor, incident_id: int, reviewed_on: date, reviewer: str, notes: str, *,
                   expected_version: int, confirm_no_pid: bool = False, today: date | None = None) -> IncidentDetail:
        review = ReviewRow(None, reviewed_on, reviewer, notes)
        return self._edit(actor, incident_id, expected_version, lambda d: d.with_(reviews=(*d.reviews, review)),
                          confirm_no_pid=confirm_no_pid, today=today)

    def extend(self, actor: Actor, incident_id: int, new_due: date, reason: str, *, expected_version: int,
               confirm_no_pid: bool = False, today: date | None = None) -> IncidentDetail:
        """Extend the report clock to ``new_due``; the reason is required and kept for good."""
        ext = ExtensionRow(None, None, new_due, reason)
        return self._edit(actor, incident_id, expected_version, lambda d: d.with_(new_extensions=(ext,)),
                          confirm_no_pid=confirm_no_pid, today=today)

    def set_status(self, actor: Actor, incident_id: int, status: Status, *, expected_version: int,
                   on: date | None = None, today: date | None = None) -> IncidentDetail:
        """Move an SI along its workflow; ``on`` fills the report-received or closure date if missing."""
        def change(d: IncidentDraft) -> IncidentDraft:
            day = on or today or date.today()
            out = d.with_(status=status)
            if status.step >= Status.REPORT_RECEIVED.step and out.report_received_on is None:
                out = out.with_(report_received_on=day)
            if status is Status.CLOSED and out.closed_on is None:
                out = out.with_(closed_on=day)
            if status is not Status.CLOSED:
                out = out.with_(closed_on=None)
            return out
        return self._edit(actor, incident_id, expected_version, change, today=today)

    def delete(self, actor: Actor, incident_id: int, *, expected_version: int) -> None:
        """Delete an SI logged in error (audited with everything it held)."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_INCIDENTS)
            si = get_or_404(s, SeriousIncident, incident_id, "Serious incident")
            if si.version != expected_version:
                raise StaleEdit(f"Serious incident {si.reference}")
            self._ctx.audit(s, user, "incident.delete", "serious_incident", si.id, si.reference,
                            diff(_snapshot(si), {}))
            s.delete(si)

    # -- reviews, reports and exports -------------------------------------------------------------

    def monthly_review(self, actor: Actor, month: tuple[int, int], *, today: date | None = None,
                       rows: Sequence[IncidentRow] | None = None) -> MonthlyReview:
        """The review of ``month``.

        ``rows``: every SI as :meth:`list_incidents` gave it for the same ``today`` (the page holds
        them already). The review's lists then hold those very row objects, in the same order,
        rather than a second copy read again (18,000 open SIs at 100,000 cost tens of MB twice).
        Without ``rows``, only the SIs the meeting looks at are read.
        """
        today = today or date.today()
        first, end = _month_bounds(month)
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_INCIDENTS)
            if rows is None:
                # Only what the meeting looks at: open SIs and those reported this month.
                rows = self._rows(s, today, or_(SeriousIncident.status != Status.CLOSED.value,
                                                and_(SeriousIncident.reported_on >= first,
                                                     SeriousIncident.reported_on < end)))
            actions = list(s.execute(self._review_read(month)))
        return self._review_from(month, rows, actions, today)

    @staticmethod
    def _review_read(month: tuple[int, int]) -> Select[Any]:
        """The open actions due by the end of ``month``, soonest first, with their SI."""
        end = _month_bounds(month)[1]
        return (
            select(SeriousIncident.id, SeriousIncident.reference, Provider.short_name, Provider.name,
                   IncidentAction.description, IncidentAction.owner, IncidentAction.due_on)
            .join(IncidentAction, IncidentAction.incident_id == SeriousIncident.id)
            .join(Provider, Provider.id == SeriousIncident.provider_id)
            .where(IncidentAction.completed_on.is_(None), IncidentAction.due_on < end)
            .order_by(IncidentAction.due_on, SeriousIncident.reference)
        )

    @staticmethod
    def _review_from(month: tuple[int, int], rows: Sequence[IncidentRow], actions: Iterable[Sequence[Any]],
                     today: date) -> MonthlyReview:
        """``month``'s review of ``rows`` (SIs) and ``actions`` (what :meth:`_review_read` read)."""
        first, end = _month_bounds(month)
        action_lines = []
        due_ids: set[int] = set()
        for sid, ref, short, name, desc, owner, due in actions:
            action_lines.append(OpenActionLine(short or name, ref, desc, owner, due, due < today))
            if due >= first:
                due_ids.add(sid)
        open_rows = tuple(r for r in rows if r.is_open)
        due = tuple(r for r in open_rows if r.id in due_ids or any(
            c.band is not ClockBand.MET and first <= c.due < end for c in r.clocks))
        return MonthlyReview(
            month=month,
            reported=tuple(r for r in rows if r.month == month),
            open=open_rows,
            due=due,
            overdue=tuple(r for r in open_rows if r.overdue),
            actions_due=tuple(action_lines),
        )

    def report_data(self, actor: Actor, first: tuple[int, int], last: tuple[int, int], *,
                    today: date | None = None, title: str = "Serious incidents reported to Public Health"
                    ) -> SiReportData:
        """The SI report's content: two twelve-month periods (``first``…``last`` and the year before),
        open actions and overdue clocks by provider."""
        today = today or date.today()
        start = add_months(first, -12)
        stop = add_months(last, 1)
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_INCIDENTS)
            reported = list(s.scalars(select(SeriousIncident.reported_on).where(
                SeriousIncident.reported_on >= date(start[0], start[1], 1),
                SeriousIncident.reported_on < date(stop[0], stop[1], 1))))
            p1, p2 = two_period_counts(reported, first, last)
            rows = [r for r in self._rows(s, today, SeriousIncident.status != Status.CLOSED.value)]
            by_id = {r.id: r for r in rows}
            actions = []
            stmt = (
                select(IncidentAction.incident_id, IncidentAction.description, IncidentAction.owner,
                       IncidentAction.due_on)
                .where(IncidentAction.completed_on.is_(None))
                .order_by(IncidentAction.incident_id, IncidentAction.position)
            )
            for sid, desc, owner, due in s.execute(stmt):
                r = by_id.get(sid)
                if r is not None:
                    actions.append(OpenActionLine(r.provider_name, r.reference, desc, owner, due,
                                                  bool(due and due < today)))
        actions.sort(key=lambda a: (a.provider.lower(), a.due_on or date.max, a.reference))
        overdue = sorted(
            (OverdueClockLine(r.provider_name, r.reference, c.label, c.due, -c.days_left)
             for r in rows for c in r.clocks if c.band is ClockBand.OVERDUE),
            key=lambda o: (o.provider.lower(), -o.days_overdue, o.reference),
        )
        return SiReportData(title=title, generated_on=today, period1=p1, period2=p2,
                            open_actions=tuple(actions), overdue_clocks=tuple(overdue),
                            providers=provider_summary(rows),
                            subtitle=f"Reported into the dedicated PH SI inbox, {p2.label} compared with {p1.label}")

    def write_report(self, actor: Actor, first: tuple[int, int], last: tuple[int, int], out: Path, *,
                     today: date | None = None) -> Path:
        """Write the SI report: PDF, or the two-period table as .xlsx/.csv, chosen by ``out``'s extension."""
        data = self.report_data(actor, first, last, today=today)
        suffix = Path(out).suffix.lower()
        if suffix == ".pdf":
            from riskdesk.reports.si_report import write_si_report

            return write_si_report(data, out)
        if suffix in (".xlsx", ".csv"):
            from riskdesk.io import Column, export_rows
            from riskdesk.reports.si_report import table_rows

            headings, rows = table_rows(data)
            return export_rows(out, [Column(h) for h in headings], rows, sheet_name="SIs per month")
        raise ValidationError("report file", str(out), "must end in .pdf, .xlsx or .csv")

    def export(self, actor: Actor, path: Path, rows: Sequence[IncidentRow]) -> Path:
        """Write the SI list (as filtered in the window) to .xlsx or .csv."""
        from riskdesk.io import Column, export_rows

        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_INCIDENTS)
            self._ctx.require(s, actor, Permission.EXPORT)
        widths = {"Description": 60.0, "Category": 28.0, "Service": 30.0}
        return export_rows(path, [Column(h, widths.get(h)) for h in EXPORT_HEADINGS],
                           (export_cells(r) for r in rows), sheet_name="Serious incidents")
