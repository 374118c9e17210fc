"""Table models for the clinical governance page: audits, quality visits, PGDs, the assurance
summary and an audit's or visit's actions.

The lists are the kit's one row table model (``kit.table_model``: sorting and text filtering on
the list held) with their columns declared here; the actions table is edited in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.clinical import (
    ActionItem,
    AssuranceLine,
    ClinicalAuditRow,
    PgdRow,
    QualityVisitRow,
    Rag,
    WarningLevel,
)
from riskdesk.ui.kit.fields import fmt_date, parse_date
from riskdesk.ui.kit.table_model import ROW_ROLE, SORT_ROLE, Column, RowTableModel

__all__ = ["ROW_ROLE", "SORT_ROLE", "ActionTableModel", "AssuranceTableModel", "AuditTableModel", "PgdTableModel",
           "RowTableModel", "VisitTableModel", "fmt_date", "parse_date"]
from riskdesk.ui.kit.contrast import readable_text

Index = QModelIndex | QPersistentModelIndex
T = TypeVar("T")

WARNING_COLOURS = {WarningLevel.PASSED: ("#c00000", "#ffffff"), WarningLevel.DAYS_30: ("#ffc000", "#000000"),
                   WarningLevel.DAYS_60: ("#ffe699", "#000000"), WarningLevel.DAYS_90: ("#fff2cc", "#000000")}


def _rag_brushes(rag: Rag | None) -> tuple[QBrush, QBrush] | None:
    if rag is None:
        return None
    fill = QColor(rag.rgb)
    return QBrush(fill), QBrush(readable_text(fill))


def ColumnSpec(header: str, tooltip: str, text: Callable[[Any], str], sort: Callable[[Any], Any] | None = None,
               colours: Callable[[Any], tuple[QBrush, QBrush] | None] | None = None) -> Column[Any]:
    """A clinical column in the kit's one table model: header, tooltip, text, sort key, colours."""
    return Column(header, text, tooltip, sort, colours)


# -- the tables ------------------------------------------------------------------------------------


def _actions_text(actions: tuple[ActionItem, ...]) -> str:
    if not actions:
        return ""
    done = sum(1 for a in actions if a.complete)
    return "All completed" if done == len(actions) else f"{done} of {len(actions)} done"


class AuditTableModel(RowTableModel[ClinicalAuditRow]):
    columns = (
        ColumnSpec("Provider", "Provider", lambda a: a.provider_label, lambda a: a.provider_name),
        ColumnSpec("Service", "Commissioned service", lambda a: a.service_name),
        ColumnSpec("Quarter", "Financial quarter", lambda a: a.quarter.label, lambda a: a.quarter.code),
        ColumnSpec("Audit", "Audit title", lambda a: a.title),
        ColumnSpec("Type", "Audit or re-audit", lambda a: a.kind.label),
        ColumnSpec("Re-audit of", "The earlier audit this re-audits", lambda a: a.previous_audit_title),
        ColumnSpec("Standard", "Standard or guideline body", lambda a: a.standard_body),
        ColumnSpec("Status", "Planned, in progress or complete", lambda a: a.status.label,
                   lambda a: ["planned", "in_progress", "complete"].index(a.status.value)),
        ColumnSpec("RAG", "Red, amber or green rating", lambda a: a.rag.label if a.rag else "",
                   lambda a: ["red", "amber", "green"].index(a.rag.value) if a.rag else None,
                   lambda a: _rag_brushes(a.rag)),
        ColumnSpec("Actions", "Actions done of all", lambda a: _actions_text(a.actions),
                   lambda a: a.open_actions),
        ColumnSpec("Re-audit due", "Date the re-audit is due", lambda a: fmt_date(a.reaudit_due),
                   lambda a: a.reaudit_due),
    )


class VisitTableModel(RowTableModel[QualityVisitRow]):
    columns = (
        ColumnSpec("Provider", "Provider", lambda v: v.provider_label, lambda v: v.provider_name),
        ColumnSpec("Service", "Commissioned service", lambda v: v.service_name),
        ColumnSpec("Planned", "Date planned", lambda v: fmt_date(v.planned), lambda v: v.planned),
        ColumnSpec("Visited", "Date the visit took place", lambda v: fmt_date(v.actual), lambda v: v.actual),
        ColumnSpec("Visited by", "Who visited", lambda v: v.visitors),
        ColumnSpec("RAG", "Red, amber or green rating", lambda v: v.rag.label if v.rag else "",
                   lambda v: ["red", "amber", "green"].index(v.rag.value) if v.rag else None,
                   lambda v: _rag_brushes(v.rag)),
        ColumnSpec("Actions", "Whether all actions were completed", lambda v: _actions_text(v.actions)),
        ColumnSpec("Next visit due", "When the next visit is due", lambda v: fmt_date(v.next_due),
                   lambda v: v.next_due),
        ColumnSpec("Outcome", "Outcome of the visit", lambda v: " ".join(v.outcome.split())),
    )


