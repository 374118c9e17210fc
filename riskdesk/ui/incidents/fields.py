"""Fields of the incident editor: dates, and the undo command a field edit makes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QWidget,
)

from riskdesk.domain.incidents import (
    ClockBand,
)

if TYPE_CHECKING:
    pass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riskdesk.ui.incidents.dialog import IncidentDialog


BAND_STYLE = {
    ClockBand.OVERDUE: "background:#f4c7c3; color:#7a1010;",
    ClockBand.DUE_SOON: "background:#fde9b8; color:#5c4300;",
    ClockBand.ON_TRACK: "background:#d4ecd4; color:#1d4d1d;",
    ClockBand.MET: "background:#e8e8e8; color:#404040;",
}


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _fmt(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


class DateField(QWidget):
    """A date that may be left unset: a check box beside a date edit."""

    changed = Signal()

    def __init__(self, label: str, default: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox()
        self.check.setAccessibleName(f"{label} is known")
        self.check.setToolTip(f"Tick when the {label.lower()} is known")
        self.edit = QDateEdit(_qdate(default))
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setAccessibleName(label)
        self.edit.setEnabled(False)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.check)
        lay.addWidget(self.edit)
        lay.addStretch(1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(lambda _d: self.changed.emit() if self.check.isChecked() else None)

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        self.changed.emit()

    def value(self) -> date | None:
        return _pydate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.blockSignals(True)
        if value is not None:
            self.edit.setDate(_qdate(value))
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.blockSignals(False)


class FieldCommand(QUndoCommand):
    """A change of one editor field; consecutive typing in one field merges into one step."""

    def __init__(self, dialog: IncidentDialog, name: str, old: Any, new: Any, merge: bool) -> None:
        super().__init__(f"Edit {name.replace('_', ' ')}")
        self.dialog, self.name, self.old, self.new, self.merge = dialog, name, old, new, merge

    def id(self) -> int:
        return (hash(self.name) & 0x7FFFFFF) if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FieldCommand) or other.name != self.name:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.dialog._put(self.name, self.new)

    def undo(self) -> None:
        self.dialog._put(self.name, self.old)


@dataclass
class _Field:
    get: Callable[[], Any]
    set: Callable[[Any], None]
    merge: bool = False
