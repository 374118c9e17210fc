"""Background work: run a callable off the GUI thread, get the result (or the error) back on it.

Two shapes over one mechanism (a QRunnable that emits on a QObject living on the GUI thread):
``run_in_background(fn, on_success, on_failure)`` for reads and writes that need no progress, and
``Job().start(fn)`` for work that reports progress and can be cancelled part-way (the committee
appendix): ``fn(progress, cancelled)`` gets a ``progress(done, total)`` callback and a
``cancelled()`` test it should poll.

Services open their own session per call, so a worker may call them directly. The callbacks
always run on the GUI thread (they are delivered through a queued signal), so they may touch
widgets. A busy indicator shows in the window's status bar while work is under way; a
``QProgressDialog`` with Cancel is offered for work the user may give up on.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QRunnable, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

Success = Callable[[Any], None]
Failure = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits, Qt queues the call to the receiver's thread."""

    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # handed to the failure callback, never lost in the pool
            self._relay.failed.emit(exc)
        else:
            self._relay.succeeded.emit(result)


class Operation(QObject):
    """One background call. Keep a reference (``pending()`` does) until it finishes.

    ``cancelled`` is True once the user pressed Cancel on the progress dialog: the result is
    then dropped rather than shown (the work itself cannot be interrupted mid-transaction, and
    since it only reads, letting it finish is harmless).
    """

    finished = Signal()

    def __init__(self, on_success: Success, on_failure: Failure) -> None:
        super().__init__()
        self.cancelled = False
        self.done = False
        self._on_success = on_success
        self._on_failure = on_failure
        self._relay = _Relay()
        self._progress: QProgressDialog | None = None
        # Slots of a QObject living on the GUI thread: the worker's emits are queued to it.
        self._relay.succeeded.connect(self._succeeded)
        self._relay.failed.connect(self._failed)

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        if self.cancelled:
            return
        self._finish()
        self._on_success(result)

    @Slot(object)
    def _failed(self, exc: object) -> None:
        if self.cancelled:
            return
        self._finish()
        self._on_failure(exc)  # type: ignore[arg-type]

    def cancel(self) -> None:
        self.cancelled = True
        self._finish()

    def _finish(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        if not self.done:
            self.done = True
            _PENDING.discard(self)
            # Released when the event loop next turns, not here: this runs inside the queued call
            # Qt is delivering to this object, and dropping the last reference now would destroy
            # it mid-delivery (a segmentation fault, seen when a window is closed and another
            # opened while a read finishes).
            _FINISHED.append(self)
            if len(_FINISHED) == 1:
                QTimer.singleShot(0, _FINISHED.clear)
            self.finished.emit()


_PENDING: set[Operation] = set()
_FINISHED: list[Operation] = []


def pending() -> int:
    """How many operations have not finished yet (tests wait for this to reach 0)."""
    return len(_PENDING)


def run_in_background(
    fn: Callable[[], Any],
    on_success: Success,
    on_failure: Failure,
    *,
    parent: QWidget | None = None,
    label: str = "",
    pool: QThreadPool | None = None,
) -> Operation:
    """Run ``fn()`` on a worker thread; call ``on_success(result)`` or ``on_failure(exc)`` on the GUI thread.

    Args:
        fn: the work; it must not touch widgets.
        on_success: receives the return value of ``fn``.
        on_failure: receives the exception ``fn`` raised.
        parent: when given with ``label``, a progress dialog with Cancel appears if the work
            takes longer than half a second.
        label: what the progress dialog says ("Loading the register…").
        pool: the thread pool (default: the global one).
    """
    op = Operation(on_success, on_failure)
    _PENDING.add(op)
    if parent is not None and label:
        dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
        dialog.setWindowTitle("riskdesk")
        dialog.setAccessibleName(label)
        dialog.setMinimumDuration(500)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(op.cancel)
        op._progress = dialog

    (pool or QThreadPool.globalInstance()).start(_Job(fn, op._relay))
    return op


class AfterPaint(QObject):
    """Calls ``then`` once, just after ``widget`` is next painted (or after ``at_latest_ms``, should
    nothing paint it: a hidden tab, a minimised window); ``cancel()`` before then and it never is.

    For work that may wait until what the user asked to see is on screen. A worker started sooner
    takes the interpreter's lock from the GUI thread while it paints: Qt asks the Python model for
    every cell, and each ask waits up to the switch interval (5 ms) for the lock.
    """

    def __init__(self, widget: QWidget, then: Callable[[], None], *, at_latest_ms: int | None = None) -> None:
        super().__init__(widget)
        self._widget: QWidget | None = widget
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        if at_latest_ms is not None:
            QTimer.singleShot(at_latest_ms, self, self._call)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._then is not None:
            QTimer.singleShot(0, self, self._call)  # after this paint has reached the screen
        return False

    def cancel(self) -> None:
        """Never call ``then`` (and go: called or cancelled, it leaves nothing on the widget)."""
        self._then = None
        if self._widget is not None:
            self._widget.removeEventFilter(self)
            self._widget = None
            self.deleteLater()

    def _call(self) -> None:
        then = self._then
        self.cancel()
        if then is not None:
            then()


Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class Job(QObject):
    """One cancellable piece of work; its signals arrive on the GUI thread (queued connections).

    ``stop`` is set by ``cancel()``; the work sees it through its ``cancelled()`` callback.
    """

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    stopped = Signal()  # cancelled on request, nothing delivered

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stop = threading.Event()

    def cancel(self) -> None:
        self.stop.set()

    def start(self, fn: Work, *, pool: QThreadPool | None = None,
              cancel_errors: tuple[type[BaseException], ...] = ()) -> Job:
        """Run ``fn(progress, cancelled)`` on ``pool`` (default: the global one). Connect first: a
        quick ``fn`` may finish before a later connection is made.

        ``cancel_errors`` are exceptions that mean "stopped on request" (``stopped``, not ``failed``).
        """
        (pool or QThreadPool.globalInstance()).start(_JobRunnable(self, fn, cancel_errors))
        return self


class _JobRunnable(QRunnable):
    def __init__(self, job: Job, fn: Work, cancel_errors: tuple[type[BaseException], ...]) -> None:
        super().__init__()
        self.job, self.fn, self.cancel_errors = job, fn, cancel_errors
        self.setAutoDelete(True)

    def run(self) -> None:
        job = self.job
        try:
            result = self.fn(job.progress.emit, job.stop.is_set)
        except self.cancel_errors:
            job.stopped.emit()
        except BaseException as exc:  # the user needs to see it; the thread must not die silently
            job.failed.emit(exc)
        else:
            if job.stop.is_set():
                job.stopped.emit()
            else:
                job.succeeded.emit(result)
