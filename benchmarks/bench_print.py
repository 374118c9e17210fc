"""Printing from the window (``riskdesk.ui.kit.printing``): a 10-page print, and Cancel on a 473-page one.

What the user waits for: from pressing Print in the dialog to the last page handed to the printer,
and from pressing Cancel to the job stopped (``finished`` back on the GUI thread).

* Qt's PDF printer ("Print to file") takes the PDF itself, like a CUPS printer: the chosen pages
  copied (goal ≤ 3 s for 10 pages; floor: copying the whole file).
* The raster route (what a Windows printer gets: every page rendered by QtPdf at the printer's
  resolution, in strips, one page at a time), forced onto Qt's PDF printer so it can be measured
  here: 10 pages at 300 and 600 dpi for information (floor: QtPdf rendering the same pages into
  images and nothing else; the rest is Qt's PDF engine compressing the images, a real printer
  driver's cost differs), and Cancel on a 473-page print at 600 dpi (goal ≤ 1 s).

Run: ``python benchmarks/bench_print.py`` (offscreen Qt is set if no display is).
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "reports"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from harness import QUICK, Goal, Row, finish, interleave, judge, ms  # noqa: E402

TEN_PAGES = Goal(max_value=3000)
CANCEL = Goal(max_value=1000)
INFO = Goal()


def appendix_pdf(folder: Path) -> tuple[Path, int]:
    """The published register's appendix as a PDF (what File ▸ Print on Reports sends)."""
    from published import published_snapshot
    from pypdf import PdfReader

    from riskdesk.reports.appendix import write_appendix_pdf

    buf = io.BytesIO()
    write_appendix_pdf(published_snapshot(), buf)
    path = folder / "appendix.pdf"
    path.write_bytes(buf.getvalue())
    return path, len(PdfReader(str(path)).pages)


def long_pdf(path: Path, pages: int) -> Path:
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


def main() -> int:
    from PySide6.QtCore import QEventLoop, QSize, QTimer
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QApplication, QWidget

    from riskdesk.ui.kit.printing import PrintTask, print_pdf

    app = QApplication.instance() or QApplication([])
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="riskdesk-bench-print-") as tmp:
        folder = Path(tmp)
        pdf, count = appendix_pdf(folder)
        pages = list(range(min(10, count)))

        def printer(dpi: int, name: str) -> QPrinter:
            p = QPrinter(QPrinter.PrinterMode.HighResolution)
            p.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            p.setOutputFileName(str(folder / name))
            p.setResolution(dpi)
            return p

        def print_ten(dpi: int, raster: bool = True) -> float:
            p = printer(dpi, f"printed-{dpi}.pdf")
            t0 = time.perf_counter()
            outcome = print_pdf(p, pdf, pages, count, lambda d, t: None, lambda: False, raster=raster)
            took = time.perf_counter() - t0
            assert outcome.pages == len(pages)
            return took

        def render_only(dpi: int) -> float:
            doc = QPdfDocument()
            doc.load(str(pdf))
            t0 = time.perf_counter()
            for i in pages:
                points = doc.pagePointSize(i)
                doc.render(i, QSize(int(points.width() * dpi / 72), int(points.height() * dpi / 72)))
            took = time.perf_counter() - t0
            doc.close()
            return took

        def copy_all() -> float:
            t0 = time.perf_counter()
            shutil.copyfile(pdf, folder / "copied.pdf")
            return time.perf_counter() - t0

        got = interleave({"riskdesk": lambda: print_ten(1200, raster=False), "floor": copy_all})
        size = (folder / "printed-1200.pdf").stat().st_size / 1e6
        rows.append(judge(f"{len(pages)} appendix pages to Qt's PDF printer (the PDF itself)", TEN_PAGES,
                          ms(got["riskdesk"]), ms(got["floor"]), note=f"{size:.2f} MB printed"))
        for dpi in (300, 600):
            got = interleave({"riskdesk": lambda d=dpi: print_ten(d), "floor": lambda d=dpi: render_only(d)},
                             runs=1 if QUICK else 3)
            size = (folder / f"printed-{dpi}.pdf").stat().st_size / 1e6
            rows.append(judge(f"{len(pages)} appendix pages, raster route at {dpi} dpi", INFO,
                              ms(got["riskdesk"]), ms(got["floor"]), note=f"{size:.1f} MB printed"))

        # Cancel: a 473-page print at 600 dpi, Cancel pressed once pages are going out.
        long = long_pdf(folder / "long.pdf", 473)
        host = QWidget()
        samples: list[float] = []
        printed: list[int] = []
        for _ in range(1 if QUICK else 5):
            task = PrintTask(host, "Print")
            progress: list[int] = []
            job = task.start(printer(600, "long-printed.pdf"), long, list(range(473)), 473, raster=True)
            job.progress.connect(lambda done, _t, progress=progress: progress.append(done))
            loop = QEventLoop()
            QTimer.singleShot(20, loop.quit)
            while len(progress) < 3:  # three pages out: the print is under way
                loop.exec()
                QTimer.singleShot(20, loop.quit)
            stopped: list[float] = []
            task.finished.connect(lambda _m, stopped=stopped: stopped.append(time.perf_counter()))
            t0 = time.perf_counter()
            job.cancel()  # what the progress dialog's Cancel button does
            while not stopped:
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
            samples.append(stopped[0] - t0)
            printed.append(max(progress))
        rows.append(judge("Cancel a 473-page raster print at 600 dpi → stopped", CANCEL, ms(samples),
                          note=f"stopped after {min(printed)}–{max(printed)} of 473 pages"))
    return finish(rows)


if __name__ == "__main__":
    sys.exit(main())
