"""The long lists (the register, SIs, complaints, FOI, Ombudsman, clinical tables) paint their rows
with the platform's own style, not through the contrast style's Python hook: a header click on the
register repaints its rows without one Python call per cell, and the rows look exactly as they did
through the contrast style (which only outlines check boxes, and these rows have none). Check boxes
elsewhere keep their outline."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QCheckBox
from pytestqt.qtbot import QtBot

from riskdesk.ui.main_window import MainWindow
from tests.ui.uihelpers import open_as_riskdesk_starts


@pytest.fixture
def window(qtbot: QtBot, services, admin, plain_style) -> MainWindow:
    """The window as riskdesk starts it: painted first, then its database opened (the contrast style
    is installed on the way)."""
    return open_as_riskdesk_starts(qtbot, services, admin)


#: Every counting hook ever patched in, kept for the life of the process. PySide looks a style's
#: Python hook up once and keeps a bare pointer to the function it found: a style made while a
#: hook was patched in goes on calling it after the test (its widgets are deleted later). Freed,
#: its memory was reused by another function, which Qt's next paint called with the hook's five
#: arguments (a TypeError in the next test's event loop, or a segmentation fault).
_HOOKS_KEPT: list[object] = []


@pytest.fixture
def python_paints(monkeypatch: pytest.MonkeyPatch, plain_style) -> list[object]:
    """The widget of every primitive the contrast style's Python hook is asked to paint (patched before
    the window installs the style: PySide looks the hook up once per style)."""
    from riskdesk.ui.kit.contrast_style import ContrastStyle

    seen: list[object] = []
    hook = ContrastStyle.drawPrimitive

    def counted(self, element, option, painter, widget=None):  # type: ignore[no-untyped-def]
        if len(seen) < 1_000_000:  # still called after the test (see _HOOKS_KEPT): nothing piles up
            seen.append(widget)
        hook(self, element, option, painter, widget)

    _HOOKS_KEPT.append(counted)
    monkeypatch.setattr(ContrastStyle, "drawPrimitive", counted)
    return seen


def _grab(widget) -> QImage:  # type: ignore[no-untyped-def]
    widget.repaint()
    return widget.grab().toImage()


def test_a_sort_repaints_the_registers_rows_without_a_python_call_per_cell(qtbot, python_paints, window):
    from riskdesk.ui.kit.contrast_style import ContrastStyle

    app = QApplication.instance()
    table = window.register_page.table
    assert isinstance(app.style(), ContrastStyle)
    assert not isinstance(table.style(), ContrastStyle)
    boxes = window.register_page.findChildren(QCheckBox)
    assert boxes and all(isinstance(b.style(), ContrastStyle) for b in boxes)  # still outlined

    seen = python_paints
    seen.clear()  # what the window painted as it opened
    header = table.horizontalHeader()
    model = window.model
    before = [model.row_at(i).id for i in range(model.rowCount())]
    from riskdesk.ui.register.table_model import Col

    x = header.sectionViewportPosition(Col.CURRENT) + header.sectionSize(Col.CURRENT) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    table.viewport().repaint()
    assert header.sortIndicatorSection() == Col.CURRENT
    assert [model.row_at(i).id for i in range(model.rowCount())] != before  # sorted by score: the rows moved
    from_rows = sum(1 for w in seen if w is table or w is table.viewport())
    print(f"\nprimitives the Python hook painted for the register's rows after a header click: {from_rows} "
          f"(for the rest of the window: {len(seen) - from_rows})")
    assert from_rows == 0

    # Through the contrast style the rows cost a Python call per cell, and look exactly the same.
    plain = _grab(table.viewport())
    table.setStyle(app.style())
    seen.clear()
    through_hook = _grab(table.viewport())
    cells = sum(1 for w in seen if w is table or w is table.viewport())
    print(f"the same rows through the contrast style: {cells} Python calls, pixels the same: {plain == through_hook}")
    assert cells > 100
    assert plain == through_hook


def test_every_long_list_paints_plainly(window):
    from riskdesk.ui.kit.contrast_style import ContrastStyle

    names = ("Risk register", "Serious incidents", "Complaints", "FOI and EIR requests", "Ombudsman cases",
             "Clinical audits")
    for i in range(window.tabs.count()):  # every page built, as a user opening each tab
        window.tabs.setCurrentIndex(i)
    from PySide6.QtWidgets import QTableView

    tables = {t.accessibleName(): t for t in window.findChildren(QTableView)}
    missing = [n for n in names if n not in tables]
    assert missing == []
    through_hook = [n for n in names if isinstance(tables[n].style(), ContrastStyle)]
    print(f"\nlong lists painting through the Python hook: {len(through_hook)} of {len(names)} {through_hook}")
    assert through_hook == []


def test_a_list_closed_before_the_contrast_style_comes_is_passed_over(qtbot, plain_style, monkeypatch):
    """A list named before the contrast style is installed (as at start-up) and closed meanwhile, its
    Python object still held somewhere: installing the style passes it over, and styles the others."""
    from PySide6.QtWidgets import QTableView
    from shiboken6 import delete

    from riskdesk.ui.kit import contrast
    from riskdesk.ui.kit.contrast_style import ContrastStyle

    monkeypatch.setattr(contrast, "_plain_name", "")  # as before the first install in a process
    closed, open_ = contrast.paint_plainly(QTableView()), contrast.paint_plainly(QTableView())
    qtbot.addWidget(open_)
    delete(closed)  # its C++ object gone; ``closed`` still refers to it
    contrast.install_contrast_style()
    assert isinstance(QApplication.instance().style(), ContrastStyle)
    assert not isinstance(open_.style(), ContrastStyle)
    assert open_.style().objectName() == contrast._PLAIN_STYLE
