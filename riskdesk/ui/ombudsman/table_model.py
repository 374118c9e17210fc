"""The Ombudsman case list and the self-assessment rows as tables (on the kit's row table model).

The case list formats a row's cells and works out its band once, not once per role per paint: a
repaint after a keystroke at 20,000 cases then costs what the visible rows cost, as it should.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.ombudsman import CaseRow, SelfAssessmentRow
from riskdesk.ui.kit.table_model import ROW_ROLE, SORT_ROLE, Column, Index, RowTableModel

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

    _PLAIN_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                              Qt.ItemDataRole.ToolTipRole})
    _BACKGROUND, _FOREGROUND = Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole
    _FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # combined once: asked per cell per paint

    def __init__(self, parent: Any = None, today: date | None = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        # Per row object (held, so its id is not reused while cached): the band and (display, full)
        # text per column. Only rows that were on screen are ever formatted.
        self._cells: dict[int, tuple[CaseRow, str, tuple[tuple[str, str], ...]]] = {}
        self._brushes: dict[str, tuple[QBrush, QBrush]] = {}

    def set_rows(self, rows: Any) -> None:
        if len(self._cells) > 20_000:
            self._cells = {}
        super().set_rows(rows)

    def _entry(self, row: CaseRow) -> tuple[CaseRow, str, tuple[tuple[str, str], ...]]:
        entry = self._cells.get(id(row))
        if entry is None:
            texts = tuple((" ".join(t.split()), t) for t in (c.text(row) for c in self.columns))
            entry = self._cells[id(row)] = (row, band(row, self.today), texts)
        return entry

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in self._PLAIN_ROLES or role == self._BACKGROUND or role == self._FOREGROUND:
            r = index.row()
            if not index.isValid() or not 0 <= r < len(self._rows):
                return None
            if role in self._PLAIN_ROLES:
                display, full = self._entry(self._rows[r])[2][index.column()]
                if role == Qt.ItemDataRole.DisplayRole:
                    return display
                return full if role == Qt.ItemDataRole.AccessibleTextRole else full or None
            return self.extra(self._rows[r], index.column(), role)
        if role in (ROW_ROLE, SORT_ROLE):
            return super().data(index, role)
        return None  # the other roles (font, alignment, size hint…) this table leaves to the view

    def flags(self, index: Index) -> Qt.ItemFlag:
        return self._FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def extra(self, row: CaseRow, column: int, role: int) -> Any:
        if column not in (5, 6) or role not in (self._BACKGROUND, self._FOREGROUND):
            return None
        kind = self._entry(row)[1]
        if not kind:
            return None
        brushes = self._brushes.get(kind)
        if brushes is None:
            brushes = self._brushes[kind] = (QBrush(QColor(BANDS[kind][0])), QBrush(QColor(BANDS[kind][1])))
        return brushes[0] if role == self._BACKGROUND else brushes[1]


class AssessmentTableModel(RowTableModel[SelfAssessmentRow]):
    columns = (
        Column("Code section", lambda r: r.code_ref),
        Column("Code requirement", lambda r: r.requirement),
        Column("Comply", lambda r: r.comply.label if r.comply else ""),
        Column("Explanations and Commentary", lambda r: r.explanation),
        Column("Evidence", lambda r: r.evidence),
        Column("Date to comply", lambda r: r.target_date),
    )
