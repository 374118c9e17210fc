"""A PDF onto a printer: the pages the user chose, off the GUI thread, with progress and Cancel.

Every printable report is built as a PDF first (through the services), so printing is one
problem solved once here:

* **Vector, where the platform takes the PDF directly.** On Linux and macOS a native printer is
  a CUPS queue, and CUPS accepts PDF (its own filters turn it into whatever the printer speaks),
  so the file goes to ``lp`` with the chosen page range and copies: selectable text, the printer's
  own resolution, a few kilobytes on the wire. "Print to file" (Qt's PDF printer) gets the chosen
  pages of the report copied into its file as they are (pypdf).
* **Otherwise, raster one page at a time.** Windows printers and a CUPS queue that refuses the file get each page rendered by QtPdf at the printer's
  resolution, in horizontal strips so that a 1,200 dpi page never needs more than one strip of
  memory, and drawn onto the ``QPrinter``. Cancel is looked at between strips.

Either way the work runs in a ``kit.jobs.Job`` (the window keeps answering), reports progress
page by page and can be cancelled; ``print_pdf`` is the worker function and ``PrintTask`` the
GUI side (print dialog, progress dialog, result).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRect, QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QProgressDialog, QWidget

from riskdesk.ui.kit.jobs import Job

#: Pixels rendered at once (one strip of a page): 4 Mpx is 16 MB, whatever the resolution, and a
#: strip takes a fraction of a second, so Cancel is seen quickly.
STRIP_PIXELS = 4_000_000

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class PrintFailed(Exception):
    """The printer refused the job (the message says why, in the user's terms)."""


class PrintCancelled(Exception):
    """The user pressed Cancel; what was drawn so far is discarded where the printer allows."""


@dataclass(frozen=True)
class PrintOutcome:
    """What went to the printer."""

    pages: int  # pages sent (per copy)
    route: str  # "vector" (the PDF to CUPS) or "raster" (rendered pages)
    printer: str  # its name, or the file Qt's PDF printer wrote

    def message(self) -> str:
        how = "as the PDF itself" if self.route == "vector" else "page by page"
        return f"Sent {self.pages} page(s) to {self.printer} ({how})."


def chosen_pages(printer: QPrinter, count: int) -> list[int]:
    """The 0-based page numbers the print dialog's range asks for (every page when none)."""
    if printer.printRange() == QPrinter.PrintRange.PageRange:
        ranges = printer.pageRanges()
        if not ranges.isEmpty():
            return [i for i in range(count) if ranges.contains(i + 1)]
    return list(range(count))


def _spans(pages: list[int]) -> str:
    """1-based CUPS ``page-ranges`` for 0-based pages: [0, 1, 2, 6] → "1-3,7"."""
    out: list[str] = []
    start = prev = None
    for p in [*pages, None]:
        if p is not None and prev is not None and p == prev + 1:
            prev = p
            continue
        if start is not None:
            out.append(f"{start + 1}" if start == prev else f"{start + 1}-{prev + 1}")
        start = prev = p
    return ",".join(out)


def vector_command(printer: QPrinter, pdf: Path, pages: list[int], count: int, title: str) -> list[str] | None:
    """The ``lp`` command that sends ``pdf`` to a CUPS printer, or None where there is no CUPS route.

    Only a native printer on Linux/macOS with ``lp`` on the path qualifies: Qt's PDF printer
    writes a file, and Windows has no CUPS.
    """
    if sys.platform.startswith("win") or printer.outputFormat() != QPrinter.OutputFormat.NativeFormat:
        return None
    name = printer.printerName()
    lp = shutil.which("lp")
    if not name or lp is None:
        return None
    cmd = [lp, "-d", name, "-t", title or pdf.stem, "-n", str(max(1, printer.copyCount()))]
    if len(pages) != count:
        cmd += ["-o", f"page-ranges={_spans(pages)}"]
    duplex = {QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
              QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
              QPrinter.DuplexMode.DuplexNone: "one-sided"}.get(printer.duplex())
    if duplex:
        cmd += ["-o", f"sides={duplex}"]
    if printer.colorMode() == QPrinter.ColorMode.GrayScale:
        cmd += ["-o", "print-color-mode=monochrome"]
    return [*cmd, "--", str(pdf)]


def render_pages(printer: QPrinter, pdf: Path, pages: list[int], progress: Progress, cancelled: Cancelled) -> int:
    """Draw ``pages`` of ``pdf`` onto ``printer`` at its resolution, one page (one strip) at a time.

    Runs on a worker thread (QPainter may paint on a QPrinter there). Returns the pages drawn;
    raises ``PrintCancelled`` when ``cancelled()`` turns true, after asking the printer to drop
    the job.
    """
    doc = QPdfDocument()  # this thread's own: nothing shared with the preview on the GUI thread
    if doc.load(str(pdf)) != QPdfDocument.Error.None_:
        raise PrintFailed(f"The report could not be read back for printing ({doc.error().name}).")
    if pages:
        _orient(printer, doc, pages[0])
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(f"The printer {printer.printerName() or printer.outputFileName()!r} could not be started.")
    done = 0
    try:
        progress(0, len(pages))
        for n, index in enumerate(pages):
            if n:
                _orient(printer, doc, index)  # a layout set before newPage() applies to the new page
                printer.newPage()
            _draw_page(painter, printer, doc, index, cancelled)
            done += 1
            progress(done, len(pages))
    except PrintCancelled:
        printer.abort()  # a spooled job is dropped; a PDF file keeps what was drawn
        raise
    finally:
        painter.end()
        doc.close()
    return done


def _orient(printer: QPrinter, doc: QPdfDocument, index: int) -> None:
    """Turn the paper the way the report's page is (a landscape appendix prints landscape)."""
    size = doc.pagePointSize(index)
    want = QPageLayout.Orientation.Landscape if size.width() > size.height() else QPageLayout.Orientation.Portrait
    if printer.pageLayout().orientation() != want:
        printer.setPageOrientation(want)


def _draw_page(painter: QPainter, printer: QPrinter, doc: QPdfDocument, index: int, cancelled: Cancelled) -> None:
    target = painter.viewport()  # the printable area in device pixels (the printer's resolution)
    points = doc.pagePointSize(index)
    scale = min(target.width() / points.width(), target.height() / points.height())
    size = QSize(max(1, int(points.width() * scale)), max(1, int(points.height() * scale)))
    left = (target.width() - size.width()) // 2
    top = (target.height() - size.height()) // 2
    strip = max(1, STRIP_PIXELS // size.width())
    for y in range(0, size.height(), strip):
        if cancelled():
            raise PrintCancelled
        height = min(strip, size.height() - y)
        options = QPdfDocumentRenderOptions()
        options.setScaledSize(size)
        options.setScaledClipRect(QRect(0, y, size.width(), height))
        image = doc.render(index, QSize(size.width(), height), options)
        painter.fillRect(left, top + y, size.width(), height, QColor("white"))  # QtPdf leaves the paper transparent
        painter.drawImage(left, top + y, image)


def copy_pages(printer: QPrinter, pdf: Path, pages: list[int], progress: Progress, cancelled: Cancelled) -> int:
    """Qt's PDF printer ("Print to file"): the chosen pages of ``pdf`` written to its file as they are."""
    from pypdf import PdfReader, PdfWriter

    out = Path(printer.outputFileName())
    reader, writer = PdfReader(str(pdf)), PdfWriter()
    progress(0, len(pages))
    for n, index in enumerate(pages, 1):
        if cancelled():
            raise PrintCancelled
        writer.add_page(reader.pages[index])
        progress(n, len(pages))
    writer.add_metadata({"/Title": printer.docName() or pdf.stem})
    try:
        with out.open("wb") as fh:
            writer.write(fh)
    except OSError as exc:
        raise PrintFailed(f"Could not write {out}: {exc.strerror or exc}") from exc
    return len(pages)


def print_pdf(printer: QPrinter, pdf: Path, pages: list[int], count: int, progress: Progress, cancelled: Cancelled,
              *, title: str = "", raster: bool = False) -> PrintOutcome:
    """Send ``pages`` (0-based) of ``pdf`` to ``printer``: the PDF itself where the printer takes it
    (CUPS, or Qt's PDF printer), else rendered page by page. ``raster=True`` always renders (what a
    Windows printer gets: tests and benchmarks use it with Qt's PDF printer).

    The worker function of ``PrintTask``; also usable on its own (tests, benchmarks).
    """
    if not pages:
        raise PrintFailed("The page range chosen holds none of the report's pages.")
    if not raster and printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return PrintOutcome(copy_pages(printer, pdf, pages, progress, cancelled), "vector", printer.outputFileName())
    command = None if raster else vector_command(printer, pdf, pages, count, title)
    if command is not None:
        progress(0, 1)
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode == 0:
            progress(1, 1)
            return PrintOutcome(len(pages), "vector", printer.printerName())
        # A queue that will not take PDF (a raw queue, say): render the pages instead.
    drawn = render_pages(printer, pdf, pages, progress, cancelled)
    where = printer.printerName() if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat else \
        printer.outputFileName()
    return PrintOutcome(drawn, "raster", where or "the printer")


def page_count(pdf: Path) -> tuple[int, bool]:
    """How many pages ``pdf`` has (0 when it cannot be read) and whether its first page is landscape."""
    doc = QPdfDocument()
    try:
        if doc.load(str(pdf)) != QPdfDocument.Error.None_ or doc.pageCount() <= 0:
            return 0, False
        first = doc.pagePointSize(0)
        return doc.pageCount(), first.width() > first.height()
    finally:
        doc.close()


def ask_printer(parent: QWidget | None, title: str, pdf: Path, doc_name: str) -> tuple[QPrinter, int] | None:
    """The system print dialog for ``pdf`` (page range 1…its page count); None when the user cancels."""
    count, landscape = page_count(pdf)
    if count <= 0:
        raise PrintFailed("The report has no pages to print.")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(doc_name)
    if landscape:
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setFromTo(1, count)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setMinMax(1, count)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer, count


class PrintTask(QObject):
    """One print from the window: dialog, background job, progress with Cancel, outcome.

    ``finished(message)`` says what happened (sent, cancelled, or why it failed), on the GUI thread.
    """

    finished = Signal(str)

    def __init__(self, parent: QWidget, title: str) -> None:
        super().__init__(parent)
        self.title = title
        self.job: Job | None = None
        self.outcome: PrintOutcome | None = None
        self.progress_dialog: QProgressDialog | None = None
        self._printer: QPrinter | None = None
        self._pdf: Path | None = None

    def run(self, pdf: Path, doc_name: str, *, keep_file: bool = True) -> bool:
        """Ask for the printer and pages, then print off the GUI thread. False when nothing was started.

        ``keep_file=False`` deletes ``pdf`` once printed (a temporary file made for printing).
        """
        parent = self.parent()
        try:
            chosen = ask_printer(parent if isinstance(parent, QWidget) else None, self.title, pdf, doc_name)
        except PrintFailed as exc:
            self._done(str(exc))
            return False
        if chosen is None:
            self._done("Printing was cancelled: nothing was sent.")
            return False
        printer, count = chosen
        self.start(printer, pdf, chosen_pages(printer, count), count, keep_file=keep_file)
        return True

    def start(self, printer: QPrinter, pdf: Path, pages: list[int], count: int, *, keep_file: bool = True,
              pool: QThreadPool | None = None, raster: bool = False) -> Job:
        """Print ``pages`` of ``pdf`` on ``printer`` (already chosen) in a background job."""
        self._printer, self._pdf = printer, pdf  # alive until the worker is done with them
        parent = self.parent()
        dialog = QProgressDialog(f"Printing {printer.docName() or pdf.stem}…", "Cancel", 0, max(1, len(pages)),
                                 parent if isinstance(parent, QWidget) else None)
        dialog.setWindowTitle(self.title)
        dialog.setAccessibleName("Printing progress")
        dialog.setMinimumDuration(300)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.NonModal)  # the window stays usable while pages go out
        self.progress_dialog = dialog
        job = Job()
        job.progress.connect(self._progress)
        job.succeeded.connect(lambda outcome: self._succeeded(outcome, keep_file))
        job.failed.connect(lambda exc: self._failed(exc, keep_file))
        job.stopped.connect(lambda: self._stopped(keep_file))
        dialog.canceled.connect(job.cancel)
        title = printer.docName()
        self.job = job.start(lambda progress, cancelled: print_pdf(printer, pdf, pages, count, progress, cancelled,
                                                                   title=title, raster=raster),
                             pool=pool, cancel_errors=(PrintCancelled,))
        return job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    @property
    def busy(self) -> bool:
        return self.job is not None

    def _progress(self, done: int, total: int) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.setMaximum(max(1, total))
            self.progress_dialog.setValue(done)
            self.progress_dialog.setLabelText(f"Printing page {min(done + 1, total)} of {total}…")

    def _succeeded(self, outcome: PrintOutcome, keep_file: bool) -> None:
        self.outcome = outcome
        self._end(keep_file)
        self._done(outcome.message())

    def _failed(self, exc: BaseException, keep_file: bool) -> None:
        self._end(keep_file)
        self._done(f"Printing failed: {exc}" if isinstance(exc, PrintFailed) else
                   f"Printing failed: {type(exc).__name__}: {exc}")

    def _stopped(self, keep_file: bool) -> None:
        self._end(keep_file)
        self._done("Printing was cancelled: the rest of the pages were not sent.")

    def _end(self, keep_file: bool) -> None:
        self.job = None
        if self.progress_dialog is not None:
            self.progress_dialog.reset()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        if not keep_file and self._pdf is not None:
            self._pdf.unlink(missing_ok=True)
        self._printer = None

    def _done(self, message: str) -> None:
        self.finished.emit(message)


def temporary_pdf(prefix: str) -> Path:
    """A fresh file name for a PDF built only to be printed (``PrintTask.run(keep_file=False)`` removes it)."""
    handle, name = tempfile.mkstemp(prefix=f"riskdesk-{prefix}-", suffix=".pdf")
    os.close(handle)
    return Path(name)
