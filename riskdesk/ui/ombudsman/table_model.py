"""The Ombudsman case list and the self-assessment rows as tables (on the kit's row table model)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.ombudsman import CaseRow, SelfAssessmentRow
from riskdesk.ui.kit.table_model import Column, RowTableModel

#: (background, text) per band, as the incident list colours its clocks.
BANDS = {"overdue": ("#f4c7c3", "#7a1010"), "due_soon": ("#fde9b8", "#5c4300")}
DUE_SOON_DAYS = 7


def band(row: CaseRow, today: date) -> str:
    """"overdue", "due_soon" or "" for a case, from its next due date (calendar days)."""
    if row.next_due_on is None:
        return ""
    left = (row.next_due_on - today).days
    if left < 0:
        return "overdue"
    return "due_soon" if left <= DUE_SOON_DAYS else ""


class CaseTableModel(RowTableModel[CaseRow]):
    columns = (
        Column("Reference", lambda r: r.reference, "The Ombudsman's reference"),
        Column("Department", lambda r: r.department),
        Column("First enquiry", lambda r: r.first_enquiry_on, "Date of the Ombudsman's first enquiry"),
        Column("Reply due", lambda r: r.reply_due_on, "The reply date in force (an agreed extension, else the letter's)"),
        Column("Replied", lambda r: r.responded_on),
        Column("Next due", lambda r: r.next_due_on, "The earliest open reply or recommendation date"),
        Column("What", lambda r: r.next_due_what),
        Column("Decision", lambda r: r.decision.label if r.decision else "", "The Ombudsman's final decision"),
        Column("Decided", lambda r: r.final_decision_on),
        Column("Open recommendations", lambda r: r.open_recommendations or ""),
        Column("Complaint", lambda r: r.complaint_ref, "The council's complaint reference"),
    )

    def __init__(self, parent: Any = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()

    def extra(self, row: CaseRow, column: int, role: int) -> Any:
        kind = band(row, self.today)
        if not kind or column not in (5, 6):
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(BANDS[kind][0]))
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(BANDS[kind][1]))
        return None


class AssessmentTableModel(RowTableModel[SelfAssessmentRow]):
    columns = (
        Column("Code section", lambda r: r.code_ref),
        Column("Code requirement", lambda r: r.requirement),
        Column("Comply", lambda r: r.comply.label if r.comply else ""),
        Column("Explanations and Commentary", lambda r: r.explanation),
        Column("Evidence", lambda r: r.evidence),
        Column("Date to comply", lambda r: r.target_date),
    )
