"""FOI and EIR requests: the only writer of requests, requesters, internal reviews and ICO cases.

Every public method takes the acting user and checks ``VIEW_FOI`` / ``EDIT_FOI`` /
``VIEW_REQUESTER``; a link officer (role ``foi_read``) sees only the requests of the departments
mapped to them, here and (on PostgreSQL) by row-level security. Writes are audited in the same
transaction with old → new values, except the requester's personal data, whose entries carry a
salted hash of each value (SPEC D.10). Due dates are recomputed from the stored dates on every save.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskdesk.domain import clocks
from riskdesk.domain.errors import NotFound, PermissionDenied, StaleEdit, ValidationError
from riskdesk.domain.foi import (
    BANDS,
    DEPARTMENTS,
    MULTI,
    SOURCE_REFERENCE_MAX,
    SOURCE_REFERENCE_TOO_LONG,
    Channel,
    FoiDetail,
    FoiDraft,
    FoiFigures,
    FoiRow,
    IcoFacts,
    IcoOutcome,
    IcoRow,
    Outcome,
    Period,
    Regime,
    RequestFacts,
    ReviewFacts,
    ReviewOutcome,
    ReviewRow,
    clock_band,
    compute_figures,
    parse_period,
    pct,
    response_clock,
    validate_extension,
    validate_response,
)
from riskdesk.domain.permissions import DEPARTMENT_SCOPED_FOI, Permission, Role, allows
from riskdesk.domain.register import Actor
from riskdesk.models import (
    FoiIcoCase,
    FoiInternalReview,
    FoiLinkOfficer,
    FoiReport,
    FoiRequest,
    FoiRequester,
    User,
)
from riskdesk.models.base import utcnow
from riskdesk.services.base import ServiceContext, diff, get_or_404, refusal

_SALT_KEY = "foi_personal_data_salt"


@dataclass(frozen=True)
class Requester:
    """Restricted personal data of one request."""

    name: str = ""
    email: str = ""
    address: str = ""
    version: int = 0


@dataclass(frozen=True)
class ReviewDraft:
    requested_on: date
    reviewer: str = ""
    extended: bool = False
    extension_reason: str = ""
    responded_on: date | None = None
    outcome: ReviewOutcome | None = None
    ico_rights_given: bool = False


@dataclass(frozen=True)
class IcoDraft:
    received_on: date
    ico_reference: str = ""
    kind: str = "enquiry"
    decision_on: date | None = None
    decision_ref: str = ""
    outcome: IcoOutcome | None = None
    further_disclosure: bool = False
    steps_due_on: date | None = None


def _clean_departments(text: str) -> str:
    codes: list[str] = []
    for raw in text.replace(",", " ").split():
        code = raw.strip().upper()
        if code == MULTI:
            raise ValidationError("department", text, "name the departments involved; MULTI is printed for them")
        if code not in DEPARTMENTS:
            raise ValidationError("department", raw, "is not an FOI department (" + ", ".join(DEPARTMENTS) + ")")
        if code not in codes:
            codes.append(code)
    if not codes:
        raise ValidationError("department", text, "is required (one department, or several for MULTI)")
    return " ".join(codes)


def _snapshot(r: FoiRequest) -> dict[str, Any]:
    return {k: getattr(r, k) for k in (
        "reference", "regime", "regime_reason", "received_on", "channel", "requester_type", "subject", "departments",
        "summary", "division", "local_alert_sent_on", "media", "media_approved_on", "clarification_sought_on",
        "clarified_on", "fee_requested_on", "fee_received_on", "extension_notified_on", "due_on",
        "extended_due_on", "responded_on", "days_taken", "outcome", "bases", "public_interest_test",
        "cost_estimate_hours", "disclosure_log", "disclosure_published_on", "disclosure_reason",
        "source_reference")} | {
        "cost_estimate_hours": str(r.cost_estimate_hours) if r.cost_estimate_hours is not None else None}


def _imported(s: Session) -> dict[str, str]:
    """Every source reference imported so far (casefolded) → the request it became."""
    found = s.execute(select(FoiRequest.source_reference, FoiRequest.reference)
                      .where(FoiRequest.source_reference.is_not(None))).all()
    return {source.casefold(): reference for source, reference in found}


def _check_source(source: str, imported: dict[str, str], in_batch: dict[str, int]) -> None:
    """Refuses a source reference that is too long, was imported before (``imported``), or is
    another request's of the same import (``in_batch``)."""
    if len(source) > SOURCE_REFERENCE_MAX:
        raise ValidationError("source reference", source, SOURCE_REFERENCE_TOO_LONG)
    earlier = imported.get(source.casefold())
    if earlier is not None:
        raise ValidationError("source reference", source, f"was imported before, as {earlier}: importing it "
                              "again would count it twice")
    twin = in_batch.get(source.casefold())
    if twin is not None:
        raise ValidationError("source reference", source, f"is also request {twin}'s: one request, once")


