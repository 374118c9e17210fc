"""File > Export current list: the register as shown, removed risks or the audit trail, to .xlsx or .csv."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.ui.importing.common import Task, _message
from riskdesk.ui.kit.keyboard import field_label
from riskdesk.ui.kit.prompts import tell


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
        row.addWidget(field_label("&File:", self.path_edit))  # a buddy, so "&" is a mnemonic, not shown
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
        if result.replaced:
            # The file differs from the stored text in these cells: say so, never silently.
            shown = "\n".join(result.replaced[:12]) + (f"\n… and {len(result.replaced) - 12} more"
                                                       if len(result.replaced) > 12 else "")
            box = QMessageBox(QMessageBox.Icon.Information, "Export list",
                              f"Exported {result.rows} rows to {result.path}.\n\n{len(result.replaced)} cell(s) "
                              "held invisible control characters, which spreadsheet files cannot hold; they are "
                              "shown as visible symbols (␛ for ESC) in the file. The stored text is unchanged.",
                              QMessageBox.StandardButton.Ok, self)
            box.setObjectName("exportReplacedMessage")
            box.setDetailedText(shown)
            box.exec()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.unsetCursor()
        self.export_button.setEnabled(True)
        tell(self, "Export list", f"Nothing was exported. {_message(exc)}", name="exportFailedMessage")
