"""New Ombudsman case: the fields of the Ombudsman's first letter."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from riskdesk.domain.errors import RiskdeskError, ValidationError
from riskdesk.domain.ombudsman import LGSCO_DEPARTMENTS, CaseDetail, CaseDraft, Procedure
from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.ui.kit.prompts import error_text
from riskdesk.ui.ombudsman.page_layout import date_edit


def parse_day(text: str, field: str, *, required: bool = False) -> date | None:
    """A typed date or None; a clear error naming the field otherwise."""
    text = text.strip()
    if not text:
        if required:
            raise ValidationError(field, text, "is required (YYYY-MM-DD)")
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(field, text, "is not a date: write it as YYYY-MM-DD") from None


class NewCaseDialog(QDialog):
    """Records a case; stays open with the reason when the service refuses it (nothing typed is lost)."""

    saved = Signal(object)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Ombudsman case")
        self.services, self.actor = services, actor
        self.result_case: CaseDetail | None = None
        form = QFormLayout(self)
        self.reference = QLineEdit()
        self.reference.setPlaceholderText("23 005 558")
        self.department = QComboBox()
        for code, label in LGSCO_DEPARTMENTS:
            self.department.addItem(f"{label} ({code})", code)
        self.procedure = QComboBox()
        for p in Procedure:
            self.procedure.addItem(p.label, p.value)
        self.first_enquiry = date_edit("firstEnquiry", "Date of the Ombudsman's first enquiry")
        self.reply_due = date_edit("newReplyDue", "Reply due date from the letter")
        self.service_group = QLineEdit()
        self.complaint_ref = QLineEdit()
        self.error = QLabel()
        self.error.setObjectName("dialogError")
        self.error.setWordWrap(True)
        form.addRow("Ombudsman &reference:", self.reference)
        form.addRow("&Department:", self.department)
        form.addRow("Procedure:", self.procedure)
        form.addRow("First &enquiry on:", self.first_enquiry)
        form.addRow("Reply due (from the &letter):", self.reply_due)
        form.addRow("Service group:", self.service_group)
        form.addRow("Council complaint ref:", self.complaint_ref)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def save(self) -> None:
        try:
            draft = CaseDraft(
                reference=self.reference.text(), department=self.department.currentData(),
                first_enquiry_on=parse_day(self.first_enquiry.text(), "first enquiry", required=True) or date.min,
                response_due_on=parse_day(self.reply_due.text(), "reply due"),
                service_group=self.service_group.text().strip(), procedure=Procedure(self.procedure.currentData()),
                complaint_ref=self.complaint_ref.text().strip())
            self.result_case = self.services.ombudsman.create_case(self.actor, draft)
        except RiskdeskError as exc:
            self.error.setText(error_text(exc))
            return
        self.saved.emit(self.result_case)
        self.accept()
