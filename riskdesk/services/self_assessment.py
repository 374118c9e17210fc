"""The Complaint Handling Code self-assessment: the template as data, filled each year, printed, and
frozen when presented to the committee (SPEC D.7, F.6 R-SA; 001:54).

riskdesk pre-fills the Evidence column with what it holds (Ombudsman casework, the Ombudsman's
letter, the outcome vocabulary it enforces); the officer edits every cell until the assessment is
presented, after which it reprints from its snapshot and refuses edits.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from riskdesk.domain.code_templates import TEMPLATES, Template, template_for
from riskdesk.domain.errors import AlreadyDone, StaleEdit, ValidationError
from riskdesk.domain.ombudsman import (
    Comply,
    Decision,
    SelfAssessmentData,
    SelfAssessmentRow,
    fy_bounds,
    fy_label,
    pct,
)
from riskdesk.domain.permissions import Permission
from riskdesk.domain.register import Actor
from riskdesk.models import OmbudsmanCase, OmbudsmanPublishedYear, SelfAssessment, SelfAssessmentRowModel
from riskdesk.services.base import ServiceContext, diff, get_or_404

__all__ = ["TEMPLATES", "SelfAssessmentService", "auto_evidence", "blank", "template_for"]


def _evidence_for(template: Template, evidence: dict[str, str]) -> list[str]:
    """Evidence per template row: by Code reference for the draft's requirement rows; for a template
    with a row per section, everything held for that section goes in its first row."""
    if not template.one_table:
        left = dict(evidence)  # a Code reference printed twice (6.1, 6.19) gets it once
        return [left.pop(ref, "") for _s, _t, _sub, ref, _r in template.rows]
    out, seen = [], set()
    for section, *_rest in template.rows:
        if section in seen:
            out.append("")
            continue
        seen.add(section)
        out.append("\n".join(text for ref, text in sorted(evidence.items(), key=lambda kv: _ref_key(kv[0]))
                             if ref.split(".")[0] == str(section)))
    return out


def _ref_key(ref: str) -> tuple[int, ...]:
    return tuple(int(p) for p in ref.replace("/", ".").split(".") if p.strip().isdigit())


def auto_evidence(s: Session, fy: int) -> dict[str, str]:
    """Evidence riskdesk holds for the year, by Code reference (the officer may edit or replace it)."""
    a, b = fy_bounds(fy)
    c = OmbudsmanCase
    enquiries = list(s.execute(select(c.reply_due_on, c.responded_on)
                               .where(c.first_enquiry_on >= a, c.first_enquiry_on <= b)))
    answered = [(due, done) for due, done in enquiries if done is not None and due is not None]
    on_time = sum(1 for due, done in answered if done <= due)
    decided = list(s.scalars(select(c).where(c.final_decision_on >= a, c.final_decision_on <= b)))
    recs = [r for x in decided for r in x.recommendations]
    complied = [r for r in recs if r.completed_on is not None]
    late = sum(1 for r in complied if r.due_on is not None and r.completed_on > r.due_on)
    label = fy_label(fy)
    ombudsman = (f"Ombudsman enquiries in {label}: {len(enquiries)}; replies sent by the agreed date: "
                 f"{on_time} of {len(answered)}"
                 + (f" ({pct(on_time, len(answered))}%)" if answered else "")
                 + f". Recommendations on {label} decisions: {len(recs)}, complied with {len(complied)}"
                 + (f" ({late} late)" if late else "") + ".")
    upheld = sum(1 for x in decided if x.decision and Decision(x.decision).upheld)
    out = {
        "4.1": "The complaints team is riskdesk's Ombudsman link: " + ombudsman,
        "6.8": "No 'partially upheld' outcome can be recorded (enforced by riskdesk).",
        "7.4": f"Ombudsman decisions in {label}: {len(decided)}, of which upheld {upheld}; "
               "recommended remedies are recorded against each case.",
    }
    letter = s.scalar(select(OmbudsmanPublishedYear).where(OmbudsmanPublishedYear.fy == fy))
    if letter is not None:
        when = f" dated {letter.letter_date:%d %B %Y}" if letter.letter_date else ""
        out["8.1"] = (f"The Ombudsman's annual review letter for {label}{when} is recorded as published and "
                      "reconciled with the council's records in the Ombudsman report.")
    return out


def _rows(sa: SelfAssessment) -> tuple[SelfAssessmentRow, ...]:
    template = TEMPLATES[sa.template].rows
    out = []
    for r in sa.rows:
        section, title, sub, ref, requirement = template[r.position]
        out.append(SelfAssessmentRow(r.id, r.position, section, title, sub, ref, requirement,
                                     Comply(r.comply) if r.comply else None, r.explanation, r.evidence,
                                     r.target_date))
    return tuple(out)


def _data(sa: SelfAssessment) -> SelfAssessmentData:
    if sa.status == "presented" and sa.snapshot:
        # A presented assessment reprints exactly as it was presented.
        rows = tuple(SelfAssessmentRow(**{**r, "comply": Comply(r["comply"]) if r["comply"] else None,
                                          "target_date": date.fromisoformat(r["target_date"])
                                          if r["target_date"] else None})
                     for r in json.loads(sa.snapshot))
    else:
        rows = _rows(sa)
    return SelfAssessmentData(sa.id, sa.fy, sa.template, sa.status, sa.presented_on, sa.presented_by, rows,
                              sa.version)


def _row_snapshot(r: SelfAssessmentRowModel) -> dict[str, Any]:
    return {"comply": r.comply, "explanation": r.explanation, "evidence": r.evidence, "target_date": r.target_date}


class SelfAssessmentService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def get(self, actor: Actor, fy: int, template: str | None = None) -> SelfAssessmentData | None:
        """The year's assessment on ``template``; with no template named, the one the year was started
        on (the year's default template first, should a year have been started on both)."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_COMPLAINTS)
            found = {sa.template: sa for sa in s.scalars(select(SelfAssessment).where(SelfAssessment.fy == fy))}
            if template is not None:
                sa = found.get(template)
            else:
                sa = found.get(template_for(fy)) or next((found[k] for k in sorted(found)), None)
            return _data(sa) if sa else None

    def start(self, actor: Actor, fy: int, template: str | None = None) -> SelfAssessmentData:
        """The year's assessment from the template (by default the one for the year, ``template_for``),
        with riskdesk's evidence filled in."""
        template = template or template_for(fy)
        if template not in TEMPLATES:
            raise ValidationError("template", template, "is not known; use " + ", ".join(TEMPLATES))
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            if s.scalar(select(SelfAssessment.id).where(SelfAssessment.fy == fy, SelfAssessment.template == template)):
                raise ValidationError("self-assessment", fy_label(fy), "has already been started for this template")
            t = TEMPLATES[template]
            evidence = _evidence_for(t, auto_evidence(s, fy))
            sa = SelfAssessment(fy=fy, template=template)
            for i, ((_sec, _title, _sub, ref, _req), text) in enumerate(zip(t.rows, evidence, strict=True)):
                sa.rows.append(SelfAssessmentRowModel(position=i, code_ref=ref, evidence=text))
            s.add(sa)
            s.flush()
            self._ctx.audit(s, user, "self_assessment.start", "self_assessment", sa.id,
                            f"Code self-assessment {fy_label(fy)}", {"template": [None, template]})
            return _data(sa)

    def update_row(self, actor: Actor, assessment_id: int, row_id: int, *, comply: Comply | None, explanation: str,
                   evidence: str, target_date: date | None, expected_version: int) -> SelfAssessmentData:
        if comply in (Comply.NO, Comply.PARTLY) and not explanation.strip():
            raise ValidationError("explanation", explanation, "is required when the council does not fully comply "
                                  "(comply or explain)")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            sa = get_or_404(s, SelfAssessment, assessment_id, "Self-assessment")
            if sa.status == "presented":
                raise AlreadyDone(f"The {fy_label(sa.fy)} self-assessment was presented on "
                                  f"{sa.presented_on:%d %B %Y} and is frozen; it cannot be changed.")
            if sa.version != expected_version:
                raise StaleEdit(f"The {fy_label(sa.fy)} self-assessment")
            row = next((r for r in sa.rows if r.id == row_id), None)
            if row is None:
                raise ValidationError("row", row_id, "is not part of this self-assessment")
            before = _row_snapshot(row)
            row.comply = comply.value if comply else None
            row.explanation, row.evidence, row.target_date = explanation.strip(), evidence.strip(), target_date
            # A row changed: touch the assessment so its version moves and a stale editor is refused.
            flag_modified(sa, "status")
            s.flush()
            self._ctx.audit(s, user, "self_assessment.row", "self_assessment_row", row.id,
                            f"Code self-assessment {fy_label(sa.fy)} {row.code_ref}", diff(before, _row_snapshot(row)))
            return _data(sa)

    def present(self, actor: Actor, assessment_id: int, *, presented_on: date,
                expected_version: int) -> SelfAssessmentData:
        """Freeze the assessment as presented to the committee: it reprints from this snapshot."""
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_COMPLAINTS)
            sa = get_or_404(s, SelfAssessment, assessment_id, "Self-assessment")
            if sa.status == "presented":
                raise AlreadyDone(f"The {fy_label(sa.fy)} self-assessment was already presented on "
                                  f"{sa.presented_on:%d %B %Y}; your request changed nothing.")
            if sa.version != expected_version:
                raise StaleEdit(f"The {fy_label(sa.fy)} self-assessment")
            rows = _rows(sa)
            sa.snapshot = json.dumps([{**r.__dict__, "comply": r.comply.value if r.comply else None,
                                       "target_date": r.target_date.isoformat() if r.target_date else None}
                                      for r in rows], ensure_ascii=False)
            sa.status, sa.presented_on, sa.presented_by = "presented", presented_on, user.login
            s.flush()
            self._ctx.audit(s, user, "self_assessment.present", "self_assessment", sa.id,
                            f"Code self-assessment {fy_label(sa.fy)}",
                            {"status": ["draft", "presented"], "presented_on": [None, presented_on.isoformat()]})
            return _data(sa)

    def write(self, actor: Actor, fy: int, *, pdf: str | None = None, docx: str | None = None,
              template: str | None = None) -> SelfAssessmentData:
        """Print the year's assessment (a blank template when none was started)."""
        if template is not None and template not in TEMPLATES:
            raise ValidationError("template", template, "is not known; use " + ", ".join(TEMPLATES))
        data = self.get(actor, fy, template)
        if data is None:
            data = blank(fy, template or template_for(fy))
        from riskdesk.reports import ombudsman_report

        if pdf:
            ombudsman_report.write_self_assessment_pdf(data, pdf)
        if docx:
            ombudsman_report.write_self_assessment_docx(data, docx)
        return data


def blank(fy: int, template: str | None = None) -> SelfAssessmentData:
    """The template with nothing filled in (for printing before the year is started)."""
    template = template or template_for(fy)
    rows = tuple(SelfAssessmentRow(0, i, sec, title, sub, ref, req, None, "", "", None)
                 for i, (sec, title, sub, ref, req) in enumerate(TEMPLATES[template].rows))
    return SelfAssessmentData(0, fy, template, "blank", None, "", rows, 0)
