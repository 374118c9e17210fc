"""What runs inside a benchmark's child process: marks, values, holding for the memory read, and
timing a user's input until the table shows its result (painted).

Kept light at import (``sys`` and ``time`` only) so the floor and riskdesk pay the same for it.
The parent side is ``harness.run_child``.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any


def mark(name: str) -> None:
    """Tell the parent an event happened now (it times it from the spawn)."""
    print(name, flush=True)


def value(name: str, number: float) -> None:
    """Hand the parent a number measured inside the child (e.g. a keystroke in milliseconds)."""
    print(f"value {name} {number!r}", flush=True)


def hold() -> None:
    """Let the parent read this process's peak memory (VmHWM), and go on once it has."""
    print("hold", flush=True)
    sys.stdin.readline()


def time_until_painted(action: Callable[[], object], model: Any, viewport: Any, timeout_ms: int = 3000) -> float | None:
    """Milliseconds from ``action`` (a key or a click) until ``viewport`` has painted after ``model``
    changed (reset, layout change, rows removed or inserted): what the user waits for, with any
    debounce timer, background work and the repaint included. None if the model never changed.
    """
    from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer

    loop = QEventLoop()
    state = {"changed": False, "done": None}

    def changed(*_args: object) -> None:
        state["changed"] = True

    signals = (model.modelReset, model.layoutChanged, model.rowsRemoved, model.rowsInserted, model.dataChanged)
    for signal in signals:
        signal.connect(changed)

    class Watcher(QObject):
        def eventFilter(self, _obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and state["changed"] and state["done"] is None:
                # The paint event is delivered now; time it once the painting itself has run.
                QTimer.singleShot(0, finish)
            return False

    def finish() -> None:
        if state["done"] is None:
            state["done"] = time.perf_counter()
            loop.quit()

    watcher = Watcher()
    viewport.installEventFilter(watcher)
    QTimer.singleShot(timeout_ms, loop.quit)
    t0 = time.perf_counter()
    action()
    if state["done"] is None:
        loop.exec()
    viewport.removeEventFilter(watcher)
    for signal in signals:
        signal.disconnect(changed)
    done = state["done"]
    return None if done is None else (done - t0) * 1000


def settle(ms: int = 50) -> None:
    """Let pending timers and paints run (untimed), so one measurement does not spill into the next."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def type_and_time(edit: Any, model: Any, viewport: Any, text: str, name: str) -> list[float]:
    """Type ``text`` into ``edit`` one real key at a time, then erase it with Backspace; report the
    time from each key to the filtered table painted as ``value name ms``. Keys after which the
    table did not change (the result was already shown) are not counted."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    edit.setFocus()
    times = []
    keys: list[Callable[[], None]] = [lambda ch=ch: QTest.keyClick(edit, ch) for ch in text]
    keys += [lambda: QTest.keyClick(edit, Qt.Key.Key_Backspace)] * len(text)
    for key in keys:
        ms = time_until_painted(key, model, viewport)
        if ms is not None:
            times.append(ms)
            value(name, ms)
        settle(200)  # past any debounce, so every key starts from a quiet table
    return times


def click_header(table: Any, section: int) -> Callable[[], None]:
    """A real mouse click on the header of column ``section`` (scrolled into view first)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    header = table.horizontalHeader()
    x = header.sectionViewportPosition(section)
    if x < 0 or x + 10 > header.viewport().width():
        table.horizontalScrollBar().setValue(header.sectionPosition(section))
        settle(20)
        x = header.sectionViewportPosition(section)
    pos = QPoint(x + min(header.sectionSize(section) // 2, 20), header.height() // 2)
    return lambda: QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                                    pos)