class PgdTableModel(RowTableModel[PgdRow]):
    """PGDs with their warning on ``today``; an expired PGD is red with EXPIRED in its status."""

    def __init__(self, today: date | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = today or date.today()
        self.columns = (
            ColumnSpec("PGD", "Patient Group Direction", lambda g: g.name, colours=self._row_colours),
            ColumnSpec("Medicine", "Medicine", lambda g: g.medicine),
            ColumnSpec("Service", "Commissioned service", lambda g: f"{g.service_name} ({g.provider_label})"),
            ColumnSpec("Version", "Document version", lambda g: g.document_version),
            ColumnSpec("Issued", "Date issued", lambda g: fmt_date(g.issued), lambda g: g.issued),
            ColumnSpec("Review due", "Date the review is due", lambda g: fmt_date(g.review_due),
                       lambda g: g.review_due, self._review_colours),
            ColumnSpec("Expiry", "Expiry date (the last day it may be used)", lambda g: fmt_date(g.expiry),
                       lambda g: g.expiry, self._expiry_colours),
            ColumnSpec("Status", "Status", self._status, lambda g: -g.alert(self.today).level,
                       self._row_colours),
            ColumnSpec("Warning", "Review and expiry warnings (90, 60, 30 days)",
                       lambda g: g.alert(self.today).text, lambda g: -g.alert(self.today).level,
                       self._alert_colours),
        )

    def _status(self, g: PgdRow) -> str:
        return "EXPIRED" if g.alert(self.today).expired else g.status.label

    def _row_colours(self, g: PgdRow) -> tuple[QBrush, QBrush] | None:
        if g.alert(self.today).expired:
            return QBrush(QColor("#c00000")), QBrush(QColor("#ffffff"))
        return None

    def _alert_colours(self, g: PgdRow) -> tuple[QBrush, QBrush] | None:
        level = g.alert(self.today).level
        if level is WarningLevel.NONE:
            return None
        fill, text = WARNING_COLOURS[level]
        return QBrush(QColor(fill)), QBrush(QColor(text))

    def _date_colours(self, g: PgdRow, day: date | None) -> tuple[QBrush, QBrush] | None:
        from riskdesk.domain.clinical import warning_level

        if day is None or g.alert(self.today).level is WarningLevel.NONE:
            return None
        level = warning_level(day, self.today)
        if level is WarningLevel.NONE:
            return None
        fill, text = WARNING_COLOURS[level]
        return QBrush(QColor(fill)), QBrush(QColor(text))

    def _review_colours(self, g: PgdRow) -> tuple[QBrush, QBrush] | None:
        return self._date_colours(g, g.review_due)

    def _expiry_colours(self, g: PgdRow) -> tuple[QBrush, QBrush] | None:
        return self._date_colours(g, g.expiry)


class AssuranceTableModel(RowTableModel[AssuranceLine]):
    """The summary's rows in their printed order; cells are edited in place.

    An edit does not change the list itself: it emits ``lineEdited(row, new_line)`` and the page
    saves it through the service (as an undoable command), then reloads the rows.
    """

    lineEdited = Signal(int, object)

    columns = (
        ColumnSpec("Heading", "Heading", lambda x: x.heading),
        ColumnSpec("Area", "Area (service)", lambda x: x.area),
        ColumnSpec("Assurance", "Assurance text", lambda x: x.assurance),
    )
    FIELDS = ("heading", "area", "assurance")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.editable = True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The printed order is the meaning; this table is not re-sorted."""

    def set_filter_text(self, text: str) -> None:
        """Rows are positions in the printed table, so the summary is never filtered."""

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.EditRole and index.isValid() and 0 <= index.row() < len(self._rows):
            return self.columns[index.column()].text(self._rows[index.row()])
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and 0 <= index.row() < len(self._rows):
            return self.columns[index.column()].text(self._rows[index.row()]) or None
        return super().data(index, role)

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not self.editable:
            return False
        line = self._rows[index.row()]
        field = self.FIELDS[index.column()]
        if getattr(line, field) == str(value):
            return False
        new = AssuranceLine(**{**line.__dict__, field: str(value)})
        self.lineEdited.emit(index.row(), new)
        return True


class ActionTableModel(QAbstractTableModel):
    """An audit's or visit's actions, edited in place inside its dialog (dates typed dd/mm/yyyy)."""

    problem = Signal(str)
    HEADERS = (("Action", "What is to be done"), ("Owner", "Who owns the action"),
               ("Due", "Due date, dd/mm/yyyy"), ("Done", "Date completed, dd/mm/yyyy; empty while open"))

    def __init__(self, actions: Sequence[ActionItem] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ActionItem] = list(actions)

    def actions(self) -> tuple[ActionItem, ...]:
        return tuple(self._rows)

    def set_actions(self, actions: Sequence[ActionItem]) -> None:
        self.beginResetModel()
        self._rows = list(actions)
        self.endResetModel()

    def add(self, item: ActionItem | None = None) -> int:
        n = len(self._rows)
        self.beginInsertRows(QModelIndex(), n, n)
        self._rows.append(item or ActionItem(""))
        self.endInsertRows()
        return n

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < 4:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section][0]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.HEADERS[section][1]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows) or not 0 <= index.column() < 4:
            return None
        a = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.AccessibleTextRole):
            return (a.description, a.owner, fmt_date(a.due), fmt_date(a.done))[index.column()]
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        a = self._rows[index.row()]
        col = index.column()
        text = str(value or "")
        try:
            if col == 0:
                new = ActionItem(text, a.owner, a.due, a.done)
            elif col == 1:
                new = ActionItem(a.description, text, a.due, a.done)
            elif col == 2:
                new = ActionItem(a.description, a.owner, parse_date(text), a.done)
            else:
                new = ActionItem(a.description, a.owner, a.due, parse_date(text))
        except ValueError as exc:
            self.problem.emit(f"Action {index.row() + 1}, {self.HEADERS[col][0].lower()}: {exc}")
            return False
        self._rows[index.row()] = new
        self.dataChanged.emit(index, index)
        return True
