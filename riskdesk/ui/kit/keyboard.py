"""Keyboard helpers: an explicit Tab order, window shortcuts text boxes must not swallow, labels with buddies."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QWidget


def _takes_tab(w: QWidget) -> bool:
    return (w.isVisible() and w.isEnabled()
            and bool(w.focusPolicy().value & Qt.FocusPolicy.TabFocus.value))


def step_focus(order: Iterable[QWidget | None], forward: bool) -> bool:
    """Move focus to the next (or previous) usable widget of ``order`` after the one holding focus.

    For a page's ``focusNextPrevChild``: Qt's own chain follows creation order (and a page built
    before its window exists keeps it), so a page that wants "table, filters, editor, Save" says
    so here. False when focus is not in ``order`` or is at its end: Qt's chain then takes over,
    so Tab still leaves the page.
    """
    usable = [w for w in order if w is not None and _takes_tab(w)]
    focus = QApplication.focusWidget()
    here = next((i for i, w in enumerate(usable) if focus is w or (focus is not None and w.isAncestorOf(focus))), None)
    if here is None:
        return False
    there = here + (1 if forward else -1)
    if not 0 <= there < len(usable):
        return False
    usable[there].setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
    return True


class _LetThrough(QObject):
    """Stops a widget claiming these key sequences, so the window's shortcut gets them."""

    def __init__(self, widget: QWidget, sequences: Iterable[QKeySequence]) -> None:
        super().__init__(widget)
        self._sequences = [s for s in sequences if not s.isEmpty()]

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination())
            if any(pressed.matches(s) == QKeySequence.SequenceMatch.ExactMatch for s in self._sequences):
                # Not accepted: Qt then offers the key to the shortcuts (a line edit would take
                # Ctrl+E as "end of line" on X11 and the window's Export would never see it).
                event.ignore()
                return True
        return False


def let_shortcuts_through(widget: QWidget, sequences: Iterable[QKeySequence]) -> None:
    """Keys the window's actions answer to work while ``widget`` (a text box) has focus."""
    widget.installEventFilter(_LetThrough(widget, sequences))


def field_label(text: str, buddy: QWidget) -> QLabel:
    """A label naming ``buddy``: a screen reader reads it as the field's name, and its &letter goes there."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
