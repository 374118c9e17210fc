"""Alt+letter mnemonics: no two widgets visible at the same time claim one letter, and a letter does what it says.

Qt gives every ``&``-letter of a buddied label, a button, a check box, a group box, a tab title and a
menu-bar title an Alt+letter shortcut. When two visible widgets share a letter Qt does not warn: the
key just cycles focus between them, so the user's Alt+S lands on "Status" one time and "Search" the
next. The walk below shows each page (and each tab of each of its tab widgets in turn), gathers the
mnemonics of every visible widget, the window's menu-bar titles and the main tab bar, and reports
each letter claimed twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QTabBar,
    QTabWidget,
    QWidget,
)

from riskdesk.ui.main_window import MainWindow
from tests.ui.uihelpers import click_risk

ALT = Qt.KeyboardModifier.AltModifier


def mnemonic(text: str) -> str:
    """The letter after a single ``&`` in ``text`` (``&&`` is a literal ampersand), upper case; "" if none."""
    i = 0
    while i < len(text) - 1:
        if text[i] == "&":
            if text[i + 1] != "&":
                return text[i + 1].upper()
            i += 1
        i += 1
    return ""


def _claims(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(letter, what claims it) for each mnemonic ``widget`` holds while it is visible."""
    if isinstance(widget, QLabel):
        if widget.buddy() is not None and widget.textFormat() != Qt.TextFormat.RichText:
            yield mnemonic(widget.text()), f"label {widget.text()!r}"
    elif isinstance(widget, QAbstractButton):
        yield mnemonic(widget.text()), f"{type(widget).__name__} {widget.text()!r}"
    elif isinstance(widget, QGroupBox):
        yield mnemonic(widget.title()), f"group {widget.title()!r}"
    elif isinstance(widget, QTabBar):
        for i in range(widget.count()):
            if widget.isTabVisible(i):
                yield mnemonic(widget.tabText(i)), f"tab {widget.tabText(i)!r}"


def clashes(window: QWidget) -> dict[str, list[str]]:
    """Letters claimed by more than one visible widget of ``window`` (menu-bar titles included)."""
    seen: dict[str, list[str]] = defaultdict(list)
    menu_bar = getattr(window, "menuBar", None)
    if menu_bar is not None:
        for action in menu_bar().actions():
            if action.isVisible() and mnemonic(action.text()):
                seen[mnemonic(action.text())].append(f"menu {action.text()!r}")
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        for letter, what in _claims(widget):
            if letter:
                seen[letter].append(what)
    return {letter: whats for letter, whats in seen.items() if len(whats) > 1}


def _tab_states(root: QWidget) -> Iterator[str]:
    """Show each tab of each tab widget under ``root`` in turn (the others as they are), naming the state."""
    yield "as opened"
    for tabs in root.findChildren(QTabWidget):
        if not tabs.isVisible():
            continue
        start = tabs.currentIndex()
        for i in range(tabs.count()):
            if not tabs.isTabVisible(i) or i == start:
                continue
            tabs.setCurrentIndex(i)
            QApplication.processEvents()
            yield f"tab {tabs.tabText(i).replace('&', '')!r}"
            # a sub-tab may hold tab widgets of its own
            for inner in tabs.widget(i).findChildren(QTabWidget):
                if not inner.isVisible():
                    continue
                inner_start = inner.currentIndex()
                for j in range(inner.count()):
                    if j != inner_start and inner.isTabVisible(j):
                        inner.setCurrentIndex(j)
                        QApplication.processEvents()
                        yield f"tab {tabs.tabText(i).replace('&', '')!r} ▸ {inner.tabText(j).replace('&', '')!r}"
                inner.setCurrentIndex(inner_start)
        tabs.setCurrentIndex(start)
        QApplication.processEvents()


def page_clashes(window: MainWindow) -> list[str]:
    """Every clash on every page of the window, each tab of each page shown in turn."""
    found: list[str] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        page = window.tabs.widget(index)
        title = window.tabs.tabText(index).replace("&", "")
        for state in _tab_states(page):
            for letter, whats in sorted(clashes(window).items()):
                line = f"{title} ({state}): Alt+{letter}: {', '.join(whats)}"
                if line not in found:
                    found.append(line)
    return found


