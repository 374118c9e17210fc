"""The risk editor's Controls tab: table models and the dialogs for a control and a source of assurance."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from riskdesk.domain.controls import LINES_OF_DEFENCE, AssuranceRow, ControlRow, Effectiveness
from riskdesk.ui.kit.table_model import Column, RowTableModel

#: Orange Book Annex 2, as a committee reads it.
LINE_WORDS = {1: "1st line – management", 2: "2nd line – oversight", 3: "3rd line – internal audit"}


def effectiveness_label(value: str) -> str:
    try:
        return Effectiveness(value).label
    except ValueError:
        return value


class ControlTableModel(RowTableModel[ControlRow]):
    """Existing controls (what is in place now), apart from further actions."""

    columns = (
        Column("Control", lambda r: r.description),
        Column("Owner", lambda r: r.owner),
        Column("Line", lambda r: r.line, "Line of defence (Orange Book Annex 2)"),
        Column("Effectiveness", lambda r: effectiveness_label(r.effectiveness)),
        Column("Last tested", lambda r: r.last_tested_on),
    )

    def extra(self, row: ControlRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 3 and row.effectiveness == "not_effective":
            return QBrush(QColor("#a00000"))
        return None


class AssuranceTableModel(RowTableModel[AssuranceRow]):
    columns = (
        Column("Source of assurance", lambda r: r.source),
        Column("Line", lambda r: r.line, "Line of defence (Orange Book Annex 2)"),
        Column("Last received", lambda r: r.last_received_on),
    )


def _date_row(label: str, value: date | None, name: str) -> tuple[QCheckBox, QDateEdit, QHBoxLayout]:
    check = QCheckBox(label)
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd MMM yyyy")
    edit.setAccessibleName(name)
    edit.setDate(QDate(value) if value else QDate.currentDate())
    check.setChecked(value is not None)
    edit.setEnabled(value is not None)
    check.toggled.connect(edit.setEnabled)
    row = QHBoxLayout()
    row.addWidget(check)
    row.addWidget(edit)
    row.addStretch(1)
    return check, edit, row


def _line_combo(name: str, value: int) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for n in LINES_OF_DEFENCE:
        combo.addItem(LINE_WORDS[n], n)
    combo.setCurrentIndex(max(0, combo.findData(value)))
    return combo


def _buttons(dialog: QDialog, ok: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class ControlDialog(QDialog):
    """A control: what it is, who runs it, its line of defence, how well it works, when last tested."""

    def __init__(self, parent: QWidget | None, control: ControlRow | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("controlDialog")
        self.setWindowTitle("Edit control" if control else "Add control")
        form = QFormLayout(self)
        self.description_edit = QPlainTextEdit(control.description if control else "")
        self.description_edit.setAccessibleName("Control")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMinimumSize(420, 70)
        self.owner_edit = QLineEdit(control.owner if control else "")
        self.owner_edit.setAccessibleName("Control owner")
        self.line_combo = _line_combo("Line of defence", control.line if control else 1)
        self.effectiveness_combo = QComboBox()
        self.effectiveness_combo.setAccessibleName("Effectiveness")
        for e in Effectiveness:
            self.effectiveness_combo.addItem(e.label, e.value)
        self.effectiveness_combo.setCurrentIndex(
            max(0, self.effectiveness_combo.findData(control.effectiveness if control else "partly")))
        self.tested_check, self.tested_edit, tested = _date_row(
            "Last tested on", control.last_tested_on if control else None, "Last tested")
        self.tested_edit.setMaximumDate(QDate.currentDate())
        form.addRow("&Control:", self.description_edit)
        form.addRow("&Owner:", self.owner_edit)
        form.addRow("&Line of defence:", self.line_combo)
        form.addRow("&Effectiveness:", self.effectiveness_combo)
        form.addRow("", tested)
        self.buttons = _buttons(self, "Save control")
        form.addRow(self.buttons)
        self.description_edit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.description_edit.toPlainText().strip()))

    def values(self) -> dict[str, Any]:
        """Keyword arguments for ``services.governance.add_control`` / ``update_control``."""
        return {"description": self.description_edit.toPlainText(), "owner": self.owner_edit.text(),
                "line": int(self.line_combo.currentData()), "effectiveness": str(self.effectiveness_combo.currentData()),
                "last_tested_on": self.tested_edit.date().toPython() if self.tested_check.isChecked() else None}


class AssuranceDialog(QDialog):
    """A source of assurance: a report, an audit, a board's minutes – and its line."""

    def __init__(self, parent: QWidget | None, row: AssuranceRow | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("assuranceDialog")
        self.setWindowTitle("Edit source of assurance" if row else "Add source of assurance")
        form = QFormLayout(self)
        self.source_edit = QLineEdit(row.source if row else "")
        self.source_edit.setAccessibleName("Source of assurance")
        self.source_edit.setMinimumWidth(380)
        self.line_combo = _line_combo("Line of defence", row.line if row else 2)
        self.received_check, self.received_edit, received = _date_row(
            "Last received on", row.last_received_on if row else None, "Last received")
        form.addRow("&Source:", self.source_edit)
        form.addRow("&Line of defence:", self.line_combo)
        form.addRow("", received)
        self.buttons = _buttons(self, "Save source")
        form.addRow(self.buttons)
        self.source_edit.textChanged.connect(self._check)
        self._check()

    def _check(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.source_edit.text().strip()))

    def values(self) -> dict[str, Any]:
        return {"source": self.source_edit.text(), "line": int(self.line_combo.currentData()),
                "last_received_on": self.received_edit.date().toPython() if self.received_check.isChecked() else None}
