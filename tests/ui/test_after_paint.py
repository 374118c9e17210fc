"""Work that waits until what the user asked to see has painted (``kit.jobs.AfterPaint``), and the
register's search haystacks, which wait for the rows to paint rather than hold the interpreter
while they do."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

import riskdesk.ui.register.page as register_page
from riskdesk.ui.kit import jobs
from riskdesk.ui.kit.jobs import AfterPaint
from riskdesk.ui.main_window import MainWindow
from tests.ui.uihelpers import press_key


def test_after_paint_calls_once_after_the_widget_has_painted(qtbot):
    label = QLabel("rows")
    qtbot.addWidget(label)
    calls: list[bool] = []
    AfterPaint(label, lambda: calls.append(label.isVisible()))
    qtbot.wait(50)
    assert calls == []  # never shown, never painted, no deadline: never called
    label.show()
    qtbot.waitUntil(lambda: calls == [True])
    label.repaint()
    label.repaint()
    qtbot.wait(50)
    print("calls after three paints:", len(calls))
    assert calls == [True]


def test_after_paint_calls_at_its_deadline_when_nothing_paints(qtbot):
    label = QLabel("a hidden tab")
    qtbot.addWidget(label)
    calls: list[str] = []
    AfterPaint(label, lambda: calls.append("called"), at_latest_ms=30)
    qtbot.waitUntil(lambda: calls == ["called"])
    label.show()
    qtbot.wait(80)
    assert calls == ["called"]  # the paint that comes later does not call it again


def test_a_cancelled_after_paint_is_never_called(qtbot):
    label = QLabel("rows no longer shown")
    qtbot.addWidget(label)
    calls: list[str] = []
    waiting = AfterPaint(label, lambda: calls.append("called"), at_latest_ms=30)
    waiting.cancel()
    label.show()
    qtbot.waitExposed(label)
    label.repaint()
    qtbot.wait(80)
    assert calls == []


def test_an_after_paint_called_or_cancelled_leaves_nothing_on_its_widget(qtbot):
    """One is made for every load of the register: none may stay behind on the table."""
    label = QLabel("rows")
    qtbot.addWidget(label)
    label.show()
    qtbot.waitExposed(label)
    calls: list[int] = []
    for i in range(5):
        AfterPaint(label, lambda i=i: calls.append(i))
        label.repaint()
    AfterPaint(label, lambda: calls.append(-1)).cancel()
    qtbot.waitUntil(lambda: len(calls) == 5)
    qtbot.waitUntil(lambda: not label.findChildren(AfterPaint))
    print("calls:", calls, "left on the widget:", len(label.findChildren(AfterPaint)))
    assert sorted(calls) == [0, 1, 2, 3, 4]  # each once; the cancelled one never


class _Log(QObject):
    """Logs each paint of the table's viewport with the rows the table holds then."""

    def __init__(self, table, log: list[tuple[str, int]]) -> None:
        super().__init__(table.viewport())
        self._table, self._log = table, log
        table.viewport().installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._log.append(("paint", self._table.model().rowCount()))
        return False


def test_the_search_haystacks_are_begun_only_once_the_rows_have_painted(qtbot, published, admin, monkeypatch):
    """Begun with the rows, the worker making them held the interpreter while the rows painted: Qt
    asks the Python model for every cell, each ask waiting up to 5 ms for the lock (at 5,000 risks
    the rows came 31 ms later). Refreshed (F5), the register's rows paint first, then the haystacks
    are begun; a search then finds what they hold."""
    window = MainWindow(published, admin)
    qtbot.addWidget(window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitExposed(window)
    page = window.register_page
    qtbot.waitUntil(lambda: page.model.rowCount() > 0 and jobs.pending() == 0)
    qtbot.wait(1100)  # the first load's haystacks, whenever they come
    qtbot.waitUntil(lambda: jobs.pending() == 0)

    log: list[tuple[str, int]] = []
    real_run = register_page.run_in_background

    def logged(fn, on_success, on_failure, **kwargs):
        log.append(("job: " + (kwargs.get("label") or "haystacks"), page.model.rowCount()))
        return real_run(fn, on_success, on_failure, **kwargs)

    monkeypatch.setattr(register_page, "run_in_background", logged)
    _Log(page.table, log)
    page.model.modelReset.connect(lambda: log.append(("rows reset", page.model.rowCount())))
    press_key(qtbot, window, QKeySequence.StandardKey.Refresh)
    qtbot.waitUntil(lambda: ("job: haystacks", page.model.rowCount()) in log, timeout=5000)
    qtbot.waitUntil(lambda: jobs.pending() == 0)
    print("\n".join(f"{what} ({rows} rows)" for what, rows in log))
    haystacks = log.index(("job: haystacks", page.model.rowCount()))
    reset = max(i for i, (what, _rows) in enumerate(log[:haystacks]) if what == "rows reset")
    painted_before = [entry for entry in log[reset:haystacks] if entry[0] == "paint" and entry[1] > 0]
    print("paints of the rows read again before the haystacks were begun:", len(painted_before))
    assert painted_before, log
    assert log.count(("job: haystacks", page.model.rowCount())) == 1

    made = sum(1 for r in page.model.all_rows() if page.model._texts.get(r.id, (None,))[0] is r)
    print("haystacks made ahead:", made, "of", len(page.model.all_rows()))
    assert made == len(page.model.all_rows())
