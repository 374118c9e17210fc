"""File → Import register…: bring a council's spreadsheet in, step by step; File → Export current list….

Pages: the file (sheet, header rows, register and period) → the columns (a riskdesk field for each
source column, guessed, then confirmed) → the scores (which set is current, target or history;
how the source's scales translate) → people and departments (map to existing ones or create)
→ the dry-run preview (every row as it will be stored, problems highlighted, rows can be skipped,
the mapping saved for next quarter). Reading the file, previewing and importing run on a worker
thread; the import has a progress dialog with Cancel, and cancelling leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QMessageBox,
    QProgressDialog,
    QWidget,
    QWizard,
)

from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.io.mapping import (
    SCORE_SETS,
    ImportMapping,
)
from riskdesk.io.prepare import PreparedImport
from riskdesk.io.readers import Sheet, Workbook
from riskdesk.io.scales import ScaleMap
from riskdesk.services import Services
from riskdesk.services.importing import ImportCancelled, ImportResult
from riskdesk.ui.importing.check_pages import PeoplePage, PreviewPage, ScoresPage
from riskdesk.ui.importing.common import Task, _message
from riskdesk.ui.importing.file_pages import ColumnsPage, FilePage
from riskdesk.ui.kit.prompts import tell
from riskdesk.ui.kit.sizing import resize_to_fit_screen

# -- the wizard -----------------------------------------------------------------------------------


class ImportWizard(QWizard):
    """File → Import register…. Emits :attr:`imported` with the :class:`ImportResult` when done."""

    imported = Signal(object)

    def __init__(self, services: Services, actor: Actor, register_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.register_id = register_id
        self.setWindowTitle("Import register")
        self.setObjectName("ImportWizard")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Import")
        resize_to_fit_screen(self, 1100, 720)
        # State shared by the pages.
        self.path: Path | None = None
        self.book: Workbook | None = None
        self.sheet: Sheet | None = None
        self.headers: list[str] = []
        self.columns_key: tuple[Any, ...] | None = None
        self.column_mapping = ImportMapping()
        self.scales = ScaleMap()
        self.roles: dict[str, str | None] = {s: s for s in SCORE_SETS}
        self.period = Quarter.of(date.today())
        self.this_quarter = False  # the file is this quarter's update (the file page says which)
        self.new_register: tuple[str, str] | None = None  # (name, kind) to create in the import
        self.encoding: str | None = None  # a text file's encoding as the user chose it
        self.department_map: dict[str, str] = {}
        self.owner_map: dict[str, str] = {}
        self.create_departments = False
        self.create_owners = False
        self.skip_rows: set[int] = set()
        self.prepared: PreparedImport | None = None
        self.result: ImportResult | None = None
        self.progress_dialog: QProgressDialog | None = None
        self._import_task: Task | None = None
        self._preview_task: Task | None = None

        self.file_page = FilePage(self)
        self.columns_page = ColumnsPage(self)
        self.scores_page = ScoresPage(self)
        self.people_page = PeoplePage(self)
        self.preview_page = PreviewPage(self)
        for page in (self.file_page, self.columns_page, self.scores_page, self.people_page, self.preview_page):
            self.addPage(page)

    # -- shared helpers --------------------------------------------------------------------------

    def saved_mapping(self) -> Any:
        name = self.file_page.saved_combo.currentData()
        if not name:
            return None
        try:
            return self.services.importing.get_mapping(self.actor, name)
        except RiskdeskError:
            return None

    def register_name(self) -> str:
        if self.new_register:
            return f"{self.new_register[0]} (new)"
        return self.file_page.register_combo.currentText().rsplit(" (", 1)[0]

    def final_mapping(self) -> ImportMapping:
        """The columns page's mapping with the score sets relabelled as the scores page says."""
        return self.column_mapping.with_score_sets(self.roles)

    def run_preview(self, done: Callable[[PreparedImport | None], None], *, create: bool | None, maps: bool) -> None:
        """Prepare the import on a worker thread and hand the result to ``done`` (None if it failed)."""
        assert self.path is not None
        path, mapping, scales = self.path, self.final_mapping(), self.scales
        sheet = self.sheet.name if self.sheet else None
        skip, register_id = set(self.skip_rows), self.register_id
        dmap, omap = (dict(self.department_map), dict(self.owner_map)) if maps else ({}, {})
        cdep, cown = (self.create_departments, self.create_owners) if create else (None, None)
        importing, actor, encoding = self.services.importing, self.actor, self.encoding

        def work(_task: Task) -> PreparedImport:
            return importing.preview(actor, path, mapping, scales, sheet=sheet, skip_rows=skip,
                                     register_id=register_id, department_map=dmap, owner_map=omap,
                                     create_departments=cdep, create_owners=cown, encoding=encoding)

        task = Task(work, self)

        def failed(exc: BaseException) -> None:
            tell(self, "Import register", _message(exc))
            done(None)

        task.succeeded.connect(lambda prepared: done(prepared) if task is self._preview_task else None)
        task.failed.connect(lambda exc: failed(exc) if task is self._preview_task else None)
        self._preview_task = task
        task.start()

    # -- importing --------------------------------------------------------------------------------

    def accept(self) -> None:
        """Finish: run the import on a worker thread with progress and Cancel; close when it is done."""
        if self.result is not None:
            super().accept()
            return
        if self._import_task is not None and self._import_task.running:
            return
        prepared = self.prepared
        if prepared is None or not prepared.ok:
            return
        if self.preview_page.mapping_name_edit.text().strip() and not self.preview_page.save_mapping():
            return
        importing, actor = self.services.importing, self.actor
        register_id, period, this_quarter, new_register = (self.register_id, self.period, self.this_quarter,
                                                           self.new_register)
        cdep, cown = self.create_departments, self.create_owners

        def work(task: Task) -> ImportResult:
            # A new register is created in the import's own transaction: a failed or cancelled
            # import leaves no empty register behind.
            return importing.apply(actor, prepared, register_id=register_id, new_register=new_register,
                                   create_departments=cdep, create_owners=cown, period=period,
                                   this_quarter=this_quarter, cancelled=task.cancelled, progress=task.report)

        total = len(prepared.to_import)
        dialog = QProgressDialog(f"Importing {total:,} risks…", "Cancel", 0, total, self)
        dialog.setWindowTitle("Import register")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self.progress_dialog = dialog
        task = Task(work, self)
        dialog.canceled.connect(task.cancel)
        task.progressed.connect(lambda d, _t: dialog.setValue(d))
        task.succeeded.connect(self._imported)
        task.failed.connect(self._import_failed)
        self._import_task = task
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)
        dialog.show()
        task.start()

    def _close_progress(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.close()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)

    def _imported(self, result: ImportResult) -> None:
        self._close_progress()
        self.result = result
        self.imported.emit(result)
        super().accept()

    def _import_failed(self, exc: BaseException) -> None:
        self._close_progress()
        if isinstance(exc, ImportCancelled):
            tell(self, "Import register", str(exc), icon=QMessageBox.Icon.Information)
        else:
            tell(self, "Import register", f"Nothing was imported. {_message(exc)}")

    def reject(self) -> None:
        if self._import_task is not None and self._import_task.running:
            self._import_task.cancel()  # the worker rolls back; the window closes when it reports
            return
        super().reject()
