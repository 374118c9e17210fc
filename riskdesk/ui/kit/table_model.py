"""A small read-only table model over a list of frozen rows, for the editor's side tables.

Each table declares its columns once (header, value, tooltip); the models for actions,
audit entries and removed risks are thin subclasses. Their lists are short (tens of rows),
so sorting them in Python on each click costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from riskdesk.domain.register import ActionRow, AuditRow, RemovalRow
from riskdesk.ui.kit.contrast import ERROR, table_text

T = TypeVar("T")
Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    value: Callable[[T], Any]
    tooltip: str = ""


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
    columns: Sequence[Column[Any]] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    def set_rows(self, rows: Sequence[T]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

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
        if role == Qt.ItemDataRole.ToolTipRole and col.tooltip:
            return col.tooltip
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows) or not 0 <= index.column() < len(self.columns):
            return None
        row = self._rows[index.row()]
        col = self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return " ".join(_text(col.value(row)).split()) if role == Qt.ItemDataRole.DisplayRole else _text(
                col.value(row))
        if role == Qt.ItemDataRole.ToolTipRole:
            return _text(col.value(row)) or None
        if role == ROW_ROLE:
            return row
        return self.extra(row, index.column(), role)

    def extra(self, row: T, column: int, role: int) -> Any:
        """Further roles (colours) for subclasses."""
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        keep = [(self._rows[i.row()], i.column()) if i.row() < len(self._rows) else None for i in old]
        getter = self.columns[column].value
        self._rows.sort(key=lambda r: _sort_key(getter(r)), reverse=order == Qt.SortOrder.DescendingOrder)
        where = {id(r): n for n, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            old, [self.index(where[id(k[0])], k[1]) if k is not None else QModelIndex() for k in keep]
        )
        self.layoutChanged.emit()


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
