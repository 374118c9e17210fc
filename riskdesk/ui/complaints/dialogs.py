"""The complaint dialogs: log a new complaint, and the case editor (stage tabs, "why this date?",
response, extension and escalation). Every write goes through the complaints service; a refusal
is shown as the service words it, and nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.complaints import (
    ComplaintDetail,
    ComplaintDraft,
    ContactDraft,
    ContactKind,
    ContactRow,
    EnquiryCategory,
    Outcome,
    Procedure,
    StageRow,
)
from riskdesk.domain.errors import RiskdeskError, StaleEdit
from riskdesk.domain.register import Actor
from riskdesk.ui.kit.prompts import offer_reload, show_error
from riskdesk.ui.kit.sizing import resize_to_fit_screen

if TYPE_CHECKING:
    from riskdesk.services import Services


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _date_edit(d: date, name: str) -> QDateEdit:
    w = QDateEdit(_qdate(d))
    w.setCalendarPopup(True)
    w.setDisplayFormat("dd MMM yyyy")
    w.setAccessibleName(name)
    return w


def _fmt(d: date | None) -> str:
    return d.strftime("%a %d %b %Y") if d else "—"


class NewComplaintDialog(QDialog):
    """Log a complaint: procedure, receipt date, service, handler, summary, safeguarding flags."""

    saved = Signal(int)

    def __init__(self, services: Services, actor: Actor, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.today = services, actor, today
        self.setWindowTitle("New complaint")
        form = QFormLayout(self)
        self.procedure_combo = QComboBox()
        for p in Procedure:
            self.procedure_combo.addItem(p.label, p.value)
        self.received_date = _date_edit(today, "Received")
        self.service_combo = QComboBox()
        self.service_combo.setEditable(True)
        self.service_combo.addItems(services.complaints.service_names(actor))
        self.service_combo.setCurrentText("")
        self.handler_edit = QLineEdit()
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setTabChangesFocus(True)
        self.safeguarding_check = QCheckBox("&Safeguarding concern")
        self.hs_check = QCheckBox("He&alth and safety concern")
        for label, w in (("&Procedure", self.procedure_combo), ("&Received", self.received_date),
                         ("S&ervice", self.service_combo), ("Stage 1 &handler", self.handler_edit),
                         ("S&ummary (no names)", self.summary_edit)):
            form.addRow(label, w)
        form.addRow(self.safeguarding_check)
        form.addRow(self.hs_check)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def save(self) -> None:
        draft = ComplaintDraft(procedure=Procedure(self.procedure_combo.currentData()),
                               received_on=_pydate(self.received_date.date()),
                               service=self.service_combo.currentText().strip(),
                               summary=self.summary_edit.toPlainText().strip(), handler=self.handler_edit.text().strip(),
                               safeguarding=self.safeguarding_check.isChecked(),
                               health_and_safety=self.hs_check.isChecked())
        try:
            detail = self.services.complaints.log_complaint(self.actor, draft, today=self.today)
        except RiskdeskError as exc:
            show_error(self, "Cannot log the complaint", exc)
            return
        self.draft, self.detail = draft, detail  # what the page's undo step needs to log it again
        self.saved.emit(detail.row.id)
        self.accept()


class StageTab(QWidget):
    """One stage: its dates, the "why this date?" panel and, while open, the response and extension forms."""

    def __init__(self, stage: StageRow, can_edit: bool, today: date) -> None:
        super().__init__()
        self.stage = stage
        box = QVBoxLayout(self)
        facts = QFormLayout()
        for label, value in (("Requested", _fmt(stage.requested_on)), ("Acknowledged", _fmt(stage.acknowledged_on)),
                             ("Acknowledgement due", _fmt(stage.ack_due)),
                             ("Response due (timescale)", _fmt(stage.base_due)),
                             ("Response due (in force)", _fmt(stage.due)),
                             ("Longest extension", _fmt(stage.max_due)), ("Handler", stage.handler or "—"),
                             ("Responded", _fmt(stage.responded_on)),
                             ("Outcome", stage.outcome.label if stage.outcome else "—"),
                             ("Working days taken", "—" if stage.days_taken is None else str(stage.days_taken))):
            facts.addRow(label, QLabel(value))
        top = QHBoxLayout()
        top.addLayout(facts)
        box.addLayout(top, 1)
        why = QGroupBox("Why this date?")
        wl = QVBoxLayout(why)
        self.why_text = QPlainTextEdit("\n".join(stage.why))
        self.why_text.setReadOnly(True)
        self.why_text.setAccessibleName(f"Why this date, stage {stage.number}")
        self.why_text.setTabChangesFocus(True)
        wl.addWidget(self.why_text)
        top.addWidget(why, 1)  # beside the dates, so the explanation has the height it needs
        self.respond_box = QGroupBox("Record the response")
        rf = QFormLayout(self.respond_box)
        self.responded_date = _date_edit(today, "Responded")
        self.outcome_combo = QComboBox()
        self.outcome_combo.setAccessibleName("Outcome")
        for o in (Outcome.FAULT_FOUND, Outcome.NOT_UPHELD, Outcome.NO_FINDING, Outcome.WITHDRAWN):
            self.outcome_combo.addItem(o.label, o.value)
        self.handler_edit = QLineEdit(stage.handler)
        self.handler_edit.setAccessibleName("Handler")
        self.respond_button = QPushButton("Record &response")
        rf.addRow("Responded on", self.responded_date)
        rf.addRow("Outcome", self.outcome_combo)
        rf.addRow("Considered by", self.handler_edit)
        rf.addRow(self.respond_button)
        self.extend_box = QGroupBox("Extend the response date")
        ef = QFormLayout(self.extend_box)
        self.new_due_date = _date_edit(stage.due or today, "New due date")
        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Extension reason")
        self.communicated_date = _date_edit(today, "Date the complainant was told")
        self.ombudsman_check = QCheckBox("Ombudsman's contact details given")
        self.good_reason_edit = QLineEdit()
        self.good_reason_edit.setAccessibleName("Good reason beyond the maximum")
        self.extend_button = QPushButton("E&xtend")
        ef.addRow("New due date", self.new_due_date)
        ef.addRow("Reason", self.reason_edit)
        ef.addRow("Told the complainant on", self.communicated_date)
        ef.addRow(self.ombudsman_check)
        ef.addRow("Good reason (beyond the maximum)", self.good_reason_edit)
        ef.addRow(self.extend_button)
        forms = QHBoxLayout()
        forms.addWidget(self.respond_box)
        forms.addWidget(self.extend_box)
        box.addLayout(forms)
        open_stage = stage.responded_on is None
        self.respond_box.setVisible(can_edit and open_stage)
        self.extend_box.setVisible(can_edit and open_stage)


class CaseDialog(QDialog):
    """The case editor: one tab per stage, escalation, and a reload when someone else saved first."""

    saved = Signal(int)
    #: A write succeeded: (undo text, or "" when it cannot be undone; the case before; after).
    stepped = Signal(str, object, object)

    def __init__(self, services: Services, actor: Actor, complaint_id: int, *, can_edit: bool, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.complaint_id = services, actor, complaint_id
        self.can_edit, self.today = can_edit, today
        self.setObjectName("complaintCase")
        resize_to_fit_screen(self, 900, 640)
        box = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setWordWrap(True)
        box.addWidget(self.header)
        self.stage_tabs = QTabWidget()
        box.addWidget(self.stage_tabs, 1)
        row = QHBoxLayout()
        self.escalate_date = _date_edit(today, "Escalation requested on")
        self.escalate_handler = QLineEdit()
        self.escalate_handler.setAccessibleName("Next stage handler")
        self.escalate_handler.setPlaceholderText("Next stage handler (not the stage 1 handler)")
        # the hint is the field's only label: wide enough to be read whole
        self.escalate_handler.setMinimumWidth(
            self.escalate_handler.fontMetrics().horizontalAdvance(self.escalate_handler.placeholderText()) + 16)
        self.escalate_button = QPushButton("&Escalate to next stage")
        self.close_button = QPushButton("&Close")
        self.close_button.clicked.connect(self.accept)
        for w in (QLabel("Escalation requested"), self.escalate_date, self.escalate_handler, self.escalate_button):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.close_button)
        box.addLayout(row)
        self.escalate_button.clicked.connect(self.escalate)
        self.detail: ComplaintDetail | None = None
        self.load()

    def load(self) -> None:
        self.detail = d = self.services.complaints.get(self.actor, self.complaint_id, today=self.today)
        r = d.row
        self.setWindowTitle(f"Complaint {r.reference}")
        limit = f"; 12-month limit {d.time_limit:%d %b %Y}" if d.time_limit else ""
        converted = f"; converted from {d.converted_from}" if d.converted_from else ""
        self.header.setText(
            f"<b>{r.reference}</b> — {r.procedure.label}; received {r.received_on:%d %b %Y}; "
            f"{r.service or 'no service'} ({r.department or '—'}); rule set {d.rule_set or '—'}{limit}{converted}.<br>"
            f"Clock: <b>{r.band.label}</b>; outcome: {r.outcome.label if r.outcome else '—'}. {r.summary}")
        current = self.stage_tabs.currentIndex()
        self.stage_tabs.clear()
        self.tabs: list[StageTab] = []
        for st in d.stages:
            tab = StageTab(st, self.can_edit, self.today)
            tab.respond_button.clicked.connect(lambda _=False, t=tab: self.respond(t))
            tab.extend_button.clicked.connect(lambda _=False, t=tab: self.extend(t))
            self.tabs.append(tab)
            self.stage_tabs.addTab(tab, f"Stage {st.number}")
        self.stage_tabs.setCurrentIndex(current if 0 <= current < len(self.tabs) else len(self.tabs) - 1)
        last = d.stages[-1] if d.stages else None
        can_escalate = (self.can_edit and last is not None and last.responded_on is not None
                        and len(d.stages) < r.procedure.max_stages)
        for w in (self.escalate_date, self.escalate_handler, self.escalate_button):
            w.setEnabled(can_escalate)

    def _write(self, title: str, call: Callable[[], ComplaintDetail], undo: str) -> None:
        before = self.detail
        try:
            after = call()
        except StaleEdit as exc:
            if offer_reload(self, exc):
                self.load()
            return
        except RiskdeskError as exc:
            show_error(self, title, exc)
            return
        self.load()
        self.stepped.emit(undo, before, after)
        self.saved.emit(self.complaint_id)

    def respond(self, tab: StageTab) -> None:
        assert self.detail is not None
        version = self.detail.row.version
        self._write("Cannot record the response", lambda: self.services.complaints.respond(
            self.actor, self.complaint_id, tab.stage.number, responded_on=_pydate(tab.responded_date.date()),
            outcome=Outcome(tab.outcome_combo.currentData()), handler=tab.handler_edit.text(),
            expected_version=version, today=self.today), f"record stage {tab.stage.number} response")

    def extend(self, tab: StageTab) -> None:
        assert self.detail is not None
        version = self.detail.row.version
        self._write("Cannot extend the response date", lambda: self.services.complaints.extend(
            self.actor, self.complaint_id, tab.stage.number, new_due=_pydate(tab.new_due_date.date()),
            reason=tab.reason_edit.text(), communicated_on=_pydate(tab.communicated_date.date()),
            ombudsman_details_given=tab.ombudsman_check.isChecked(), good_reason=tab.good_reason_edit.text(),
            expected_version=version, today=self.today), "")  # the complainant was told: never undone

    def escalate(self) -> None:
        assert self.detail is not None
        version = self.detail.row.version
        self._write("Cannot escalate the complaint", lambda: self.services.complaints.escalate(
            self.actor, self.complaint_id, requested_on=_pydate(self.escalate_date.date()),
            handler=self.escalate_handler.text(), expected_version=version, today=self.today),
            f"escalate to stage {len(self.detail.stages) + 1}")


class ContactDialog(QDialog):
    """Log a contact at the front door: an enquiry (with its category), a service request, a compliment."""

    saved = Signal(int)

    def __init__(self, services: Services, actor: Actor, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.today = services, actor, today
        self.setWindowTitle("Log contact")
        form = QFormLayout(self)
        self.kind_combo = QComboBox()
        for k in (ContactKind.ENQUIRY, ContactKind.SERVICE_REQUEST, ContactKind.COMPLIMENT, ContactKind.LGSCO):
            self.kind_combo.addItem(k.label, k.value)
        self.category_combo = QComboBox()
        for c in EnquiryCategory:
            self.category_combo.addItem(c.label, c.value)
        self.received_date = _date_edit(today, "Received")
        self.service_combo = QComboBox()
        self.service_combo.setEditable(True)
        self.service_combo.addItems(services.complaints.service_names(actor))
        self.service_combo.setCurrentText("")
        self.summary_edit = QPlainTextEdit()
        self.summary_edit.setTabChangesFocus(True)
        for label, w in (("&Kind", self.kind_combo), ("&Category (enquiries)", self.category_combo),
                         ("&Received", self.received_date), ("S&ervice", self.service_combo),
                         ("S&ummary or the words of a compliment", self.summary_edit)):
            form.addRow(label, w)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def save(self) -> None:
        kind = ContactKind(self.kind_combo.currentData())
        category = EnquiryCategory(self.category_combo.currentData()) if kind is ContactKind.ENQUIRY else None
        draft = ContactDraft(kind, _pydate(self.received_date.date()), category=category,
                             service=self.service_combo.currentText().strip(),
                             summary=self.summary_edit.toPlainText().strip())
        try:
            row = self.services.complaints.log_contact(self.actor, draft)
        except RiskdeskError as exc:
            show_error(self, "Cannot log the contact", exc)
            return
        self.draft, self.row = draft, row  # what the page's undo step needs to log it again
        self.saved.emit(row.id)
        self.accept()


class ConvertDialog(QDialog):
    """Convert a service request or enquiry to a complaint, received on the day dissatisfaction was expressed."""

    saved = Signal(int)

    def __init__(self, services: Services, actor: Actor, contact: ContactRow, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.contact, self.today = services, actor, contact, today
        self.setWindowTitle(f"Convert {contact.reference} to a complaint")
        form = QFormLayout(self)
        form.addRow(QLabel(f"{contact.kind.label} received {contact.received_on:%d %b %Y}: {contact.summary}"))
        self.dissatisfied_date = _date_edit(today, "Dissatisfaction expressed on")
        self.handler_edit = QLineEdit()
        self.handler_edit.setAccessibleName("Stage 1 handler")
        form.addRow("&Dissatisfaction expressed on", self.dissatisfied_date)
        form.addRow("Stage 1 &handler", self.handler_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Convert")
        self.buttons.accepted.connect(self.convert)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def convert(self) -> None:
        self.dissatisfied_on, self.handler = _pydate(self.dissatisfied_date.date()), self.handler_edit.text().strip()
        try:
            d = self.services.complaints.convert_to_complaint(
                self.actor, self.contact.id, dissatisfied_on=self.dissatisfied_on,
                expected_version=self.contact.version, handler=self.handler, today=self.today)
        except StaleEdit as exc:
            offer_reload(self, exc)
            return
        except RiskdeskError as exc:
            show_error(self, "Cannot convert the contact", exc)
            return
        self.detail = d
        self.saved.emit(d.row.id)
        self.accept()