def _draft_of(r: FoiRequest) -> FoiDraft:
    return FoiDraft(
        regime=Regime(r.regime), received_on=r.received_on, departments=r.departments, subject=r.subject,
        channel=Channel(r.channel), requester_type=r.requester_type, summary=r.summary,
        regime_reason=r.regime_reason, division=r.division, local_alert_sent_on=r.local_alert_sent_on,
        media=r.media, media_approved_on=r.media_approved_on, clarification_sought_on=r.clarification_sought_on,
        clarified_on=r.clarified_on, fee_requested_on=r.fee_requested_on, fee_received_on=r.fee_received_on,
        extension_notified_on=r.extension_notified_on, extended_due_on=r.extended_due_on,
        responded_on=r.responded_on, outcome=Outcome(r.outcome) if r.outcome else None, bases=r.bases,
        public_interest_test=r.public_interest_test, cost_estimate_hours=r.cost_estimate_hours,
        disclosure_log=r.disclosure_log, disclosure_published_on=r.disclosure_published_on,
        disclosure_reason=r.disclosure_reason,
    )


def _row(r: FoiRequest, today: date) -> FoiRow:
    outcome = Outcome(r.outcome) if r.outcome else None
    closed = outcome is not None and not outcome.responded
    return FoiRow(r.id, r.reference, Regime(r.regime), r.received_on, r.subject, r.requester_type, r.departments,
                  r.due_on, r.extended_due_on, r.responded_on, outcome, r.days_taken, r.media, r.version,
                  clock_band(r.extended_due_on or r.due_on, r.responded_on, today, closed), r.source_reference)


def _review_row(v: FoiInternalReview) -> ReviewRow:
    return ReviewRow(v.id, v.requested_on, v.due_on, v.extended_due_on, v.extension_reason, v.reviewer,
                     v.responded_on, ReviewOutcome(v.outcome) if v.outcome else None, v.ico_rights_given, v.version)


def _ico_row(c: FoiIcoCase) -> IcoRow:
    return IcoRow(c.id, c.ico_reference, c.received_on, c.kind, c.decision_on, c.decision_ref,
                  IcoOutcome(c.outcome) if c.outcome else None, c.further_disclosure, c.version)


