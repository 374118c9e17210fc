"""The one read-only row table model: a list of frozen rows, columns declared once.

Each table declares its columns (header, value, tooltip, and where needed a sort key and
colours); sorting and filtering run in Python over the rows held (the lists shown with it are
hundreds of rows at most; the register and the SI log, which hold thousands, have their own
models tuned for that). Selections survive a sort or a filter (persistent indexes are moved
with their rows). ``ROW_ROLE`` gives the row itself, ``SORT_ROLE`` its sort key in a column.
Subclasses add roles through ``extra()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from riskdesk.domain.risk_detail import ActionRow, AuditRow, RemovalRow
from riskdesk.ui.kit.contrast import ERROR, table_text

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column: header, value (shown as text), tooltip, sort key (default: the value) and colours."""

    header: str
    value: Callable[[T], Any]
    tooltip: str = ""
    sort: Callable[[T], Any] | None = None
    colours: Callable[[T], tuple[QBrush, QBrush] | None] | None = None

    def text(self, row: T) -> str:
        return _text(self.value(row))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    return str(value)


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, str):
        return (1, value.casefold())
    if isinstance(value, date):
        return (1, value.toordinal() if not hasattr(value, "hour") else value.timestamp())
    return (1, value)


class RowTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table of frozen rows, sorted and filtered in Python."""

    columns: Sequence[Column[Any]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[T] = []
        self._rows: list[T] = []
        self._filter = ""
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- data in -------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self._apply()
        self.endResetModel()

    def set_filter_text(self, text: str) -> None:
        """Show only rows whose cells contain every word of ``text`` (case ignored)."""
        self._relayout(lambda: setattr(self, "_filter", (text or "").strip().lower()))

    def _apply(self) -> None:
        words = self._filter.split()
        rows = self._all
        if words:
            rows = [r for r in rows if all(w in self._haystack(r) for w in words)]
        if self._sort is not None:
            col, order = self._sort
            spec = self.columns[col]
            key = spec.sort or spec.value
            rows = sorted(rows, key=lambda r: _sort_key(key(r)), reverse=order == Qt.SortOrder.DescendingOrder)
        self._rows = list(rows)

    def _haystack(self, row: T) -> str:
        return " ".join(spec.text(row) for spec in self.columns).lower()

    def _relayout(self, change: Callable[[], None]) -> None:
        """Re-filter or re-sort, moving persistent indexes (the selection) with their rows."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        keys = [id(self._rows[i.row()]) if 0 <= i.row() < len(self._rows) else None for i in old]
        change()
        self._apply()
        where = {id(r): i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(where[k], o.column()) if k in where else QModelIndex() for o, k in zip(old, keys, strict=True)])
        self.layoutChanged.emit()

    # -- data out ------------------------------------------------------------------------------

    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        col = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.header
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole) and col.tooltip:
            return col.tooltip
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < len(
                self.columns):
            return None
        row, col = self._rows[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return " ".join(col.text(row).split())  # one line in a cell; the tooltip has it all
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return col.text(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.text(row) or None
        if role == SORT_ROLE:
            return _sort_key(col.sort(row) if col.sort else col.value(row))[1]
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and col.colours:
            brushes = col.colours(row)
            if brushes is not None:
                return brushes[0] if role == Qt.ItemDataRole.BackgroundRole else brushes[1]
        return self.extra(row, index.column(), role)

    def extra(self, row: T, column: int, role: int) -> Any:
        """Further roles for subclasses."""
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns):
            self._relayout(lambda: setattr(self, "_sort", (column, order)))


# -- the register editor's side tables ----------------------------------------------------------


def _changes_text(row: AuditRow) -> str:
    parts = []
    for name, change in row.changes.items():
        if isinstance(change, list) and len(change) == 2:
            old, new = change
            parts.append(f"{name}: {_short(old)} → {_short(new)}")
        else:
            parts.append(f"{name}: {_short(change)}")
    return "\n".join(parts)


def _short(value: Any, limit: int = 400) -> str:
    if value is None or value == "":
        return "—"
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


ACTION_LABELS = {
    "risk.add": "Added", "risk.amend": "Amended", "risk.assess": "Assessed", "risk.remove": "Removed",
    "risk.restore": "Restored", "risk.escalate": "Escalated", "risk.de-escalate": "De-escalated",
    "risk.assess.withdraw": "Assessment withdrawn", "action.add": "Action added", "action.update": "Action updated",
    "action.complete": "Action completed", "action.delete": "Action deleted",
}


class AuditTableModel(RowTableModel[AuditRow]):
    """Who changed what, when, old → new: one risk's audit trail."""

    columns = (
        Column("When", lambda r: r.at.strftime("%d %b %Y %H:%M"), "Time of the change (UTC)"),
        Column("Who", lambda r: r.who),
        Column("What", lambda r: ACTION_LABELS.get(r.action, r.action) + (f" ({r.label.split('(')[-1]}"
                                                                          if "(" in r.label else "")),
        Column("Changes (old → new)", _changes_text),
        Column("Reason / note", lambda r: r.note),
    )


class ActionTableModel(RowTableModel[ActionRow]):
    """A risk's mitigating actions; overdue ones in red."""

    columns = (
        Column("Action", lambda r: r.description),
        Column("Owner", lambda r: r.owner_name),
        Column("Due", lambda r: r.due_on),
        Column("Completed", lambda r: r.completed_on),
    )

    def __init__(self, parent: Any = None, today: date | None = None) -> None:
        super().__init__(parent)
        self._today = today or date.today()

    def extra(self, row: ActionRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.overdue(self._today):
                return QBrush(table_text(ERROR))
            if row.done:
                return QBrush(table_text("#666666"))
        if role == Qt.ItemDataRole.ToolTipRole and column == 2 and row.overdue(self._today):
            return "Overdue"
        return None


class RemovedTableModel(RowTableModel[RemovalRow]):
    """Risks taken off a register, with reason and date."""

    columns = (
        Column("Ref", lambda r: r.ref),
        Column("Dept.", lambda r: r.departments_text),
        Column("Risk description", lambda r: r.description),
        Column("Score at removal", lambda r: r.score),
        Column("Removed on", lambda r: r.removed_on),
        Column("By", lambda r: r.removed_by),
        Column("Reason", lambda r: r.reason),
    )
