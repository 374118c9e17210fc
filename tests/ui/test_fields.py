"""kit/fields: the window's one date field — typed or picked as dd/mm/yyyy, empty where allowed."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDateTimeEdit

from riskdesk.ui.kit.fields import DateField, fmt_date, parse_date


def _type(qtbot, field: DateField, text: str) -> None:
    edit = field.edit
    edit.setFocus()
    edit.setSelectedSection(QDateTimeEdit.Section.DaySection)  # where the cursor starts when tabbed into
    QTest.keyClicks(edit, text.replace("/", ""))  # two digits fill a section and move on to the next


def test_a_date_typed_as_dd_mm_yyyy(qtbot):
    field = DateField("re-audit due", date(2025, 1, 1))
    qtbot.addWidget(field)
    field.show()
    changes = []
    field.changed.connect(lambda: changes.append(field.value()))
    _type(qtbot, field, "31/12/2025")
    assert field.edit.displayFormat() == "dd/MM/yyyy" and field.edit.calendarPopup()
    assert field.value() == date(2025, 12, 31) and changes[-1] == date(2025, 12, 31)


def test_an_impossible_date_cannot_be_entered(qtbot):
    field = DateField("expiry", date(2026, 1, 1))
    qtbot.addWidget(field)
    field.show()
    _type(qtbot, field, "31/02/2026")
    day = field.value()
    print(f"typed 31/02/2026, the field holds {fmt_date(day)}")
    assert day == date(2026, 2, 28)  # a real date the user sees, never a 31 February


def test_an_optional_date_may_be_left_empty(qtbot):
    field = DateField("review due", date(2026, 1, 15), optional=True)
    qtbot.addWidget(field)
    field.show()
    assert field.value() is None and not field.edit.isEnabled()
    qtbot.mouseClick(field.check, Qt.MouseButton.LeftButton)  # ticks "known"
    assert field.value() == date(2026, 1, 15) and field.edit.isEnabled()
    field.set_value(None)
    assert field.value() is None and not field.check.isChecked()
    assert field.check.accessibleName() == "Review due is known"


def test_date_helpers():
    assert fmt_date(date(2026, 1, 31)) == "31/01/2026" and fmt_date(None) == ""
    assert parse_date("31/1/26") == date(2026, 1, 31) and parse_date(" ") is None
    with pytest.raises(ValueError, match="is not a date like 31/01/2026"):
        parse_date("31/02/2026")
