"""File → Import register… and File → Export current list…, installed on the main window.

The wizard module (and pandas behind it) is imported only when the user picks an action, so
these menu entries cost nothing at start-up.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow


def install_import_actions(window: QMainWindow) -> None:
    """Add File → Import register… (Ctrl+I) and File → Export current list… (Ctrl+E) to the main window."""
    file_menu = next((a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "File"), None)
    if file_menu is None:
        file_menu = window.menuBar().addMenu("&File")
    first = file_menu.actions()[0] if file_menu.actions() else None

    import_action = QAction("&Import register…", window)
    import_action.setShortcut(QKeySequence("Ctrl+I"))
    import_action.setStatusTip("Bring risks in from an Excel or CSV register, checking every row first")
    export_action = QAction("&Export current list…", window)
    export_action.setShortcut(QKeySequence("Ctrl+E"))
    export_action.setStatusTip("Write the register as shown, removed risks or the audit trail to .xlsx or .csv")

    def open_import() -> None:
        from riskdesk.ui.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(window.services, window.actor, window.current_register_id(), window)  # type: ignore[attr-defined]
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def done(result: Any) -> None:
            window.reload()  # type: ignore[attr-defined]
            window.statusBar().showMessage(
                f"Imported {result.risks} risks into the {result.register_name} from {result.source_name}", 15000)

        wizard.imported.connect(done)
        window.import_wizard = wizard  # type: ignore[attr-defined]
        wizard.open()

    def open_export() -> None:
        from riskdesk.ui.dialogs.import_wizard import ExportDialog

        dialog = ExportDialog(window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.export_dialog = dialog  # type: ignore[attr-defined]
        dialog.open()

    import_action.triggered.connect(open_import)
    export_action.triggered.connect(open_export)
    file_menu.insertAction(first, import_action)
    file_menu.insertAction(first, export_action)
    if first is not None:
        file_menu.insertSeparator(first)
    window.import_action = import_action  # type: ignore[attr-defined]
    window.export_action = export_action  # type: ignore[attr-defined]
