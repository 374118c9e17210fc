"""A date the user may leave unset: a check box beside a date edit."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


class OptionalDate(QWidget):
    changed = Signal()

    def __init__(self, label: str, default: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox()
        self.check.setAccessibleName(f"{label} is known")
        self.edit = QDateEdit(qdate(default))
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
        return pydate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.blockSignals(True)
        if value is not None:
            self.edit.setDate(qdate(value))
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.blockSignals(False)
