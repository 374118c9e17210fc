"""Screen readers: every interactive widget of every page and main dialog has an accessible name.

The name is what Qt's accessibility layer reports (``QAccessible``): an explicit accessible name,
a button's text, or the text of the label whose buddy the widget is. The test walks the widget
tree of each page (each of its tabs shown in turn) and of each main dialog, opened with the keys
a user presses, and fails on a visible interactive widget without a name. It prints the number of
unnamed widgets and asserts 0.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.register.risk_matrix import RiskMatrix

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QTextEdit, QPlainTextEdit,
               QAbstractSpinBox, QTabBar)


def accessible_name(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    return ((iface.text(QAccessible.Text.Name) if iface is not None else "") or w.accessibleName()).strip()


def _inner(w: QWidget) -> bool:
    """A part of a compound widget that the compound names (a combo's line edit, a tab bar's arrows)."""
    p = w.parentWidget()
    while p is not None:
        if isinstance(p, QAbstractSpinBox | QComboBox | QLineEdit | QTabBar | QCalendarWidget | QHeaderView):
            return True
        p = p.parentWidget()
    return False


def unnamed(root: QWidget) -> tuple[int, list[str]]:
    """(interactive widgets shown, descriptions of those without a name)."""
    shown = [w for w in root.findChildren(QWidget) if isinstance(w, INTERACTIVE) and w.isVisible()
             and not isinstance(w, QHeaderView) and not _inner(w)]
    missing = [f"{type(w).__name__}:{w.objectName() or '-'} in {type(w.parentWidget()).__name__}"
               for w in shown if not accessible_name(w)]
    return len(shown), missing


def field_labels_without_buddy(root: QWidget) -> list[str]:
    """Visible labels naming a field ("Period:") that neither name it for a screen reader nor take Alt+letter to it."""
    out = []
    for label in root.findChildren(QLabel):
        text = label.text().strip()
        if label.isVisible() and text.endswith(":") and "<" not in text and label.buddy() is None:
            out.append(text)
    return out


class Walk:
    def __init__(self) -> None:
        self.report: list[tuple[str, int, list[str]]] = []
        self.no_buddy: dict[str, list[str]] = {}
        self.traps: set[str] = set()

    def check(self, name: str, root: QWidget) -> None:
        QApplication.processEvents()
        count, missing = unnamed(root)
        self.report.append((name, count, missing))
        lonely = field_labels_without_buddy(root)
        if lonely:
            self.no_buddy[name] = lonely
        # A text box that takes Tab as a character is a keyboard trap.
        self.traps.update(f"{w.accessibleName() or w.objectName()}" for w in root.findChildren(QWidget)
                          if isinstance(w, QPlainTextEdit | QTextEdit) and w.isVisible()
                          and not w.tabChangesFocus() and not w.isReadOnly())

    def each_tab(self, name: str, root: QWidget) -> None:
        """Check ``root`` with each tab of each of its tab widgets shown in turn."""
        self.check(name, root)
        for tabs in root.findChildren(QTabWidget):
            if not tabs.isVisible():
                continue
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                self.check(f"{name} ▸ {tabs.tabText(i).replace('&', '')}", root)
            tabs.setCurrentIndex(0)


@pytest.fixture
def window(qtbot, services, admin):
    services.demo().load(admin)
    w = MainWindow(services, admin, background=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def show_tab(w: MainWindow, title: str) -> QWidget:
    page = w.page(title)
    for i in range(w.tabs.count()):
        if w.tabs.tabText(i).replace("&", "") == title:
            w.tabs.setCurrentIndex(i)
    QApplication.processEvents()
    assert page is not None
    return page


def new_dialog(before: set[int]) -> QWidget | None:
    """A dialog shown since ``before`` was taken (modal or not)."""
    modal = QApplication.activeModalWidget()
    if modal is not None and id(modal) not in before:
        return modal
    return next((t for t in QApplication.topLevelWidgets()
                 if isinstance(t, QDialog) and t.isVisible() and id(t) not in before), None)


def shown_dialogs() -> set[int]:
    return {id(t) for t in QApplication.topLevelWidgets() if t.isVisible()}


def in_dialog(qtbot, walk: Walk, name: str, press: Callable[[], None]) -> None:
    """Press the keys that open a dialog, check the dialog, then close it."""
    before = shown_dialogs()
    done: list[bool] = []

    def poll() -> None:  # also runs inside a dialog's own event loop (exec)
        dialog = new_dialog(before)
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        QApplication.processEvents()
        walk.each_tab(name, dialog)
        if isinstance(dialog, QDialog):
            dialog.reject()
        else:
            dialog.close()
        done.append(True)

    QTimer.singleShot(0, poll)
    press()
    qtbot.waitUntil(lambda: bool(done), timeout=10000)


def key(w: QWidget, k: Qt.Key, mods: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> Callable[[], None]:
    def press() -> None:
        # As a user would: the window active again after the last dialog, focus in the widget.
        w.window().activateWindow()
        for _ in range(200):
            if QApplication.activeWindow() is w.window():
                break
            QTest.qWait(10)
        w.setFocus()
        QTest.keyClick(w, k, mods)

    return press


def test_matrix_cells_read_their_position_score_and_band(qtbot, window) -> None:
    page = window.register_page
    page.table.setFocus()
    QTest.keyClick(page.table, Qt.Key.Key_Down)
    matrix: RiskMatrix = page.editor.current_matrix
    assert matrix.cell(4, 3).accessibleName() == "Impact 4, likelihood 3, score 12, medium (amber)"
    assert matrix.cell(5, 5).accessibleName() == "Impact 5, likelihood 5, score 25, high (red)"
    assert "Current score" in matrix.cell(4, 3).accessibleDescription()


def test_every_interactive_widget_has_a_name(qtbot, window) -> None:
    w = window
    walk = Walk()
    ctrl = Qt.KeyboardModifier.ControlModifier

    page = w.register_page
    page.table.setFocus()
    QTest.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: page.editor.row is not None)
    walk.each_tab("Register", w)
    in_dialog(qtbot, walk, "New risk dialog", key(page.table, Qt.Key.Key_N, ctrl))
    in_dialog(qtbot, walk, "Export dialog", key(page.filters.search, Qt.Key.Key_E, ctrl))
    in_dialog(qtbot, walk, "Import wizard", key(page.table, Qt.Key.Key_I, ctrl))
    in_dialog(qtbot, walk, "User guide", key(page.table, Qt.Key.Key_F1))
    w.show_dashboard()
    walk.check("Dashboard", w)

    reports = show_tab(w, "Reports")
    walk.each_tab("Reports", reports)
    reports.setFocus()
    in_dialog(qtbot, walk, "New cycle dialog", key(reports, Qt.Key.Key_N, ctrl))

    incidents = show_tab(w, "Incidents")
    walk.each_tab("Incidents", incidents)
    incidents.table.setFocus()
    in_dialog(qtbot, walk, "Serious incident dialog", key(incidents.table, Qt.Key.Key_N, ctrl))

    clinical = show_tab(w, "Clinical governance")
    walk.each_tab("Clinical governance", clinical)
    for tab, button in ((0, "new_audit_button"), (1, "new_visit_button"), (2, "new_pgd_button")):
        clinical.tabs.setCurrentIndex(tab)
        target = getattr(clinical, button)
        text = target.text()
        letter = text[text.index("&") + 1]
        in_dialog(qtbot, walk, f"Clinical dialog ({text.replace('&', '')})",
                  key(clinical.tabs.currentWidget(), Qt.Key(ord(letter.upper())), Qt.KeyboardModifier.AltModifier))

    total = sum(len(m) for _, _, m in walk.report)
    shown = sum(c for _, c, _ in walk.report)
    for name, count, missing in walk.report:
        print(f"{name}: {count} interactive, {len(missing)} unnamed {', '.join(missing[:5])}")
    print(f"unnamed interactive widgets: {total} of {shown} checked on {len(walk.report)} views")
    lonely = sorted({text for texts in walk.no_buddy.values() for text in texts})
    print(f"field labels without a buddy (no Alt+letter, no name for their field): {len(lonely)} {lonely}")
    assert shown > 300
    assert total == 0
    print(f"text boxes that keep Tab (keyboard traps): {len(walk.traps)} {sorted(walk.traps)}")
    assert lonely == []
    assert walk.traps == set()


def test_menus_and_tabs_have_their_own_alt_letters(qtbot, admin) -> None:
    """Alt+letter of a menu or a main tab works on every page, so no two of them may share a letter."""
    import re

    w = MainWindow(None, admin)
    qtbot.addWidget(w)
    titles = [a.text() for a in w.menuBar().actions()] + [w.tabs.tabText(i) for i in range(w.tabs.count())]
    letters = [m.group(1).upper() for t in titles if (m := re.search(r"&(\w)", t))]
    print(f"menus and tabs: {len(titles)}, with a letter: {len(letters)}, letters shared: "
          f"{len(letters) - len(set(letters))}")
    assert len(letters) == len(titles)
    assert len(set(letters)) == len(letters), titles
