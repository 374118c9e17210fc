"""The Reports page: report cycles and the committee appendix.

Create a cycle for a meeting, read the movements since the register was last presented,
present the cycle (after a confirmation that shows those movements), preview the appendix
inside the window, save it as PDF or Word, or print it through the system printer dialog.
Building the document runs on a worker thread with progress and cancel.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDate,
    QIODevice,
    QItemSelectionModel,
    Qt,
    QThreadPool,
    Signal,
)
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHeaderView,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.cycles import CycleRow
from riskdesk.domain.errors import RiskdeskError, StaleEdit
from riskdesk.domain.permissions import Permission, why_not
from riskdesk.domain.register import Actor
from riskdesk.ui.kit.actions import ActionId, Routed, make_action
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.kit.contrast import ERROR, text_tone
from riskdesk.ui.kit.printing import PrintTask, temporary_pdf
from riskdesk.ui.kit.prompts import file_to_write, tell
from riskdesk.ui.kit.settings import WindowState
from riskdesk.ui.reports.table_model import CycleCol, CycleTableModel

if TYPE_CHECKING:
    from riskdesk.services import Services


# -- background work -----------------------------------------------------------------------------


from riskdesk.ui.kit.jobs import Job
from riskdesk.ui.reports.dialogs import NewCycleDialog, PresentDialog, movements_html
from riskdesk.ui.reports.evidence import EvidencePackMixin
from riskdesk.ui.reports.view import ReportsView

# -- the page ------------------------------------------------------------------------------------


class ReportsPage(EvidencePackMixin, QWidget):
    """Report cycles and the committee appendix (see the module docstring)."""

    cycleCreated = Signal(int)
    presented = Signal(int)
    previewReady = Signal(int)  # page count
    saved = Signal(str)
    packed = Signal(object)  # PackResult of an evidence pack written
    buildCancelled = Signal()
    buildFailed = Signal(str)
    printed = Signal(str)  # what printing did (sent, cancelled or why it failed)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.state = WindowState("ReportsPage")
        self.view = ReportsView(self)
        QVBoxLayout(self).addWidget(self.view)
        self.layout().setContentsMargins(0, 0, 0, 0)
        self.model = CycleTableModel(self)
        self.view.cycles_table.setModel(self.model)
        header = self.view.cycles_table.horizontalHeader()
        header.setSectionResizeMode(CycleCol.TITLE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((CycleCol.MEETING, 126), (CycleCol.STATUS, 70), (CycleCol.PERIOD, 76),
                           (CycleCol.PRESENTED, 128)):
            header.resizeSection(col, width)
        self.view.splitter.setSizes([720, 560])
        self.view.cycles_table.sortByColumn(CycleCol.MEETING, Qt.SortOrder.DescendingOrder)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.job: Job | None = None
        self.print_task: PrintTask | None = None
        self.new_cycle_dialog: NewCycleDialog | None = None
        self.present_dialog: PresentDialog | None = None
        self.wording_dialog: QDialog | None = None
        self._pdf_bytes = QByteArray()
        self._pdf_buffer: QBuffer | None = None
        self._preview_key: tuple[int, str, str] | None = None  # (cycle id, part, sha or "draft")
        self._after_preview: Callable[[], None] | None = None
        self.refused = why_not(services.registers.me(actor).role, Permission.PRESENT_CYCLE)  # "" when allowed
        for w in (self.view.new_button, self.view.present_button) if self.refused else ():
            w.setToolTip(self.refused)  # disabled, saying why, not refused on use

        v = self.view
        v.new_button.clicked.connect(self.new_cycle)
        v.present_button.clicked.connect(self.confirm_present)
        v.preview_button.clicked.connect(self.preview)
        v.save_pdf_button.clicked.connect(lambda: self.save("pdf"))
        v.save_word_button.clicked.connect(lambda: self.save("docx"))
        v.print_button.clicked.connect(self.print_appendix)
        v.wording_button.clicked.connect(self.edit_wording)
        v.cancel_button.clicked.connect(self.cancel)
        v.part_combo.currentIndexChanged.connect(self._part_changed)
        self._init_evidence_pack()
        self.cancel_action = make_action(A.REPORTS_CANCEL, self, self.cancel)  # New/Save/Print: routed_actions
        self.reload()

    # -- public API ----------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        """Re-read the cycles from the database, keeping (or setting) the selection."""
        current = self.current_cycle()
        wanted = select_id if select_id is not None else (current.id if current else None)
        try:
            rows = self.services.cycles.list(self.actor)
        except RiskdeskError as exc:
            self.view.status_label.setText(str(exc))
            return
        self.model.set_rows(rows)
        sel = self.view.cycles_table.selectionModel()
        sel.selectionChanged.connect(self._selection_changed, Qt.ConnectionType.UniqueConnection)
        row = self.model.row_of(wanted) if wanted is not None else -1
        if row < 0 and rows:
            # Open on the draft being prepared if there is one, else the newest cycle.
            drafts = [i for i, r in enumerate(self.model.rows()) if not r.presented]
            row = drafts[0] if drafts else 0
        if row >= 0:
            sel.select(self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                       | QItemSelectionModel.SelectionFlag.Rows)
            self.view.cycles_table.setCurrentIndex(self.model.index(row, 0))
        self._show_cycle()

    def current_cycle(self) -> CycleRow | None:
        index = self.view.cycles_table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def select_cycle(self, cycle_id: int) -> None:
        self.reload(select_id=cycle_id)

    def part(self) -> str:
        return str(self.view.part_combo.currentData())

    def busy(self) -> bool:
        return self.job is not None

    def new_cycle(self) -> NewCycleDialog:
        """Open the new-cycle dialog (its accepted() creates the cycle)."""
        register = self.services.registers.corporate_register(self.actor)
        dialog = NewCycleDialog(register.name if register else "", "", self)
        rows = self.model.rows()
        if rows:
            last = max(r.meeting_date for r in rows)
            # A sensible next meeting: about a quarter after the latest one.
            month = last.month + 2
            dialog.meeting.setDate(QDate(last.year + (month - 1) // 12, (month - 1) % 12 + 1, min(last.day, 28)))
        dialog.accepted.connect(lambda: self._create(dialog))
        self.new_cycle_dialog = dialog
        dialog.open()
        return dialog

    def confirm_present(self) -> PresentDialog | None:
        """Show the movements that will be frozen; the dialog's accepted() presents the cycle."""
        cycle = self.current_cycle()
        if cycle is None or cycle.presented:
            return None
        try:
            moves, unscored = self.services.cycles.review(self.actor, cycle.id)
        except RiskdeskError as exc:
            QMessageBox.warning(self, "Present report cycle", str(exc))
            return None
        if unscored:
            QMessageBox.warning(self, "Present report cycle",
                                f"These risks have no scores yet: {', '.join(unscored)}.\n\nScore them (or remove "
                                "them) before presenting the cycle.")
            return None
        dialog = PresentDialog(cycle, movements_html(cycle, moves), self)
        dialog.accepted.connect(lambda: self._present(cycle))
        self.present_dialog = dialog
        dialog.open()
        return dialog

    def edit_wording(self) -> QDialog:
        """Open the appendix wording dialog (read-only for a role that may not change it)."""
        from riskdesk.ui.reports.wording_dialog import AppendixWordingDialog

        dialog = AppendixWordingDialog(self.services, self.actor, self)
        dialog.saved.connect(self._wording_saved)
        self.wording_dialog = dialog
        dialog.open()
        return dialog

    def preview(self) -> None:
        """Build the selected cycle's appendix (selected part) and show it."""
        cycle = self.current_cycle()
        if cycle is None:
            return
        part = self.part()
        key = (cycle.id, part, cycle.snapshot_sha256 or "draft")
        self.view.status_label.setText(f"Building {self._what(cycle, part)}…")

        def build(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> bytes:
            buffer = io.BytesIO()
            self.services.cycles.write_appendix(self.actor, cycle.id, buffer, part=part, fmt="pdf",
                                                progress=progress, cancelled=cancelled)
            return buffer.getvalue()

        self._start(build, lambda data: self._show_pdf(data, key, cycle, part))

    def save(self, fmt: str) -> None:
        """Ask where, then write the appendix as PDF or Word on the worker thread."""
        cycle = self.current_cycle()
        if cycle is None:
            return
        part = self.part()
        kind = "PDF" if fmt == "pdf" else "Word"
        folder = Path(self.state.text("save_folder", str(Path.home())))
        suggested = str(folder / f"{cycle.file_stem(part)}.{fmt}")
        filters = "PDF files (*.pdf)" if fmt == "pdf" else "Word documents (*.docx)"
        path, _ = QFileDialog.getSaveFileName(self, f"Save appendix as {kind}", suggested, filters)
        if not path:
            return
        out = file_to_write(path, (f".{fmt}",))
        self.state.set_text("save_folder", str(out.parent))
        self.view.status_label.setText(f"Saving {self._what(cycle, part)} to {out}…")

        def build(progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> str:
            self.services.cycles.write_appendix(self.actor, cycle.id, out, part=part, fmt=fmt, progress=progress,
                                                cancelled=cancelled)
            return str(out)

        self._start(build, self._saved)

    def print_appendix(self) -> PrintTask | None:
        """The system printer dialog, then the chosen pages of the previewed appendix onto the printer.

        The preview is built first if it is not current; printing runs in the background
        (``kit.printing``): the PDF itself to a CUPS printer, else page by page, with Cancel.
        """
        cycle = self.current_cycle()
        if cycle is None:
            return None
        if not self._preview_current(cycle):
            self._after_preview = self.print_appendix
            self.preview()
            return None
        task = self._print_task()
        task.run(self._preview_file(), cycle.file_stem(self.part()), keep_file=False)
        return task

    def print_to(self, printer: QPrinter, pages: list[int] | None = None) -> PrintTask:
        """Print the previewed appendix on ``printer`` (already chosen) without a dialog: every page, or ``pages``."""
        count = self.view.pdf_document.pageCount()
        task = self._print_task()
        task.start(printer, self._preview_file(), list(range(count)) if pages is None else pages, count,
                   keep_file=False)
        return task

    def _print_task(self) -> PrintTask:
        task = PrintTask(self, "Print appendix")
        task.finished.connect(self.view.status_label.setText)
        task.finished.connect(self.printed)
        self.print_task = task
        return task

    def _preview_file(self) -> Path:
        """The previewed PDF as a temporary file (the printer reads it on a worker; removed once printed)."""
        path = temporary_pdf("appendix")
        path.write_bytes(bytes(self._pdf_bytes.data()))
        return path

    def cancel(self) -> None:
        if self.print_task is not None:
            self.print_task.cancel()
        if self.job is not None:
            self.job.cancel()
            self.view.status_label.setText("Cancelling…")
            self.view.cancel_button.setEnabled(False)

    def wait_for_idle(self, msecs: int = 30000) -> bool:
        """Wait for the worker (tests, and closing the window)."""
        return self.pool.waitForDone(msecs) and QThreadPool.globalInstance().waitForDone(msecs)  # printing too

    # -- behaviour -----------------------------------------------------------------------------

    def routed_actions(self) -> dict[ActionId, Routed]:
        """What the window's New, Save, Print and Refresh do while this page is shown."""
        return {A.NEW: Routed("&New report cycle…", self.new_cycle, not self.refused, self.refused),
                A.SAVE: Routed("&Save appendix as PDF…", lambda: self.save("pdf")),
                A.PRINT: Routed("&Print appendix…", self.print_appendix),
                A.REFRESH: Routed("&Refresh", self.reload)}

    def _what(self, cycle: CycleRow, part: str) -> str:
        return f"{cycle.appendix_label} Part {part} – {cycle.title}"

    def _selection_changed(self, *_: Any) -> None:
        self._show_cycle()

    def _part_changed(self, _index: int) -> None:
        self._update_buttons()
        if self._preview_key is not None:
            self.view.preview_label.setText("The part changed: press Preview to show it.")

    def _show_cycle(self) -> None:
        cycle = self.current_cycle()
        self._update_buttons()
        if cycle is None:
            self.view.movements_view.setHtml("<p>No report cycle yet. Press <b>New cycle…</b> to create one for the "
                                             "next committee meeting.</p>")
            return
        try:
            moves, unscored = self.services.cycles.review(self.actor, cycle.id)
        except RiskdeskError as exc:
            self.view.movements_view.setHtml(f"<p style='color:{text_tone(ERROR)}'>{html.escape(str(exc))}</p>")
            return
        self.view.movements_view.setHtml(movements_html(cycle, moves, unscored))
        if not self._preview_current(cycle):
            self.view.preview_label.setText(f"{html.escape(cycle.title)}: press Preview to see the appendix.")

    def _update_buttons(self) -> None:
        cycle = self.current_cycle()
        busy = self.busy()
        has = cycle is not None
        v = self.view
        v.new_button.setEnabled(not busy and not self.refused)
        v.present_button.setEnabled(has and not busy and not self.refused
                                    and not cycle.presented)  # type: ignore[union-attr]
        for w in (v.preview_button, v.save_pdf_button, v.save_word_button, v.print_button, v.part_combo):
            w.setEnabled(has and not busy)
        v.evidence_button.setEnabled(has and not busy and self._may_pack)

    def _preview_current(self, cycle: CycleRow) -> bool:
        return self._preview_key == (cycle.id, self.part(), cycle.snapshot_sha256 or "draft") and \
            self.view.pdf_document.pageCount() > 0

    def _create(self, dialog: NewCycleDialog) -> None:
        try:
            row = self.services.cycles.create(
                self.actor, dialog.meeting_date(), title=dialog.title.text() or None,
                update_heading=dialog.heading.text() or None, meeting_title=dialog.committee.text() or None)
        except RiskdeskError as exc:
            QMessageBox.warning(self, "New report cycle", str(exc))
            dialog.open()  # what was typed is still there
            return
        self.reload(select_id=row.id)
        self.view.status_label.setText(f"Created {row.title} (draft).")
        self.cycleCreated.emit(row.id)

    def _present(self, cycle: CycleRow) -> None:
        try:
            row = self.services.cycles.present(self.actor, cycle.id, expected_version=cycle.version)
        except StaleEdit:
            if QMessageBox.question(self, "Present report cycle",
                                    "Someone else changed this cycle since you opened it. Reload it and look at "
                                    "the movements again?") == QMessageBox.StandardButton.Yes:
                self.reload(select_id=cycle.id)
            return
        except RiskdeskError as exc:
            QMessageBox.warning(self, "Present report cycle", str(exc))
            return
        self.reload(select_id=row.id)
        self.view.status_label.setText(f"Presented {row.title}: frozen (SHA-256 {row.snapshot_sha256[:12]}…).")
        self.presented.emit(row.id)

    def _start(self, fn: Callable[[Callable[[int, int], None], Callable[[], bool]], Any],
               on_success: Callable[[Any], None]) -> None:
        if self.job is not None:
            return
        from riskdesk.services.printing import ReportCancelled

        # No Qt parent: the job must outlive the page if the window closes mid-build (the
        # worker still emits on it); Python drops it once both the page and the worker let go.
        job = Job()
        job.progress.connect(self._progress)
        job.succeeded.connect(lambda result: self._finish(on_success, result))
        job.failed.connect(lambda exc: self._failed(
            str(exc) if isinstance(exc, RiskdeskError) else f"{type(exc).__name__}: {exc}"))
        job.stopped.connect(self._cancelled)
        self.job = job.start(fn, pool=self.pool, cancel_errors=(ReportCancelled,))
        v = self.view
        v.progress_bar.setRange(0, 0)
        v.progress_bar.setVisible(True)
        v.cancel_button.setVisible(True)
        v.cancel_button.setEnabled(True)
        self._update_buttons()

    def _progress(self, done: int, total: int) -> None:
        bar = self.view.progress_bar
        if total > 0:
            bar.setRange(0, total)
            bar.setValue(done)
            bar.setFormat("Risk %v of %m")

    def _end_job(self) -> None:
        self.job, self._building = None, "The appendix"
        self.view.progress_bar.setVisible(False)
        self.view.cancel_button.setVisible(False)
        self._update_buttons()

    def _finish(self, on_success: Callable[[Any], None], result: Any) -> None:
        self._end_job()
        on_success(result)

    def _failed(self, message: str) -> None:
        what = self._building
        self._end_job()
        self._after_preview = None
        self.view.status_label.setText(f"{what} could not be built: {message}")
        self.buildFailed.emit(message)
        tell(self, what.removeprefix("The ").capitalize(), f"{what} could not be built:\n\n{message}")

    def _cancelled(self) -> None:
        self._end_job()
        self._after_preview = None
        self.view.status_label.setText("Cancelled: nothing was written.")
        self.buildCancelled.emit()

    def _show_pdf(self, data: bytes, key: tuple[int, str, str], cycle: CycleRow, part: str) -> None:
        doc = self.view.pdf_document
        doc.close()
        self._pdf_bytes = QByteArray(data)
        buffer = QBuffer(self._pdf_bytes, self)
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        if self._pdf_buffer is not None:
            self._pdf_buffer.deleteLater()
        self._pdf_buffer = buffer  # QPdfDocument reads from it lazily: keep it alive
        doc.load(buffer)
        self._preview_key = key
        pages = doc.pageCount()
        self.view.preview_label.setText(f"{html.escape(self._what(cycle, part))} · {pages} page(s) · "
                                        f"{'frozen' if cycle.presented else 'draft'}")
        self.view.status_label.setText(f"Preview ready: {pages} page(s).")
        self.previewReady.emit(pages)
        follow, self._after_preview = self._after_preview, None
        if follow is not None:
            follow()

    def _wording_saved(self) -> None:
        # A draft's preview printed the old wording; a presented one is unchanged.
        if self._preview_key is not None and self._preview_key[2] == "draft":
            self._preview_key = None
            self.view.preview_label.setText("The appendix wording changed: press Preview to see it.")
        self.view.status_label.setText("Appendix wording saved: drafts and new cycles print it; presented cycles "
                                       "keep the wording they were presented with.")

    def _saved(self, path: str) -> None:
        self.view.status_label.setText(f"Saved {path}")
        self.saved.emit(path)
