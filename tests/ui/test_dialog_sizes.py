"""Every dialog of the application (the list tools/show_dialogs.py takes its screenshots from), opened
the way the user opens it over the demo council on an 1100×700 screen: the dialog fits on the screen
with its title bar, and no title, label, button, checkbox or table header in it is cut."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen
from PySide6.QtGui import Qt as QtGui
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabWidget,
    QWidget,
)

from riskdesk.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import show_dialogs

SCREEN = QRect(0, 0, 1100, 700)
TODAY = date(2026, 11, 20)


@pytest.fixture
def window(qtbot, services, admin, monkeypatch):
    # The offscreen platform's screen is 800×600 and cannot be resized once Qt has started; the
    # dialogs ask the screen how much room there is, so the screen says what an 1100×700 one would.
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _self: QRect(SCREEN))
    services.demo().load(admin, today=TODAY)
    w = MainWindow(services, admin, background=False)
    qtbot.addWidget(w)
    w.setGeometry(SCREEN)
    w.show()
    qtbot.waitExposed(w)
    return w


def _text_width(w: QWidget, text: str) -> int:
    return w.fontMetrics().horizontalAdvance(text.replace("&&", "\0").replace("&", "").replace("\0", "&"))


def cuts(dialog: QDialog) -> list[str]:
    """What the user cannot read whole, on every tab: the title beside a window manager's buttons,
    labels, buttons, checkboxes, group titles, header sections, and the value or grey default of a
    field or choice, narrower than their text."""
    out = _visible_cuts(dialog)
    for tabs in dialog.findChildren(QTabWidget):
        if not tabs.isVisibleTo(dialog):
            continue
        shown = tabs.currentIndex()
        for i in range(tabs.count()):
            if i != shown:
                tabs.setCurrentIndex(i)
                QApplication.processEvents()
                out += [f"{c} (tab {tabs.tabText(i).replace('&', '')!r})" for c in _visible_cuts(tabs.widget(i))]
        tabs.setCurrentIndex(shown)
    return sorted(set(out))


def _visible_cuts(root: QWidget) -> list[str]:
    dialog = root.window()
    out = []
    title_room = dialog.frameGeometry().width() - show_dialogs.TITLE_BAR_BUTTONS
    if root is dialog and dialog.fontMetrics().horizontalAdvance(dialog.windowTitle()) > title_room:
        out.append(f"title {dialog.windowTitle()!r}")
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(dialog) or w.width() <= 0:
            continue
        if isinstance(w, QLabel) and w.text() and not w.wordWrap() and not QtGui.mightBeRichText(w.text()):
            if _text_width(w, w.text()) > w.contentsRect().width():
                out.append(f"label {w.text()!r}")
        elif isinstance(w, QLabel) and w.text() and w.wordWrap():
            # wrapped text needs its lines' height: a squeezed row cuts the last line in half
            if w.heightForWidth(w.width()) > w.height():
                out.append(f"wrapped label cut at the bottom {w.text()[:40]!r}")
        elif isinstance(w, QAbstractButton) and w.text():
            # a checkbox's or radio button's text starts after its indicator
            indicator = w.iconSize().width() + 8 if w.metaObject().className() in ("QCheckBox", "QRadioButton") else 0
            if _text_width(w, w.text()) + indicator > w.width():
                out.append(f"button {w.text()!r}")
        elif isinstance(w, QLineEdit) and not isinstance(w.parentWidget(), (QComboBox, QAbstractSpinBox)):
            shown = w.text() or w.placeholderText()  # a default shown in grey is a value too
            if shown and w.fontMetrics().horizontalAdvance(shown) > w.contentsRect().width() - 8:
                out.append(f"field {shown!r}")
        elif isinstance(w, QComboBox) and w.currentText():
            if w.fontMetrics().horizontalAdvance(w.currentText()) > w.width() - 30:  # minus the arrow
                out.append(f"choice {w.currentText()!r}")
        elif isinstance(w, QGroupBox) and w.title() and _text_width(w, w.title()) > w.width():
            out.append(f"group {w.title()!r}")
        elif isinstance(w, QAbstractItemView) and hasattr(w, "horizontalHeader"):
            out += _header_cuts(w.horizontalHeader())
    return out


def _header_cuts(header: QHeaderView) -> list[str]:
    if not header.isVisibleTo(header.window()) or header.model() is None:
        return []
    found = []
    for col in range(header.count()):
        if header.isSectionHidden(col):
            continue
        text = header.model().headerData(col, Qt.Orientation.Horizontal)
        if text and header.sectionSizeFromContents(col).width() > header.sectionSize(col):
            found.append(f"header {text!r}")
    return found


def off_screen(dialog: QDialog) -> list[str]:
    """The dialog's frame, with a window manager's title bar when the platform draws none, within the screen."""
    frame = dialog.frameGeometry()
    bar = max(0, show_dialogs.TITLE_BAR_HEIGHT - (frame.height() - dialog.height()))
    need = (frame.width(), frame.height() + bar)
    room = dialog.screen().availableGeometry()
    if need[0] > room.width() or need[1] > room.height():
        return [f"frame {need[0]}×{need[1]} on a {room.width()}×{room.height()} screen"]
    return []


def test_every_dialog_fits_an_1100x700_screen_and_shows_its_words_whole(qtbot, window):
    ctx = show_dialogs.Ctx(window)
    problems: dict[str, list[str]] = {}
    not_opened = []
    for entry in show_dialogs.DIALOGS:
        def inspect(dialog: QDialog, name: str = entry.name) -> None:
            problems[name] = off_screen(dialog) + cuts(dialog)

        if not show_dialogs.open_dialog(ctx, entry, inspect):
            not_opened.append(entry.name)
    total = sum(len(p) for p in problems.values())
    for name, found in problems.items():
        print(f"{name}: {len(found)} {found}")
    print(f"dialogs checked: {len(problems)}; not opened: {not_opened}; cut or off the screen: {total}")
    assert not_opened == []
    assert len(problems) == len(show_dialogs.DIALOGS)
    assert total == 0, {k: v for k, v in problems.items() if v}
