"""File ▸ Restore from backup…: the checked restore of `riskdesk restore`, from the window, by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from riskdesk.domain.register import Actor
from riskdesk.ui.main_window import MainWindow
from tests.ui.test_audit_menu import _open_file_menu
from tests.ui.uihelpers import DialogAnswers, press


def test_restore_from_the_file_menu_puts_the_backup_back(qtbot, published, admin, corporate_id, tmp_path,
                                                          monkeypatch):
    if published.db.engine.dialect.name != "sqlite":
        return  # the window restores SQLite files; PostgreSQL dumps are restored by the CLI (tested there)
    backup = published.info.backup(admin, tmp_path / "before.sqlite")
    before = {r.ref for r in published.risks.list_risks(admin, corporate_id)}
    window = MainWindow(published, admin, background=False)
    qtbot.addWidget(window)
    window.show()
    # Work done after the backup: a risk removed.
    gone = published.risks.list_risks(admin, corporate_id)[0]
    published.risks.remove_risk(admin, gone.id, "Closed by the board", expected_version=gone.version)
    window.reload()
    assert window.register_page.model.rowCount() == len(before) - 1
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(backup), "")))
    seen: dict[str, str] = {}

    def read_result() -> None:  # the box after the restore (the progress dialog is modal before it)
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.objectName() in ("restoreDoneMessage", "errorMessage"):
            seen["name"], seen["text"] = box.objectName(), box.text()
            box.accept()
        else:
            QTimer.singleShot(20, read_result)

    answers = DialogAnswers().queue(press("Restore"))
    QTimer.singleShot(0, read_result)
    menu = _open_file_menu(qtbot, window)
    QTest.keyClick(menu, Qt.Key.Key_T)  # Res&tore from backup…, as a keyboard user picks it
    qtbot.waitUntil(lambda: "text" in seen, timeout=30_000)
    assert not answers.errors, answers.errors
    assert answers.seen[0].objectName() == "restoreConfirmMessage"
    print(repr(seen["text"]))
    assert seen["name"] == "restoreDoneMessage"
    assert "Restored" in seen["text"] and "audit trail: verified" in seen["text"]
    # The database is the backup again: the removed risk is back, in the services and on screen.
    assert {r.ref for r in published.risks.list_risks(admin, corporate_id)} == before
    qtbot.waitUntil(lambda: window.register_page.model.rowCount() == len(before), timeout=10_000)
    assert "before the restore" in seen["text"] or "as it was before" in seen["text"]
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)


def test_restore_is_offered_only_to_roles_that_may_back_up(qtbot, published, admin):
    published.registers.add_user(admin, "auditor", "An Auditor", "auditor")
    window = MainWindow(published, Actor("auditor"), background=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.register_page.me.login == "auditor")
    assert not window.actions_by_id["restore"].isEnabled()
