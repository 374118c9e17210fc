"""Undo on a page: one stack per page, its buttons, and the command for a record changed through a service.

Each page owns a ``QUndoStack`` (``page_undo_stack``); the main window's ``QUndoGroup`` makes
the stack of the page shown the active one, so Edit ▸ Undo names what it will undo and Ctrl+Z
never reaches a page the user cannot see. A page exposes it as ``undo_stack``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QAbstractButton, QWidget

from riskdesk.domain.errors import RiskdeskError


def page_undo_stack(page: QWidget) -> QUndoStack:
    """The page's own undo stack (the window adds it to its undo group when the page is first shown)."""
    stack = QUndoStack(page)
    stack.setObjectName(f"undo:{page.objectName() or type(page).__name__}")
    return stack


def bind_undo_buttons(stack: QUndoStack, undo: QAbstractButton, redo: QAbstractButton, *,
                      undo_key: str = "Ctrl+Z") -> None:
    """Undo/Redo buttons on a page that follow its stack (enabled, and a tip naming the step).

    The keys stay the window's Edit ▸ Undo/Redo, acting on this stack while the page is shown.
    """
    undo.clicked.connect(stack.undo)
    redo.clicked.connect(stack.redo)
    stack.canUndoChanged.connect(undo.setEnabled)
    stack.canRedoChanged.connect(redo.setEnabled)
    stack.undoTextChanged.connect(lambda t: undo.setToolTip(f"Undo {t} ({undo_key})"))
    undo.setEnabled(stack.canUndo())
    redo.setEnabled(stack.canRedo())


class RecordCommand(QUndoCommand):
    """An undoable change to one record, carried out through a service.

    ``before``/``after`` are the record's drafts (None = the record does not exist). The first
    ``redo`` is skipped: the change was already saved when the command is pushed.

    ``versions`` is shared by all commands of a page: the version each record had after this
    page's own last change to it. Undo sends that as the expected version, so several undos
    of one record chain, while a change someone else made in between is still refused.
    """

    def __init__(self, text: str, *, kind: str, record_id: int | None, version: int | None, before: Any,
                 after: Any, add: Callable[[Any], Any] | None, update: Callable[[int, Any, int], Any],
                 delete: Callable[[int, int], None] | None, done: Callable[[str | None], None],
                 versions: dict[tuple[str, int], int]) -> None:
        super().__init__(text)
        self.kind, self.record_id = kind, record_id
        self.before, self.after = before, after
        self._add, self._update, self._delete, self._done = add, update, delete, done
        self._versions = versions
        if record_id is not None and version is not None:
            versions[(kind, record_id)] = version
        self._first = True

    @property
    def version(self) -> int:
        return self._versions.get((self.kind, int(self.record_id or 0)), 0)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._go(self.before, self.after)

    def undo(self) -> None:
        self._go(self.after, self.before)

    def _go(self, frm: Any, to: Any) -> None:
        try:
            if frm is None and self._add is not None:
                row = self._add(to)
                self.record_id = row.id
                self._versions[(self.kind, row.id)] = row.version
            elif to is None and self._delete is not None:
                self._delete(int(self.record_id or 0), self.version)
            else:
                row = self._update(int(self.record_id or 0), to, self.version)
                self._versions[(self.kind, row.id)] = row.version
        except RiskdeskError as exc:
            self.setObsolete(True)  # the stack drops a command that can no longer be carried out
            self._done(f"Could not {self.text().lower()}: {exc}")
            return
        self._done(None)


class FollowingCommand(RecordCommand):
    """A ``RecordCommand`` whose record a redo may recreate under a new id; later steps follow it."""

    def __init__(self, text: str, *, ids: dict[tuple[str, int], int], done: Callable[[str | None], None],
                 **kw: Any) -> None:
        self._ids, self._verb = ids, "redo"

        def said(message: str | None) -> None:  # "Could not undo …", not "Could not …" as if redoing
            done(message.replace("Could not ", f"Could not {self._verb} ", 1) if message else None)

        super().__init__(text, done=said, **kw)

    def undo(self) -> None:
        self._verb = "undo"
        super().undo()

    def redo(self) -> None:
        self._verb = "redo"
        super().redo()

    def _go(self, frm: Any, to: Any) -> None:
        old = self.record_id
        while old is not None and (self.kind, old) in self._ids:
            old = self._ids[(self.kind, old)]
        self.record_id = old
        super()._go(frm, to)
        if old is not None and self.record_id is not None and self.record_id != old:
            self._ids[(self.kind, old)] = self.record_id
