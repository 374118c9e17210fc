"""Import wizard pages 3-5: score scales, people, and the preview with every problem listed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWizardPage,
)

from riskdesk.domain.errors import RiskdeskError
from riskdesk.io.mapping import (
    SCORE_SETS,
)
from riskdesk.io.prepare import PreparedImport
from riskdesk.io.scales import Scale, ScaleMap
from riskdesk.io.text import visible
from riskdesk.ui.importing.common import ERROR_BRUSH, ROLES, SET_LABELS, WARNING_BRUSH
from riskdesk.ui.importing.models import PreviewModel
from riskdesk.ui.kit.contrast import ERROR, readable_text, tone

if TYPE_CHECKING:
    from riskdesk.ui.importing.wizard import ImportWizard


class ScoresPage(QWizardPage):
    """Which score set is current, target or history; how the source's numbers and words translate."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle("Scores and scales")
        self.setSubTitle("Say which scores are current, which are the target and which are the inherent score "
                         "(before controls), and confirm how the file's impact and likelihood values become "
                         "riskdesk's 1 to 5. riskdesk never changes a scale by itself: a value outside the scale "
                         "is an error naming its row and column.")
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
        self.why_labels: dict[str, QLabel] = {}
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
            why = QLabel()
            why.setObjectName(f"{part}ScaleWhy")
            why.setWordWrap(True)
            v.addWidget(why)
            self.why_labels[part] = why
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
            spin.valueChanged.connect(lambda n, p=part: self._scale_chosen(p, n))
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
            self._show_why(part, scale)
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

    def _scale_chosen(self, part: str, maximum: int) -> None:
        """The user changed the top of a scale: their explicit choice, said again on the preview."""
        self.w.scales = self.w.scales.with_range(part, maximum, f"you chose 1 to {maximum} on the Scores page")
        scale = self.w.scales.for_part(part)
        self._fill_numbers(part, scale)
        self._show_why(part, scale)

    def _show_why(self, part: str, scale: Scale) -> None:
        self.why_labels[part].setText(f"Read as 1 to {scale.maximum}" + (f" because {scale.why}." if scale.why
                                                                           else "."))

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
            inherent = [s for s, r in self.assignment().items() if r == "inherent"]
            self.note.setText(
                "The current (and target) scores become the assessment for the period chosen on the first page. "
                + ("The inherent scores are kept as each risk's inherent score, shown as such; they are never "
                   "stored as a past quarter, so no movement is computed from them." if inherent else "")
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
            before = self.w.scales.for_part(part)
            out[part] = Scale(maximum=spin.value(), numbers=table, words=word_table, fractions=before.fractions,
                              why=before.why)
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
        self.reading = QLabel()
        self.reading.setObjectName("howScoresAreRead")
        self.reading.setWordWrap(True)
        self.reading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.reading)
        self.model = PreviewModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Rows as they will be stored")
        self.table.setTabKeyNavigation(False)  # arrows move between rows; Tab leaves the table
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
        # Repeats are one line with their count (an import once listed 30,000 identical warnings).
        for group in prepared.summary():
            item = QListWidgetItem(("⛔ " if group.severity == "error" else "⚠ ") + str(group))
            item.setData(Qt.ItemDataRole.UserRole, group.rows[0])
            item.setBackground(ERROR_BRUSH if group.severity == "error" else WARNING_BRUSH)
            item.setForeground(readable_text(item.background().color()))
            self.problems_list.addItem(item)
        self.reading.setText(how_scores_are_read(prepared))
        n, errors, warnings = len(prepared.to_import), len(prepared.errors), len(prepared.warnings)
        skipped = len(prepared.rows) - n
        text = (f"<b>{n} risk(s)</b> will be imported into the {self.w.register_name()} for "
                f"{self.w.period.label}" + (f" ({skipped} row(s) skipped)" if skipped else "") + ". ")
        if errors:
            text += (f"<b style='color:{tone(ERROR)}'>{errors} error(s)</b> must be fixed first: correct the file, change "
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


def how_scores_are_read(prepared: PreparedImport) -> str:
    """The dry run's account of each score column (as the command line prints it), as rich text."""
    parts: list[str] = []
    if prepared.encoding:
        parts.append(f"Text encoding: {escape(prepared.encoding)} ({escape(prepared.encoding_why)}).")
    for col in prepared.scales:
        line = (f"<b>{escape(visible(col.header))}</b> ({escape(col.field.replace('_', ' '))}): "
                f"{escape(col.reading)} — because {escape(visible(col.why))}")
        if col.words:
            line += "; words become " + ", ".join(f"“{escape(visible(w))}” → {n}" for w, n in col.words)
        if col.numbers:
            line += "; numbers become " + ", ".join(f"{escape(visible(w))} → {n}" for w, n in col.numbers)
        if col.outside:
            line += (f"; <b>{col.outside} of {col.cells} cells are outside this scale</b> (each is an error "
                     "below; change the scale on the Scores page only if the whole column uses another scale)")
        parts.append(line)
    for ignored in prepared.ignored_scores:
        what = "bands" if ignored.kind == "band" else "scores"
        parts.append(f"<b>{escape(visible(ignored.header))}</b> is not imported but holds {what}: "
                     f"{len(ignored.disagreements)} of {ignored.cells} rows disagree with riskdesk's current "
                     f"{'band' if ignored.kind == 'band' else 'score'}"
                     + (" (" + "; ".join(f"row {r}: file {escape(visible(v))}, riskdesk {escape(c)}"
                                         for r, v, c in ignored.disagreements[:5])
                        + ("…" if len(ignored.disagreements) > 5 else "") + ")" if ignored.disagreements else "")
                     + ". Map it on the Columns page if it matters.")
    return "<br>".join(parts)