@pytest.fixture
def window(qtbot, services, admin) -> MainWindow:
    services.demo().load(admin)
    w = MainWindow(services, admin, background=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    click_risk(qtbot, w, w.register_page.model.row_at(0).ref)  # the editor shows, with its own labels
    return w


def test_no_two_visible_widgets_share_an_alt_letter(window):
    found = page_clashes(window)
    print(f"Alt-letter clashes: {len(found)}")
    for line in found:
        print("  " + line)
    assert len(found) == 0


def _label(root: QWidget, text: str) -> QLabel:
    return next(lab for lab in root.findChildren(QLabel) if lab.text() == text and lab.isVisible())


def _press_alt(qtbot, window: MainWindow, key: Qt.Key) -> None:
    """Alt+key as the user presses it, to whatever has focus in the window."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    QTest.keyClick(QApplication.focusWidget() or window, key, ALT)
    QApplication.processEvents()


def _show(window: MainWindow, title: str) -> QWidget:
    page = window.page(title)
    for i in range(window.tabs.count()):
        if window.tabs.tabText(i).replace("&", "") == title:
            window.tabs.setCurrentIndex(i)
    QApplication.processEvents()
    return page


def test_alt_a_on_the_register_goes_to_the_update_text(qtbot, window):
    editor = window.register_page.editor
    window.register_page.table.setFocus()
    target = _label(editor, editor.update_label.text()).buddy()
    assert "&a" in editor.update_label.text().lower()
    _press_alt(qtbot, window, Qt.Key.Key_A)
    assert QApplication.focusWidget() is target


def test_alt_2_then_alt_w_on_the_register_goes_to_the_owner(qtbot, window):
    editor = window.register_page.editor
    window.register_page.table.setFocus()
    _press_alt(qtbot, window, Qt.Key.Key_2)  # the editor's "&2 Risk" tab
    assert editor.tabs.tabText(editor.tabs.currentIndex()) == "&2 Risk"
    _press_alt(qtbot, window, Qt.Key.Key_W)  # O&wner:
    assert QApplication.focusWidget() is _label(editor, "O&wner:").buddy()


def test_alt_x_on_reports_goes_to_the_appendix_part(qtbot, window):
    page = _show(window, "Reports")
    page.view.cycles_table.setFocus()
    _press_alt(qtbot, window, Qt.Key.Key_X)  # Appendi&x:
    assert QApplication.focusWidget() is _label(page, "Appendi&x:").buddy() is not None


@pytest.mark.parametrize("title", ["Incidents", "FOI/EIR"])
def test_alt_s_goes_to_the_search_box(qtbot, window, title):
    page = _show(window, title)
    page.table.setFocus()
    _press_alt(qtbot, window, Qt.Key.Key_S)  # &Search:
    assert QApplication.focusWidget() is page.search_edit


def test_alt_w_on_incidents_shows_the_monthly_review(qtbot, window):
    page = _show(window, "Incidents")
    page.table.setFocus()
    _press_alt(qtbot, window, Qt.Key.Key_W)  # Monthly revie&w
    assert page.tabs.tabText(page.tabs.currentIndex()) == "Monthly revie&w"
    _press_alt(qtbot, window, Qt.Key.Key_N)  # Mo&nth:
    assert QApplication.focusWidget() is page.review_month


def test_alt_letters_on_clinical_governance_show_its_tabs(qtbot, window):
    page = _show(window, "Clinical governance")
    page.tabs.currentWidget().setFocus()
    for key, title in ((Qt.Key.Key_Q, "&Quality visits"), (Qt.Key.Key_S, "PGD&s"), (Qt.Key.Key_U, "Ass&urance summary"),
                       (Qt.Key.Key_A, "&Audits")):
        _press_alt(qtbot, window, key)
        assert page.tabs.tabText(page.tabs.currentIndex()) == title


def test_alt_w_on_the_ombudsman_page_goes_to_due_within(qtbot, window):
    page = _show(window, "Ombudsman")
    page.table.setFocus()
    before = page.due_only.isChecked()
    _press_alt(qtbot, window, Qt.Key.Key_W)  # Due &within
    assert QApplication.focusWidget() is page.due_only
    qtbot.waitUntil(lambda: page.due_only.isChecked() != before)  # a button's letter clicks it


CTRL = Qt.KeyboardModifier.ControlModifier

#: Dialogs opened with the keys a user would press: (page title, name, key, modifiers).
DIALOGS = [("Register", "add a risk", Qt.Key.Key_N, CTRL), ("Register", "import", Qt.Key.Key_I, CTRL),
           ("Register", "export", Qt.Key.Key_E, CTRL), ("Reports", "new cycle", Qt.Key.Key_N, CTRL),
           ("Incidents", "serious incident", Qt.Key.Key_N, CTRL),
           ("Clinical governance", "clinical audit", Qt.Key.Key_N, ALT),
           ("FOI/EIR", "FOI/EIR request", Qt.Key.Key_N, CTRL), ("Complaints", "new complaint", Qt.Key.Key_N, CTRL),
           ("Ombudsman", "new Ombudsman case", Qt.Key.Key_N, CTRL)]


def test_no_dialog_has_two_widgets_on_one_alt_letter(qtbot, window):
    """Each dialog's own widgets (each of its tabs in turn): the window's menus are not live in a modal dialog."""
    found: list[str] = []
    opened: list[str] = []
    for title, name, key, mods in DIALOGS:
        page = _show(window, title)
        before = {id(t) for t in QApplication.topLevelWidgets() if t.isVisible()}
        done: list[bool] = []

        def poll(name: str = name, before: set[int] = before, done: list[bool] = done) -> None:
            dialog = QApplication.activeModalWidget() or next(
                (t for t in QApplication.topLevelWidgets() if isinstance(t, QDialog) and t.isVisible()
                 and id(t) not in before), None)
            if dialog is None or id(dialog) in before:
                QTimer.singleShot(20, poll)
                return
            QApplication.processEvents()
            opened.append(name)
            for state in _tab_states(dialog):
                for letter, whats in sorted(clashes(dialog).items()):
                    line = f"{name} dialog ({state}): Alt+{letter}: {', '.join(whats)}"
                    if line not in found:
                        found.append(line)
            dialog.reject() if isinstance(dialog, QDialog) else dialog.close()
            done.append(True)

        QTimer.singleShot(0, poll)
        target = window.register_page.table if page is None or title == "Register" else (
            getattr(page, "table", None) or page)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        target.setFocus()
        QTest.keyClick(target, key, mods)
        qtbot.waitUntil(lambda done=done: bool(done), timeout=20000)
    print(f"dialogs walked: {len(opened)} {opened}")
    print(f"Alt-letter clashes in dialogs: {len(found)}")
    for line in found:
        print("  " + line)
    assert len(opened) == len(DIALOGS)
    assert len(found) == 0
