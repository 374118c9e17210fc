"""Background operations: run a callable off the GUI thread, get the result back on it.

Services open their own session per call, so a worker may call them directly. The callbacks
always run on the GUI thread (they are delivered through a queued signal), so they may touch
widgets. A busy indicator shows in the window's status bar while work is under way; a
``QProgressDialog`` with Cancel is offered for work the user may give up on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot
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
            self.finished.emit()


_PENDING: set[Operation] = set()


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
