"""The complaints team's log: contacts at the front door, complaints through their stages,
extensions, remedies, compliments, and the restricted complainant record.

Every public method takes the acting user and checks ``VIEW_COMPLAINTS``, ``EDIT_COMPLAINTS``
or ``VIEW_COMPLAINANT``; writes are audited in the same transaction. Audit entries about a
complainant's personal fields record which field changed and a salted hash, never the value, so
that retention deletion can remove the data while the hash-chained trail stays intact (SPEC D.10).
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from riskdesk.domain.calendars import CalendarId, get
from riskdesk.domain.complaints import (
    DEFAULT_RETENTION_YEARS,
    INFORMAL_WINDOW,
    Acceptance,
    ClockBand,
    ComplainantData,
    ComplaintDetail,
    ComplaintDraft,
    ComplaintRow,
    ComplimentRow,
    ContactDraft,
    ContactKind,
    ContactRow,
    EnquiryCategory,
    ExclusionReason,
    ExtensionRow,
    Outcome,
    Procedure,
    RemedyKind,
    RemedyRow,
    RetentionReport,
    StageRow,
    band,
    check_acceptance,
    check_extension,
    check_stage_handler,
    default_rule_set,
    final_outcome,
    parse_outcome,
    stage_clock,
    twelve_month_limit,
)
from riskdesk.domain.errors import NotFound, StaleEdit, ValidationError
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.register import Actor
from riskdesk.models import (
    Complainant,
    Complaint,
    ComplaintRemedy,
    ComplaintService,
    ComplaintServiceAlias,
    ComplaintStage,
    Compliment,
    Contact,
    Department,
    StageExtension,
)
from riskdesk.models.base import utcnow
from riskdesk.services.base import ServiceContext, collector_paused, get_or_404

_PERSONAL = tuple(f.name for f in fields(ComplainantData))


def _hash(value: Any) -> str:
    from riskdesk.services.audit import removed_hash

    return removed_hash("" if value is None else str(value)) if value not in (None, "") else ""


class ComplaintsService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- permissions the window asks about ---------------------------------------------------------

    def can(self, actor: Actor, permission: Permission) -> bool:
        with self._ctx.begin() as s:
            return allows(self._ctx.user(s, actor).role, permission)

    # -- reference data: services and aliases ------------------------------------------------------

    def add_service(self, actor: Actor, name: str, *, department: str = "", aliases: tuple[str, ...] = (),
                    service_group: str = "", exclude_from_top: bool = False, childrens_social_care: bool = False) -> int:
        """Add a service complaints can be recorded against, with the other names reports print."""
        name = " ".join(name.split())
        if not name:
            raise ValidationError("service name", name, "is required")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            if self._find_service(s, name) is not None:
                raise ValidationError("service name", name, "is already a service or an alias of one")
            svc = ComplaintService(name=name, department_id=self._department_id(s, department),
                                   service_group=service_group, exclude_from_top_services=exclude_from_top,
                                   childrens_social_care=childrens_social_care)
            for alias in aliases:
                alias = " ".join(alias.split())
                if self._find_service(s, alias) is not None:
                    raise ValidationError("alias", alias, "is already a service or an alias of one")
                svc.aliases.append(ComplaintServiceAlias(alias=alias))
            s.add(svc)
            s.flush()
            self._ctx.audit(s, user, "complaint_service.add", "complaint_service", svc.id, name,
                            {"name": [None, name], "aliases": [None, list(aliases)], "department": [None, department]})
            return svc.id

    def service_names(self, actor: Actor) -> list[str]:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            return list(s.scalars(select(ComplaintService.name).where(ComplaintService.active)
                                  .order_by(ComplaintService.name)))

    @staticmethod
    def _find_service(s: Session, name: str) -> ComplaintService | None:
        key = " ".join(name.split()).lower()
        svc = s.scalar(select(ComplaintService).where(func.lower(ComplaintService.name) == key))
        if svc is None:
            sid = s.scalar(select(ComplaintServiceAlias.service_id)
                           .where(func.lower(ComplaintServiceAlias.alias) == key))
            svc = s.get(ComplaintService, sid) if sid is not None else None
        return svc

    def _service(self, s: Session, name: str) -> ComplaintService | None:
        if not name.strip():
            return None
        svc = self._find_service(s, name)
        if svc is None:
            raise ValidationError("service", name, "is not a known service or alias (add it under Services first)")
        return svc

    @staticmethod
    def _department_id(s: Session, code: str) -> int | None:
        if not code.strip():
            return None
        dep = s.scalar(select(Department.id).where(func.lower(Department.code) == code.strip().lower()))
        if dep is None:
            raise ValidationError("department", code, "is not a department code riskdesk knows")
        return dep

    # -- the front door ----------------------------------------------------------------------------

    def log_contact(self, actor: Actor, draft: ContactDraft) -> ContactRow:
        """Log an enquiry, service request, compliment or Ombudsman contact (complaints: ``log_complaint``)."""
        if draft.kind is ContactKind.COMPLAINT:
            raise ValidationError("kind", draft.kind.label, "is logged with the complaint itself (New complaint)")
        category = draft.category
        if draft.kind is ContactKind.SERVICE_REQUEST:
            category = EnquiryCategory.SERVICE_REQUEST
        elif draft.kind is ContactKind.ENQUIRY and category is None:
            raise ValidationError("category", "", "is required for an enquiry: "
                                  + ", ".join(c.label for c in EnquiryCategory))
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            svc = self._service(s, draft.service)
            contact = Contact(reference=self._next_ref(s, "CT", draft.logged_on or draft.received_on),
                              kind=draft.kind.value, received_on=draft.received_on,
                              logged_on=draft.logged_on or draft.received_on, received_at=draft.received_at,
                              channel=draft.channel.value, enquiry_category=category.value if category else None,
                              department_id=self._department_id(s, draft.department) or (svc.department_id if svc else None),
                              service_id=svc.id if svc else None, summary=draft.summary)
            s.add(contact)
            s.flush()
            if draft.kind is ContactKind.COMPLIMENT:
                s.add(Compliment(contact_id=contact.id, logged_on=contact.logged_on,
                                 department_id=contact.department_id, service_id=contact.service_id,
                                 text=draft.summary))
            self._ctx.audit(s, user, "contact.add", "contact", contact.id, contact.reference,
                            {"kind": [None, contact.kind], "category": [None, contact.enquiry_category],
                             "service": [None, svc.name if svc else ""], "received_on": [None, contact.received_on]})
            return self._contact_row(s, contact)

    def list_contacts(self, actor: Actor, *, kind: ContactKind | None = None,
                      limit: int = 5000) -> list[ContactRow]:
        """The front door's log, newest first (complaints are listed on their own, so left out)."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            converted = aliased(Complaint)
            stmt = (select(Contact.id, Contact.reference, Contact.kind, Contact.received_on, Contact.logged_on,
                           Contact.enquiry_category, ComplaintService.name, Contact.summary, Contact.received_at,
                           converted.reference, Contact.version)
                    .outerjoin(ComplaintService, ComplaintService.id == Contact.service_id)
                    .outerjoin(converted, converted.converted_from_id == Contact.id)
                    .where(Contact.kind != ContactKind.COMPLAINT.value)
                    .order_by(Contact.logged_on.desc(), Contact.id.desc()).limit(limit))
            if kind is not None:
                stmt = stmt.where(Contact.kind == kind.value)
            return [ContactRow(i, ref, ContactKind(k), rec, logged, EnquiryCategory(cat) if cat else None, svc or "",
                               summary or "", at + INFORMAL_WINDOW if at else None, conv or "", v)
                    for i, ref, k, rec, logged, cat, svc, summary, at, conv, v in s.execute(stmt)]

    def _contact_row(self, s: Session, c: Contact) -> ContactRow:
        svc = s.get(ComplaintService, c.service_id) if c.service_id else None
        converted = s.scalar(select(Complaint.reference).where(Complaint.converted_from_id == c.id)) or ""
        return ContactRow(c.id, c.reference, ContactKind(c.kind), c.received_on, c.logged_on,
                          EnquiryCategory(c.enquiry_category) if c.enquiry_category else None,
                          svc.name if svc else "", c.summary,
                          c.received_at + INFORMAL_WINDOW if c.received_at else None, converted, c.version)

    def convert_to_complaint(self, actor: Actor, contact_id: int, *, dissatisfied_on: date, expected_version: int,
                             procedure: Procedure = Procedure.CORPORATE, handler: str = "",
                             today: date | None = None) -> ComplaintDetail:
        """A service request (or enquiry) becomes a complaint: a linked complaint received on the day
        dissatisfaction was expressed; the contact keeps its kind and is still counted as it was."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            contact = get_or_404(s, Contact, contact_id, "Contact")
            if contact.version != expected_version:
                raise StaleEdit(f"Contact {contact.reference}")
            if contact.kind not in (ContactKind.SERVICE_REQUEST.value, ContactKind.ENQUIRY.value):
                raise ValidationError("contact", contact.reference, "is not a service request or enquiry")
            done = s.scalar(select(Complaint.reference).where(Complaint.converted_from_id == contact.id))
            if done:
                raise ValidationError("contact", contact.reference, f"was already converted to complaint {done}")
            if dissatisfied_on < contact.received_on:
                raise ValidationError("date dissatisfaction expressed", dissatisfied_on.isoformat(),
                                      f"is before the contact was received ({contact.received_on:%d %b %Y})")
            svc = s.get(ComplaintService, contact.service_id) if contact.service_id else None
            draft = ComplaintDraft(procedure=procedure, received_on=dissatisfied_on, service=svc.name if svc else "",
                                   summary=contact.summary, handler=handler)
            complaint = self._new_complaint(s, user, draft, converted_from=contact)
            self._ctx.audit(s, user, "contact.convert", "contact", contact.id, contact.reference,
                            {"converted_to": [None, complaint.reference], "dissatisfied_on": [None, dissatisfied_on]})
            return self._detail(s, complaint, today or date.today())

    # -- complaints --------------------------------------------------------------------------------

    def log_complaint(self, actor: Actor, draft: ComplaintDraft, *, today: date | None = None) -> ComplaintDetail:
        """Log a new complaint (its contact and stage 1 open with it)."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            complaint = self._new_complaint(s, user, draft)
            return self._detail(s, complaint, today or date.today())

    def _new_complaint(self, s: Session, user: Any, d: ComplaintDraft, converted_from: Contact | None = None) -> Complaint:
        svc = self._service(s, d.service)
        dep = self._department_id(s, d.department) or (svc.department_id if svc else None)
        rs = d.rule_set or default_rule_set(d.procedure, d.received_on)
        logged = d.logged_on or d.received_on
        contact = Contact(reference=self._next_ref(s, "CT", logged), kind=ContactKind.COMPLAINT.value,
                          received_on=d.received_on, logged_on=logged, channel=d.channel.value, department_id=dep,
                          service_id=svc.id if svc else None, summary="")
        s.add(contact)
        s.flush()
        c = Complaint(reference=self._next_ref(s, d.procedure.prefix, d.received_on), contact_id=contact.id,
                      converted_from_id=converted_from.id if converted_from else None, procedure=d.procedure.value,
                      rule_set=rs, received_on=d.received_on, issue_on=d.issue_on, aware_on=d.aware_on,
                      department_id=dep, service_id=svc.id if svc else None, summary=d.summary,
                      safeguarding=d.safeguarding, health_and_safety=d.health_and_safety)
        c.stages.append(ComplaintStage(number=1, requested_on=d.received_on, handler=d.handler))
        s.add(c)
        self._recompute(c)
        s.flush()
        self._ctx.audit(s, user, "complaint.add", "complaint", c.id, c.reference,
                        {"procedure": [None, c.procedure], "received_on": [None, c.received_on],
                         "rule_set": [None, rs], "service": [None, svc.name if svc else ""],
                         "stage 1 handler": [None, d.handler], "summary": [None, d.summary],
                         "safeguarding": [None, d.safeguarding], "health_and_safety": [None, d.health_and_safety],
                         "converted_from": [None, converted_from.reference if converted_from else None]})
        return c

    def _open(self, s: Session, complaint_id: int, expected_version: int) -> Complaint:
        c = s.get(Complaint, complaint_id)
        if c is None:
            raise NotFound(f"Complaint {complaint_id} does not exist (it may have been deleted by someone else).")
        if c.version != expected_version:
            raise StaleEdit(f"Complaint {c.reference}")
        return c

    def _touch(self, c: Complaint) -> None:
        # Every change to a stage, extension or remedy updates the complaint row too, so its version
        # moves and a second person's stale save of the same case is refused.
        c.updated_at = utcnow()

    def set_acceptance(self, actor: Actor, complaint_id: int, acceptance: Acceptance, *, expected_version: int,
                       exclusion_reason: ExclusionReason | None = None, exclusion_evidence: str = "",
                       out_of_time_reason: str = "", issue_on: date | None = None, aware_on: date | None = None,
                       safeguarding: bool | None = None, health_and_safety: bool | None = None,
                       today: date | None = None) -> ComplaintDetail:
        """Accept, refuse (with a policy reason and evidence) or mark withdrawn (Code 2.1–2.3)."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            c = self._open(s, complaint_id, expected_version)
            sg = c.safeguarding if safeguarding is None else safeguarding
            hs = c.health_and_safety if health_and_safety is None else health_and_safety
            issue = issue_on if issue_on is not None else c.issue_on
            aware = aware_on if aware_on is not None else c.aware_on
            check_acceptance(acceptance, received_on=c.received_on, issue_on=issue, aware_on=aware,
                             exclusion_reason=exclusion_reason, exclusion_evidence=exclusion_evidence,
                             out_of_time_reason=out_of_time_reason, safeguarding=sg, health_and_safety=hs)
            before = {"acceptance": c.acceptance, "exclusion_reason": c.exclusion_reason,
                      "exclusion_evidence": c.exclusion_evidence, "out_of_time_reason": c.out_of_time_reason,
                      "issue_on": c.issue_on, "aware_on": c.aware_on, "safeguarding": c.safeguarding,
                      "health_and_safety": c.health_and_safety}
            c.acceptance = acceptance.value
            c.exclusion_reason = exclusion_reason.value if acceptance is Acceptance.NOT_ACCEPTED and exclusion_reason \
                else None
            c.exclusion_evidence = exclusion_evidence if acceptance is Acceptance.NOT_ACCEPTED else ""
            c.out_of_time_reason = out_of_time_reason
            c.issue_on, c.aware_on, c.safeguarding, c.health_and_safety = issue, aware, sg, hs
            if acceptance is not Acceptance.ACCEPTED:
                c.resolved_on = c.resolved_on or (today or date.today())
            self._touch(c)
            after = {"acceptance": c.acceptance, "exclusion_reason": c.exclusion_reason,
                     "exclusion_evidence": c.exclusion_evidence, "out_of_time_reason": c.out_of_time_reason,
                     "issue_on": c.issue_on, "aware_on": c.aware_on, "safeguarding": c.safeguarding,
                     "health_and_safety": c.health_and_safety}
            self._audit_change(s, user, "complaint.acceptance", c, before, after)
            return self._detail(s, c, today or date.today())

    def acknowledge(self, actor: Actor, complaint_id: int, stage: int, on: date, *, expected_version: int,
                    today: date | None = None) -> ComplaintDetail:
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            c = self._open(s, complaint_id, expected_version)
            st = self._stage(c, stage)
            if on < st.requested_on:
                raise ValidationError("acknowledged", on.isoformat(),
                                      f"is before the stage was requested ({st.requested_on:%d %b %Y})")
            before = st.acknowledged_on
            st.acknowledged_on = on
            self._recompute(c)
            self._touch(c)
            self._ctx.audit(s, user, "complaint.acknowledge", "complaint", c.id, c.reference,
                            {f"stage {stage} acknowledged_on": [before, on]})
            return self._detail(s, c, today or date.today())

    def respond(self, actor: Actor, complaint_id: int, stage: int, *, responded_on: date, outcome: str | Outcome,
                handler: str, expected_version: int, today: date | None = None) -> ComplaintDetail:
        """Record a stage's response: the outcome (never "partially upheld") and who considered it."""
        result = parse_outcome(outcome)
        if not handler.strip():
            raise ValidationError("handler", handler, "is required: record who considered the complaint")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            c = self._open(s, complaint_id, expected_version)
            if c.acceptance != Acceptance.ACCEPTED.value:
                raise ValidationError("complaint", c.reference, f"is {Acceptance(c.acceptance).label.lower()}: "
                                      "there is no response to record")
            st = self._stage(c, stage)
            check_stage_handler(stage, handler, [x.handler for x in c.stages if x.number < stage])
            if responded_on < st.requested_on:
                raise ValidationError("responded", responded_on.isoformat(),
                                      f"is before the stage was requested ({st.requested_on:%d %b %Y})")
            before = {"responded_on": st.responded_on, "outcome": st.outcome, "handler": st.handler}
            st.responded_on, st.outcome, st.handler = responded_on, result.value, handler
            self._recompute(c)
            self._touch(c)
            self._ctx.audit(s, user, "complaint.respond", "complaint", c.id, c.reference,
                            {f"stage {stage} {k}": [v, getattr(st, k)] for k, v in before.items()
                             if v != getattr(st, k)} | {"final_outcome": [None, c.final_outcome]})
            return self._detail(s, c, today or date.today())

    def escalate(self, actor: Actor, complaint_id: int, *, requested_on: date, handler: str, expected_version: int,
                 today: date | None = None) -> ComplaintDetail:
        """Open the next stage (corporate stage 2; children's stages 2 and 3)."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            c = self._open(s, complaint_id, expected_version)
            proc = Procedure(c.procedure)
            last = c.stages[-1]
            if len(c.stages) >= proc.max_stages:
                raise ValidationError("stage", len(c.stages) + 1,
                                      f"does not exist: the {proc.label.lower()} procedure has {proc.max_stages} "
                                      f"stage{'s' if proc.max_stages > 1 else ''}")
            if last.responded_on is None:
                raise ValidationError("stage", last.number + 1,
                                      f"cannot open before stage {last.number} has been responded to")
            if requested_on < last.responded_on:
                raise ValidationError("escalation requested", requested_on.isoformat(),
                                      f"is before the stage {last.number} response ({last.responded_on:%d %b %Y})")
            number = last.number + 1
            if handler.strip():
                check_stage_handler(number, handler, [x.handler for x in c.stages])
            c.stages.append(ComplaintStage(number=number, requested_on=requested_on, handler=handler))
            c.resolved_on = None
            self._recompute(c)
            self._touch(c)
            s.flush()
            self._ctx.audit(s, user, "complaint.escalate", "complaint", c.id, c.reference,
                            {f"stage {number} requested_on": [None, requested_on],
                             f"stage {number} handler": [None, handler]})
            return self._detail(s, c, today or date.today())

    def extend(self, actor: Actor, complaint_id: int, stage: int, *, new_due: date, reason: str,
               communicated_on: date | None, ombudsman_details_given: bool, good_reason: str = "",
               expected_version: int, today: date | None = None) -> ComplaintDetail:
        """Extend a stage's response date (Code 6.4/6.5, 6.19/6.20; ASC: a longer period agreed)."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            c = self._open(s, complaint_id, expected_version)
            st = self._stage(c, stage)
            if st.responded_on is not None:
                raise ValidationError("stage", stage, "has been responded to: an extension no longer applies")
            assert st.due is not None  # every stage has a response clock once saved
            check_extension(current_due=st.due, new_due=new_due, maximum=st.max_due, reason=reason,
                            good_reason=good_reason, communicated_on=communicated_on,
                            ombudsman_details_given=ombudsman_details_given, procedure=Procedure(c.procedure))
            assert communicated_on is not None
            st.extensions.append(StageExtension(previous_due=st.due, new_due=new_due, reason=reason,
                                                good_reason=good_reason, communicated_on=communicated_on,
                                                ombudsman_details_given=ombudsman_details_given,
                                                recorded_by=user.login))
            previous = st.due
            self._recompute(c)
            self._touch(c)
            self._ctx.audit(s, user, "complaint.extend", "complaint", c.id, c.reference,
                            {f"stage {stage} due": [previous, new_due]},
                            note=reason + (f" (beyond the maximum: {good_reason})" if good_reason else ""))
            return self._detail(s, c, today or date.today())

    def add_remedy(self, actor: Actor, complaint_id: int, kind: RemedyKind, what: str, *, expected_version: int,
                   owner: str = "", due_on: date | None = None, you_complained_that: str = "", we_have: str = "",
                   today: date | None = None) -> ComplaintDetail:
        """A remedy or follow-up action (Code 7.1/7.3: what, and by when), tracked after the response."""
        if not what.strip():
            raise ValidationError("remedy", what, "needs a description of what will be done")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            c = self._open(s, complaint_id, expected_version)
            c.remedies.append(ComplaintRemedy(kind=kind.value, what=what, owner=owner, due_on=due_on,
                                              you_complained_that=you_complained_that, we_have=we_have))
            c.closed_on = None
            self._touch(c)
            s.flush()
            self._ctx.audit(s, user, "complaint.remedy", "complaint", c.id, c.reference,
                            {"remedy": [None, f"{kind.label}: {what} | {owner} | due {due_on or '-'}"]})
            return self._detail(s, c, today or date.today())

    def complete_remedy(self, actor: Actor, complaint_id: int, remedy_id: int, *, done_on: date | None = None,
                        cancelled_reason: str = "", expected_version: int, today: date | None = None) -> ComplaintDetail:
        """Mark a follow-up action done (or cancelled, with a reason); the case closes when none is open."""
        if done_on is None and not cancelled_reason.strip():
            raise ValidationError("remedy", remedy_id, "needs the date it was done or the reason it was cancelled")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            c = self._open(s, complaint_id, expected_version)
            r = next((r for r in c.remedies if r.id == remedy_id), None)
            if r is None:
                raise NotFound(f"Remedy {remedy_id} is not part of complaint {c.reference}.")
            r.done_on, r.cancelled_reason = done_on, cancelled_reason
            if c.resolved_on and all(x.done_on or x.cancelled_reason for x in c.remedies):
                c.closed_on = max([x.done_on for x in c.remedies if x.done_on] + [c.resolved_on])
            self._touch(c)
            self._ctx.audit(s, user, "complaint.remedy_done", "complaint", c.id, c.reference,
                            {"remedy": [r.what, f"done {done_on}" if done_on else f"cancelled: {cancelled_reason}"]})
            return self._detail(s, c, today or date.today())

    # -- undo: writing an earlier state back (the window's Ctrl+Z) -----------------------------------

    def restore_stages(self, actor: Actor, complaint_id: int, state: ComplaintDetail, *, expected_version: int,
                       today: date | None = None) -> ComplaintDetail:
        """Write the complaint's stages back to ``state`` (an earlier ``get``): responses, handlers,
        acknowledgements and escalations. Undo and redo of the case editor's steps come here, so they
        are permission-checked, refused when someone else changed the case since, and audited.
        Extensions are never written back: one recorded since ``state`` makes the step refused."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            c = self._open(s, complaint_id, expected_version)
            before = self._stage_snapshot(c)
            wanted = {st.number: st for st in state.stages}
            for st in list(c.stages):
                if st.number not in wanted:
                    if st.extensions:
                        raise self._extension_kept(st.number)
                    c.stages.remove(st)
            have = {st.number: st for st in c.stages}
            for number, row in sorted(wanted.items()):
                st = have.get(number)
                if st is None:
                    st = ComplaintStage(number=number, requested_on=row.requested_on, handler=row.handler)
                    c.stages.append(st)
                st.requested_on, st.acknowledged_on, st.handler = row.requested_on, row.acknowledged_on, row.handler
                st.responded_on, st.outcome = row.responded_on, row.outcome.value if row.outcome else None
                if len(st.extensions) != len(row.extensions):
                    raise self._extension_kept(st.number)
            s.flush()
            self._recompute(c)
            c.resolved_on, c.closed_on = state.resolved_on, state.closed_on
            self._touch(c)
            self._audit_change(s, user, "complaint.restore", c, before, self._stage_snapshot(c))
            return self._detail(s, c, today or date.today())

    @staticmethod
    def _extension_kept(number: int) -> ValidationError:
        # An extension was told to the complainant: it is never deleted once recorded (models.StageExtension).
        return ValidationError("stage", number, "has an extension the complainant was told about since; it is kept, "
                               "so this step cannot be undone")

    @staticmethod
    def _stage_snapshot(c: Complaint) -> dict[str, Any]:
        out: dict[str, Any] = {"resolved_on": c.resolved_on, "closed_on": c.closed_on, "final_outcome": c.final_outcome}
        for st in c.stages:
            out |= {f"stage {st.number} requested_on": st.requested_on, f"stage {st.number} handler": st.handler,
                    f"stage {st.number} acknowledged_on": st.acknowledged_on,
                    f"stage {st.number} responded_on": st.responded_on, f"stage {st.number} outcome": st.outcome,
                    f"stage {st.number} due": st.extensions[-1].new_due if st.extensions else st.base_due}
        return out

    def remove_complaint(self, actor: Actor, complaint_id: int, *, expected_version: int) -> None:
        """Remove a complaint logged (or converted) by mistake, with its own contact and stages: the
        undo of logging it. A contact it was converted from stays. Refused once a complainant's
        personal record is attached (that is withdrawn under the retention rules, not undone)."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            c = self._open(s, complaint_id, expected_version)
            if c.complainant_id is not None:
                raise ValidationError("complaint", c.reference, "holds a complainant's record and cannot be removed")
            before = {"procedure": c.procedure, "received_on": c.received_on, "summary": c.summary,
                      "converted_from": s.get(Contact, c.converted_from_id).reference if c.converted_from_id else None}
            own = s.get(Contact, c.contact_id)
            s.delete(c)
            s.flush()
            if own is not None:
                s.delete(own)
            self._ctx.audit(s, user, "complaint.remove", "complaint", complaint_id, c.reference,
                            {k: [v, None] for k, v in before.items() if v is not None})

    def remove_contact(self, actor: Actor, contact_id: int, *, expected_version: int) -> None:
        """Remove a contact logged by mistake (and its compliment): the undo of logging it.
        Refused once it was converted to a complaint (remove that complaint first)."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            contact = get_or_404(s, Contact, contact_id, "Contact")
            if contact.version != expected_version:
                raise StaleEdit(f"Contact {contact.reference}")
            if contact.kind == ContactKind.COMPLAINT.value:
                raise ValidationError("contact", contact.reference, "is a complaint's: remove the complaint")
            done = s.scalar(select(Complaint.reference).where(Complaint.converted_from_id == contact.id))
            if done:
                raise ValidationError("contact", contact.reference, f"was converted to complaint {done}")
            for x in s.scalars(select(Compliment).where(Compliment.contact_id == contact.id)):
                s.delete(x)
            s.delete(contact)
            self._ctx.audit(s, user, "contact.remove", "contact", contact_id, contact.reference,
                            {"kind": [contact.kind, None], "category": [contact.enquiry_category, None],
                             "received_on": [contact.received_on, None]})

    @staticmethod
    def _stage(c: Complaint, number: int) -> ComplaintStage:
        for st in c.stages:
            if st.number == number:
                return st
        raise ValidationError("stage", number, f"has not been opened for complaint {c.reference}")

    @staticmethod
    def _recompute(c: Complaint) -> None:
        """Work out and store each stage's due dates, days taken and the complaint's outcome."""
        proc = Procedure(c.procedure)
        for st in c.stages:
            ack, resp = stage_clock(proc, st.number, received_on=c.received_on, requested_on=st.requested_on,
                                    acknowledged_on=st.acknowledged_on, rule_set_code=c.rule_set)
            st.ack_due = ack.due if ack else None
            st.base_due = resp.base_due
            st.max_due = resp.maximum
            st.due = st.extensions[-1].new_due if st.extensions else resp.base_due
            # KPIs count working days from receipt (or the escalation request), whatever the rule set.
            st.days_taken = (get(CalendarId.COMPLAINTS).working_days_between(st.requested_on, st.responded_on)
                             if st.responded_on else None)
        outcome = final_outcome([st.outcome for st in c.stages])
        c.final_outcome = outcome.value if outcome else None
        last = c.stages[-1] if c.stages else None
        if last is not None and last.responded_on is not None:
            c.resolved_on = last.responded_on

    def _audit_change(self, s: Session, user: Any, action: str, c: Complaint, before: dict[str, Any],
                      after: dict[str, Any]) -> None:
        from riskdesk.services.base import diff

        changes = diff(before, after)
        if changes:
            self._ctx.audit(s, user, action, "complaint", c.id, c.reference, changes)

    # -- reading -----------------------------------------------------------------------------------

    def list_complaints(self, actor: Actor, *, today: date | None = None, limit: int | None = None) -> list[ComplaintRow]:
        """Every complaint, newest first, with its current stage's clock band for ``today``."""
        today = today or date.today()
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            with collector_paused():
                rows = self._rows(s, today, limit=limit)
        settle_heap(len(rows))
        return rows

    def _rows(self, s: Session, today: date, where: Any = None, limit: int | None = None) -> list[ComplaintRow]:
        c, st = Complaint, ComplaintStage
        last = (select(st.complaint_id, func.max(st.number).label("n")).group_by(st.complaint_id).subquery())
        stmt = (
            select(c.id, c.reference, c.procedure, c.received_on, Department.code, ComplaintService.name, st.number,
                   st.handler, st.due, st.base_due, st.responded_on, c.final_outcome, c.acceptance, c.summary,
                   c.version)
            .join(last, last.c.complaint_id == c.id)
            .join(st, (st.complaint_id == c.id) & (st.number == last.c.n))
            .outerjoin(Department, Department.id == c.department_id)
            .outerjoin(ComplaintService, ComplaintService.id == c.service_id)
            .order_by(c.received_on.desc(), c.id.desc())
        )
        if where is not None:
            stmt = stmt.where(where)
        if limit:
            stmt = stmt.limit(limit)
        cal = get(CalendarId.COMPLAINTS)
        today_n = cal.working_day_number(today)
        # Dict lookups, not Enum(value) calls: this loop runs once per complaint (100,000 at a large council).
        procs, outcomes, accs = ({m.value: m for m in e} for e in (Procedure, Outcome, Acceptance))
        out = []
        for (id_, ref, proc, rec, dep, svc, num, handler, due, base, responded, outcome, acc, summary,
             version) in s.connection().execute(stmt):
            left = cal.working_day_number(due) - today_n if due is not None and responded is None else None
            out.append(ComplaintRow(
                id_, ref, procs[proc], rec, dep or "", svc or "", num, handler or "", due, base,
                band(acceptance=acc, responded_on=responded, base_due=base, due=due, today=today,
                     working_days_left=left),
                outcomes[outcome] if outcome else None, accs[acc], summary or "", version))
        return out

    def get(self, actor: Actor, complaint_id: int, *, today: date | None = None) -> ComplaintDetail:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            return self._detail(s, get_or_404(s, Complaint, complaint_id, "Complaint"), today or date.today())

    def find(self, actor: Actor, reference: str) -> int:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            cid = s.scalar(select(Complaint.id).where(func.lower(Complaint.reference) == reference.strip().lower()))
            if cid is None:
                raise NotFound(f"There is no complaint {reference}.")
            return cid

    def _detail(self, s: Session, c: Complaint, today: date) -> ComplaintDetail:
        s.flush()
        row = self._rows(s, today, Complaint.id == c.id)[0]
        proc = Procedure(c.procedure)
        stages = []
        for st in c.stages:
            _ack, resp = stage_clock(proc, st.number, received_on=c.received_on, requested_on=st.requested_on,
                                     acknowledged_on=st.acknowledged_on, rule_set_code=c.rule_set)
            why = list(resp.lines())
            for x in st.extensions:
                why.append(f"extended {x.previous_due:%d %b %Y} → {x.new_due:%d %b %Y}: {x.reason}"
                           + (f" (beyond the maximum: {x.good_reason})" if x.good_reason else ""))
            stages.append(StageRow(
                st.number, st.requested_on, st.acknowledged_on, st.handler, st.responded_on,
                Outcome(st.outcome) if st.outcome else None, st.ack_due, st.base_due, st.due, st.max_due,
                st.days_taken,
                tuple(ExtensionRow(x.previous_due, x.new_due, x.reason, x.good_reason, x.communicated_on,
                                   x.ombudsman_details_given, x.recorded_by) for x in st.extensions),
                tuple(why)))
        converted = s.get(Contact, c.converted_from_id).reference if c.converted_from_id else ""
        return ComplaintDetail(
            row=row, rule_set=c.rule_set, issue_on=c.issue_on, aware_on=c.aware_on,
            time_limit=twelve_month_limit(c.issue_on, c.aware_on),
            exclusion_reason=ExclusionReason(c.exclusion_reason) if c.exclusion_reason else None,
            exclusion_evidence=c.exclusion_evidence, out_of_time_reason=c.out_of_time_reason,
            safeguarding=c.safeguarding, health_and_safety=c.health_and_safety, resolved_on=c.resolved_on,
            closed_on=c.closed_on, converted_from=converted, stages=tuple(stages),
            remedies=tuple(RemedyRow(r.id, RemedyKind(r.kind), r.what, r.owner, r.due_on, r.done_on,
                                     r.cancelled_reason) for r in c.remedies))

    def band_counts(self, actor: Actor, *, today: date | None = None) -> dict[ClockBand, int]:
        counts = dict.fromkeys(ClockBand, 0)
        for r in self.list_complaints(actor, today=today):
            counts[r.band] += 1
        return counts

    # -- compliments -------------------------------------------------------------------------------

    def list_compliments(self, actor: Actor) -> list[ComplimentRow]:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            stmt = (select(Compliment.id, Compliment.logged_on, ComplaintService.name, Department.code, Compliment.text,
                           Compliment.publish_fy)
                    .outerjoin(ComplaintService, ComplaintService.id == Compliment.service_id)
                    .outerjoin(Department, Department.id == Compliment.department_id)
                    .order_by(Compliment.logged_on.desc(), Compliment.id.desc()))
            return [ComplimentRow(i, d, svc or "", dep or "", text or "", fy or "") for i, d, svc, dep, text, fy in
                    s.execute(stmt)]

    # -- the restricted complainant record ---------------------------------------------------------

    def set_complainant(self, actor: Actor, complaint_id: int, data: ComplainantData, *,
                        today: date | None = None) -> None:
        """Record or change the complainant's personal data; the audit entry keeps hashes only."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.VIEW_COMPLAINANT)
            self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            c = get_or_404(s, Complaint, complaint_id, "Complaint")
            p = s.get(Complainant, c.complainant_id) if c.complainant_id else None
            if p is None:
                p = Complainant(last_activity_on=today or date.today())
                s.add(p)
                s.flush()
                c.complainant_id = p.id
                contact = s.get(Contact, c.contact_id)
                if contact is not None:
                    contact.complainant_id = p.id
            changes = {}
            for name in _PERSONAL:
                old, new = getattr(p, name), getattr(data, name)
                if old != new:
                    # Which field changed and a salted hash of each value: never the value itself.
                    changes[name] = [_hash(old), _hash(new)]
                    setattr(p, name, new)
            p.last_activity_on = max(p.last_activity_on, today or date.today())
            if changes:
                self._ctx.audit(s, user, "complainant.update", "complainant", p.id, c.reference, changes,
                                note="personal data: values are not kept in the audit trail, only salted hashes")

    def complainant(self, actor: Actor, complaint_id: int) -> ComplainantData | None:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINANT)
            c = get_or_404(s, Complaint, complaint_id, "Complaint")
            p = s.get(Complainant, c.complainant_id) if c.complainant_id else None
            return ComplainantData(**{n: getattr(p, n) for n in _PERSONAL}) if p else None

    def delete_expired_personal_data(self, actor: Actor, *, today: date | None = None,
                                     years: int = DEFAULT_RETENTION_YEARS, dry_run: bool = True) -> RetentionReport:
        """Delete complainants whose cases saw no activity for ``years``; report what was deleted.

        A case's activity is the latest of the complainant record's own date and the case's
        receipt, resolution and closure. Case facts stay (statistics need them); the audit entry
        names the cases and counts the fields, never the values.
        """
        today = today or date.today()
        from riskdesk.domain.clocks import add_months

        cutoff = add_months(today, -12 * years)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.VIEW_COMPLAINANT)
            self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            expired: list[tuple[Complainant, list[str]]] = []
            for p in s.scalars(select(Complainant).order_by(Complainant.id)):
                cases = list(s.scalars(select(Complaint).where(Complaint.complainant_id == p.id)))
                last = max([p.last_activity_on] + [d for c in cases for d in (c.received_on, c.resolved_on,
                                                                              c.closed_on) if d])
                if last < cutoff:
                    expired.append((p, [c.reference for c in cases]))
            filled = sum(1 for p, _ in expired for n in _PERSONAL if getattr(p, n) not in (None, ""))
            refs = tuple(r for _, rs in expired for r in rs)
            report = RetentionReport(cutoff, dry_run, len(expired), filled, refs)
            if dry_run or not expired:
                return report
            for p, _ in expired:
                for model in (Complaint, Contact):
                    for row in s.scalars(select(model).where(model.complainant_id == p.id)):
                        row.complainant_id = None
                s.flush()
                s.delete(p)
            self._ctx.audit(s, user, "complainant.retention_delete", "complainant", None,
                            f"{len(expired)} complainant record(s)",
                            {"complainants": [None, len(expired)], "fields": [None, filled],
                             "cases": [None, list(refs)], "cutoff": [None, cutoff]},
                            note=f"retention period {years} years")
            return report

    # -- references --------------------------------------------------------------------------------

    @staticmethod
    def _next_ref(s: Session, prefix: str, day: date) -> str:
        model = Contact if prefix == "CT" else Complaint
        stem = f"{prefix}-{day.year}-"
        last = s.scalar(select(func.max(model.reference)).where(model.reference.like(stem + "%")))
        n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
        return f"{stem}{n:05d}"


#: From this many rows a list is worth keeping out of the cyclic collector's walks.
MANY_ROWS = 10_000


def settle_heap(rows: int) -> None:
    """After reading a large list (100,000 complaints are about a million small objects): collect
    once now, while the user is waiting for the list anyway, then freeze what is alive, so that the
    collector's next full walk over the whole heap does not land on a keystroke (it cost 0.7 s on
    the first key typed into 100,000 complaints) and later walks skip the list. Frozen objects are
    still freed by reference counting when dropped (the rows hold no reference cycles); only a cycle
    among them would outlive its use, and the collection just before each freeze leaves none behind."""
    if rows >= MANY_ROWS:
        import gc

        gc.collect()
        gc.freeze()
