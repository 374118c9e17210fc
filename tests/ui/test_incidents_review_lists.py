"""The monthly review's lists, now views over the page's own rows: the same SIs in the same order
as the review read on its own, the same lines and tooltips, no second copy of the rows, and an
SI opened from a list with the keyboard."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QEvent, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from riskdesk.domain.incidents import add_months
from riskdesk.ui.incidents.page import IncidentsPage
from riskdesk.ui.incidents.views import review_line

TODAY = date(2025, 11, 19)  # the demo's day (see tests/services/test_demo.py)
MONTHS = [add_months((TODAY.year, TODAY.month), -k) for k in range(13)]


@pytest.fixture
def page(qtbot, services, admin):
    services.demo().load(admin, today=TODAY)
    w = IncidentsPage(services, admin, today=TODAY, background=False)  # loads before reload() returns
    qtbot.addWidget(w)
    w.show()
    return w


def _lists(page):
    return {"reported": page.review_reported_list, "due": page.review_due_list,
            "overdue": page.review_overdue_list, "open": page.review_open_list}


def _lines(view):
    return [(view.incident_at(n).id, view.line(n), view.incident_at(n).description) for n in range(view.count())]


def _tooltip(qtbot, view, n):
    """What hovering line ``n`` shows: a real tooltip event on the list's viewport."""
    QToolTip.hideText()
    pos = view.visualRect(view.model().index(n)).center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.viewport().mapToGlobal(pos))
    QApplication.sendEvent(view.viewport(), event)
    return QToolTip.text() if QToolTip.isVisible() else ""


def test_review_lists_show_the_same_sis_in_the_same_order_as_the_review_read_alone(page, services, admin):
    listed = {r.id: r for r in page.model.all_rows()}
    # The order the review always had: the list's own, newest report first.
    in_order = sorted(listed.values(), key=lambda r: (r.reported_on, r.id), reverse=True)
    shown = differing = copies = 0
    for month in MONTHS:
        page.review_month.setDate(QDate(month[0], month[1], 1))  # the review follows the month field
        # What the review held before: read on its own from the database (rows=None).
        alone = services.incidents.monthly_review(admin, month, today=TODAY)
        # Worked out here too for the two lists with a plain rule, so a change of order in both shows.
        plain = {"reported": [r for r in in_order if r.month == month], "open": [r for r in in_order if r.is_open]}
        for name, view in _lists(page).items():
            assert [r.id for r in getattr(alone, name)] == [r.id for r in plain.get(name, getattr(alone, name))]
            expected = [(r.id, review_line(r), r.description) for r in getattr(alone, name)]
            got = _lines(view)
            shown += len(got)
            differing += sum(1 for a, b in zip(got, expected, strict=False) if a != b) + abs(len(got) - len(expected))
            # The lines are the page's list rows themselves, not a second copy.
            copies += sum(1 for r in getattr(page.monthly, name) if listed.get(r.id) is not r)
        assert page.review_actions_list.count() == len(alone.actions_due)
    print(f"review lines over {len(MONTHS)} months: {shown}; differing from the review read alone: {differing}; "
          f"rows copied: {copies}")
    assert shown > 0 and page.review_open_list.count() > 0
    assert differing == 0
    assert copies == 0


def test_enter_on_a_review_line_opens_that_si(qtbot, page):
    view = page.review_open_list
    page.tabs.setCurrentIndex(1)  # the Monthly review tab
    assert view.count() >= 3
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    QTest.keyClick(view, Qt.Key.Key_Home)
    QTest.keyClick(view, Qt.Key.Key_Down)
    QTest.keyClick(view, Qt.Key.Key_Down)
    wanted = page.monthly.open[2]
    assert view.currentIndex().row() == 2
    assert view.currentIndex().data(Qt.ItemDataRole.DisplayRole) == review_line(wanted)  # what a reader says
    assert wanted.description and _tooltip(qtbot, view, 2) == wanted.description  # looked up when hovered
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert page.editor is not None and page.editor.detail is not None
    assert page.editor.detail.row.id == wanted.id
    page.editor.close()

    # A line of the open actions names no SI: Enter there opens nothing (and raises nothing).
    page.editor = None
    if page.review_actions_list.count():
        page.review_actions_list.setFocus()
        QTest.keyClick(page.review_actions_list, Qt.Key.Key_Home)
        QTest.keyClick(page.review_actions_list, Qt.Key.Key_Return)
        assert page.editor is None
