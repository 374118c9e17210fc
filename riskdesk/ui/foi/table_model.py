"""The FOI/EIR list: one table model over frozen rows, filtered in Python over a prepared index.

Filtering 50,000 requests per keystroke by a QSortFilterProxyModel would call Python once per row;
here each row's searchable text is prepared once when the rows arrive, and a filter is one list
comprehension, after which the model shows the matching rows (a model reset, cheap for the view).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.foi import ClockBand, FoiRow
from riskdesk.ui.kit.table_model import ROW_ROLE, Column, RowTableModel, _sort_key

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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    return str(value)


def haystack_of(row: FoiRow) -> str:
    return " ".join((row.reference, row.source_reference or "", row.subject, row.requester_type or "",
                     row.departments, row.regime.label, row.status)).casefold()


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
        self._every: list[FoiRow] = []
        self._hay: list[str] = []
        self.filter = FoiFilter()
        # Rows passing the department/status/clock filters (indexes into _all), and the last text
        # result: typing one more letter searches only the rows the previous letters left.
        self._base_key: tuple[str, str, str] | None = None
        self._base: list[int] = []
        self._last: tuple[str, list[int]] | None = None
        self._texts: dict[int, tuple[str, ...]] = {}

    def set_all(self, rows: Sequence[FoiRow]) -> None:
        self._texts = {}
        self._every = list(rows)
        self._hay = [haystack_of(r) for r in self._every]
        self._base_key = None
        self.apply(self.filter)

    def all_rows(self) -> list[FoiRow]:
        return list(self._every)

    def apply(self, flt: FoiFilter) -> None:
        self.filter = flt
        key = (flt.department, flt.status, flt.band)
        if key != self._base_key:
            self._base_key = key
            self._last = None
            if any(key):
                only = FoiFilter("", *key)
                self._base = [i for i, r in enumerate(self._every) if only.matches(r, "")]
            else:
                self._base = list(range(len(self._every)))
        needle = flt.text.casefold()
        if not needle:
            idx = self._base
        else:
            hay = self._hay
            pool = self._last[1] if self._last is not None and needle.startswith(self._last[0]) else self._base
            idx = [i for i in pool if needle in hay[i]]
        self._last = (needle, idx) if needle else None
        rows = self._every
        self.set_rows([rows[i] for i in idx])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        getter = self.columns[column].value
        pairs = sorted(zip(self._every, self._hay, strict=True), key=lambda p: _sort_key(getter(p[0])),
                       reverse=order == Qt.SortOrder.DescendingOrder)
        self._every = [p[0] for p in pairs]
        self._hay = [p[1] for p in pairs]
        self._base_key = None
        self.apply(self.filter)

    _DISPLAY = Qt.ItemDataRole.DisplayRole
    _PLAIN_ROLES = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole,
                              Qt.ItemDataRole.ToolTipRole})
    _COLOUR_ROLES = frozenset({Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole})

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A fast path for painting: each visible cell asks for a dozen roles, most of which this
        # table does not use; the text of a row is formatted once and kept until the rows change.
        if role in self._PLAIN_ROLES:
            if not index.isValid() or index.row() >= len(self._rows):
                return None
            row = self._rows[index.row()]
            texts = self._texts.get(row.id)
            if texts is None:
                texts = self._texts[row.id] = tuple(_cell(c.value(row)) for c in self.columns)
            text = texts[index.column()] if index.column() < len(texts) else None
            return (text or None) if role == Qt.ItemDataRole.ToolTipRole else text
        if role in self._COLOUR_ROLES and index.column() == self.CLOCK_COLUMN and index.isValid():
            return self.extra(self._rows[index.row()], index.column(), role)
        if role == ROW_ROLE:
            return super().data(index, role)
        return None

    def extra(self, row: FoiRow, column: int, role: int) -> Any:
        if column == self.CLOCK_COLUMN:
            bg, fg = BAND_COLOURS[row.band]
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(QColor(bg))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(fg))
        return None
