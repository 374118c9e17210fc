"""File → Import register…: bring a council's spreadsheet in, step by step; File → Export current list….

Pages: the file (sheet, header rows, register and period) → the columns (a riskdesk field for each
source column, guessed, then confirmed) → the scores (which set is current, target or history;
how the source's scales translate) → people and departments (map to existing ones or create)
→ the dry-run preview (every row as it will be stored, problems highlighted, rows can be skipped,
the mapping saved for next quarter). Reading the file, previewing and importing run on a worker
thread; the import has a progress dialog with Cancel, and cancelling leaves the database as it was.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.scoring import Score
from riskdesk.io.mapping import (
    FIELDS,
    SCORE_SETS,
    ImportMapping,
    cell_text,
    column_letter,
    detect_header_rows,
    guess_mapping,
    header_names,
)
from riskdesk.io.prepare import PreparedImport, RowProblem, column_values, propose_scales_for
from riskdesk.io.readers import Sheet, Workbook
from riskdesk.io.scales import Scale, ScaleMap
from riskdesk.services import Services
from riskdesk.services.importing import ImportCancelled, ImportResult, stored_update

Index = QModelIndex | QPersistentModelIndex

FIELD_LABELS: dict[str, str] = {
    "ref": "Reference",
    "description": "Risk description",
    "effects": "Effects (added to the description)",
    "category": "Category",
    "departments": "Department(s)",
    "owner": "Risk owner",
    "current_impact": "Current impact",
    "current_likelihood": "Current likelihood",
    "current_score": "Current score (checked)",
    "target_impact": "Target impact",
    "target_likelihood": "Target likelihood",
    "target_score": "Target score (checked)",
    "inherent_impact": "Inherent impact",
    "inherent_likelihood": "Inherent likelihood",
    "inherent_score": "Inherent score (checked)",
    "score_note": "Note under the current score",
    "other_lines": "Other scoring lines",
    "direction": "Direction of travel",
    "direction_text": "Direction words (as printed)",
    "update": "Update",
    "mitigation": "Mitigation (kept in the update)",
    "actions": "Actions (kept in the update)",
    "comments": "Comments (kept in the update)",
    "ignore": "— not imported —",
}
SET_LABELS = {"current": "current", "target": "target", "inherent": "inherent (before controls)"}
ROLES = (("current", "Current score"), ("target", "Target score"), ("inherent", "Kept as history"),
         (None, "Not imported"))
ERROR_BRUSH = QBrush(QColor("#f8d0d0"))
WARNING_BRUSH = QBrush(QColor("#fdefc8"))
HEADER_BRUSH = QBrush(QColor("#dce8f5"))


# -- background work -----------------------------------------------------------------------------


class Task(QObject):
    """Run ``fn(task)`` on a worker thread; results come back as signals on the GUI thread.

    ``fn`` may call :meth:`report` for progress and should check :meth:`cancelled` between steps.
    Each task opens its own database sessions through the services, so nothing is shared with
    the GUI thread but frozen rows. The worker emits private signals that are relayed by slots of
    this object, which lives in the GUI thread, so listeners always run there.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)
    _finished = Signal(bool, object)
    _reported = Signal(int, int)

    def __init__(self, fn: Callable[[Task], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._finished.connect(self._relay_finished, Qt.ConnectionType.QueuedConnection)
        self._reported.connect(self._relay_progress, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="riskdesk-import", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            result = self._fn(self)
        except BaseException as exc:  # handed to the GUI thread, which shows it
            self._finished.emit(False, exc)
        else:
            self._finished.emit(True, result)

    @Slot(bool, object)
    def _relay_finished(self, ok: bool, value: object) -> None:
        (self.succeeded if ok else self.failed).emit(value)

    @Slot(int, int)
    def _relay_progress(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    def report(self, done: int, total: int) -> None:
        self._reported.emit(done, total)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def _message(exc: BaseException) -> str:
    if isinstance(exc, RiskdeskError):
        return str(exc)
    return f"Something unexpected went wrong: {exc.__class__.__name__}: {exc}. Nothing was changed."


# -- item models ----------------------------------------------------------------------------------


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
        if role == Qt.ItemDataRole.FontRole and index.row() in self._header:
            font = QFont()
            font.setBold(True)
            return font
        return None


class PreviewModel(QAbstractTableModel):
    """Every row of the import as it will be stored; problems tint their cells; a checkbox imports or skips."""

    HEADERS = ("Import", "Row", "Ref", "Department(s)", "Owner", "Current", "Target", "History (inherent)",
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
                return risk.direction.value if risk.direction else "(level)"
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
            return QBrush(QColor("#888888"))
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


# -- pages ------------------------------------------------------------------------------------------


class FilePage(QWizardPage):
    """Choose the file, its sheet and header row(s), the register and the period."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Choose the spreadsheet")
        self.setSubTitle("An Excel workbook (.xlsx, .xls, .ods) or a CSV file holding the register to bring in.")
        form = QFormLayout()
        self.saved_combo = QComboBox()
        self.saved_combo.setAccessibleName("Saved mapping")
        form.addRow("Saved &mapping:", self.saved_combo)
        row = QHBoxLayout()
        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File to import")
        self.path_edit.setPlaceholderText("Type a path and press Enter, or choose Browse…")
        self.browse_button = QPushButton("&Browse…")
        row.addWidget(self.path_edit)
        row.addWidget(self.browse_button)
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, row)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Sheet")
        form.addRow("&Sheet:", self.sheet_combo)
        header_row = QHBoxLayout()
        self.header_row_spin = QSpinBox()
        self.header_row_spin.setRange(1, 30)
        self.header_row_spin.setAccessibleName("First header row")
        self.header_count_spin = QSpinBox()
        self.header_count_spin.setRange(1, 2)
        self.header_count_spin.setAccessibleName("Number of header rows")
        header_row.addWidget(self.header_row_spin)
        header_row.addWidget(QLabel("number of header rows:"))
        header_row.addWidget(self.header_count_spin)
        header_row.addStretch(1)
        header_label = QLabel("&Header starts on row:")
        header_label.setBuddy(self.header_row_spin)
        form.addRow(header_label, header_row)
        self.register_combo = QComboBox()
        self.register_combo.setAccessibleName("Register to import into")
        form.addRow("Import &into:", self.register_combo)
        self.period_combo = QComboBox()
        self.period_combo.setAccessibleName("Period of the current scores")
        form.addRow("Current scores are for:", self.period_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        busy = QHBoxLayout()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.busy_bar = QProgressBar()
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setMaximumWidth(160)
        self.busy_bar.hide()
        self.cancel_read_button = QPushButton("Cancel")
        self.cancel_read_button.hide()
        busy.addWidget(self.status, 1)
        busy.addWidget(self.busy_bar)
        busy.addWidget(self.cancel_read_button)
        layout.addLayout(busy)
        self.grid_model = GridModel(self)
        self.grid_view = QTableView()
        self.grid_view.setAccessibleName("Top of the sheet as it is in the file")
        self.grid_view.setModel(self.grid_model)
        self.grid_view.verticalHeader().setDefaultSectionSize(22)
        self.grid_view.horizontalHeader().setDefaultSectionSize(120)
        layout.addWidget(self.grid_view, 1)

        self.path_edit.returnPressed.connect(self.load)
        self.path_edit.editingFinished.connect(self.load)
        self.browse_button.clicked.connect(self._browse)
        self.sheet_combo.currentIndexChanged.connect(self._sheet_chosen)
        # A saved mapping knows its sheet and header rows: apply them to the file already chosen.
        self.saved_combo.currentIndexChanged.connect(lambda _i: self.w.book is not None and self._read(self._task, self.w.book))
        self.header_row_spin.valueChanged.connect(self._header_changed)
        self.header_count_spin.valueChanged.connect(self._header_changed)
        self.cancel_read_button.clicked.connect(self._cancel_read)
        self._task: Task | None = None
        self._loaded_path = ""

    def initializePage(self) -> None:
        svc, actor = self.w.services, self.w.actor
        if self.saved_combo.count() == 0:
            self.saved_combo.addItem("None: guess from the file's headers", None)
            for saved in svc.importing.list_mappings(actor):
                self.saved_combo.addItem(saved.name, saved.name)
            self.register_combo.clear()
            for reg in svc.registers.list_registers(actor):
                self.register_combo.addItem(f"{reg.name} ({reg.current_risks} current risks)", reg.id)
                if reg.id == self.w.register_id:
                    self.register_combo.setCurrentIndex(self.register_combo.count() - 1)
            current = svc.registers.current_period(actor)
            quarters = [current]
            for _ in range(4):
                quarters.insert(0, quarters[0].previous())
            quarters.append(current.next())
            for q in quarters:
                self.period_combo.addItem(q.label + (" (current period)" if q == current else ""), q.code)
            self.period_combo.setCurrentIndex(quarters.index(current))
            self.register_combo.currentIndexChanged.connect(self.completeChanged)

    # -- reading the file ----------------------------------------------------------------------

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Import register", self.path_edit.text() or str(Path.home()),
            "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;All files (*)",
        )
        if path:
            self.path_edit.setText(path)
            self.load()

    def load(self) -> None:
        text = self.path_edit.text().strip()
        if not text or text == self._loaded_path or (self._task and self._task.running):
            return
        path = Path(text).expanduser()
        self._loaded_path = text
        self.w.book = None
        self.completeChanged.emit()
        self.status.setText(f"Reading “{path.name}”…")
        self.busy_bar.show()
        self.cancel_read_button.show()
        importing = self.w.services.importing
        task = Task(lambda _t: importing.open_workbook(path), self)
        task.succeeded.connect(lambda book, t=task: self._read(t, book))
        task.failed.connect(lambda exc, t=task: self._read_failed(t, exc))
        self._task = task
        task.start()

    def _cancel_read(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self._done_reading()
        self._loaded_path = ""
        self.status.setText("Reading cancelled.")

    def _done_reading(self) -> None:
        self.busy_bar.hide()
        self.cancel_read_button.hide()

    def _read(self, task: Task | None, book: Workbook) -> None:
        if task is None or task.cancelled() or task is not self._task:
            return
        self._done_reading()
        self.w.book = book
        self.w.path = book.path
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(list(book.sheet_names))
        saved = self.w.saved_mapping()
        wanted = saved.mapping.sheet if saved and saved.mapping.sheet in book.sheet_names else book.sheet().name
        self.sheet_combo.setCurrentText(wanted)
        self.sheet_combo.blockSignals(False)
        self._sheet_chosen()

    def _read_failed(self, task: Task, exc: BaseException) -> None:
        if task is not self._task:
            return
        self._done_reading()
        self._loaded_path = ""
        self.status.setText(f"<b>This file cannot be imported.</b> {_message(exc)}")
        self.grid_model.set_sheet(None, range(0))
        self.completeChanged.emit()

    def _sheet_chosen(self) -> None:
        if self.w.book is None:
            return
        sheet = self.w.book.sheet(self.sheet_combo.currentText() or None)
        self.w.sheet = sheet
        saved = self.w.saved_mapping()
        if saved and saved.mapping.header_rows:
            start, count = saved.mapping.header_rows[0] - 1, saved.mapping.header_rows[1]
        else:
            start, count = detect_header_rows(sheet.grid)
        for spin, value in ((self.header_row_spin, start + 1), (self.header_count_spin, max(count, 1))):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self._header_changed()

    def _header_changed(self) -> None:
        sheet = self.w.sheet
        if sheet is None:
            return
        start, count = self.header_row_spin.value() - 1, self.header_count_spin.value()
        self.grid_model.set_sheet(sheet, range(start, start + count))
        data_rows = max(0, len(sheet.grid) - start - count)
        self.status.setText(f"“{sheet.name}”: {data_rows:,} rows below the header (blank rows are left out). "
                            "The tinted row(s) are read as the column headers.")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.w.sheet is not None and self.w.book is not None and self.register_combo.currentData() is not None

    def validatePage(self) -> bool:
        sheet = self.w.sheet
        assert sheet is not None
        start, count = self.header_row_spin.value() - 1, self.header_count_spin.value()
        headers = header_names(sheet.grid, start, count, sheet.merges)
        self.w.register_id = int(self.register_combo.currentData())
        self.w.period = Quarter.parse(self.period_combo.currentData())
        saved = self.w.saved_mapping()
        key = (str(self.w.path), sheet.name, start, count, saved.name if saved else None)
        if key != self.w.columns_key:  # keep the user's choices when they come back unchanged
            self.w.columns_key = key
            book_sheet = sheet.name if self.w.path and self.w.path.suffix.lower() not in (".csv", ".tsv", ".txt") \
                else None
            if saved is not None:
                mapping = saved.mapping
                known = {h for h, _ in mapping.columns}
                columns = list(mapping.columns) + [(h, "ignore") for h in headers if h not in known]
                mapping = ImportMapping(columns=tuple(columns), name=saved.name, sheet=book_sheet,
                                        header_rows=(start + 1, count), impact_first=mapping.impact_first,
                                        trust_impact_likelihood=mapping.trust_impact_likelihood)
                self.w.scales = saved.scales
            else:
                mapping = guess_mapping(headers)
                mapping = replace(mapping, sheet=book_sheet, header_rows=(start + 1, count))
                self.w.scales = propose_scales_for(sheet, mapping)
            self.w.headers = headers
            self.w.column_mapping = mapping
            self.w.roles = {s: s for s in SCORE_SETS}
        return True


class ColumnsPage(QWizardPage):
    """Map each source column to a riskdesk field (pre-filled by the guess)."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Match the columns")
        self.setSubTitle("riskdesk has guessed which field each column holds. Check every line; a column set to "
                         "“not imported” is left out. Long texts are kept whole.")
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Column mapping")
        self.table.setHorizontalHeaderLabels(["Column in the file", "Examples", "riskdesk field"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(30)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.combos: dict[str, QComboBox] = {}

    def initializePage(self) -> None:
        mapping = self.w.column_mapping
        sheet = self.w.sheet
        assert sheet is not None
        self.combos = {}
        self.table.setRowCount(len(mapping.columns))
        for i, (header, field) in enumerate(mapping.columns):
            item = QTableWidgetItem(header)
            self.table.setItem(i, 0, item)
            samples = [" ".join(cell_text(v).split()) for v in column_values(sheet, mapping, header) if v is not None]
            shown = " · ".join(s if len(s) <= 40 else s[:39] + "…" for s in samples[:3])
            sample_item = QTableWidgetItem(shown)
            sample_item.setToolTip("\n".join(samples[:8]))
            self.table.setItem(i, 1, sample_item)
            combo = QComboBox()
            combo.setAccessibleName(f"riskdesk field for “{header}”")
            for f in FIELDS:
                combo.addItem(FIELD_LABELS[f], f)
            combo.setCurrentIndex(FIELDS.index(field))
            combo.currentIndexChanged.connect(lambda _i, h=header, c=combo: self._chosen(h, c))
            self.table.setCellWidget(i, 2, combo)
            self.combos[header] = combo
        self._update_note()

    def combo_for(self, header: str) -> QComboBox:
        return self.combos[header]

    def _chosen(self, header: str, combo: QComboBox) -> None:
        self.w.column_mapping = self.w.column_mapping.with_column(header, combo.currentData())
        # A field only one column may feed moves: the column that fed it before is now ignored.
        for h, f in self.w.column_mapping.columns:
            other = self.combos.get(h)
            if other is not None and other.currentData() != f:
                other.blockSignals(True)
                other.setCurrentIndex(FIELDS.index(f))
                other.blockSignals(False)
        self._update_note()
        self.completeChanged.emit()

    def _update_note(self) -> None:
        mapping = self.w.column_mapping
        missing = [FIELD_LABELS[f].lower() for f in ("ref", "description", "current_impact", "current_likelihood")
                   if not mapping.sources(f)]
        extras = [FIELD_LABELS[f].split(" (")[0].lower() for f in ("mitigation", "actions", "comments")
                  if mapping.sources(f)]
        parts = []
        if missing:
            parts.append("<b>Still needed:</b> a column for the " + ", the ".join(missing) + ".")
        if extras:
            names = " and ".join([", ".join(extras[:-1]), extras[-1]] if len(extras) > 1 else extras)
            parts.append(f"The {names} text{'s are' if len(extras) > 1 else ' is'} kept whole in each risk's "
                         "update, after the update itself and under a heading of its own.")
        self.note.setText(" ".join(parts))

    def isComplete(self) -> bool:
        mapping = self.w.column_mapping
        return all(mapping.sources(f) for f in ("ref", "description"))


class ScoresPage(QWizardPage):
    """Which score set is current, target or history; how the source's numbers and words translate."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Scores and scales")
        self.setSubTitle("Say which scores are current, which are the target and which are kept as history, and "
                         "confirm how the file's impact and likelihood values become riskdesk's 1 to 5.")
        layout = QVBoxLayout(self)
        self.roles_box = QGroupBox("Score sets in the file")
        self.roles_form = QFormLayout(self.roles_box)
        layout.addWidget(self.roles_box)
        self.impact_first_check = QCheckBox("Where the order is not named (“4 x 3”), &impact comes before likelihood")
        self.trust_check = QCheckBox("When a stated score disagrees with impact × likelihood, &use impact × "
                                     "likelihood (with a warning) instead of stopping")
        layout.addWidget(self.impact_first_check)
        layout.addWidget(self.trust_check)
        scales = QHBoxLayout()
        self.scale_widgets: dict[str, tuple[QSpinBox, QTableWidget, QTableWidget]] = {}
        for part in ("impact", "likelihood"):
            box = QGroupBox(f"{part.capitalize()} scale")
            v = QVBoxLayout(box)
            top = QHBoxLayout()
            top.addWidget(QLabel("Numbers in the file run from 1 to"))
            spin = QSpinBox()
            spin.setRange(2, 100)
            spin.setAccessibleName(f"Top of the file's {part} scale")
            top.addWidget(spin)
            top.addStretch(1)
            v.addLayout(top)
            numbers = QTableWidget(0, 2)
            numbers.setAccessibleName(f"{part.capitalize()} numbers to riskdesk levels")
            numbers.setHorizontalHeaderLabels(["In the file", "riskdesk level"])
            words = QTableWidget(0, 2)
            words.setAccessibleName(f"{part.capitalize()} words to riskdesk levels")
            words.setHorizontalHeaderLabels(["Word in the file", "riskdesk level"])
            for t in (numbers, words):
                t.verticalHeader().setVisible(False)
                t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
                t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            v.addWidget(numbers)
            v.addWidget(words)
            spin.valueChanged.connect(lambda n, p=part: self._fill_numbers(p, Scale(maximum=n)))
            scales.addWidget(box)
            self.scale_widgets[part] = (spin, numbers, words)
        layout.addLayout(scales, 1)
        self.role_combos: dict[str, QComboBox] = {}
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout.addWidget(self.note)

    def initializePage(self) -> None:
        mapping = self.w.column_mapping
        while self.roles_form.rowCount():
            self.roles_form.removeRow(0)
        self.role_combos = {}
        for set_name in SCORE_SETS:
            columns = [h for h, f in mapping.columns if f.startswith(f"{set_name}_")]
            if not columns:
                continue
            combo = QComboBox()
            combo.setAccessibleName(f"Use the {SET_LABELS[set_name]} scores as")
            for role, label in ROLES:
                combo.addItem(label, role)
            combo.setCurrentIndex([r for r, _ in ROLES].index(self.w.roles.get(set_name, set_name)))
            combo.currentIndexChanged.connect(self._check_roles)
            self.roles_form.addRow(f"{', '.join(columns)}:", combo)
            self.role_combos[set_name] = combo
        if not self.role_combos:
            self.roles_form.addRow(QLabel("No score columns are mapped: go Back and map the current impact and "
                                          "likelihood."))
        self.impact_first_check.setChecked(mapping.impact_first)
        self.trust_check.setChecked(mapping.trust_impact_likelihood)
        for part in ("impact", "likelihood"):
            scale = self.w.scales.for_part(part)
            spin, _numbers, words = self.scale_widgets[part]
            spin.blockSignals(True)
            spin.setValue(scale.maximum)
            spin.blockSignals(False)
            self._fill_numbers(part, scale)
            words.setRowCount(len(scale.words))
            for i, (word, level) in enumerate(scale.words):
                words.setItem(i, 0, QTableWidgetItem(word))
                words.setCellWidget(i, 1, self._level_spin(level, f"{part} level for “{word}”"))
        self._check_roles()

    @staticmethod
    def _level_spin(level: int, name: str) -> QSpinBox:
        spin = QSpinBox()
        spin.setRange(1, 5)
        spin.setValue(level)
        spin.setAccessibleName(name)
        return spin

    def _fill_numbers(self, part: str, scale: Scale) -> None:
        _spin, numbers, _words = self.scale_widgets[part]
        numbers.setRowCount(len(scale.numbers))
        for i, (number, level) in enumerate(scale.numbers):
            numbers.setItem(i, 0, QTableWidgetItem(str(number)))
            numbers.setCellWidget(i, 1, self._level_spin(level, f"{part} level for {number}"))

    def assignment(self) -> dict[str, str | None]:
        return {s: c.currentData() for s, c in self.role_combos.items()}

    def _check_roles(self) -> None:
        chosen = [r for r in self.assignment().values() if r]
        twice = sorted({r for r in chosen if chosen.count(r) > 1})
        if twice:
            self.note.setText(f"<b>Only one score set can be the {' or '.join(twice)} one.</b>")
        elif "current" not in chosen:
            self.note.setText("<b>Choose which score set is the current one.</b>")
        else:
            history = [s for s, r in self.assignment().items() if r == "inherent"]
            self.note.setText(
                "The current (and target) scores become this period's assessment. "
                + ("The scores kept as history are stored as the previous period's assessment, labelled as "
                   "inherent scores from this file." if history else "")
            )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        chosen = [r for r in self.assignment().values() if r]
        return "current" in chosen and len(chosen) == len(set(chosen))

    def scales(self) -> ScaleMap:
        out = {}
        for part in ("impact", "likelihood"):
            spin, numbers, words = self.scale_widgets[part]
            table = tuple((int(numbers.item(i, 0).text()), numbers.cellWidget(i, 1).value())
                          for i in range(numbers.rowCount()))
            word_table = tuple((words.item(i, 0).text(), words.cellWidget(i, 1).value()) for i in range(words.rowCount()))
            fractions = self.w.scales.for_part(part).fractions
            out[part] = Scale(maximum=spin.value(), numbers=table, words=word_table, fractions=fractions)
        return ScaleMap(out["impact"], out["likelihood"])

    def validatePage(self) -> bool:
        self.w.roles = {s: r for s, r in self.assignment().items()}
        self.w.scales = self.scales()
        self.w.column_mapping = replace(self.w.column_mapping, impact_first=self.impact_first_check.isChecked(),
                                        trust_impact_likelihood=self.trust_check.isChecked())
        return True


class PeoplePage(QWizardPage):
    """Departments and owners the file names that riskdesk does not know: map them or create them."""

    CREATE = "__create__"

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Departments and owners")
        self.setSubTitle("Names in the file that riskdesk does not know yet. Match each to an existing one, or "
                         "let the import create it.")
        layout = QVBoxLayout(self)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.departments_table = QTableWidget(0, 2)
        self.departments_table.setAccessibleName("New departments")
        self.departments_table.setHorizontalHeaderLabels(["Department in the file", "In riskdesk"])
        self.owners_table = QTableWidget(0, 2)
        self.owners_table.setAccessibleName("New owners")
        self.owners_table.setHorizontalHeaderLabels(["Owner in the file", "In riskdesk"])
        for t in (self.departments_table, self.owners_table):
            t.verticalHeader().setVisible(False)
            t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            layout.addWidget(t)
        self.department_combos: dict[str, QComboBox] = {}
        self.owner_combos: dict[str, QComboBox] = {}
        self._ready = False

    def initializePage(self) -> None:
        self._ready = False
        self.status.setText("Looking for departments and owners in the file…")
        self.w.run_preview(self._previewed, create=None, maps=False)

    def _previewed(self, prepared: PreparedImport | None) -> None:
        if prepared is None:
            self.status.setText("The file could not be read again; go Back and choose it once more.")
            return
        svc, actor = self.w.services, self.w.actor
        departments = svc.registers.list_departments(actor)
        users = svc.registers.list_users(actor)
        self.department_combos = self._fill(
            self.departments_table, prepared.new_departments, self.w.department_map,
            lambda d: f"Create department “{d}”", [(f"{d.code} – {d.name}", d.code) for d in departments],
        )
        self.owner_combos = self._fill(
            self.owners_table, prepared.unknown_owners, self.w.owner_map,
            lambda n: f"Add “{n}” as a risk owner", [(f"{u.display_name} ({u.login})", u.login) for u in users],
        )
        if not prepared.new_departments and not prepared.unknown_owners:
            self.status.setText("Every department and owner named in the file is already in riskdesk.")
        else:
            new = [f"{n} {what}{'s' if n > 1 else ''}" for n, what in ((len(prepared.new_departments), "department"),
                                                                     (len(prepared.unknown_owners), "owner")) if n]
            self.status.setText(f"{' and '.join(new)} new to riskdesk. New owners are added with the risk owner "
                                "role; a cell naming several people makes the first the owner.")
        self.departments_table.setVisible(bool(prepared.new_departments))
        self.owners_table.setVisible(bool(prepared.unknown_owners))
        self._ready = True
        self.completeChanged.emit()

    def _fill(self, table: QTableWidget, names: Sequence[str], chosen: dict[str, str],
              create_label: Callable[[str], str], existing: list[tuple[str, str]]) -> dict[str, QComboBox]:
        combos = {}
        table.setRowCount(len(names))
        for i, name in enumerate(names):
            table.setItem(i, 0, QTableWidgetItem(name))
            combo = QComboBox()
            combo.setAccessibleName(f"What “{name}” is in riskdesk")
            combo.addItem(create_label(name), self.CREATE)
            for label, value in existing:
                combo.addItem(label, value)
            if name in chosen:
                combo.setCurrentIndex(max(0, combo.findData(chosen[name])))
            table.setCellWidget(i, 1, combo)
            combos[name] = combo
        return combos

    def isComplete(self) -> bool:
        return self._ready

    def validatePage(self) -> bool:
        self.w.department_map = {n: c.currentData() for n, c in self.department_combos.items()
                                 if c.currentData() != self.CREATE}
        self.w.owner_map = {n: c.currentData() for n, c in self.owner_combos.items() if c.currentData() != self.CREATE}
        self.w.create_departments = any(c.currentData() == self.CREATE for c in self.department_combos.values())
        self.w.create_owners = any(c.currentData() == self.CREATE for c in self.owner_combos.values())
        return True


class PreviewPage(QWizardPage):
    """Dry run: every row as it will be stored, problems beside them; skip rows; save the mapping."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Check before importing")
        self.setSubTitle("Nothing has been written yet. Cells with a problem are tinted (red: must be fixed or "
                         "the row skipped; amber: a warning); hover for the reason. Use Back to change the mapping.")
        self.setFinalPage(True)
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Rows as they will be stored")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setWordWrap(False)
        self.problems_list = QListWidget()
        self.problems_list.setAccessibleName("Problems")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.problems_list)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        save = QHBoxLayout()
        save.addWidget(QLabel("Save this mapping for next time as:"))
        self.mapping_name_edit = QLineEdit()
        self.mapping_name_edit.setAccessibleName("Name for the saved mapping")
        self.mapping_name_edit.setPlaceholderText("e.g. Fenland CRR")
        self.save_mapping_button = QPushButton("&Save mapping")
        save.addWidget(self.mapping_name_edit, 1)
        save.addWidget(self.save_mapping_button)
        layout.addLayout(save)
        self.model.skipChanged.connect(self._skip)
        self.problems_list.itemActivated.connect(self._go_to_problem)
        self.problems_list.itemClicked.connect(self._go_to_problem)
        self.save_mapping_button.clicked.connect(self.save_mapping)
        self._busy = False

    def initializePage(self) -> None:
        saved = self.w.saved_mapping()
        if saved and not self.mapping_name_edit.text():
            self.mapping_name_edit.setText(saved.name)
        self.refresh()

    def refresh(self) -> None:
        self._busy = True
        self.summary.setText("Checking every row…")
        self.completeChanged.emit()
        self.w.run_preview(self._previewed, create=True, maps=True)

    def _previewed(self, prepared: PreparedImport | None) -> None:
        self._busy = False
        self.w.prepared = prepared
        self.model.set_prepared(prepared, self.w.final_mapping())
        self.problems_list.clear()
        if prepared is None:
            self.summary.setText("The file could not be read; go Back and choose it again.")
            self.completeChanged.emit()
            return
        for p in prepared.problems:
            if p.row in prepared.skipped_rows:
                continue
            item = QListWidgetItem(("⛔ " if p.severity == "error" else "⚠ ") + str(p))
            item.setData(Qt.ItemDataRole.UserRole, p.row)
            item.setBackground(ERROR_BRUSH if p.severity == "error" else WARNING_BRUSH)
            self.problems_list.addItem(item)
        n, errors, warnings = len(prepared.to_import), len(prepared.errors), len(prepared.warnings)
        skipped = len(prepared.rows) - n
        text = (f"<b>{n} risk(s)</b> will be imported into the {self.w.register_name()} for "
                f"{self.w.period.label}" + (f" ({skipped} row(s) skipped)" if skipped else "") + ". ")
        if errors:
            text += (f"<b style='color:#a00000'>{errors} error(s)</b> must be fixed first: correct the file, change "
                     "the mapping (Back), or untick the rows to skip them.")
        else:
            text += "Ready to import." + (f" {warnings} warning(s) to read." if warnings else "")
        self.summary.setText(text)
        self.table.resizeColumnsToContents()
        for col, width in ((PreviewModel.DESCRIPTION, 320), (PreviewModel.UPDATE, 320)):
            self.table.setColumnWidth(col, width)
        self.completeChanged.emit()

    def _skip(self, row: int, skip: bool) -> None:
        if skip:
            self.w.skip_rows.add(row)
        else:
            self.w.skip_rows.discard(row)
        self.refresh()

    def _go_to_problem(self, item: QListWidgetItem) -> None:
        index = self.model.row_index(int(item.data(Qt.ItemDataRole.UserRole)))
        if index is not None:
            self.table.selectRow(index)
            self.table.scrollTo(self.model.index(index, 0))

    def save_mapping(self) -> bool:
        name = self.mapping_name_edit.text().strip()
        if not name:
            QMessageBox.information(self, "Save mapping", "Type a name for the mapping first.")
            return False
        try:
            saved = self.w.services.importing.save_mapping(self.w.actor, name, self.w.final_mapping(), self.w.scales)
        except RiskdeskError as exc:
            QMessageBox.warning(self, "Save mapping", str(exc))
            return False
        self.summary.setText(self.summary.text() + f" Mapping saved as “{saved.name}”.")
        return True

    def isComplete(self) -> bool:
        prepared = self.w.prepared
        return not self._busy and prepared is not None and prepared.ok and bool(prepared.to_import)


# -- the wizard -----------------------------------------------------------------------------------


class ImportWizard(QWizard):
    """File → Import register…. Emits :attr:`imported` with the :class:`ImportResult` when done."""

    imported = Signal(object)

    def __init__(self, services: Services, actor: Actor, register_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.register_id = register_id
        self.setWindowTitle("Import register")
        self.setObjectName("ImportWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Import")
        self.resize(1100, 720)
        # State shared by the pages.
        self.path: Path | None = None
        self.book: Workbook | None = None
        self.sheet: Sheet | None = None
        self.headers: list[str] = []
        self.columns_key: tuple[Any, ...] | None = None
        self.column_mapping = ImportMapping()
        self.scales = ScaleMap()
        self.roles: dict[str, str | None] = {s: s for s in SCORE_SETS}
        self.period = Quarter.of(date.today())
        self.department_map: dict[str, str] = {}
        self.owner_map: dict[str, str] = {}
        self.create_departments = False
        self.create_owners = False
        self.skip_rows: set[int] = set()
        self.prepared: PreparedImport | None = None
        self.result: ImportResult | None = None
        self.progress_dialog: QProgressDialog | None = None
        self._import_task: Task | None = None
        self._preview_task: Task | None = None

        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.scores_page = ScoresPage(self)
        self.people_page = PeoplePage(self)
        self.preview_page = PreviewPage(self)
        for page in (self.file_page, self.columns_page, self.scores_page, self.people_page, self.preview_page):
            self.addPage(page)

    # -- shared helpers --------------------------------------------------------------------------

    def saved_mapping(self) -> Any:
        name = self.file_page.saved_combo.currentData()
        if not name:
            return None
        try:
            return self.services.importing.get_mapping(self.actor, name)
        except RiskdeskError:
            return None

    def register_name(self) -> str:
        return self.file_page.register_combo.currentText().rsplit(" (", 1)[0]

    def final_mapping(self) -> ImportMapping:
        """The columns page's mapping with the score sets relabelled as the scores page says."""
        return self.column_mapping.with_score_sets(self.roles)

    def run_preview(self, done: Callable[[PreparedImport | None], None], *, create: bool | None, maps: bool) -> None:
        """Prepare the import on a worker thread and hand the result to ``done`` (None if it failed)."""
        assert self.path is not None
        path, mapping, scales = self.path, self.final_mapping(), self.scales
        sheet = self.sheet.name if self.sheet else None
        skip, register_id = set(self.skip_rows), self.register_id
        dmap, omap = (dict(self.department_map), dict(self.owner_map)) if maps else ({}, {})
        cdep, cown = (self.create_departments, self.create_owners) if create else (None, None)
        importing, actor = self.services.importing, self.actor

        def work(_task: Task) -> PreparedImport:
            return importing.preview(actor, path, mapping, scales, sheet=sheet, skip_rows=skip,
                                     register_id=register_id, department_map=dmap, owner_map=omap,
                                     create_departments=cdep, create_owners=cown)

        task = Task(work, self)

        def failed(exc: BaseException) -> None:
            QMessageBox.warning(self, "Import register", _message(exc))
            done(None)

        task.succeeded.connect(lambda prepared: done(prepared) if task is self._preview_task else None)
        task.failed.connect(lambda exc: failed(exc) if task is self._preview_task else None)
        self._preview_task = task
        task.start()

    # -- importing --------------------------------------------------------------------------------

    def accept(self) -> None:
        """Finish: run the import on a worker thread with progress and Cancel; close when it is done."""
        if self.result is not None:
            super().accept()
            return
        if self._import_task is not None and self._import_task.running:
            return
        prepared = self.prepared
        if prepared is None or not prepared.ok:
            return
        if self.preview_page.mapping_name_edit.text().strip() and not self.preview_page.save_mapping():
            return
        importing, actor = self.services.importing, self.actor
        register_id, period = self.register_id, self.period
        cdep, cown = self.create_departments, self.create_owners
        assert register_id is not None

        def work(task: Task) -> ImportResult:
            return importing.apply(actor, prepared, register_id=register_id, create_departments=cdep,
                                   create_owners=cown, period=period, cancelled=task.cancelled,
                                   progress=task.report)

        total = len(prepared.to_import)
        dialog = QProgressDialog(f"Importing {total:,} risks…", "Cancel", 0, total, self)
        dialog.setWindowTitle("Import register")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        task = Task(work, self)
        dialog.canceled.connect(task.cancel)
        task.progressed.connect(lambda d, _t: dialog.setValue(d))
        task.succeeded.connect(self._imported)
        task.failed.connect(self._import_failed)
        self._import_task = task
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        dialog.show()
        task.start()

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)

    def _imported(self, result: ImportResult) -> None:
        self._close_progress()
        self.result = result
        self.imported.emit(result)
        super().accept()

    def _import_failed(self, exc: BaseException) -> None:
        self._close_progress()
        if isinstance(exc, ImportCancelled):
            QMessageBox.information(self, "Import register", str(exc))
        else:
            QMessageBox.warning(self, "Import register", f"Nothing was imported. {_message(exc)}")

    def reject(self) -> None:
        if self._import_task is not None and self._import_task.running:
            self._import_task.cancel()  # the worker rolls back; the window closes when it reports
            return
        super().reject()


# -- export ---------------------------------------------------------------------------------------


class ExportDialog(QDialog):
    """File → Export current list…: the register as shown, removed risks, or the audit trail."""

    exported = Signal(object)

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.window_ = window
        self.services: Services = window.services  # type: ignore[attr-defined]
        self.actor: Actor = window.actor  # type: ignore[attr-defined]
        self.setWindowTitle("Export list")
        layout = QVBoxLayout(self)
        shown = len(window.model.rows())  # type: ignore[attr-defined]
        self.register_radio = QRadioButton(f"The &register as shown ({shown} risks, with the current sort and filter)")
        self.removed_radio = QRadioButton("Risks re&moved from this register")
        self.audit_radio = QRadioButton("The &audit trail")
        self.group = QButtonGroup(self)
        for radio in (self.register_radio, self.removed_radio, self.audit_radio):
            self.group.addButton(radio)
            layout.addWidget(radio)
        self.register_radio.setChecked(True)
        row = QHBoxLayout()
        self.path_edit = QLineEdit(str(Path.home() / "register.xlsx"))
        self.path_edit.setAccessibleName("File to write")
        self.browse_button = QPushButton("&Browse…")
        row.addWidget(QLabel("&File:"))
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        layout.addLayout(row)
        note = QLabel("Choose .xlsx for Excel or .csv for other systems. Cells that Excel would run as formulas "
                      "are written as text; long updates continue in extra columns and are never cut.")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("&Export", QDialogButtonBox.ButtonRole.AcceptRole)
        layout.addWidget(self.buttons)
        self.buttons.rejected.connect(self.reject)
        self.export_button.clicked.connect(self.export)
        self.browse_button.clicked.connect(self._browse)
        for radio, stem in ((self.register_radio, "register"), (self.removed_radio, "removed-risks"),
                            (self.audit_radio, "audit-trail")):
            radio.toggled.connect(lambda on, s=stem: on and self._restem(s))
        self._task: Task | None = None

    def _restem(self, stem: str) -> None:
        path = Path(self.path_edit.text() or "register.xlsx")
        self.path_edit.setText(str(path.with_name(stem + (path.suffix or ".xlsx"))))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export list", self.path_edit.text(),
                                              "Excel workbook (*.xlsx);;CSV (*.csv)")
        if path:
            self.path_edit.setText(path)

    def export(self) -> None:
        path = Path(self.path_edit.text().strip()).expanduser()
        exporting, actor = self.services.exporting, self.actor
        register_id = self.window_.current_register_id()  # type: ignore[attr-defined]
        rows = list(self.window_.model.rows())  # type: ignore[attr-defined]
        if self.register_radio.isChecked():
            def work(_t: Task) -> Any:
                return exporting.register(actor, path, rows, register_id=register_id)
        elif self.removed_radio.isChecked():
            if register_id is None:
                QMessageBox.information(self, "Export list", "There is no register to export from.")
                return

            def work(_t: Task) -> Any:
                return exporting.removed(actor, path, register_id)
        else:
            def work(_t: Task) -> Any:
                return exporting.audit_trail(actor, path)
        self.export_button.setEnabled(False)
        self.setCursor(Qt.CursorShape.BusyCursor)
        task = Task(work, self)
        task.succeeded.connect(self._done)
        task.failed.connect(self._failed)
        self._task = task
        task.start()

    def _done(self, result: Any) -> None:
        self.unsetCursor()
        self.export_button.setEnabled(True)
        self.exported.emit(result)
        self.window_.statusBar().showMessage(f"Exported {result.rows} rows to {result.path}", 10000)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.unsetCursor()
        self.export_button.setEnabled(True)
        QMessageBox.warning(self, "Export list", f"Nothing was exported. {_message(exc)}")
