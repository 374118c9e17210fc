"""Exporting the clinical lists and printing the clinical reports (through services.printing, on a worker)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
)

from riskdesk.domain.errors import RiskdeskError, ValidationError
from riskdesk.domain.quarters import Quarter
from riskdesk.ui.kit.jobs import Operation, run_in_background
from riskdesk.ui.kit.printing import PrintTask, temporary_pdf
from riskdesk.ui.kit.prompts import file_to_write, show_error

if TYPE_CHECKING:
    pass


class ClinicalPrintingMixin:
    """Export and print actions of the clinical page (mixed into ClinicalPage)."""

    def export_list(self, which: str, path: str | Path) -> Path:
        """Write one of the lists ("audits", "visits", "pgds", "assurance") to .xlsx or .csv."""
        printing, actor = self.services.printing, self.actor
        if which == "audits":
            return printing.export_audits(actor, path, self.audit_model.rows())
        if which == "visits":
            return printing.export_visits(actor, path, self.visit_model.rows())
        if which == "pgds":
            return printing.export_pgds(actor, path, self.pgd_model.rows(), self.today)
        summary_id = self.summary_combo.currentData()
        if summary_id is None:
            raise ValidationError("assurance summary", "", "choose a period first")
        return printing.export_assurance(actor, path, int(summary_id))

    def _export(self, which: str) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export", f"{which}.xlsx", "Excel workbook (*.xlsx);;CSV (*.csv)")
        if not path:
            return
        try:
            out = self.export_list(which, str(file_to_write(path, (".xlsx", ".csv"))))
        except (RiskdeskError, OSError) as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        self.show_status(f"Exported to {out}")

    def _save_pdf(self, name: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "Print to PDF", name, "PDF (*.pdf)")
        return str(file_to_write(path, (".pdf",))) if path else ""

    def _print(self, what: str, build: Callable[[], Path], done: str, to_printer: Path | None = None) -> Operation:
        """Run ``build`` (which writes the PDF) on a worker thread, with progress and Cancel.

        ``to_printer``: the PDF is this temporary file, sent on to the printer (print dialog, then
        ``kit.printing`` in the background) and removed once printed.

        Errors the user can act on (a bad period, a file that cannot be written) show in the
        status line like every other message here; anything else is a bug and gets the detail box.
        """
        self.show_status(f"Printing the {what}…")
        buttons = (self.print_appendix_button, self.print_schedule_button, self.print_summary_button,
                   self.print_profile_button)
        for b in buttons:
            b.setEnabled(False)  # one print at a time: a second would race for the same file

        def written(out: Path) -> None:
            if to_printer:
                task = PrintTask(self, f"Print the {what}")
                task.finished.connect(self.show_status)
                self.print_task = task
                task.run(Path(out), Path(out).stem, keep_file=False)
                return
            self.show_status(f"{done} {out}")
            self.printed.emit(Path(out))

        def failed(exc: BaseException) -> None:
            if to_printer:
                to_printer.unlink(missing_ok=True)
            if isinstance(exc, RiskdeskError):
                self.show_status(str(exc), error=True)
            elif isinstance(exc, OSError):
                where = f" {exc.filename}" if exc.filename else ""
                self.show_status(f"Could not write{where}: {exc.strerror or exc}", error=True)
            else:
                self.show_status(f"The {what} could not be printed.", error=True)
                show_error(self, f"Cannot print the {what}", exc)

        op = run_in_background(build, written, failed, parent=self, label=f"Printing the {what}…")

        def finished() -> None:
            for b in buttons:
                b.setEnabled(True)
            if op.cancelled:
                self.show_status(f"Printing the {what} was cancelled.")

        op.finished.connect(finished)
        return op

    def _print_appendix(self) -> None:
        path = self._save_pdf("clinical-audits.pdf")
        if path:
            self.print_appendix(path)

    def print_report(self) -> Operation | None:
        """File ▸ Print: the report of the tab shown onto a printer (the PGD schedule on PGDs, the
        summary on Assurance summary, else the audits appendix), built on a worker first."""
        tab = self.tabs.currentIndex()
        if tab == 2:
            return self.print_schedule(temporary_pdf("pgd-schedule"), to_printer=True)
        if tab == 3:
            return self.print_summary(temporary_pdf("assurance-summary"), to_printer=True)
        return self.print_appendix(temporary_pdf("clinical-audits"), to_printer=True)

    def print_appendix(self, path: str | Path, first: Quarter | None = None, last: Quarter | None = None,
                       to_printer: bool = False) -> Operation:
        """Print the audits appendix for the financial year so far (or ``first``–``last``) to a PDF.

        Runs on a worker thread; ``printed`` is emitted with the file once it is written.
        """
        q = Quarter.of(self.today)
        first, last = first or Quarter(q.fy, 1), last or q
        printing, actor, today = self.services.printing, self.actor, self.today

        def build() -> Path:
            return printing.audit_appendix(actor, path, first, last, today=today)

        return self._print("audits appendix", build, "Appendix written to", Path(path) if to_printer else None)

    def _print_schedule(self) -> None:
        path = self._save_pdf("pgd-schedule.pdf")
        if path:
            self.print_schedule(path)

    def print_schedule(self, path: str | Path, to_printer: bool = False) -> Operation:
        """Print the PGD review and expiry schedule (the PGDs listed) to a PDF on a worker thread."""
        rows, today = self.pgd_model.rows(), self.today  # taken now: the list may change meanwhile
        printing, actor = self.services.printing, self.actor

        def build() -> Path:
            return printing.pgd_schedule(actor, path, today, rows)

        return self._print("PGD schedule", build, "Schedule written to", Path(path) if to_printer else None)

    def _print_summary(self) -> None:
        summary_id = self.summary_combo.currentData()
        if summary_id is None:
            self.show_status("Choose a period first.", error=True)
            return
        path = self._save_pdf("assurance-summary.pdf")
        if path:
            self.print_summary(path)

    def print_summary(self, path: str | Path, to_printer: bool = False) -> Operation | None:
        """Print the assurance summary chosen to a PDF on a worker thread (None: no period chosen)."""
        summary_id = self.summary_combo.currentData()
        if summary_id is None:
            self.show_status("Choose a period first.", error=True)
            return None
        printing, actor, sid = self.services.printing, self.actor, int(summary_id)

        def build() -> Path:
            return printing.assurance_summary(actor, path, sid)

        return self._print("assurance summary", build, "Summary written to", Path(path) if to_printer else None)

    def _print_profile(self) -> None:
        provider_id, quarter = self.provider_combo.currentData(), self.quarter_combo.currentData()
        if provider_id is None or quarter is None:
            self.show_status("Choose a provider and a quarter first.", error=True)
            return
        name = self.provider_combo.currentText().split(" ")[0] or "provider"
        path = self._save_pdf(f"provider-profile-{name}-{quarter.label.replace('/', '-').replace(' ', '-')}.pdf")
        if path:
            self.print_profile(path)

    def print_profile(self, path: str | Path) -> Operation | None:
        """Print the provider profile shown (provider and quarter chosen) to a PDF on a worker thread."""
        provider_id, quarter = self.provider_combo.currentData(), self.quarter_combo.currentData()
        if provider_id is None or quarter is None:
            self.show_status("Choose a provider and a quarter first.", error=True)
            return None
        profiles, actor, today, pid = self.services.profiles, self.actor, self.today, int(provider_id)

        def build() -> Path:
            profiles.write_provider_profile(actor, pid, quarter, path, today=today)
            return Path(path)

        return self._print("provider profile", build, "Profile written to")
