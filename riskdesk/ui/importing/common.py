"""What the import wizard's pages share: field labels, colours, and the Task that reads off the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.errors import RiskdeskError

Index = QModelIndex | QPersistentModelIndex


FIELD_LABELS: dict[str, str] = {
    "ref": "Reference",
    "description": "Risk description",
    "effects": "Effects (added to the description)",
    "category": "Category",
    "departments": "Department(s)",
    "owner": "Risk owner",
    "current_impact": "Current impact",
    "current_likelihood": "Current likelihood",
    "current_score": "Current score (checked)",
    "target_impact": "Target impact",
    "target_likelihood": "Target likelihood",
    "target_score": "Target score (checked)",
    "inherent_impact": "Inherent impact",
    "inherent_likelihood": "Inherent likelihood",
    "inherent_score": "Inherent score (checked)",
    "score_note": "Note under the current score",
    "other_lines": "Other scoring lines",
    "direction": "Direction of travel",
    "direction_text": "Direction words (as printed)",
    "update": "Update",
    "mitigation": "Mitigation (kept in the update)",
    "actions": "Actions (kept in the update)",
    "comments": "Comments (kept in the update)",
    "ignore": "— not imported —",
}


SET_LABELS = {"current": "current", "target": "target", "inherent": "inherent (before controls)"}


ROLES = (("current", "Current score"), ("target", "Target score"), ("inherent", "Kept as history"),
         (None, "Not imported"))


ERROR_BRUSH = QBrush(QColor("#f8d0d0"))


WARNING_BRUSH = QBrush(QColor("#fdefc8"))


HEADER_BRUSH = QBrush(QColor("#dce8f5"))


class Task(QObject):
    """Run ``fn(task)`` on a worker thread; results come back as signals on the GUI thread.

    ``fn`` may call :meth:`report` for progress and should check :meth:`cancelled` between steps.
    Each task opens its own database sessions through the services, so nothing is shared with
    the GUI thread but frozen rows. The worker emits private signals that are relayed by slots of
    this object, which lives in the GUI thread, so listeners always run there.
    """

    succeeded = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int)
    _finished = Signal(bool, object)
    _reported = Signal(int, int)

    def __init__(self, fn: Callable[[Task], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._cancel = threading.Event()
        self._thread: threading.Thread | None = None
        self._finished.connect(self._relay_finished, Qt.ConnectionType.QueuedConnection)
        self._reported.connect(self._relay_progress, Qt.ConnectionType.QueuedConnection)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="riskdesk-import", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            result = self._fn(self)
        except BaseException as exc:  # handed to the GUI thread, which shows it
            self._finished.emit(False, exc)
        else:
            self._finished.emit(True, result)

    @Slot(bool, object)
    def _relay_finished(self, ok: bool, value: object) -> None:
        (self.succeeded if ok else self.failed).emit(value)

    @Slot(int, int)
    def _relay_progress(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    def report(self, done: int, total: int) -> None:
        self._reported.emit(done, total)

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()


def _message(exc: BaseException) -> str:
    if isinstance(exc, RiskdeskError):
        return str(exc)
    return f"Something unexpected went wrong: {exc.__class__.__name__}: {exc}. Nothing was changed."
