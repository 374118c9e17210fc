"""Helpers for driving the window: click table rows, answer modal dialogs."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QTableView, QWidget

from riskdesk.ui.register.table_model import Col


def click_row(qtbot, table: QTableView, row: int, column: int = Col.DESCRIPTION) -> None:
    index = table.model().index(row, column)
    table.scrollTo(index)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click_risk(qtbot, window, ref: str) -> None:
    model = window.register_page.model
    row = next(i for i in range(model.rowCount()) if model.row_at(i).ref == ref)
    click_row(qtbot, window.register_page.table, row)
    assert window.register_page.editor.row is not None and window.register_page.editor.row.ref == ref


class DialogAnswers:
    """Answer the next modal dialogs in order; each answer is a function of the dialog."""

    def __init__(self) -> None:
        self.seen: list[QWidget] = []
        self.errors: list[BaseException] = []

    def queue(self, *answers: Callable[[QWidget], None]) -> DialogAnswers:
        pending = list(answers)

        def poll() -> None:
            if not pending:
                return
            w = QApplication.activeModalWidget()
            if w is None or (self.seen and w is self.seen[-1] and w.isVisible()):
                QTimer.singleShot(10, poll)
                return
            self.seen.append(w)
            answer = pending.pop(0)
            try:
                answer(w)
            except BaseException as exc:  # surfaced by the test through .errors
                self.errors.append(exc)
                if isinstance(w, QDialog):
                    w.reject()
            if pending:
                QTimer.singleShot(10, poll)

        QTimer.singleShot(0, poll)
        return self


def type_reason(text: str) -> Callable[[QWidget], None]:
    def answer(dialog: QWidget) -> None:
        dialog.set_text(text)  # type: ignore[attr-defined]
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()  # type: ignore[attr-defined]

    return answer


def press(button_text: str) -> Callable[[QWidget], None]:
    def answer(box: QWidget) -> None:
        assert isinstance(box, QMessageBox), type(box)
        for b in box.buttons():
            if b.text().replace("&", "") == button_text:
                b.click()
                return
        raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

    return answer


def press_key(qtbot, window, key: str | QKeySequence.StandardKey) -> None:
    """Press a shortcut as a user does: a real key event, with focus on the page shown (not in a text box)."""
    from PySide6.QtTest import QTest

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page = window.tabs.currentWidget()
    target = window.register_page.table if page is window.register_page else page
    target.setFocus()
    seq = QKeySequence(key) if isinstance(key, str) else QKeySequence.keyBindings(key)[0]
    QTest.keyClick(target, seq[0].key(), seq[0].keyboardModifiers())


def open_as_riskdesk_starts(qtbot, services, actor):  # type: ignore[no-untyped-def]
    """The window as ``riskdesk`` starts it, on the demo register: painted first, then its database
    opened (the contrast style installed on the way); returned once the register's rows are in."""
    from riskdesk.ui.main_window import MainWindow

    services.demo().load(actor)
    w = MainWindow(None, actor)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    with qtbot.waitSignal(w.attached, timeout=20000):
        w.open_database(lambda _report: services)
    qtbot.waitUntil(lambda: w.model.rowCount() > 0)
    return w
