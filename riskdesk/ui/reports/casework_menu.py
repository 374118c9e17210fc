"""The window's Reports menu: the appendix, the evidence pack and Casework reports ▸ (complaints annual
report, committee item 8, Ombudsman, FOI/EIR).

Each casework report asks for the financial year and a file (PDF, or Word when the name ends in
.docx) and is written on a worker through the same service the pages and ``riskdesk
casework-report`` use, with a progress dialog whose Cancel leaves no half-written file behind: the
report goes to a hidden file beside the chosen one and takes its name only once complete.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QWidget

from riskdesk.domain.permissions import Permission
from riskdesk.ui.kit.actions import ActionId
from riskdesk.ui.kit.jobs import Job
from riskdesk.ui.kit.prompts import file_to_write, show_error

if TYPE_CHECKING:
    from riskdesk.domain.actor import Actor
    from riskdesk.services import Services

A = ActionId
Writer = Callable[["Services", "Actor", str, Path], Any]

#: What each entry of the Reports menu needs; the window disables an entry the role lacks it for,
#: with the reason in its tooltip.
REPORT_NEEDS: dict[ActionId, Permission] = {
    A.EVIDENCE_PACK: Permission.EVIDENCE_PACK,
    A.COMPLAINTS_REPORT: Permission.VIEW_COMPLAINTS,
    A.ITEM8_REPORT: Permission.VIEW_COMPLAINTS,
    A.OMBUDSMAN_REPORT: Permission.VIEW_COMPLAINTS,
    A.FOI_REPORT: Permission.VIEW_FOI,
}


def _fmt(out: Path) -> str:
    return "docx" if out.suffix.lower() == ".docx" else "pdf"


def _complaints(kind: str) -> Writer:
    def write(services: Services, actor: Actor, fy: str, out: Path) -> Any:
        return services.casework_reports.write(actor, kind, fy, out, fmt=_fmt(out))
    return write


def _ombudsman(services: Services, actor: Actor, fy: str, out: Path) -> Any:
    word = _fmt(out) == "docx"
    return services.ombudsman.write_report(actor, int(fy[:4]), pdf=None if word else str(out),
                                           docx=str(out) if word else None)


def _foi(services: Services, actor: Actor, fy: str, out: Path) -> Any:
    return services.foi.write_report(actor, fy, out)


class CaseworkReport(NamedTuple):
    """One entry of Casework reports ▸: what it is called and how it is written.
    (A NamedTuple: its class is made before the window's first paint, where a frozen dataclass costs 0.6 ms.)
    """

    title: str  # "Complaints annual report"
    stem: str  # the suggested file name's start
    write: Writer


REPORTS: dict[ActionId, CaseworkReport] = {
    A.COMPLAINTS_REPORT: CaseworkReport("Complaints annual report", "complaints-annual-report",
                                        _complaints("complaints")),
    A.ITEM8_REPORT: CaseworkReport("Committee item 8 (complaints)", "committee-item8-complaints", _complaints("item8")),
    A.OMBUDSMAN_REPORT: CaseworkReport("Ombudsman annual report", "ombudsman-annual-report", _ombudsman),
    A.FOI_REPORT: CaseworkReport("FOI/EIR annual report", "foi-eir-annual-report", _foi),
}


def financial_years(today: date, count: int = 5) -> list[str]:
    """The last ``count`` financial years, newest first ("2026/27", "2025/26", …)."""
    start = today.year if today.month >= 4 else today.year - 1
    return [f"{y}/{(y + 1) % 100:02d}" for y in range(start, start - count, -1)]


def _partial(out: Path) -> Path:
    """Where the report is written until complete: hidden, beside ``out``, with its suffix (writers go by it)."""
    return out.with_name(f".{out.stem}.writing{out.suffix}")


class ReportsMenu(QObject):
    """The slots of the window's Reports menu. ``window`` is the main window (tabs, ``page()``, services)."""

    def __init__(self, window: Any, today: date | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.today = today
        self.job: Job | None = None
        self.last_written: Path | None = None

    def slots(self) -> dict[ActionId, Callable[[], object]]:
        out: dict[ActionId, Callable[[], object]] = {A.SHOW_REPORTS: self.show_reports,
                                                      A.EVIDENCE_PACK: self.evidence_pack}
        for id in REPORTS:
            out[id] = lambda id=id: self.write_report(id)
        return out

    def show_reports(self) -> QWidget | None:
        """Show the Reports page (built if need be) and return it."""
        page = self.window.page("Reports")
        tabs = self.window.tabs
        for i in range(tabs.count()):
            if tabs.tabText(i).replace("&", "") == "Reports":
                tabs.setCurrentIndex(i)
        return page

    def evidence_pack(self) -> None:
        page = self.show_reports()
        if page is None:
            return
        if page.current_cycle() is None:
            QMessageBox.information(self.window, "Evidence pack", "Choose the report cycle on the Reports page first.")
            return
        page.evidence_pack()

    def write_report(self, id: ActionId) -> None:
        """Ask for the year and a file, then write the report on a worker (Cancel leaves no file)."""
        window = self.window
        if window.services is None:
            return
        if self.job is not None:
            window.statusBar().showMessage("A casework report is still being written: wait for it, or cancel it.", 10000)
            return
        report = REPORTS[id]
        years = financial_years(self.today or date.today())
        # The last complete year is the one an annual report is usually for.
        year, ok = QInputDialog.getItem(window, report.title, "Financial year (April to March):", years, 1, False)
        if not ok:
            return
        suggested = f"{report.stem}-{year.replace('/', '-')}.pdf"
        path, _ = QFileDialog.getSaveFileName(window, f"Save the {report.title.lower()}", suggested,
                                              "PDF (*.pdf);;Word (*.docx)")
        if not path:
            return
        out = file_to_write(path, (".pdf", ".docx"))
        partial = _partial(out)
        services, actor = window.services, window.actor

        def work(_progress: Callable[[int, int], None], _cancelled: Callable[[], bool]) -> Path:
            report.write(services, actor, year, partial)
            return out

        dialog = QProgressDialog(f"Writing the {report.title.lower()} for {year}…", "Cancel", 0, 0, window)
        dialog.setWindowTitle("riskdesk")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(500)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        job = Job()
        dialog.canceled.connect(job.cancel)

        def finished() -> None:
            dialog.reset()
            dialog.deleteLater()
            self.job = None

        def succeeded(result: Path) -> None:
            finished()
            if job.stop.is_set():  # cancelled after the worker had finished: still no file
                partial.unlink(missing_ok=True)
                return
            os.replace(partial, result)
            self.last_written = result
            window.statusBar().showMessage(f"{report.title} {year} saved to {result}", 10000)

        def failed(exc: BaseException) -> None:
            finished()
            partial.unlink(missing_ok=True)
            show_error(window, f"The {report.title.lower()} was not written", exc)

        def stopped() -> None:
            finished()
            partial.unlink(missing_ok=True)
            window.statusBar().showMessage(f"{report.title}: cancelled, nothing was saved", 10000)

        job.succeeded.connect(succeeded)
        job.failed.connect(failed)
        job.stopped.connect(stopped)
        self.job = job.start(work)
