"""The one date field of the window, and the date helpers every page uses.

A date is picked or typed in a ``QDateEdit`` with a calendar popup, shown as dd/mm/yyyy (the
council's way), so an impossible date such as 31/02 cannot be entered at all. Where a date may be
unknown (an SI's StEIS date, a PGD's review date) ``DateField(optional=True)`` puts a "known" tick
box beside it: unticked, the value is None and the date edit is greyed out.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

#: How dates are shown and typed everywhere in the window.
DISPLAY_FORMAT = "dd/MM/yyyy"


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def fmt_date(day: date | None) -> str:
    """31/01/2026, or "" for no date."""
    return day.strftime("%d/%m/%Y") if day else ""


def parse_date(text: str) -> date | None:
    """``31/01/2026``, ``31/1/26`` or ``2026-01-31``; empty text is None; anything else ValueError."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"“{text}” is not a date like 31/01/2026")


def date_edit(name: str, day: date | None = None) -> QDateEdit:
    """A date edit as every page has it: calendar popup, dd/mm/yyyy, named for screen readers."""
    edit = QDateEdit(to_qdate(day or date.today()))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DISPLAY_FORMAT)
    edit.setAccessibleName(name)
    return edit


class DateField(QWidget):
    """A date; with ``optional=True`` it may be left unset (a "known" tick box beside the date edit).

    ``value()`` is the date (None when unset), ``set_value`` shows one, ``changed`` says the user
    changed it. ``edit`` is the date edit, ``check`` the tick box (None for a required date).
    """

    changed = Signal()

    def __init__(self, name: str, default: date | None = None, parent: QWidget | None = None, *,
                 optional: bool = False) -> None:
        super().__init__(parent)
        self.field_name = name
        self.edit = date_edit(name[:1].upper() + name[1:], default)
        self.check: QCheckBox | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        if optional:
            self.check = QCheckBox()
            self.check.setAccessibleName(f"{name[:1].upper() + name[1:]} is known")
            self.check.setToolTip(f"Tick when the {name.lower()} is known")
            self.check.toggled.connect(self._toggled)
            self.edit.setEnabled(False)
            lay.addWidget(self.check)
            self.setFocusProxy(self.check)
        else:
            self.setFocusProxy(self.edit)
        lay.addWidget(self.edit)
        lay.addStretch(1)
        self.edit.dateChanged.connect(lambda _d: self.changed.emit() if self.is_set() else None)

    def is_set(self) -> bool:
        return self.check is None or self.check.isChecked()

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        self.changed.emit()

    def value(self) -> date | None:
        return to_date(self.edit.date()) if self.is_set() else None

    def set_value(self, value: date | None) -> None:
        """Show ``value`` (None: unset, for an optional date); ``changed`` is not emitted."""
        self.blockSignals(True)
        if value is not None:
            self.edit.setDate(to_qdate(value))
        if self.check is not None:
            self.check.setChecked(value is not None)
            self.edit.setEnabled(value is not None)
        self.blockSignals(False)
