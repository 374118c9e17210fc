"""kit/printing: a PDF onto a printer — the page range honoured, raster pages one at a time, Cancel.

Qt's own PDF printer stands in for a real one (it takes the raster path, as a Windows printer
would); the CUPS route is checked through the command it would run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QPushButton, QWidget

from riskdesk.ui.kit import printing
from riskdesk.ui.kit.printing import PrintTask, chosen_pages, print_pdf, vector_command


def long_pdf(path: Path, pages: int) -> Path:
    """A generated landscape PDF of ``pages`` pages, each saying its number."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=landscape(A4))
    for i in range(pages):
        c.setFont("Helvetica", 24)
        c.drawString(72, 480, f"Page {i + 1} of {pages}")
        c.rect(72, 72, 600, 360)
        c.showPage()
    c.save()
    return path


def pdf_printer(out: Path, dpi: int = 150) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    printer.setResolution(dpi)
    return printer


def test_the_page_range_chosen_is_what_prints(qtbot, tmp_path):
    pdf = long_pdf(tmp_path / "long.pdf", 12)
    printer = pdf_printer(tmp_path / "printed.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(3, 5)
    pages = chosen_pages(printer, 12)
    assert pages == [2, 3, 4]
    seen: list[tuple[int, int]] = []
    outcome = print_pdf(printer, pdf, pages, 12, lambda d, t: seen.append((d, t)), lambda: False, raster=True)
    assert (outcome.pages, outcome.route) == (3, "raster")
    assert seen[-1] == (3, 3)
    printed = PdfReader(str(tmp_path / "printed.pdf"))
    print(f"pages 3-5 of 12: {len(printed.pages)} printed")
    assert len(printed.pages) == 3
    # Every page chosen when the dialog leaves "All" set.
    printer.setPrintRange(QPrinter.PrintRange.AllPages)
    assert chosen_pages(printer, 12) == list(range(12))


def test_print_to_file_copies_the_chosen_pages_as_they_are(qtbot, tmp_path):
    """Qt's PDF printer takes the PDF itself: the pages chosen, text still text."""
    pdf = long_pdf(tmp_path / "long.pdf", 473)
    printer = pdf_printer(tmp_path / "printed.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(470, 473)
    outcome = print_pdf(printer, pdf, chosen_pages(printer, 473), 473, lambda d, t: None, lambda: False)
    assert (outcome.route, outcome.pages) == ("vector", 4)
    texts = [page.extract_text().strip() for page in PdfReader(str(tmp_path / "printed.pdf")).pages]
    assert texts == [f"Page {n} of 473" for n in range(470, 474)]


def test_raster_pages_carry_the_content(qtbot, tmp_path):
    """A printed page is the report's page, not a blank sheet: dark pixels where the text is."""
    from PySide6.QtPdf import QPdfDocument

    pdf = long_pdf(tmp_path / "one.pdf", 1)
    printer = pdf_printer(tmp_path / "printed.pdf", dpi=100)
    print_pdf(printer, pdf, [0], 1, lambda d, t: None, lambda: False, raster=True)
    doc = QPdfDocument()
    doc.load(str(tmp_path / "printed.pdf"))
    from PySide6.QtCore import QSize

    image = doc.render(0, QSize(842, 595))
    dark = sum(1 for x in range(0, 842, 2) for y in range(0, 595, 2)
               if image.pixelColor(x, y).alpha() > 200 and image.pixelColor(x, y).lightness() < 128)
    white = sum(1 for x in range(0, 842, 2) for y in range(0, 595, 2)
                if image.pixelColor(x, y).alpha() > 200 and image.pixelColor(x, y).lightness() > 200)
    print(f"white sample pixels: {white}")
    assert white > 100_000 * 0.8  # a white page…
    print(f"dark sample pixels on the printed page: {dark}")
    assert 100 < dark < 5000  # …with the text and the box on it


def test_a_473_page_print_can_be_cancelled(qtbot, tmp_path):
    from PySide6.QtCore import QThreadPool

    # Start from an idle pool: work an earlier test's window left running would hold the GIL and delay
    # the events this test waits for (a full CI run timed out here once); the cap is not a timing goal.
    QThreadPool.globalInstance().waitForDone(120000)
    pdf = long_pdf(tmp_path / "long.pdf", 473)
    host = QWidget()
    qtbot.addWidget(host)
    task = PrintTask(host, "Print")
    printer = pdf_printer(tmp_path / "printed.pdf", dpi=300)
    progress: list[int] = []
    messages: list[str] = []
    task.finished.connect(messages.append)
    job = task.start(printer, pdf, list(range(473)), 473, raster=True)  # what a Windows printer gets
    job.progress.connect(lambda done, _total: progress.append(done))
    dialog = task.progress_dialog
    assert dialog is not None  # progress with a Cancel button
    qtbot.waitUntil(lambda: len(progress) >= 2 and dialog.isVisible(), timeout=120000)  # pages are going out
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    with qtbot.waitSignal(task.finished, timeout=120000):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)  # the user presses Cancel
    printed = max(progress)
    print(f"cancelled after {printed} of 473 pages")
    assert messages == ["Printing was cancelled: the rest of the pages were not sent."]
    assert 0 < printed < 473
    assert not task.busy and task.outcome is None


class _CupsQueue:
    """A native printer as the print dialog leaves it (a CUPS queue named "office")."""

    def outputFormat(self) -> QPrinter.OutputFormat:
        return QPrinter.OutputFormat.NativeFormat

    def printerName(self) -> str:
        return "office"

    def copyCount(self) -> int:
        return 2

    def duplex(self) -> QPrinter.DuplexMode:
        return QPrinter.DuplexMode.DuplexLongSide

    def colorMode(self) -> QPrinter.ColorMode:
        return QPrinter.ColorMode.Color


def test_cups_gets_the_pdf_itself_with_range_and_copies(tmp_path, monkeypatch):
    monkeypatch.setattr(printing.sys, "platform", "linux")
    monkeypatch.setattr(printing.shutil, "which", lambda name: "/usr/bin/lp" if name == "lp" else None)
    cmd = vector_command(_CupsQueue(), tmp_path / "a.pdf", [0, 1, 2, 6], 10, "Appendix A")  # type: ignore[arg-type]
    assert cmd == ["/usr/bin/lp", "-d", "office", "-t", "Appendix A", "-n", "2", "-o", "page-ranges=1-3,7",
                   "-o", "sides=two-sided-long-edge", "--", str(tmp_path / "a.pdf")]
    # Every page: no range option at all.
    cmd = vector_command(_CupsQueue(), tmp_path / "a.pdf", list(range(10)), 10, "A")  # type: ignore[arg-type]
    assert cmd is not None and not any(c.startswith("page-ranges") for c in cmd)


def test_a_cups_print_runs_lp_and_renders_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(printing.sys, "platform", "darwin")
    monkeypatch.setattr(printing.shutil, "which", lambda name: "/usr/bin/lp")
    ran: list[list[str]] = []

    def fake_run(cmd, **_kw):
        ran.append(cmd)
        return printing.subprocess.CompletedProcess(cmd, 0, "request id is office-7", "")

    monkeypatch.setattr(printing.subprocess, "run", fake_run)
    monkeypatch.setattr(printing, "render_pages", lambda *a: pytest.fail("rasterised a CUPS print"))
    outcome = print_pdf(_CupsQueue(), tmp_path / "a.pdf", [0], 4, lambda d, t: None, lambda: False,  # type: ignore[arg-type]
                        title="Appendix A")
    assert (outcome.route, outcome.pages, outcome.printer) == ("vector", 1, "office")
    assert ran and "page-ranges=1" in ran[0]


def test_no_cups_route_for_a_pdf_file_or_windows(tmp_path, monkeypatch, qapp):
    monkeypatch.setattr(printing.shutil, "which", lambda name: "/usr/bin/lp")
    printer = pdf_printer(tmp_path / "x.pdf")
    assert vector_command(printer, tmp_path / "a.pdf", [0], 1, "A") is None
    native = QPrinter()
    monkeypatch.setattr(printing.sys, "platform", "win32")
    assert vector_command(native, tmp_path / "a.pdf", [0], 1, "A") is None


def test_page_spans_for_cups():
    assert printing._spans([0]) == "1"
    assert printing._spans([0, 1, 2, 6]) == "1-3,7"
    assert printing._spans([4, 6, 7]) == "5,7-8"


def test_an_empty_range_is_said_not_printed(qtbot, tmp_path):
    pdf = long_pdf(tmp_path / "long.pdf", 2)
    with pytest.raises(printing.PrintFailed, match="none of the report's pages"):
        print_pdf(pdf_printer(tmp_path / "p.pdf"), pdf, [], 2, lambda d, t: None, lambda: False)
