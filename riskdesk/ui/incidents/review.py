"""The incidents page's monthly review, chart, export and SI report."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QWidget,
)

from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.incidents import (
    add_months,
    two_period_counts,
)
from riskdesk.ui.kit.jobs import Operation, run_in_background
from riskdesk.ui.kit.printing import PrintTask, temporary_pdf
from riskdesk.ui.kit.prompts import file_to_write, show_error, tell

if TYPE_CHECKING:
    pass
from riskdesk.ui.incidents.views import ReviewView, _month_edit, _month_of, review_line, review_view
from riskdesk.ui.kit.keyboard import field_label


class ReportPeriodDialog(QDialog):
    """The SI report's period, chosen when saving it: the twelve months ending in a month."""

    def __init__(self, last: tuple[int, int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("siReportPeriodDialog")
        self.setWindowTitle("SI report (PDF)")
        form = QFormLayout(self)
        intro = QLabel("The report covers twelve months and compares them with the twelve months before.")
        intro.setWordWrap(True)
        form.addRow(intro)
        self.month_edit = _month_edit("Report period ends", last)
        form.addRow(field_label("Twelve months &ending:", self.month_edit), self.month_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def last_month(self) -> tuple[int, int]:
        return _month_of(self.month_edit.date())


class IncidentsReview:
    """Monthly review, chart, list export and the SI report (mixed into IncidentsPage)."""

    def refresh_review(self) -> None:
        """Show the monthly review for the month chosen (fetched on a worker thread when ``background``)."""
        if self.denied:
            return
        services, actor, today = self.services, self.actor, self.today
        month = _month_of(self.review_month.date())
        # The rows the list holds (shared, not read again) — unless they are still on their way.
        rows = None if self.loading or not self.model.total() else self.model.all_rows()

        def work() -> ReviewView | RiskdeskError:
            try:
                return review_view(services.incidents.monthly_review(actor, month, today=today, rows=rows))
            except RiskdeskError as exc:
                return exc

        if self._review_op is not None and not self._review_op.done:
            self._review_op.cancel()  # the user moved on to another month
        if not self.background:
            self._show_review(work())
            return
        self.review_summary.setText("Loading…")

        def done(result: ReviewView | RiskdeskError) -> None:
            self._review_op = None
            self._show_review(result)

        def failed(exc: BaseException) -> None:
            self._review_op = None
            self.review_summary.setText("The monthly review could not be loaded.")
            show_error(self, "Cannot load the monthly review", exc)

        op = run_in_background(work, done, failed)
        self.destroyed.connect(op.cancel)  # the page closed first: drop the result
        self._review_op = op

    def _show_review(self, view: ReviewView | RiskdeskError) -> None:
        if isinstance(view, RiskdeskError):
            self.review_summary.setText(str(view))
            return
        self.monthly = view.review
        lists = (self.review_reported_list, self.review_due_list, self.review_overdue_list, self.review_open_list)
        for w, rows in zip(lists, view.lists, strict=True):
            w.set_rows(rows, review_line)  # the rows themselves, not a copy; lines written when shown
        self.review_actions_list.set_lines(view.actions)
        self.review_summary.setText(view.summary)

    def refresh_chart(self) -> None:
        last = _month_of(self.chart_to.date())
        first = add_months(last, -11)
        reported = [r.reported_on for r in self.model.all_rows()]
        p1, p2 = two_period_counts(reported, first, last)
        self.chart.set_series([
            (p1.label, [(date(m[0], m[1], 1).strftime("%b"), n) for m, n in p1.months]),
            (p2.label, [(date(m[0], m[1], 1).strftime("%b"), n) for m, n in p2.months]),
        ])

    def export_to(self, path: Path) -> Path | None:
        """Write the SIs shown (filtered and sorted as on screen) to ``path``."""
        try:
            out = self.services.incidents.export(self.actor, Path(path), self.model.rows())
        except RiskdeskError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return None
        self._status(f"{self.model.rowCount()} SIs exported to {out}")
        return out

    def _export_clicked(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, "Export serious incidents", "serious-incidents.xlsx",
                                               "Excel workbook (*.xlsx);;CSV (*.csv)")
        if path:
            self.export_in_background(file_to_write(path, (".xlsx", ".csv")))

    def export_in_background(self, path: Path) -> Operation:
        """The SIs shown written on a worker (the Export button): 100,000 rows take seconds."""
        services, actor, rows = self.services, self.actor, self.model.rows()  # as shown now

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):
                tell(self, "Export failed", f"Could not write {path}: {exc.strerror or exc}")
            elif isinstance(exc, RiskdeskError):
                tell(self, "Export failed", str(exc))
            else:
                show_error(self, "Export failed", exc)

        return run_in_background(lambda: services.incidents.export(actor, Path(path), rows),
                                 lambda out: self._status(f"{len(rows)} SIs exported to {out}"), failed,
                                 parent=self, label="Exporting serious incidents…")

    def write_report(self, path: Path, last: tuple[int, int] | None = None) -> Path | None:
        """The SI report for the twelve months ending ``last`` (default: the chart's period)."""
        last = last or _month_of(self.chart_to.date())
        first = add_months(last, -11)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            out = self.services.incidents.write_report(self.actor, first, last, Path(path), today=self.today)
        except RiskdeskError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Report failed", str(exc))
            return None
        except OSError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Report failed", f"Could not write {path}: {exc.strerror or exc}")
            return None
        QApplication.restoreOverrideCursor()
        self._status(f"SI report written to {out}")
        return out

    def _report_clicked(self) -> None:
        # The period is chosen here, when saving, starting from the chart's (not on a Chart sub-tab).
        dialog = ReportPeriodDialog(_month_of(self.chart_to.date()), self)
        self.report_period_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        last = dialog.last_month()
        path, _f = QFileDialog.getSaveFileName(self, "SI report", f"si-report-{last[0]}-{last[1]:02d}.pdf",
                                               "PDF (*.pdf);;Excel table (*.xlsx)")
        if path:
            self.save_report(file_to_write(path, (".pdf", ".xlsx", ".csv")), last)

    def save_report(self, path: Path, last: tuple[int, int]) -> Operation:
        """The SI report written on a worker thread (the button's path): the window keeps answering
        while a year of SIs is laid out, and a failure is said, not raised."""
        first = add_months(last, -11)
        services, actor, today = self.services, self.actor, self.today

        def work() -> Path:
            return services.incidents.write_report(actor, first, last, Path(path), today=today)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, OSError):
                tell(self, "Report failed", f"Could not write {path}: {exc.strerror or exc}")
            elif isinstance(exc, RiskdeskError):
                tell(self, "Report failed", str(exc))
            else:
                show_error(self, "Report failed", exc)

        self._status("Writing the SI report…")
        return run_in_background(work, lambda out: self._status(f"SI report written to {out}"), failed,
                                 parent=self, label="Writing the SI report…")

    def print_report(self) -> Operation:
        """File ▸ Print: the SI report for the chart's twelve months, built on a worker, then the print dialog."""
        last = _month_of(self.chart_to.date())
        first = add_months(last, -11)
        services, actor, today = self.services, self.actor, self.today
        path = temporary_pdf("si-report")

        def build() -> Path:
            return services.incidents.write_report(actor, first, last, path, today=today)

        def built(out: Path) -> None:
            task = PrintTask(self, "Print SI report")
            task.finished.connect(self._status)
            self.print_task = task
            task.run(out, f"si-report-{last[0]}-{last[1]:02d}", keep_file=False)

        def failed(exc: BaseException) -> None:
            path.unlink(missing_ok=True)
            self._status("The SI report could not be built.")
            show_error(self, "Cannot print the SI report", exc)

        self._status("Building the SI report to print…")
        return run_in_background(build, built, failed, parent=self, label="Building the SI report…")
