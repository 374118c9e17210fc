"""The FOI/EIR list: one table model over frozen rows, filtered in Python over a prepared index.

Filtering 50,000 requests per keystroke by a QSortFilterProxyModel would call Python once per row;
here each row's searchable text is prepared once when the rows arrive, and a filter is one list
comprehension, after which the model shows the matching rows (a model reset, cheap for the view).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.foi import ClockBand, FoiRow
from riskdesk.ui.kit.table_model import Column, RowTableModel, _sort_key

BAND_COLOURS = {
    ClockBand.OVERDUE: ("#f4c7c3", "#7a1010"),
    ClockBand.DUE_TODAY: ("#ffd9a8", "#6b3a00"),
    ClockBand.DUE_SOON: ("#fde9b8", "#5c4300"),
    ClockBand.ON_TRACK: ("#d4ecd4", "#1d4d1d"),
    ClockBand.CLOSED: ("#e8e8e8", "#404040"),
}


@dataclass(frozen=True)
class FoiFilter:
    """What the filters above the list ask for; empty means any."""

    text: str = ""
    department: str = ""
    status: str = ""  # "open", "responded", "closed" (withdrawn/lapsed/transferred)
    band: str = ""  # a ClockBand value

    def matches(self, row: FoiRow, haystack: str) -> bool:
        if self.department and self.department not in row.departments.split() and row.department != self.department:
            return False
        if self.band and row.band.value != self.band:
            return False
        if self.status:
            state = ("closed" if row.outcome is not None and not row.outcome.responded
                     else "responded" if row.responded_on else "open")
            if state != self.status:
                return False
        return not self.text or self.text.casefold() in haystack


def haystack_of(row: FoiRow) -> str:
    return " ".join((row.reference, row.subject, row.requester_type or "", row.departments, row.regime.label,
                     row.status)).casefold()


class FoiTableModel(RowTableModel[FoiRow]):
    columns = (
        Column("Reference", lambda r: r.reference),
        Column("Regime", lambda r: r.regime.label, "FOIA or EIR"),
        Column("Received", lambda r: r.received_on),
        Column("Dept.", lambda r: r.department, "One department, or MULTI when several"),
        Column("Subject", lambda r: r.subject),
        Column("Requester type", lambda r: r.requester_type or "Not identifiable"),
        Column("Due", lambda r: r.due_in_force, "Statutory due date (the extended date when extended)"),
        Column("Responded", lambda r: r.responded_on),
        Column("Days", lambda r: r.days_taken, "Working days taken (bank holidays in any part of the UK skipped)"),
        Column("Status", lambda r: r.status),
        Column("Clock", lambda r: r.band.label),
    )
    CLOCK_COLUMN = 10

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[FoiRow] = []
        self._hay: list[str] = []
        self.filter = FoiFilter()

    def set_all(self, rows: Sequence[FoiRow]) -> None:
        self._all = list(rows)
        self._hay = [haystack_of(r) for r in self._all]
        self.apply(self.filter)

    def all_rows(self) -> list[FoiRow]:
        return list(self._all)

    def apply(self, flt: FoiFilter) -> None:
        self.filter = flt
        if not (flt.text or flt.department or flt.status or flt.band):
            self.set_rows(self._all)
            return
        self.set_rows([r for r, h in zip(self._all, self._hay, strict=True) if flt.matches(r, h)])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        getter = self.columns[column].value
        pairs = sorted(zip(self._all, self._hay, strict=True), key=lambda p: _sort_key(getter(p[0])),
                       reverse=order == Qt.SortOrder.DescendingOrder)
        self._all = [p[0] for p in pairs]
        self._hay = [p[1] for p in pairs]
        self.apply(self.filter)

    def extra(self, row: FoiRow, column: int, role: int) -> Any:
        if column == self.CLOCK_COLUMN:
            bg, fg = BAND_COLOURS[row.band]
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(bg))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(fg))
        return None
