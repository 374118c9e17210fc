"""Report cycles as a table: meeting, status, title, period, presented by/at."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from riskdesk.domain.cycles import CycleRow, long_date
from riskdesk.domain.quarters import Quarter

Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class CycleCol(IntEnum):
    MEETING = 0
    STATUS = 1
    TITLE = 2
    PERIOD = 3
    PRESENTED = 4


HEADERS = {
    CycleCol.MEETING: ("Meeting", "Date of the committee meeting"),
    CycleCol.STATUS: ("Status", "Draft (printed live from the register) or presented (frozen)"),
    CycleCol.TITLE: ("Title", "Appendix title"),
    CycleCol.PERIOD: ("Period", "Reporting period of the scores"),
    CycleCol.PRESENTED: ("Presented", "When and by whom the cycle was presented"),
}


def _period_label(code: str) -> str:
    try:
        return Quarter.parse(code).label
    except Exception:  # a hand-edited period still shows as stored
        return code


def sort_value(row: CycleRow, col: CycleCol) -> Any:
    match col:
        case CycleCol.MEETING:
            return row.meeting_date
        case CycleCol.STATUS:
            return row.status
        case CycleCol.TITLE:
            return row.title.lower()
        case CycleCol.PERIOD:
            return row.period
        case CycleCol.PRESENTED:
            return row.presented_at.isoformat() if row.presented_at else ""


class CycleTableModel(QAbstractTableModel):
    """One row per cycle; sorted on the Python list (a handful of rows per year)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CycleRow] = []
        self._sort: tuple[int, Qt.SortOrder] = (CycleCol.MEETING, Qt.SortOrder.DescendingOrder)

    # -- data ----------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[CycleRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._apply_sort()
        self.endResetModel()

    def rows(self) -> list[CycleRow]:
        return list(self._rows)

    def row_at(self, row: int) -> CycleRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, cycle_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == cycle_id), -1)

    # -- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CycleCol)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(CycleCol):
            return None
        title, tip = HEADERS[CycleCol(section)]
        if role == Qt.ItemDataRole.DisplayRole:
            return title
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleDescriptionRole):
            return tip
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(CycleCol):
            return None
        row = self._rows[index.row()]
        col = CycleCol(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(row, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.presented:
                return f"Presented: frozen snapshot, SHA-256 {row.snapshot_sha256}"
            return "Draft: printed from the register as it stands; present it to freeze it"
        if role == Qt.ItemDataRole.FontRole and col == CycleCol.STATUS and not row.presented:
            font = QFont()
            font.setItalic(True)
            return font
        if role == SORT_ROLE:
            return sort_value(row, col)
        if role == ROW_ROLE:
            return row
        return None

    @staticmethod
    def _text(row: CycleRow, col: CycleCol) -> str:
        match col:
            case CycleCol.MEETING:
                return long_date(row.meeting_date)
            case CycleCol.STATUS:
                return "Presented" if row.presented else "Draft"
            case CycleCol.TITLE:
                return row.title
            case CycleCol.PERIOD:
                return _period_label(row.period)
            case CycleCol.PRESENTED:
                if not row.presented or row.presented_at is None:
                    return ""
                return f"{row.presented_at:%d %b %Y} by {row.presented_by}"

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(CycleCol):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort()
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        column, order = self._sort
        self._rows.sort(key=lambda r: (sort_value(r, CycleCol(column)), r.id),
                        reverse=order == Qt.SortOrder.DescendingOrder)
