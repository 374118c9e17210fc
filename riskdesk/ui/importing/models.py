"""The import wizard's table models: the sheet grid and the preview of what will be imported."""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QFont

from riskdesk.domain.scoring import Score
from riskdesk.io.mapping import (
    ImportMapping,
    cell_text,
    column_letter,
)
from riskdesk.io.prepare import PreparedImport, RowProblem
from riskdesk.io.readers import Sheet
from riskdesk.services.importing import stored_update
from riskdesk.ui.importing.common import ERROR_BRUSH, HEADER_BRUSH, WARNING_BRUSH, Index
from riskdesk.ui.kit.contrast import readable_text, table_text


class GridModel(QAbstractTableModel):
    """The top of a sheet as it is in the file, header rows tinted, Excel row numbers and letters."""

    LIMIT = 40

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._grid: list[list[Any]] = []
        self._width = 0
        self._header: range = range(0)

    def set_sheet(self, sheet: Sheet | None, header: range) -> None:
        self.beginResetModel()
        self._grid = [list(r) for r in sheet.grid[: self.LIMIT]] if sheet else []
        self._width = max((len(r) for r in self._grid), default=0)
        self._header = header
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._grid)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._width

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return column_letter(section) if orientation == Qt.Orientation.Horizontal else str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._grid[index.row()]
        value = row[index.column()] if index.column() < len(row) else None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = cell_text(value)
            if role == Qt.ItemDataRole.DisplayRole:
                text = " ".join(text.split())
                return text if len(text) <= 80 else text[:79] + "…"
            return text[:2000] or None
        if role == Qt.ItemDataRole.BackgroundRole and index.row() in self._header:
            return HEADER_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and index.row() in self._header:
            return QBrush(readable_text(HEADER_BRUSH.color()))  # the pale fill stays pale on a dark theme
        if role == Qt.ItemDataRole.FontRole and index.row() in self._header:
            font = QFont()
            font.setBold(True)
            return font
        return None


class PreviewModel(QAbstractTableModel):
    """Every row of the import as it will be stored; problems tint their cells; a checkbox imports or skips."""

    HEADERS = ("Import", "Row", "Ref", "Department(s)", "Owner", "Current", "Target", "Inherent (own field)",
               "Direction", "Description", "Update (stored)", "Problems")
    IMPORT, ROW, REF, DEPTS, OWNER, CURRENT, TARGET, HISTORY, DIRECTION, DESCRIPTION, UPDATE, PROBLEMS = range(12)
    _FIELD_COLUMN: ClassVar[dict[str, int]] = {
        "ref": REF, "departments": DEPTS, "owner": OWNER, "direction": DIRECTION, "description": DESCRIPTION,
        "effects": DESCRIPTION, "category": DESCRIPTION, "update": UPDATE, "mitigation": UPDATE, "actions": UPDATE,
        "comments": UPDATE,
    }

    skipChanged = Signal(int, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._prepared: PreparedImport | None = None
        self._mapping = ImportMapping()
        self._rows: list[Any] = []
        self._cells: list[dict[int, list[RowProblem]]] = []

    def set_prepared(self, prepared: PreparedImport | None, mapping: ImportMapping) -> None:
        self.beginResetModel()
        self._prepared, self._mapping = prepared, mapping
        self._rows = list(prepared.rows) if prepared else []
        by_row: dict[int, list[RowProblem]] = {}
        for p in prepared.problems if prepared else ():
            by_row.setdefault(p.row, []).append(p)
        self._cells = []
        for risk in self._rows:
            cells: dict[int, list[RowProblem]] = {}
            for p in by_row.get(risk.row, ()):
                cells.setdefault(self.column_of(p.column), []).append(p)
            self._cells.append(cells)
        self.endResetModel()

    def column_of(self, header: str) -> int:
        field = self._mapping.field_of(header) if header else ""
        prefix = field.partition("_")[0]
        if prefix == "current":
            return self.CURRENT
        if prefix == "target":
            return self.TARGET
        if prefix == "inherent":
            return self.HISTORY
        return self._FIELD_COLUMN.get(field, self.ROW)

    def row_number(self, index: int) -> int:
        return self._rows[index].row

    def row_index(self, row_number: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.row == row_number), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == self.IMPORT:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    @staticmethod
    def _score(score: Score | None) -> str:
        return f"{score.impact} × {score.likelihood} = {score.score}" if score else ""

    def _text(self, risk: Any, col: int) -> str:
        match col:
            case self.ROW:
                return str(risk.row)
            case self.REF:
                return risk.ref
            case self.DEPTS:
                return ", ".join(risk.departments)
            case self.OWNER:
                return " / ".join(risk.owners)
            case self.CURRENT:
                return self._score(risk.current)
            case self.TARGET:
                return self._score(risk.target)
            case self.HISTORY:
                return self._score(risk.inherent)
            case self.DIRECTION:
                return risk.direction.value if risk.direction else "Not stated"
            case self.DESCRIPTION:
                return risk.description
            case self.UPDATE:
                return stored_update(risk)
        return ""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        risk = self._rows[index.row()]
        col = index.column()
        problems = self._cells[index.row()]
        if role == Qt.ItemDataRole.CheckStateRole and col == self.IMPORT:
            return Qt.CheckState.Unchecked if risk.skip else Qt.CheckState.Checked
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.PROBLEMS:
                all_ = [p for ps in problems.values() for p in ps]
                errors = sum(1 for p in all_ if p.severity == "error")
                if not all_:
                    return ""
                return f"{errors} error(s), {len(all_) - errors} warning(s)" if errors else f"{len(all_)} warning(s)"
            text = " ".join(self._text(risk, col).split())
            return text if len(text) <= 120 else text[:119] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            here = problems.get(col, []) if col != self.PROBLEMS else [p for ps in problems.values() for p in ps]
            if here:
                return "\n".join(str(p) for p in here)
            if col in (self.DESCRIPTION, self.UPDATE):
                text = self._text(risk, col)
                return text[:3000] + ("…" if len(text) > 3000 else "")
            return None
        if role == Qt.ItemDataRole.BackgroundRole and not risk.skip:
            here = problems.get(col, []) if col != self.PROBLEMS else [p for ps in problems.values() for p in ps]
            if any(p.severity == "error" for p in here):
                return ERROR_BRUSH
            if here:
                return WARNING_BRUSH
        if role == Qt.ItemDataRole.ForegroundRole and risk.skip:
            return QBrush(table_text("#767676"))
        if role == Qt.ItemDataRole.ForegroundRole and not risk.skip:
            here = problems.get(col, []) if col != self.PROBLEMS else [p for ps in problems.values() for p in ps]
            if here:  # on the pale error or warning fill, whatever the theme's text colour
                return QBrush(readable_text(ERROR_BRUSH.color()))
        if role == Qt.ItemDataRole.AccessibleTextRole and col == self.IMPORT:
            return f"Import row {risk.row}" if not risk.skip else f"Row {risk.row} skipped"
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != self.IMPORT or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        row = self._rows[index.row()]
        self.skipChanged.emit(row.row, not checked)
        return True
