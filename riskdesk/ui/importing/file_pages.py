"""Import wizard pages 1-2: the file and sheet, then which column is which."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from riskdesk.domain.quarters import Quarter
from riskdesk.io.mapping import (
    FIELDS,
    SCORE_SETS,
    ImportMapping,
    cell_text,
    detect_header_rows,
    header_names,
)
from riskdesk.io.prepare import column_values, guess_for_sheet
from riskdesk.io.readers import Workbook
from riskdesk.ui.importing.common import FIELD_LABELS, Task, _message
from riskdesk.ui.importing.models import GridModel
from riskdesk.ui.kit.keyboard import field_label

if TYPE_CHECKING:
    from riskdesk.ui.importing.wizard import ImportWizard

#: The register combo's entry for "a new register" (register ids are positive).
NEW_REGISTER = -1

#: Encodings offered for a CSV or text file: (label, Python codec; None = riskdesk tells).
ENCODINGS: tuple[tuple[str, str | None], ...] = (
    ("Tell from the file (refuses a mixture)", None),
    ("UTF-8", "utf-8"),
    ("Windows-1252 (Excel on Windows)", "cp1252"),
    ("Mac Roman (older Excel on a Mac)", "mac_roman"),
    ("ISO-8859-1 (Latin-1)", "latin-1"),
    ("UTF-16", "utf-16"),
)


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
        header_row.addWidget(field_label("number of header rows:", self.header_count_spin))
        header_row.addWidget(self.header_count_spin)
        header_row.addStretch(1)
        header_label = QLabel("&Header starts on row:")
        header_label.setBuddy(self.header_row_spin)
        form.addRow(header_label, header_row)
        self.encoding_combo = QComboBox()
        self.encoding_combo.setAccessibleName("Text encoding of a CSV file")
        for label, codec in ENCODINGS:
            self.encoding_combo.addItem(label, codec)
        self.encoding_combo.setToolTip("<p>Only for CSV and text files. riskdesk reads a file in one encoding it "
                                       "can tell, and refuses a mixture; choose the encoding here if you know it.</p>")
        encoding_label = QLabel("Text &encoding:")
        encoding_label.setBuddy(self.encoding_combo)
        form.addRow(encoding_label, self.encoding_combo)
        self.register_combo = QComboBox()
        self.register_combo.setAccessibleName("Register to import into")
        register_row = QHBoxLayout()
        self.new_register_edit = QLineEdit()
        self.new_register_edit.setAccessibleName("Name of the new register")
        self.new_register_edit.setPlaceholderText("Name of the new register")
        self.new_register_edit.hide()
        register_row.addWidget(self.register_combo, 1)
        register_row.addWidget(self.new_register_edit, 1)
        register_label = QLabel("Import &into:")
        register_label.setBuddy(self.register_combo)
        form.addRow(register_label, register_row)
        self.period_combo = QComboBox()
        self.period_combo.setAccessibleName("Period the file's current scores are for")
        period_label = QLabel("The file's s&cores are for:")
        period_label.setBuddy(self.period_combo)
        form.addRow(period_label, self.period_combo)
        self.period_note = QLabel()
        self.period_note.setObjectName("periodNote")
        self.period_note.setWordWrap(True)
        form.addRow("", self.period_note)
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
        self.grid_view.setTabKeyNavigation(False)  # arrows move between cells; Tab leaves the grid
        corner = self.grid_view.findChild(QAbstractButton)  # Qt's select-all corner: say what it does
        if corner is not None:
            corner.setAccessibleName("Select the whole sheet")
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
        self.encoding_combo.currentIndexChanged.connect(self._encoding_chosen)
        self.register_combo.currentIndexChanged.connect(self._register_chosen)
        self.new_register_edit.textChanged.connect(self.completeChanged)
        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        self._task: Task | None = None
        self._loaded_path = ""
        self._current: Quarter | None = None
        self._corporate_exists = False

    def initializePage(self) -> None:
        svc, actor = self.w.services, self.w.actor
        if self.saved_combo.count() == 0:
            self.saved_combo.addItem("None: guess from the file's headers", None)
            for saved in svc.importing.list_mappings(actor):
                self.saved_combo.addItem(saved.name, saved.name)
            self.register_combo.blockSignals(True)
            self.register_combo.clear()
            registers = svc.registers.list_registers(actor)
            self._corporate_exists = any(r.is_corporate for r in registers)
            for reg in registers:
                self.register_combo.addItem(f"{reg.name} ({reg.current_risks} current risks)", reg.id)
                if reg.id == self.w.register_id:
                    self.register_combo.setCurrentIndex(self.register_combo.count() - 1)
            self.register_combo.addItem("A new register…", NEW_REGISTER)
            self.register_combo.blockSignals(False)
            if not self._corporate_exists:
                self.new_register_edit.setText("Corporate Risk Register")
            self._register_chosen()
            current = self._current = svc.registers.current_period(actor)
            quarters = [current]
            for _ in range(4):
                quarters.insert(0, quarters[0].previous())
            quarters.append(current.next())
            self.period_combo.blockSignals(True)
            for q in quarters:
                self.period_combo.addItem(q.label + (" (this quarter's update)" if q == current else ""), q.code)
            # As the command line: a file is the register as it stood, unless the user says it is this
            # quarter's update; so imported risks read "not updated" until their owners save.
            self.period_combo.setCurrentIndex(quarters.index(current.previous()))
            self.period_combo.blockSignals(False)
            self._period_chosen()

    def _register_chosen(self) -> None:
        new = self.register_combo.currentData() == NEW_REGISTER
        self.new_register_edit.setVisible(new)
        if new:
            self.new_register_edit.setFocus()
        self.completeChanged.emit()

    def new_register(self) -> tuple[str, str] | None:
        """``(name, kind)`` when the user chose to import into a new register, else None."""
        if self.register_combo.currentData() != NEW_REGISTER:
            return None
        name = " ".join(self.new_register_edit.text().split())
        return (name, "departmental" if self._corporate_exists else "corporate")

    def _period_chosen(self) -> None:
        code = self.period_combo.currentData()
        if code is None or self._current is None:
            return
        period = Quarter.parse(code)
        if period == self._current:
            text = (f"The file is <b>{period.label}'s update</b>: its scores are saved as this quarter's "
                    "assessments, as if each owner had saved them.")
        elif period == self._current.previous():
            text = (f"The file is the register as it stood in <b>{period.label}</b>: each risk reads “not updated” "
                    f"until its owner saves the {self._current.label} update. Choose {self._current.label} if the "
                    "file is this quarter's update.")
        else:
            text = f"The scores are stored for <b>{period.label}</b>, as you chose."
        self.period_note.setText(text)

    def encoding(self) -> str | None:
        """The encoding the user chose for a text file, or None to let riskdesk tell."""
        return self.encoding_combo.currentData() or None

    def _encoding_chosen(self) -> None:
        self.w.encoding = self.encoding()
        if self.path_edit.text().strip():
            self._loaded_path = ""  # read again in the chosen encoding
            self.load()

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
        importing, encoding = self.w.services.importing, self.encoding()
        task = Task(lambda _t: importing.open_workbook(path, encoding), self)
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
        new = self.new_register()
        return (self.w.sheet is not None and self.w.book is not None
                and self.register_combo.currentData() is not None and (new is None or bool(new[0])))

    def validatePage(self) -> bool:
        sheet = self.w.sheet
        assert sheet is not None
        start, count = self.header_row_spin.value() - 1, self.header_count_spin.value()
        headers = header_names(sheet.grid, start, count, sheet.merges)
        self.w.new_register = self.new_register()
        self.w.register_id = None if self.w.new_register else int(self.register_combo.currentData())
        self.w.period = Quarter.parse(self.period_combo.currentData())
        self.w.this_quarter = self.w.period == self._current
        self.w.encoding = self.encoding()
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
                # The same guess as the command line: the cells decide between two columns that both
                # name a score part, and short scale words are never guessed as the description.
                mapping, self.w.scales = guess_for_sheet(sheet, header_rows=(start + 1, count))
                mapping = replace(mapping, sheet=book_sheet)
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
