"""File ▸ Verify audit trail… checks the chain off the GUI thread and says what it found."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QMessageBox

from riskdesk.domain.actor import Actor
from riskdesk.ui.main_window import MainWindow
from tests.ui.uihelpers import DialogAnswers


def _open_file_menu(qtbot, window) -> QMenu:
    bar = window.menuBar()
    file_action = next(a for a in bar.actions() if a.text() == "&File")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(file_action).center())
    menu = file_action.menu()
    qtbot.waitUntil(menu.isVisible)
    return menu


def test_the_file_menu_verifies_the_trail_by_keyboard(qtbot, published, admin):
    window = MainWindow(published, admin, background=False)
    qtbot.addWidget(window)
    window.show()
    seen: dict[str, str] = {}

    def read(box):
        assert isinstance(box, QMessageBox)
        seen["text"], seen["info"] = box.text(), box.informativeText()
        box.accept()

    answers = DialogAnswers().queue(read)
    menu = _open_file_menu(qtbot, window)
    QTest.keyClick(menu, Qt.Key.Key_V)  # the item's mnemonic, as a keyboard user picks it
    qtbot.waitUntil(lambda: "text" in seen, timeout=20000)
    assert not answers.errors
    assert "chain intact" in seen["text"], seen
    assert "entries" in seen["text"]
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)


def test_roles_that_may_not_read_every_entry_cannot_pick_it(qtbot, published, admin):
    published.registers.add_user(admin, "r.owner", "R Owner", "risk_owner")
    window = MainWindow(published, Actor("r.owner"), background=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.register_page.me.login == "r.owner")
    assert not window.actions_by_id["verify_audit"].isEnabled()
    assert window.actions_by_id["backup"].isEnabled() is False  # a backup holds every SI