class FoiService:
    """Requests, requesters, reviews, ICO cases, link officers and the annual report's figures."""

    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- who may see what ------------------------------------------------------------------------

    def _scope(self, s: Session, user: User) -> tuple[str, ...] | None:
        """The departments a department-scoped reader may see; None = every request."""
        if Role(user.role) not in DEPARTMENT_SCOPED_FOI:
            return None
        return tuple(s.scalars(select(FoiLinkOfficer.department).where(FoiLinkOfficer.login == user.login)))

    def _visible(self, s: Session, user: User, r: FoiRequest) -> None:
        scope = self._scope(s, user)
        if scope is not None and not set(scope) & set(r.departments.split()):
            # Said as "not found" would hide the cause; the officer is told whose request it is.
            raise PermissionDenied(f"{user.display_name} (FOI link officer) may read only the requests of "
                                   f"{', '.join(scope) or 'no department yet'}; {r.reference} is {r.departments}.")

    def _get(self, s: Session, request_id: int) -> FoiRequest:
        return get_or_404(s, FoiRequest, request_id, "FOI request")

    # -- reading -----------------------------------------------------------------------------------

    def list(self, actor: Actor, *, today: date | None = None) -> tuple[FoiRow, ...]:
        """Every request the actor may see, newest first, with its clock band."""
        today = today or date.today()
        with self._ctx.read() as s:
            user = self._ctx.require(s, actor, Permission.VIEW_FOI)
            q = select(FoiRequest).order_by(FoiRequest.received_on.desc(), FoiRequest.id.desc())
            scope = self._scope(s, user)
            rows = [_row(r, today) for r in s.scalars(q)]
        if scope is not None:
            rows = [r for r in rows if set(scope) & set(r.departments.split())]
        return tuple(rows)

    def imported_references(self, actor: Actor) -> dict[str, str]:
        """The references (casefolded) that earlier imports brought in, each with the request it
        became (``FoiRequest.source_reference``, whatever has been edited since)."""
        with self._ctx.read() as s:
            self._ctx.require(s, actor, Permission.EDIT_FOI)
            return _imported(s)

    def get(self, actor: Actor, request_id: int, *, today: date | None = None) -> FoiDetail:
        today = today or date.today()
        with self._ctx.read() as s:
            user = self._ctx.require(s, actor, Permission.VIEW_FOI)
            r = self._get(s, request_id)
            self._visible(s, user, r)
            draft = _draft_of(r)
            return FoiDetail(_row(r, today), draft, self._why(draft, r), tuple(_review_row(v) for v in r.reviews),
                             tuple(_ico_row(c) for c in r.ico_cases))

    @staticmethod
    def _why(draft: FoiDraft, r: FoiRequest | None = None) -> tuple[str, ...]:
        due = response_clock(draft.clock_dates)
        lines = list(due.lines())
        if draft.extended_due_on is not None:
            lines.append(f"extended due date recorded: {draft.extended_due_on:%a} {draft.extended_due_on:%d %b %Y}")
        if r is not None and r.responded_on is not None and r.days_taken is not None:
            lines.append(f"responded {r.responded_on:%d %b %Y}: {r.days_taken} working days taken")
        return tuple(lines)

    def explain(self, draft: FoiDraft) -> tuple[str, ...]:
        """The "why this date?" lines for dates not yet saved (the editor shows them as typed)."""
        return self._why(draft)

    def requester(self, actor: Actor, request_id: int) -> Requester:
        with self._ctx.read() as s:
            self._ctx.require(s, actor, Permission.VIEW_REQUESTER)
            self._get(s, request_id)
            p = s.get(FoiRequester, request_id)
            return Requester(p.name, p.email, p.address, p.version) if p else Requester()

    # -- writing -------------------------------------------------------------------------------

    def _validate(self, draft: FoiDraft) -> tuple[FoiDraft, date, int | None]:
        """The draft made tidy, its statutory due date and the working days taken (if answered)."""
        rtype = (draft.requester_type or "").strip() or None
        # "All requests by the Media are automatically flagged" (000:720): the flag follows the type.
        draft = replace(draft, departments=_clean_departments(draft.departments), requester_type=rtype,
                        media=draft.media or (rtype or "").casefold() == "media")
        due = response_clock(draft.clock_dates)
        validate_extension(draft.regime, due, draft.extension_notified_on, draft.extended_due_on)
        if draft.extended_due_on is not None and draft.extension_notified_on is None:
            raise ValidationError("extended due date", draft.extended_due_on.isoformat(),
                                  "needs the date the extension was notified (s.17 notice or reg 7 notice)")
        validate_response(draft.regime, draft.outcome, draft.bases, draft.cost_estimate_hours,
                          draft.public_interest_test, draft.media, draft.media_approved_on, draft.responded_on,
                          draft.received_on)
        if draft.disclosure_log and draft.disclosure_published_on is None and draft.responded_on is not None:
            pass  # publication may follow the response; the list shows it as pending
        if draft.disclosure_log is False and not draft.disclosure_reason.strip():
            raise ValidationError("disclosure log", "no", "needs the reason it is not published (000:698)")
        taken = due.taken(draft.responded_on) if draft.responded_on is not None else None
        return draft, due.base_due, taken

    def check(self, draft: FoiDraft) -> None:
        """Raise ValidationError if ``draft`` breaks a rule (nothing is read or written)."""
        self._validate(draft)

    def _apply(self, r: FoiRequest, d: FoiDraft, due_on: date, taken: int | None) -> None:
        for name in ("received_on", "departments", "subject", "requester_type", "summary", "division",
                     "local_alert_sent_on", "media", "media_approved_on", "clarification_sought_on", "clarified_on",
                     "fee_requested_on", "fee_received_on", "extension_notified_on", "extended_due_on",
                     "responded_on", "bases", "public_interest_test", "cost_estimate_hours", "disclosure_log",
                     "disclosure_published_on", "disclosure_reason", "regime_reason"):
            setattr(r, name, getattr(d, name))
        r.regime = d.regime.value
        r.channel = d.channel.value
        r.outcome = d.outcome.value if d.outcome else None
        r.due_on = due_on
        r.days_taken = taken

    def _next_reference(self, s: Session, year: int) -> str:
        prefix = f"FOI-{year}-"
        last = s.scalar(select(func.max(FoiRequest.reference)).where(FoiRequest.reference.like(prefix + "%")))
        n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
        return f"{prefix}{n:05d}"

    def create(self, actor: Actor, draft: FoiDraft, *, requester: Requester | None = None,
               today: date | None = None) -> FoiDetail:
        """Log a new request (and its requester, if given). Raises ValidationError, PermissionDenied."""
        ids = self.import_requests(actor, [(draft, requester)])
        return self.get(actor, ids[0], today=today)

    def import_requests(self, actor: Actor, items: Iterable[tuple[FoiDraft, Requester | None]],
                        sources: Sequence[str | None] = ()) -> list[int]:
        """Log many requests in one transaction (spreadsheet import, demo data), each audited.

        ``sources`` gives, request by request, its reference in the export it comes from (kept as
        ``source_reference``). A bad row refuses the whole batch, naming the row, so nothing is
        half-imported; so does a source reference imported before, or twice in the batch.
        """
        ids: list[int] = []
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_FOI)
            requester_ok = allows(user.role, Permission.VIEW_REQUESTER)
            counters: dict[int, int] = {}
            imported = _imported(s) if any(sources) else {}
            in_batch: dict[str, int] = {}  # source reference (casefolded) → the request of this batch it is
            for n, (draft, person) in enumerate(items, start=1):
                source = ((sources[n - 1] or "").strip() or None) if n <= len(sources) else None
                try:
                    clean, due_on, taken = self._validate(draft)
                    if source is not None:
                        _check_source(source, imported, in_batch)
                        in_batch[source.casefold()] = n
                except ValidationError as exc:
                    raise ValidationError(f"request {n}: {exc.field}", exc.value, exc.reason) from None
                year = clean.received_on.year
                if year not in counters:
                    last = self._next_reference(s, year)
                    counters[year] = int(last.rsplit("-", 1)[1])
                else:
                    counters[year] += 1
                r = FoiRequest(reference=f"FOI-{year}-{counters[year]:05d}", source_reference=source)
                self._apply(r, clean, due_on, taken)
                s.add(r)
                s.flush()
                self._ctx.audit(s, user, "foi.add", "foi_request", r.id, r.reference, diff({}, _snapshot(r)))
                if person is not None and any((person.name, person.email, person.address)):
                    if not requester_ok:
                        raise PermissionDenied(refusal(user.display_name, user.role, Permission.VIEW_REQUESTER))
                    self._write_requester(s, user, r, person)
                ids.append(r.id)
        return ids

    def update(self, actor: Actor, request_id: int, draft: FoiDraft, *, expected_version: int,
               today: date | None = None) -> FoiDetail:
        """Save an edit. A regime switch needs a reason; a stale edit is refused (someone saved first)."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_FOI)
            r = self._get(s, request_id)
            if r.version != expected_version:
                raise StaleEdit(f"FOI request {r.reference}")
            if draft.regime.value != r.regime and not draft.regime_reason.strip():
                raise ValidationError("reason for the regime change", "",
                                      f"is required to switch {r.reference} from {Regime(r.regime).label} to "
                                      f"{draft.regime.label}")
            if draft.regime.value == r.regime:
                draft = replace(draft, regime_reason=r.regime_reason)
            clean, due_on, taken = self._validate(draft)
            before = _snapshot(r)
            self._apply(r, clean, due_on, taken)
            s.flush()
            action = "foi.switch_regime" if before["regime"] != r.regime else "foi.update"
            self._ctx.audit(s, user, action, "foi_request", r.id, r.reference, diff(before, _snapshot(r)),
                            note=clean.regime_reason if action == "foi.switch_regime" else "")
        return self.get(actor, request_id, today=today)

    def recompute(self, actor: Actor) -> int:
        """Recount every request's due date and working days taken from its stored dates (after a
        calendar override or a new ``holidays`` release: SPEC E.5); returns how many changed."""
        changed = 0
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_FOI)
            for r in s.scalars(select(FoiRequest)):
                due = response_clock(_draft_of(r).clock_dates)
                taken = due.taken(r.responded_on) if r.responded_on is not None else None
                if (r.due_on, r.days_taken) != (due.base_due, taken):
                    before = {"due_on": r.due_on, "days_taken": r.days_taken}
                    r.due_on, r.days_taken = due.base_due, taken
                    changed += 1
                    self._ctx.audit(s, user, "foi.recompute", "foi_request", r.id, r.reference,
                                    diff(before, {"due_on": r.due_on, "days_taken": r.days_taken}),
                                    note="calendar changed")
        return changed

    def _salt(self, s: Session) -> str:
        salt = self._ctx.setting(s, _SALT_KEY)
        if not salt:
            salt = secrets.token_hex(16)
            self._ctx.set_setting(s, _SALT_KEY, salt)
        return salt

    def _hash(self, salt: str, value: str) -> str:
        return "sha256:" + hashlib.sha256(f"{salt}:{value}".encode()).hexdigest()[:16] if value else ""

    def _write_requester(self, s: Session, user: User, r: FoiRequest, person: Requester,
                         current: FoiRequester | None = None) -> None:
        salt = self._salt(s)
        old = {k: getattr(current, k) for k in ("name", "email", "address")} if current else {}
        if current is None:
            current = FoiRequester(request_id=r.id)
            s.add(current)
        for k in ("name", "email", "address"):
            setattr(current, k, getattr(person, k).strip())
        s.flush()
        new = {k: getattr(current, k) for k in ("name", "email", "address")}
        # Who changed which field when, and a salted hash: never the value (SPEC D.10).
        changes = {k: [self._hash(salt, old.get(k, "")), self._hash(salt, v)] for k, v in new.items()
                   if old.get(k, "") != v}
        self._ctx.audit(s, user, "foi.requester", "foi_requester", r.id, r.reference, changes,
                        note="personal data: values hashed")

    def set_requester(self, actor: Actor, request_id: int, person: Requester) -> Requester:
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_FOI)
            if not allows(user.role, Permission.VIEW_REQUESTER):
                raise PermissionDenied(refusal(user.display_name, user.role, Permission.VIEW_REQUESTER))
            r = self._get(s, request_id)
            current = s.get(FoiRequester, request_id)
            if current is not None and person.version and current.version != person.version:
                raise StaleEdit(f"the requester of {r.reference}")
            self._write_requester(s, user, r, person, current)
        return self.requester(actor, request_id)

    # -- internal reviews and ICO cases -----------------------------------------------------------

    def add_review(self, actor: Actor, request_id: int, draft: ReviewDraft) -> ReviewRow:
        return self._save_review(actor, request_id, None, draft, None)

    def update_review(self, actor: Actor, review_id: int, draft: ReviewDraft, *, expected_version: int) -> ReviewRow:
        return self._save_review(actor, None, review_id, draft, expected_version)

    def _save_review(self, actor: Actor, request_id: int | None, review_id: int | None, d: ReviewDraft,
                     expected_version: int | None) -> ReviewRow:
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_FOI)
            if review_id is not None:
                v = get_or_404(s, FoiInternalReview, review_id, "Internal review")
                if v.version != expected_version:
                    raise StaleEdit("the internal review")
                r = self._get(s, v.request_id)
                before = _review_snapshot(v)
            else:
                r = self._get(s, request_id or 0)
                v = FoiInternalReview(request_id=r.id)
                before = {}
            if r.responded_on is None:
                raise ValidationError("internal review", r.reference, "can be requested only after the response")
            if d.requested_on < r.responded_on:
                raise ValidationError("review requested", d.requested_on.isoformat(),
                                      f"is before the response it reviews ({r.responded_on.isoformat()})")
            if d.extended and not d.extension_reason.strip():
                raise ValidationError("extension reason", "", "is required to extend a review beyond 20 working days")
            if d.outcome is not None and d.responded_on is None:
                raise ValidationError("review response date", "", "is needed for a review outcome")
            if d.responded_on is not None and d.responded_on < d.requested_on:
                raise ValidationError("review response date", d.responded_on.isoformat(),
                                      "is before the review was requested")
            if Regime(r.regime) == Regime.EIR:
                due = clocks.eir_reconsideration(d.requested_on, response_sent_on=r.responded_on)
                if d.extended:
                    raise ValidationError("extension", "yes", "is not available for an EIR reconsideration "
                                          "(40 working days, reg 11)")
            else:
                due = clocks.foia_internal_review(d.requested_on, extended=d.extended)
            v.requested_on = d.requested_on
            v.due_on = due.base_due
            v.extended_due_on = due.due if d.extended else None
            v.extension_reason = d.extension_reason.strip()
            v.reviewer = d.reviewer.strip()
            v.responded_on = d.responded_on
            v.outcome = d.outcome.value if d.outcome else None
            v.ico_rights_given = d.ico_rights_given
            if review_id is None:
                s.add(v)
            s.flush()
            self._ctx.audit(s, user, "foi.review" if before else "foi.review_add", "foi_internal_review", v.id,
                            f"{r.reference} internal review", diff(before, _review_snapshot(v)))
            return _review_row(v)

    def add_ico_case(self, actor: Actor, request_id: int, draft: IcoDraft) -> IcoRow:
        return self._save_ico(actor, request_id, None, draft, None)

    def update_ico_case(self, actor: Actor, case_id: int, draft: IcoDraft, *, expected_version: int) -> IcoRow:
        return self._save_ico(actor, None, case_id, draft, expected_version)

    def _save_ico(self, actor: Actor, request_id: int | None, case_id: int | None, d: IcoDraft,
                  expected_version: int | None) -> IcoRow:
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_FOI)
            if case_id is not None:
                c = get_or_404(s, FoiIcoCase, case_id, "ICO case")
                if c.version != expected_version:
                    raise StaleEdit("the ICO case")
                r = self._get(s, c.request_id)
                before = _ico_snapshot(c)
            else:
                r = self._get(s, request_id or 0)
                c = FoiIcoCase(request_id=r.id)
                before = {}
            if d.kind not in ("enquiry", "investigation"):
                raise ValidationError("ICO case kind", d.kind, "must be enquiry or investigation")
            if d.decision_on is not None and d.decision_on < d.received_on:
                raise ValidationError("decision date", d.decision_on.isoformat(), "is before the ICO case arrived")
            if d.outcome is not None and d.decision_on is None:
                raise ValidationError("decision date", "", "is needed for an ICO outcome (the decision notice date)")
            for name in ("ico_reference", "received_on", "kind", "decision_on", "decision_ref", "further_disclosure",
                         "steps_due_on"):
                setattr(c, name, getattr(d, name))
            c.outcome = d.outcome.value if d.outcome else None
            if case_id is None:
                s.add(c)
            s.flush()
            self._ctx.audit(s, user, "foi.ico" if before else "foi.ico_add", "foi_ico_case", c.id,
                            f"{r.reference} ICO {c.ico_reference}".strip(), diff(before, _ico_snapshot(c)))
            return _ico_row(c)

    # -- link officers --------------------------------------------------------------------------------

    def set_link_departments(self, actor: Actor, login: str, departments: Sequence[str]) -> tuple[str, ...]:
        """Which departments' requests the link officer ``login`` reads (replaces the previous set)."""
        codes = tuple(_clean_departments(" ".join(departments)).split()) if departments else ()
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_FOI)
            if s.scalar(select(User.id).where(User.login == login)) is None:
                raise ValidationError("link officer", login, "is not a riskdesk user: add them first "
                                      f"(riskdesk user add {login} --role foi_read)")
            old = tuple(s.scalars(select(FoiLinkOfficer.department).where(FoiLinkOfficer.login == login)))
            for row in s.scalars(select(FoiLinkOfficer).where(FoiLinkOfficer.login == login)):
                if row.department not in codes:
                    s.delete(row)
            for code in codes:
                if code not in old:
                    s.add(FoiLinkOfficer(login=login, department=code))
            s.flush()
            self._ctx.audit(s, user, "foi.link_officer", "foi_link_officer", None, login,
                            {"departments": [" ".join(old), " ".join(codes)]})
        return codes

    # -- the report -------------------------------------------------------------------------------

    def figures(self, actor: Actor, period: str | Period, *, department: str = "",
                fresh: bool = False) -> FoiFigures:
        """Part 3's figures for a year (frozen if presented, unless ``fresh``) or a quarter/department."""
        p = parse_period(period) if isinstance(period, str) else period
        with self._ctx.read() as s:
            user = self._ctx.require(s, actor, Permission.VIEW_FOI)
            if department and department not in DEPARTMENTS:
                raise ValidationError("department", department,
                                      "is not an FOI department (" + ", ".join(DEPARTMENTS) + ")")
            scope = self._scope(s, user)
            if scope is not None and (not department or department not in scope):
                raise PermissionDenied(f"{user.display_name} (FOI link officer) may print only the report of "
                                       f"{', '.join(scope) or 'no department yet'}: name it with --department.")
            if not department and not fresh:
                frozen = s.scalar(select(FoiReport).where(FoiReport.period == p.label))
                if frozen is not None and '"departments"' in frozen.figures_json:
                    return FoiFigures.from_json(frozen.figures_json)
            prior = s.scalar(select(FoiReport).where(FoiReport.period == p.previous_year().label))
            prior_received = prior_within = None
            if prior is not None and not department:
                data = _prior_numbers(prior.figures_json)
                prior_received, prior_within = data
            facts = self._facts(s, p)
            reviews = [ReviewFacts(v.requested_on, ReviewOutcome(v.outcome) if v.outcome else None,
                                   v.ico_rights_given)
                       for v, depts in s.execute(select(FoiInternalReview, FoiRequest.departments)
                                                 .join(FoiRequest, FoiRequest.id == FoiInternalReview.request_id)
                                                 .where(FoiInternalReview.requested_on.between(p.start, p.end)))
                       if not department or department in depts.split()]
            icos = [IcoFacts(c.received_on, c.decision_on, IcoOutcome(c.outcome) if c.outcome else None,
                             c.further_disclosure)
                    for c, depts in s.execute(select(FoiIcoCase, FoiRequest.departments)
                                              .join(FoiRequest, FoiRequest.id == FoiIcoCase.request_id))
                    if not department or department in depts.split()]
        return compute_figures(p, facts, reviews, icos, prior_received=prior_received, prior_within_pct=prior_within,
                               department=department)

    @staticmethod
    def _facts(s: Session, p: Period) -> list[RequestFacts]:
        # Two bases (received, responded): one query over either date in the period.
        q = select(FoiRequest.regime, FoiRequest.received_on, FoiRequest.requester_type, FoiRequest.subject,
                   FoiRequest.departments, FoiRequest.responded_on, FoiRequest.outcome, FoiRequest.bases,
                   FoiRequest.days_taken, FoiRequest.extended_due_on).where(
            FoiRequest.received_on.between(p.start, p.end) | FoiRequest.responded_on.between(p.start, p.end))
        return [RequestFacts(Regime(t[0]), t[1], t[2], t[3], t[4], t[5], Outcome(t[6]) if t[6] else None, t[7], t[8],
                             t[9]) for t in s.execute(q)]

    def present(self, actor: Actor, period: str) -> FoiFigures:
        """Freeze the year's figures as presented to committee; later prints reproduce them exactly."""
        p = parse_period(period)
        if "Q" in p.label:
            raise ValidationError("period", period, "is a quarter: the annual report is presented for a year")
        figures = self.figures(actor, p, fresh=True)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_FOI)
            existing = s.scalar(select(FoiReport).where(FoiReport.period == p.label))
            if existing is not None:
                raise ValidationError("period", p.label, f"was already presented on {existing.presented_at:%d %b %Y} "
                                      f"by {existing.presented_by}; it prints as frozen then")
            text = figures.to_json()
            sha = hashlib.sha256(text.encode()).hexdigest()
            s.add(FoiReport(period=p.label, presented_at=utcnow(), presented_by=user.login, figures_json=text,
                            figures_sha256=sha))
            s.flush()
            self._ctx.audit(s, user, "foi.present", "foi_request", None, f"FOI report {p.label}",
                            {"sha256": [None, sha]})
        return figures

    def record_published_year(self, actor: Actor, period: str, *, received: int, within_20_pct: int) -> None:
        """Record a year presented before riskdesk held the records (the prior-year column), as published."""
        p = parse_period(period)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_FOI)
            if s.scalar(select(FoiReport.id).where(FoiReport.period == p.label)) is not None:
                raise ValidationError("period", p.label, "already has a presented report")
            import json

            text = json.dumps({"period": p.label, "received": received, "within_pct": within_20_pct,
                               "source": "typed from the published report"}, sort_keys=True)
            s.add(FoiReport(period=p.label, presented_at=utcnow(), presented_by=user.login, figures_json=text,
                            figures_sha256=hashlib.sha256(text.encode()).hexdigest()))
            s.flush()
            self._ctx.audit(s, user, "foi.published_year", "foi_request", None, f"FOI report {p.label} (published)",
                            {"received": [None, received], "within_20_pct": [None, within_20_pct]})

    def presented_note(self, actor: Actor, period: str) -> str:
        """"Presented … by …; figures frozen (sha256 …)" for a presented year, else ""."""
        p = parse_period(period)
        with self._ctx.read() as s:
            self._ctx.require(s, actor, Permission.VIEW_FOI)
            r = s.scalar(select(FoiReport).where(FoiReport.period == p.label))
            if r is None or '"departments"' not in r.figures_json:
                return ""
            return (f"Presented {r.presented_at:%d %B %Y} by {r.presented_by}; figures frozen then "
                    f"(sha256 {r.figures_sha256[:12]}).")

    def write_report(self, actor: Actor, period: str, out: str | Path, *, department: str = "") -> Path:
        """Write the report: .pdf or .docx (the annual report, or a department's quarter), .csv (s.45 statistics)."""
        out = Path(out)
        suffix = out.suffix.lower()
        if suffix == ".csv":
            text = self.quarterly_csv(actor, period)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            return out
        if suffix not in (".pdf", ".docx"):
            raise ValidationError("output file", str(out), "must end in .pdf, .docx or .csv")
        from riskdesk.reports import foi_report

        figures = self.figures(actor, period, department=department.upper())
        meta = foi_report.default_meta(figures)
        if not department:
            meta = foi_report.ReportMeta(meta.title, meta.subtitle, self.presented_note(actor, period))
        writer = foi_report.write_pdf if suffix == ".pdf" else foi_report.write_docx
        return writer(figures, out, meta)

    def report_lines(self, actor: Actor, period: str, *, department: str = "") -> list[str]:
        """The report as plain text lines (``riskdesk foi report`` prints them)."""
        from riskdesk.reports.foi_report import text_lines

        return text_lines(self.figures(actor, period, department=department))

    def quarterly_csv(self, actor: Actor, year: str) -> str:
        """The s.45 Code's published statistics: per quarter and regime (SPEC R-F5), as CSV text."""
        p = parse_period(year)
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["Year", "Quarter", "Regime", "Received", "Responded", "Within 20 working days",
                    "Within 20 working days (%)", "Internal reviews requested", "ICO cases received"])
        with self._ctx.read() as s:
            self._ctx.require(s, actor, Permission.VIEW_FOI)
            for q in (1, 2, 3, 4):
                qp = parse_period(f"{p.label} Q{q}")
                facts = self._facts(s, qp)
                for regime in Regime:
                    mine = [f for f in facts if f.regime == regime]
                    received = sum(1 for f in mine if qp.contains(f.received_on))
                    resp = [f for f in mine if qp.contains(f.responded_on) and f.outcome and f.outcome.responded]
                    within = sum(1 for f in resp if (f.days_taken or 0) <= 20)
                    ir = s.scalar(select(func.count()).select_from(FoiInternalReview)
                                  .join(FoiRequest, FoiRequest.id == FoiInternalReview.request_id)
                                  .where(FoiRequest.regime == regime.value,
                                         FoiInternalReview.requested_on.between(qp.start, qp.end)))
                    ico = s.scalar(select(func.count()).select_from(FoiIcoCase)
                                   .join(FoiRequest, FoiRequest.id == FoiIcoCase.request_id)
                                   .where(FoiRequest.regime == regime.value,
                                          FoiIcoCase.received_on.between(qp.start, qp.end)))
                    w.writerow([p.label, f"Q{q}", regime.label, received, len(resp), within,
                                pct(within, len(resp)) if resp else "", ir, ico])
        return out.getvalue()


def _prior_numbers(text: str) -> tuple[int | None, int | None]:
    import json

    raw = json.loads(text)
    if "within_pct" in raw:
        return raw.get("received"), raw["within_pct"]
    f = FoiFigures.from_json(text)
    return f.received, f.within_pct


def _review_snapshot(v: FoiInternalReview) -> dict[str, Any]:
    return {k: getattr(v, k) for k in ("requested_on", "due_on", "extended_due_on", "extension_reason", "reviewer",
                                       "responded_on", "outcome", "ico_rights_given")}


def _ico_snapshot(c: FoiIcoCase) -> dict[str, Any]:
    return {k: getattr(c, k) for k in ("ico_reference", "received_on", "kind", "decision_on", "decision_ref",
                                       "outcome", "further_disclosure", "steps_due_on")}


__all__ = ["BANDS", "FoiService", "IcoDraft", "NotFound", "Requester", "ReviewDraft"]
