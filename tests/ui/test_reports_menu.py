"""Reports ▸ Casework reports, by keyboard: Alt+T, C, C writes the complaints annual report for a year.

The year is chosen in riskdesk's own question (answered with keys); the file name comes from the
operating system's file chooser, which is not riskdesk's to test and is stood in for. The PDF is read
back with ``pdftotext``.
"""

from __future__ import annotations

import subprocess
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QMenu, QWidget

from riskdesk.domain.register import Actor
from riskdesk.ui.kit.actions import ActionId
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.reports.casework_menu import REPORT_NEEDS, financial_years
from tests.conftest import requires_pdftotext
from tests.ui.uihelpers import DialogAnswers

ALT = Qt.KeyboardModifier.AltModifier
NONE = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def demo(services, admin):
    services.demo().load(admin)
    return services


def _window(qtbot, services, actor: Actor) -> MainWindow:
    w = MainWindow(services, actor, background=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    w.register_page.table.setFocus()
    return w


def _open_menu(qtbot, w: MainWindow, *keys: Qt.Key) -> QMenu:
    """Alt+T, then each key in the menu that is open; returns the last menu opened."""
    QTest.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_T, ALT)
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    for key in keys:
        QTest.keyClick(menu, key, NONE)
        QApplication.processEvents()
        if isinstance(QApplication.activePopupWidget(), QMenu):
            menu = QApplication.activePopupWidget()
    return menu


def _choose_year(year: str):
    """Answer the year question with keys: arrows through the list to ``year``, then Return."""
    def answer(dialog: QWidget) -> None:
        combo = dialog.findChild(QComboBox)
        combo.setFocus()
        QTest.keyClick(combo, Qt.Key.Key_Home, NONE)
        for _ in range(combo.count()):
            if combo.currentText() == year:
                break
            QTest.keyClick(combo, Qt.Key.Key_Down, NONE)
        assert combo.currentText() == year
        QTest.keyClick(combo, Qt.Key.Key_Return, NONE)
    return answer


@requires_pdftotext
def test_complaints_annual_report_from_the_reports_menu(qtbot, demo, admin, tmp_path, monkeypatch):
    # The demo's year: the financial year most of its complaints were received in.
    rows = demo.complaints.list_complaints(admin, today=date.today())
    years = [financial_years(r.received_on, 1)[0] for r in rows]
    year = max(set(years), key=years.count)
    assert year in financial_years(date.today())
    out = tmp_path / "complaints.pdf"
    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda _parent, caption, *a, **k: (asked.append(caption), (str(out), ""))[1]))
    w = _window(qtbot, demo, admin)
    answers = DialogAnswers().queue(_choose_year(year))

    menu = _open_menu(qtbot, w, Qt.Key.Key_C)  # &Casework reports ▸
    assert menu.title() == "&Casework reports"
    QTest.keyClick(menu, Qt.Key.Key_C, NONE)  # &Complaints annual report…

    qtbot.waitUntil(lambda: out.exists() or bool(answers.errors), timeout=60000)
    assert not answers.errors, answers.errors
    assert asked == ["Save the complaints annual report"]
    assert out.read_bytes()[:5] == b"%PDF-"
    assert not list(tmp_path.glob(".*writing*")), "the partial file is left behind"
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    start = int(year[:4])
    assert f"Corporate Complaints & Compliments Annual Report {start} - {start + 1}" in " ".join(text.split())


def test_each_casework_report_is_in_the_menu_and_refused_roles_are_told_why(qtbot, demo, admin):
    demo.registers.add_user(admin, "walk.owner", "Walk Owner", "risk_owner")
    w = _window(qtbot, demo, Actor("walk.owner"))
    menu = _open_menu(qtbot, w, Qt.Key.Key_C)
    titles = [a.text() for a in menu.actions()]
    print(f"Casework reports ▸ {titles}")
    assert titles == ["&Complaints annual report…", "Committee &item 8 (complaints)…", "&Ombudsman annual report…",
                      "&FOI/EIR annual report…"]
    menu.close()
    offered = [id for id in REPORT_NEEDS if w.actions_by_id[id].isEnabled()]
    untold = [id for id in REPORT_NEEDS if not w.actions_by_id[id].isEnabled()
              and w.actions_by_id[id].toolTip() == w.actions_by_id[id].statusTip()]
    print(f"reports offered to a risk owner: {len(offered)} {offered}; disabled without a reason: {len(untold)}")
    assert offered == []
    assert untold == []
    assert w.actions_by_id[ActionId.SHOW_REPORTS].isEnabled()  # everyone may see the appendix


def test_cancelled_report_leaves_no_file(qtbot, demo, admin, tmp_path, monkeypatch):
    """Cancel (the progress dialog's button calls ``job.cancel``) as soon as the work has started: whenever it
    lands, before or after the worker finished writing, neither the report nor its partial file remains."""
    out = tmp_path / "ombudsman.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    w = _window(qtbot, demo, admin)
    answers = DialogAnswers().queue(_choose_year(financial_years(date.today())[1]))
    menu = _open_menu(qtbot, w, Qt.Key.Key_C)
    QTest.keyClick(menu, Qt.Key.Key_O, NONE)  # &Ombudsman annual report…
    job = w.reports_menu.job
    assert job is not None and not answers.errors
    job.cancel()
    qtbot.waitUntil(lambda: w.reports_menu.job is None, timeout=60000)
    left = sorted(p.name for p in tmp_path.iterdir() if "ombudsman" in p.name)
    print(f"files left after Cancel: {len(left)} {left}")
    assert left == []
