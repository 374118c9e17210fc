"""Keyboard only: each workflow of each role done with key events alone (no mouse, no ``trigger()``).

Focus moves with Tab, Shift+Tab, arrows and Alt+letter; buttons are pressed with Space or Enter;
dialogs opened by a key are answered with keys. Where a file name is needed the operating system's
file chooser is stood in for (it is not riskdesk's to test). Each test checks what the workflow
left behind through the services, and the summary test prints how many workflows were completed
by keyboard and asserts all were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QDialog, QFileDialog, QWidget

from riskdesk.ui.main_window import MainWindow

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier

COMPLETED: dict[str, bool] = {}
WORKFLOWS = ("quarterly update", "add a risk", "remove a risk", "close the quarter", "present and save the appendix",
             "log a serious incident", "log a clinical audit", "log a PGD", "export the register")


@pytest.fixture
def window(qtbot, services, admin) -> Iterator[MainWindow]:
    services.demo().load(admin)
    w = MainWindow(services, admin, background=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    # Focus starts where the window puts it at start-up: in the register's table.
    w.register_page.table.setFocus()
    yield w


def focus() -> QWidget:
    f = QApplication.focusWidget()
    assert f is not None, "nothing has keyboard focus"
    return f


def key(k: Qt.Key, mods: Qt.KeyboardModifier = NONE) -> None:
    QTest.keyClick(focus(), k, mods)
    QApplication.processEvents()


def type_text(text: str) -> None:
    QTest.keyClicks(focus(), text)
    QApplication.processEvents()


def tab_to(target: QWidget, limit: int = 60, back: bool = False) -> int:
    """Press Tab (Shift+Tab) until ``target`` has focus; the number of presses."""
    for n in range(limit):
        f = QApplication.focusWidget()
        if f is target or (f is not None and target.isAncestorOf(f)):
            return n
        key(Qt.Key.Key_Tab, SHIFT if back else NONE)
    raise AssertionError(f"Tab never reached {target.accessibleName() or target.objectName()}; "
                         f"focus is on {focus().accessibleName() or type(focus()).__name__}")


def press_button(button: QAbstractButton) -> None:
    """Tab to a button and press Space, as a keyboard user does."""
    tab_to(button)
    key(Qt.Key.Key_Space)


def choose(combo: QComboBox, text_part: str) -> None:
    """With focus on a combo box, press Up or Down until the wanted entry is chosen."""
    assert focus() is combo or combo.isAncestorOf(focus())
    wanted = next((i for i in range(combo.count()) if text_part in combo.itemText(i)), None)
    assert wanted is not None, f"{text_part!r} not offered in {combo.accessibleName()}"
    for _ in range(combo.count()):
        if combo.currentIndex() == wanted:
            return
        key(Qt.Key.Key_Down if combo.currentIndex() < wanted else Qt.Key.Key_Up)
    raise AssertionError(f"arrows did not reach {text_part!r} in {combo.accessibleName()}")


def shown_top_levels() -> set[int]:
    return {id(t) for t in QApplication.topLevelWidgets() if t.isVisible()}


def when_dialog(answer: Callable[[QWidget], None]) -> list[bool]:
    """Answer the next dialog (modal or not) with ``answer`` once it has focus; done-flag list."""
    before = shown_top_levels()
    done: list[bool] = []
    errors: list[BaseException] = []

    def poll() -> None:
        modal = QApplication.activeModalWidget()
        dialog = modal if modal is not None and id(modal) not in before else next(
            (t for t in QApplication.topLevelWidgets() if isinstance(t, QDialog) and t.isVisible()
             and id(t) not in before), None)
        if dialog is None or QApplication.focusWidget() is None or not dialog.isAncestorOf(QApplication.focusWidget()):
            if dialog is not None:
                dialog.activateWindow()
            QTimer.singleShot(20, poll)
            return
        try:
            answer(dialog)
        except BaseException as exc:  # reported by the test
            errors.append(exc)
            if isinstance(dialog, QDialog):
                dialog.reject()
        done.append(not errors)
        if errors:
            raise errors[0]

    QTimer.singleShot(0, poll)
    return done


def back_to(w: MainWindow) -> None:
    w.activateWindow()
    QTest.qWait(20)
    for _ in range(100):
        if QApplication.activeWindow() is w:
            return
        QTest.qWait(10)


def show_tab_by_keys(w: MainWindow, title: str) -> QWidget:
    """Ctrl+Tab through the window's tabs until ``title`` is shown (from focus inside the page)."""
    for _ in range(w.tabs.count()):
        if w.tabs.tabText(w.tabs.currentIndex()).replace("&", "") == title:
            break
        w.tabs.currentWidget().setFocus() if focus() is None else None
        QTest.keyClick(w.tabs.tabBar(), Qt.Key.Key_Tab, CTRL)
        QApplication.processEvents()
    assert w.tabs.tabText(w.tabs.currentIndex()).replace("&", "") == title
    page = w.current_page()
    assert page is not None
    return page


# -- the workflows -----------------------------------------------------------------------------------


def test_quarterly_update_by_keyboard(qtbot, window, services, admin) -> None:
    w, page = window, window.register_page
    key(Qt.Key.Key_Down)
    first = page.editor.row
    key(Qt.Key.Key_Down)  # arrows move between risks, and the editor follows
    row = page.editor.row
    assert first is not None and row is not None and row.ref != first.ref
    assert row.ref == page.model.row_at(page.table.currentIndex().row()).ref
    presses = tab_to(page.editor.current_matrix.impact_combo)
    print(f"Tab presses from the table to the current score: {presses}")
    assert presses <= 12
    editor = page.editor
    before = editor.current_matrix.value()
    assert before is not None
    new_impact = 1 if before.impact != 1 else 2
    choose(editor.current_matrix.impact_combo, f"{new_impact} ")  # "1 Negligible"…
    key(Qt.Key.Key_Tab)
    new_likelihood = 5 if before.likelihood != 5 else 4
    choose(editor.current_matrix.likelihood_combo, f"{new_likelihood} ")
    assert editor.current_matrix.value().impact == new_impact
    assert editor.current_matrix.value().likelihood == new_likelihood
    tab_to(editor.update_edit)
    key(Qt.Key.Key_A, CTRL)  # replace whatever this period's update said
    type_text("Typed by keyboard: the score moved after the review.")
    key(Qt.Key.Key_S, CTRL)
    qtbot.waitUntil(lambda: not editor.is_dirty())
    history = services.risks.history(admin, row.id)
    latest = [a for a in history if a.period == page.period.code][-1]
    assert (latest.current.impact, latest.current.likelihood) == (new_impact, new_likelihood)
    assert latest.update_text == "Typed by keyboard: the score moved after the review."
    COMPLETED["quarterly update"] = True
