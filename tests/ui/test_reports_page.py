"""The Reports page: create a cycle, read its movements, present it, preview, save, print, cancel."""

from __future__ import annotations

import time
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QDate, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from riskdesk.reports._common import ReportCancelled
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.reports.page import ReportsPage
from riskdesk.ui.reports.table_model import CycleCol, CycleTableModel


@pytest.fixture
def page(qtbot, published, admin):
    p = ReportsPage(published, admin)
    qtbot.addWidget(p)
    p.resize(1280, 760)
    p.show()
    yield p
    p.cancel()
    p.wait_for_idle()


def _select(page, meeting: date) -> None:
    row = next(r for r in page.model.rows() if r.meeting_date == meeting)
    page.select_cycle(row.id)
    assert page.current_cycle().id == row.id


def test_model_passes_qt_checks(qtmodeltester, published, admin):
    model = CycleTableModel()
    model.set_rows(published.cycles.list(admin))
    qtmodeltester.check(model)
    assert model.index(0, CycleCol.STATUS).data() == "Draft"
    assert model.index(1, CycleCol.MEETING).data() == "22 September 2023"


def test_opens_on_the_draft_with_its_movements(page):
    cycle = page.current_cycle()
    assert cycle.meeting_date == date(2023, 11, 17) and not cycle.presented
    text = page.view.movements_view.toPlainText()
    assert "Movements since the register was last presented (22 September 2023)" in text
    for ref in ("1.1 ALL", "1.5 C&FS (Children's Social Care)", "1.6 C&FS", "1.9 ALL", "1.12 CE"):
        assert ref in text
    assert "Rationale – The description has changed to include a specific reference to the Homes for Ukraine" in text
    assert page.view.present_button.isEnabled()


def test_create_present_preview_save_and_print(qtbot, page, published, admin, tmp_path, monkeypatch):
    # Present November first (confirmation shows the movements, accepted through its buttons).
    dialog = page.confirm_present()
    assert "Change from:" in dialog.movements.toPlainText()
    with qtbot.waitSignal(page.presented):
        dialog.present_button.click()
    nov = next(c for c in published.cycles.list(admin) if c.meeting_date == date(2023, 11, 17))
    assert nov.presented and len(nov.snapshot_sha256) == 64
    assert not page.view.present_button.isEnabled()

    # A new cycle for January 2024: the defaults follow the date.
    page.view.new_button.click()
    new = page.new_cycle_dialog
    new.meeting.setDate(QDate(2024, 1, 26))
    assert new.title.placeholderText() == "Corporate Risk Register Update (January 2024)"
    assert new.heading.placeholderText() == "Update December 2023"
    with qtbot.waitSignal(page.cycleCreated) as created:
        new.buttons.accepted.emit()
    jan = published.cycles.get(admin, created.args[0])
    assert (jan.title, jan.update_heading, jan.previous_id) == (
        "Corporate Risk Register Update (January 2024)", "Update December 2023", nov.id)
    assert page.current_cycle().id == jan.id
    assert "Risk(s) amended" in page.view.movements_view.toPlainText()

    # Preview the presented November appendix inside the window.
    _select(page, date(2023, 11, 17))
    with qtbot.waitSignal(page.previewReady, timeout=60000) as ready:
        page.view.preview_button.click()
    assert ready.args[0] > 0 and page.view.pdf_document.pageCount() == ready.args[0]

    # Save as PDF and as Word, with sensible default names.
    asked = []

    def fake_save(parent, caption, suggested, filters):
        asked.append(suggested)
        ext = ".pdf" if "PDF" in filters else ".docx"
        return str(tmp_path / f"appendix{ext}"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    with qtbot.waitSignal(page.saved, timeout=60000) as saved_pdf:
        page.view.save_pdf_button.click()
    assert asked[-1].endswith("Appendix A - Corporate Risk Register Update (November 2023).pdf")
    pdf = tmp_path / "appendix.pdf"
    assert saved_pdf.args[0] == str(pdf)
    assert len(PdfReader(str(pdf)).pages) == ready.args[0]
    with qtbot.waitSignal(page.saved, timeout=60000):
        page.view.save_word_button.click()
    assert asked[-1].endswith("Appendix A - Corporate Risk Register Update (November 2023).docx")
    assert (tmp_path / "appendix.docx").read_bytes()[:2] == b"PK"

    # Printing sends every previewed page to the printer in the background (a PDF printer here: no dialog).
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    with qtbot.waitSignal(page.printed, timeout=60000) as printed:
        task = page.print_to(printer)
    assert task.outcome is not None and task.outcome.pages == ready.args[0], printed.args
    assert len(PdfReader(str(tmp_path / "printed.pdf")).pages) == ready.args[0]


def test_part_b_preview_holds_only_exempt_risks(qtbot, page, published, admin, corporate_id):
    from riskdesk.domain.risk_detail import RiskChange

    row = next(r for r in published.risks.list_risks(admin, corporate_id) if r.ref == "9.4")
    published.risks.amend_risk(admin, row.id, RiskChange(exempt=True), expected_version=row.version)
    page.view.part_combo.setCurrentIndex(page.view.part_combo.findData("B"))
    with qtbot.waitSignal(page.previewReady, timeout=60000):
        page.view.preview_button.click()
    doc = page.view.pdf_document
    text = " ".join(doc.getAllText(i).text() for i in range(doc.pageCount()))
    assert "9.4" in text and "NOT FOR PUBLICATION" in text
    assert "cost of living crisis" not in text.lower()


def test_a_slow_build_can_be_cancelled(qtbot, page, published, monkeypatch):
    started = []

    def slow(actor, cycle_id, out, *, part="A", fmt=None, include_movements=True, progress=None, cancelled=None):
        started.append(cycle_id)
        for i in range(1000):
            if cancelled():
                raise ReportCancelled("stopped")
            progress(i, 1000)
            time.sleep(0.01)
        raise AssertionError("the build was never cancelled")

    monkeypatch.setattr(published.cycles, "write_appendix", slow)
    page.view.preview_button.click()
    qtbot.waitUntil(lambda: bool(started) and page.view.progress_bar.maximum() == 1000, timeout=10000)
    assert page.busy() and page.view.cancel_button.isVisible() and not page.view.preview_button.isEnabled()
    with qtbot.waitSignal(page.buildCancelled, timeout=10000):
        page.view.cancel_button.click()
    assert not page.busy() and page.view.preview_button.isEnabled()
    assert page.view.pdf_document.pageCount() == 0
    assert "Cancelled" in page.view.status_label.text()


def test_reports_tab_in_the_main_window(qtbot, published, admin):
    window = MainWindow(published, admin)
    qtbot.addWidget(window)
    page = window.page("Reports")
    assert isinstance(page, ReportsPage)
    assert page.model.rowCount() == 2


def test_the_preview_zooms_with_keys_and_fits_the_width_again(qtbot, page):
    """Ctrl++ and Ctrl+- zoom the appendix preview; Ctrl+0 fits the width again."""
    from PySide6.QtPdfWidgets import QPdfView

    with qtbot.waitSignal(page.previewReady, timeout=60000):
        page.view.preview_button.click()
    view = page.view.pdf_view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoomMode() == QPdfView.ZoomMode.Custom
    before = view.zoomFactor()
    qtbot.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.zoomFactor() > before and page.view.zoom_label.text().endswith("%")
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert abs(view.zoomFactor() - before) < 0.01
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.zoomMode() == QPdfView.ZoomMode.FitToWidth and page.view.zoom_label.text() == "Fit width"
