"""Small forms for an internal review and an ICO case of one request, and the table listing both."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.foi import IcoOutcome, IcoRow, ReviewOutcome, ReviewRow
from riskdesk.ui.foi.fields import OptionalDate, pydate, qdate
from riskdesk.ui.kit.prompts import error_text
from riskdesk.ui.kit.table_model import Column, RowTableModel


class CaseworkTableModel(RowTableModel[Any]):
    """Internal reviews and ICO cases of one request, in one list."""

    columns = (
        Column("What", lambda r: "Internal review" if isinstance(r, ReviewRow) else f"ICO {r.kind}"),
        Column("Received", lambda r: r.requested_on if isinstance(r, ReviewRow) else r.received_on),
        Column("Due / decided", lambda r: (r.extended_due_on or r.due_on) if isinstance(r, ReviewRow)
               else r.decision_on),
        Column("Outcome", lambda r: r.outcome.label if r.outcome else "Open"),
    )


class _Form(QDialog):
    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)

    def _finish(self) -> None:
        self.form.addRow(self.error_label)
        self.form.addRow(self.buttons)

    def _date(self, label: str, day: date) -> QDateEdit:
        edit = QDateEdit(qdate(day))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setAccessibleName(label)
        return edit

    def _ok(self) -> None:
        try:
            self.save()
        except RiskdeskError as exc:  # kept open with everything typed
            self.error_label.setText(error_text(exc))
            return
        self.accept()

    def save(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class ReviewDialog(_Form):
    def __init__(self, parent: QWidget | None, save: Any, today: date) -> None:
        super().__init__(parent, "Internal review")
        self._save = save
        self.requested = self._date("Review requested", today)
        self.reviewer = QLineEdit()
        self.extended = QCheckBox("Extended beyond 20 working days (40 at most)")
        self.reason = QLineEdit()
        self.responded = OptionalDate("Review responded", today)
        self.outcome = QComboBox()
        self.outcome.addItem("Not yet decided", "")
        for o in ReviewOutcome:
            self.outcome.addItem(o.label, o.value)
        self.ico_rights = QCheckBox("Requester told of the right to complain to the ICO")
        for label, w in (("Requested:", self.requested), ("Reviewer:", self.reviewer), ("", self.extended),
                         ("Extension reason:", self.reason), ("Responded:", self.responded),
                         ("Outcome:", self.outcome), ("", self.ico_rights)):
            self.form.addRow(label, w)
        self._finish()

    def save(self) -> None:
        from riskdesk.services.foi import ReviewDraft

        outcome = self.outcome.currentData()
        self.row: ReviewRow = self._save(ReviewDraft(
            requested_on=pydate(self.requested.date()), reviewer=self.reviewer.text(),
            extended=self.extended.isChecked(), extension_reason=self.reason.text(),
            responded_on=self.responded.value(), outcome=ReviewOutcome(outcome) if outcome else None,
            ico_rights_given=self.ico_rights.isChecked()))


class IcoDialog(_Form):
    def __init__(self, parent: QWidget | None, save: Any, today: date) -> None:
        super().__init__(parent, "ICO case")
        self._save = save
        self.received = self._date("ICO case received", today)
        self.reference = QLineEdit()
        self.kind = QComboBox()
        self.kind.addItems(["enquiry", "investigation"])
        self.decided = OptionalDate("Decision notice date", today)
        self.decision_ref = QLineEdit()
        self.outcome = QComboBox()
        self.outcome.addItem("Not yet decided", "")
        for o in IcoOutcome:
            self.outcome.addItem(o.label, o.value)
        self.further = QCheckBox("Further disclosure resulted")
        for label, w in (("Received:", self.received), ("ICO reference:", self.reference), ("Kind:", self.kind),
                         ("Decision notice:", self.decided), ("Decision reference:", self.decision_ref),
                         ("Outcome:", self.outcome), ("", self.further)):
            self.form.addRow(label, w)
        self._finish()

    def save(self) -> None:
        from riskdesk.services.foi import IcoDraft

        outcome = self.outcome.currentData()
        self.row: IcoRow = self._save(IcoDraft(
            received_on=pydate(self.received.date()), ico_reference=self.reference.text().strip(),
            kind=self.kind.currentText(), decision_on=self.decided.value(),
            decision_ref=self.decision_ref.text().strip(), outcome=IcoOutcome(outcome) if outcome else None,
            further_disclosure=self.further.isChecked()))
