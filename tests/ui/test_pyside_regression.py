"""PySide6 6.12.0 aborts CPython 3.11 (none_dealloc) after ~5,000 calls returning None; we pin below it."""

import PySide6
from PySide6.QtWidgets import QLabel


def test_pinned_below_the_broken_release():
    major, minor = (int(x) for x in PySide6.__version__.split(".")[:2])
    assert (major, minor) < (6, 12), PySide6.__version__


def test_twenty_thousand_calls_returning_none_do_not_abort(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    for i in range(20_000):
        label.setText(str(i))
    assert label.text() == "19999"
