"""What the import wizard's pages share: field labels, colours, and the Task that reads off the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Signal
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.errors import RiskdeskError
from riskdesk.ui.kit.jobs import Job

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


ROLES = (("current", "Current score"), ("target", "Target score"),
         ("inherent", "Inherent score (its own field, never a past quarter)"), (None, "Not imported"))


ERROR_BRUSH = QBrush(QColor("#f8d0d0"))


WARNING_BRUSH = QBrush(QColor("#fdefc8"))


HEADER_BRUSH = QBrush(QColor("#dce8f5"))


class Task(Job):
    """The wizard's background step, on the kit's Job: ``fn(task)`` may call :meth:`report` for
    progress and should check :meth:`cancelled` between steps; its result or error arrives as
    ``succeeded`` / ``failed`` on the GUI thread (also after Cancel: the wizard decides what to show).

    Each task opens its own database sessions through the services, so nothing is shared with
    the GUI thread but frozen rows.
    """

    progressed = Signal(int, int)

    def __init__(self, fn: Callable[[Task], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fn = fn
        self._cancel = threading.Event()  # not Job.stop: a cancelled task still delivers its result
        self._running = False
        self.progress.connect(self.progressed)
        for ended in (self.succeeded, self.failed, self.stopped):
            ended.connect(self._ended)

    def _ended(self, *_: object) -> None:
        self._running = False

    def start(self, *_: object, **__: object) -> Task:  # type: ignore[override]
        self._running = True
        super().start(lambda _progress, _cancelled: self._fn(self))
        return self

    def report(self, done: int, total: int) -> None:
        self.progress.emit(done, total)  # from the worker: queued to the GUI thread

    def cancel(self) -> None:
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return self._running


def _message(exc: BaseException) -> str:
    if isinstance(exc, RiskdeskError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:  # the disk or the file, not a bug: say which
        where = f" {exc.filename}" if exc.filename else ""
        return f"The file{where} could not be written or read: {exc.strerror}. Nothing was changed."
    return f"Something unexpected went wrong: {exc.__class__.__name__}: {exc}. Nothing was changed."
