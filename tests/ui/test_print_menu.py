"""File ▸ Print (Ctrl+P, a real key event) on every page with a printable report.

The print dialog is answered as a user would: Qt's PDF printer to a file, pages 1 to 1. What
comes out is read back: one page, of the right report.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from riskdesk.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, published, admin):
    w = MainWindow(published, admin, background=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    return w


@pytest.fixture
def answered(monkeypatch, tmp_path) -> list[dict[str, object]]:
    """The print dialog, answered: a PDF file, pages 1–1 (or Cancel when ``answer`` says so)."""
    asked: list[dict[str, object]] = []

    def exec_(dialog: QPrintDialog) -> int:
        printer = dialog.printer()
        out = tmp_path / f"printed-{len(asked) + 1}.pdf"
        asked.append({"title": dialog.windowTitle(), "min": dialog.minPage(), "max": dialog.maxPage(), "out": out})
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setResolution(150)
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(1, 1)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", exec_)
    return asked


def _show(window: MainWindow, title: str):
    page = window.page(title)
    window.tabs.setCurrentIndex(next(i for i in range(window.tabs.count())
                                     if window.tabs.tabText(i).replace("&", "") == title))
    return page


def _ctrl_p(qtbot, window: MainWindow, target) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    target.setFocus()
    QTest.keyClick(target, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)


def _printed(qtbot, page, asked) -> tuple[str, int, str]:
    qtbot.waitUntil(lambda: bool(asked) and page.print_task is not None and not page.print_task.busy, timeout=120000)
    assert page.print_task.outcome is not None, "nothing was printed"
    out: Path = asked[-1]["out"]  # type: ignore[assignment]
    reader = PdfReader(str(out))
    return str(asked[-1]["title"]), len(reader.pages), page.print_task.outcome.message()


def test_ctrl_p_prints_page_1_of_the_appendix(qtbot, window, answered):
    page = _show(window, "Reports")
    _ctrl_p(qtbot, window, page.view.cycles_table)
    title, pages, message = _printed(qtbot, page, answered)
    total = page.view.pdf_document.pageCount()
    print(f"appendix: {total} pages previewed, pages 1-1 asked, {pages} printed")
    assert title == "Print appendix" and answered[-1]["max"] == total > 1
    assert pages == 1
    assert page.view.status_label.text() == message and "Sent 1 page(s)" in message


def test_ctrl_p_prints_the_si_report(qtbot, window, answered):
    page = _show(window, "Incidents")
    _ctrl_p(qtbot, window, page.table)
    title, pages, _ = _printed(qtbot, page, answered)
    assert title == "Print SI report" and pages == 1


@pytest.mark.parametrize(("tab", "title"), [(0, "Print the audits appendix"), (2, "Print the PGD schedule")])
def test_ctrl_p_prints_the_clinical_report_of_the_tab(qtbot, window, answered, tab, title):
    page = _show(window, "Clinical governance")
    page.tabs.setCurrentIndex(tab)
    _ctrl_p(qtbot, window, page.tabs.currentWidget())
    got, pages, _ = _printed(qtbot, page, answered)
    assert got == title and pages == 1


def test_print_is_offered_only_where_there_is_a_report(qtbot, window):
    action = next(a for a in window.findChildren(QAction) if a.objectName() == "action:print")
    seen = {}
    for title in ("Register", "Reports", "Incidents", "Clinical governance"):
        _show(window, title)
        seen[title] = (action.isEnabled(), action.text())
    print(seen)
    assert seen["Reports"] == (True, "&Print appendix…")
    assert seen["Incidents"] == (True, "&Print SI report…")
    assert seen["Clinical governance"] == (True, "&Print clinical report…")
