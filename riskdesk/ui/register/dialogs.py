"""Dialogs for register operations: add a risk, move it between registers, an action, removed risks."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.register import CategoryRow, DepartmentRow, RegisterRow, UserRow
from riskdesk.domain.risk_detail import ActionChange, ActionRow, NewRisk, RemovalRow
from riskdesk.ui.kit.sizing import resize_to_fit_screen
from riskdesk.ui.kit.table_model import RemovedTableModel


def _ok_cancel(dialog: QDialog, ok_text: str = "OK") -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def department_list(departments: list[DepartmentRow], checked: tuple[str, ...] = ()) -> QListWidget:
    lst = QListWidget()
    lst.setAccessibleName("Departments")
    wanted = {c.casefold() for c in checked}
    for d in departments:
        if not d.active and d.code.casefold() not in wanted:
            continue
        item = QListWidgetItem(f"{d.code} – {d.name}")
        item.setData(Qt.ItemDataRole.UserRole, d.code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if d.code.casefold() in wanted else Qt.CheckState.Unchecked)
        lst.addItem(item)
    return lst


def checked_codes(lst: QListWidget) -> tuple[str, ...]:
    return tuple(str(lst.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(lst.count())
                 if lst.item(i).checkState() == Qt.CheckState.Checked)


class NewRiskDialog(QDialog):
    """Add a risk to a register: ref, description, category, departments, owner."""

    def __init__(self, parent: QWidget | None, register: RegisterRow, categories: list[CategoryRow],
                 departments: list[DepartmentRow], users: list[UserRow], suggested_ref: str = "") -> None:
        super().__init__(parent)
        self.register = register
        self.setWindowTitle(f"Add a risk to the {register.name}")
        self.setObjectName("newRiskDialog")
        form = QFormLayout(self)
        self.ref_edit = QLineEdit(suggested_ref)
        self.ref_edit.setMaxLength(16)
        self.ref_edit.setAccessibleName("Ref")
        self.description_edit = QPlainTextEdit()
        self.description_edit.setAccessibleName("Risk description")
        self.description_edit.setPlaceholderText("If … then …")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMinimumSize(460, 110)
        self.category_combo = QComboBox()
        self.category_combo.setAccessibleName("Category")
        self.category_combo.addItem("(no category)", None)
        for c in categories:
            if not c.retired:
                self.category_combo.addItem(c.heading, c.id)
        self.departments = department_list(departments)
        self.departments.setMaximumHeight(130)
        self.owner_combo = QComboBox()
        self.owner_combo.setAccessibleName("Owner")
        self.owner_combo.addItem("(no owner)", None)
        for u in users:
            if u.active:
                self.owner_combo.addItem(u.display_name, u.id)
        form.addRow("&Ref:", self.ref_edit)
        form.addRow("&Description:", self.description_edit)
        form.addRow("&Category:", self.category_combo)
        form.addRow("De&partments:", self.departments)
        form.addRow("&Owner:", self.owner_combo)
        self.buttons = _ok_cancel(self, "Add risk")
        form.addRow(self.buttons)
        self.ref_edit.textChanged.connect(self._check)
        self.description_edit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        ok = bool(self.ref_edit.text().strip()) and bool(self.description_edit.toPlainText().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def new_risk(self) -> NewRisk:
        return NewRisk(register_id=self.register.id, ref=self.ref_edit.text(),
                       description=self.description_edit.toPlainText(),
                       category_id=self.category_combo.currentData(), departments=checked_codes(self.departments),
                       owner_id=self.owner_combo.currentData())


class MoveDialog(QDialog):
    """Escalate to the corporate register or de-escalate to a departmental one, with a reason."""

    def __init__(self, parent: QWidget | None, ref: str, current_register_id: int, registers: list[RegisterRow],
                 categories_of: dict[int, list[CategoryRow]]) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Move risk {ref} to another register")
        self.setObjectName("moveDialog")
        self._categories_of = categories_of
        form = QFormLayout(self)
        self.register_combo = QComboBox()
        self.register_combo.setAccessibleName("Move to register")
        for r in registers:
            if r.id != current_register_id:
                verb = "Escalate to" if r.is_corporate else "De-escalate to"
                self.register_combo.addItem(f"{verb} {r.name}", r.id)
        self.ref_edit = QLineEdit(ref)
        self.ref_edit.setAccessibleName("Ref on the new register")
        self.category_combo = QComboBox()
        self.category_combo.setAccessibleName("Category on the new register")
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setAccessibleName("Reason for the move")
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setMinimumSize(420, 90)
        form.addRow("&To:", self.register_combo)
        form.addRow("&Ref there:", self.ref_edit)
        form.addRow("&Category there:", self.category_combo)
        form.addRow("Reason (&required):", self.reason_edit)
        self.buttons = _ok_cancel(self, "Move")
        form.addRow(self.buttons)
        self.register_combo.currentIndexChanged.connect(self._fill_categories)
        self.reason_edit.textChanged.connect(self._check)
        self.ref_edit.textChanged.connect(self._check)
        self._fill_categories()
        self._check()

    def _fill_categories(self) -> None:
        self.category_combo.clear()
        self.category_combo.addItem("(no category)", None)
        for c in self._categories_of.get(self.register_combo.currentData(), []):
            if not c.retired:
                self.category_combo.addItem(c.heading, c.id)

    def _check(self) -> None:
        ok = (self.register_combo.count() > 0 and bool(self.reason_edit.toPlainText().strip())
              and bool(self.ref_edit.text().strip()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def choice(self) -> tuple[int, str, str, int | None]:
        """(register id, reason, new ref, category id)."""
        return (int(self.register_combo.currentData()), self.reason_edit.toPlainText(), self.ref_edit.text().strip(),
                self.category_combo.currentData())


class ActionDialog(QDialog):
    """An action: description, owner, due date, completed date (the dates are optional)."""

    def __init__(self, parent: QWidget | None, users: list[UserRow], action: ActionRow | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit action" if action else "Add action")
        self.setObjectName("actionDialog")
        form = QFormLayout(self)
        self.description_edit = QPlainTextEdit(action.description if action else "")
        self.description_edit.setAccessibleName("Action")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMinimumSize(420, 80)
        self.owner_combo = QComboBox()
        self.owner_combo.setAccessibleName("Action owner")
        self.owner_combo.addItem("(no owner)", None)
        for u in users:
            if u.active or (action and u.id == action.owner_id):
                self.owner_combo.addItem(u.display_name, u.id)
        if action:
            self.owner_combo.setCurrentIndex(max(0, self.owner_combo.findData(action.owner_id)))
        self.due_check = QCheckBox("Due by")
        self.due_edit = QDateEdit()
        self.done_check = QCheckBox("Completed on")
        self.done_edit = QDateEdit()
        for check, edit, value, name in ((self.due_check, self.due_edit, action.due_on if action else None, "Due date"),
                                         (self.done_check, self.done_edit,
                                          action.completed_on if action else None, "Completed date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
            edit.setAccessibleName(name)
            edit.setDate(QDate(value) if value else QDate.currentDate())
            check.setChecked(value is not None)
            edit.setEnabled(value is not None)
            check.toggled.connect(edit.setEnabled)
        due = QHBoxLayout()
        due.addWidget(self.due_check)
        due.addWidget(self.due_edit)
        due.addStretch(1)
        done = QHBoxLayout()
        done.addWidget(self.done_check)
        done.addWidget(self.done_edit)
        done.addStretch(1)
        form.addRow("&Action:", self.description_edit)
        form.addRow("&Owner:", self.owner_combo)
        form.addRow("", due)
        form.addRow("", done)
        self.buttons = _ok_cancel(self, "Save action")
        form.addRow(self.buttons)
        self.description_edit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.description_edit.toPlainText().strip()))

    def change(self) -> ActionChange:
        def d(check: QCheckBox, edit: QDateEdit) -> date | None:
            return edit.date().toPython() if check.isChecked() else None  # type: ignore[return-value]

        return ActionChange(self.description_edit.toPlainText(), self.owner_combo.currentData(),
                            d(self.due_check, self.due_edit), d(self.done_check, self.done_edit))


class RemovedRisksDialog(QDialog):
    """The risks removed from a register, with reason and date; Restore puts one back."""

    restoreRequested = Signal(object)  # RemovalRow

    def __init__(self, parent: QWidget | None, register_name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Removed risks – {register_name}")
        self.setObjectName("removedRisksDialog")
        resize_to_fit_screen(self, 980, 460)
        lay = QVBoxLayout(self)
        self.summary = QLabel()
        lay.addWidget(self.summary)
        self.model = RemovedTableModel(self)
        self.table = QTableView()
        self.table.setAccessibleName("Removed risks")
        self.table.setTabKeyNavigation(False)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for col, width in ((0, 50), (1, 80), (2, 330), (3, 70), (4, 95), (5, 90)):
            # never narrower than the header's own text ("Score at removal" read "ore at remo")
            header.resizeSection(col, max(width, header.sectionSizeFromContents(col).width()))
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.setAccessibleName("Restore the selected risk")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._restore)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        row.addWidget(close)
        lay.addLayout(row)
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.restore_button.setEnabled(bool(self.table.selectionModel().selectedRows())))
        self.table.doubleClicked.connect(lambda *_: self._restore())

    def set_rows(self, rows: list[RemovalRow]) -> None:
        self.model.set_rows(rows)
        self.table.resizeRowsToContents()
        self.summary.setText(f"{len(rows)} removed risk{'s' if len(rows) != 1 else ''} (newest first). "
                             "Restoring puts a risk back on the register with its history.")
        self.restore_button.setEnabled(False)

    def select_ref(self, ref: str) -> bool:
        for i, r in enumerate(self.model.rows()):
            if r.ref == ref:
                self.table.selectRow(i)
                return True
        return False

    def _restore(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.restoreRequested.emit(self.model.row_at(rows[0].row()))
