"""The Clinical governance page: a dashboard strip, then Audits, Quality visits, PGDs,
Assurance summary and Provider profile tabs.

Printing (the audits appendix, the PGD schedule, the assurance summary) runs on a worker thread
with a progress dialog and Cancel: a year of audits takes seconds to lay out.

Everything goes through ``services.clinical``. Saves, deletions and summary edits are undoable
(Ctrl+Z / Ctrl+Shift+Z or Ctrl+Y): undo is another service call with its own optimistic-lock
check, so undoing over someone else's later change is refused with a message, not forced.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.clinical import (
    AssuranceLine,
    ClinicalOverview,
    PgdRow,
    ProviderProfile,
    WarningLevel,
)
from riskdesk.domain.errors import RiskdeskError, ValidationError
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.quarters import Quarter, last_n
from riskdesk.domain.register import Actor
from riskdesk.ui.clinical.dialogs import AuditDialog, DateField, PgdDialog, VisitDialog
from riskdesk.ui.clinical.table_models import (
    WARNING_COLOURS,
    AssuranceTableModel,
    AuditTableModel,
    PgdTableModel,
    RowTableModel,
    VisitTableModel,
    fmt_date,
)
from riskdesk.ui.kit.actions import ActionId, Routed
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.kit.jobs import Operation, run_in_background
from riskdesk.ui.kit.prompts import show_error

if TYPE_CHECKING:
    from riskdesk.services import Services


class RecordCommand(QUndoCommand):
    """An undoable change to one record, carried out through a service.

    ``before``/``after`` are the record's drafts (None = the record does not exist). The first
    ``redo`` is skipped: the change was already saved when the command is pushed.

    ``versions`` is shared by all commands of a page: the version each record had after this
    page's own last change to it. Undo sends that as the expected version, so several undos
    of one record chain, while a change someone else made in between is still refused.
    """

    def __init__(self, text: str, *, kind: str, record_id: int | None, version: int | None, before: Any,
                 after: Any, add: Callable[[Any], Any] | None, update: Callable[[int, Any, int], Any],
                 delete: Callable[[int, int], None] | None, done: Callable[[str | None], None],
                 versions: dict[tuple[str, int], int]) -> None:
        super().__init__(text)
        self.kind, self.record_id = kind, record_id
        self.before, self.after = before, after
        self._add, self._update, self._delete, self._done = add, update, delete, done
        self._versions = versions
        if record_id is not None and version is not None:
            versions[(kind, record_id)] = version
        self._first = True

    @property
    def version(self) -> int:
        return self._versions.get((self.kind, int(self.record_id or 0)), 0)

    def redo(self) -> None:
        if self._first:
            self._first = False
            return
        self._go(self.before, self.after)

    def undo(self) -> None:
        self._go(self.after, self.before)

    def _go(self, frm: Any, to: Any) -> None:
        try:
            if frm is None and self._add is not None:
                row = self._add(to)
                self.record_id = row.id
                self._versions[(self.kind, row.id)] = row.version
            elif to is None and self._delete is not None:
                self._delete(int(self.record_id or 0), self.version)
            else:
                row = self._update(int(self.record_id or 0), to, self.version)
                self._versions[(self.kind, row.id)] = row.version
        except RiskdeskError as exc:
            self.setObsolete(True)  # the stack drops a command that can no longer be carried out
            self._done(f"Could not {self.text().lower()}: {exc}")
            return
        self._done(None)


def _table(name: str, model: RowTableModel[Any]) -> QTableView:
    table = QTableView()
    table.horizontalHeader().setStretchLastSection(True)
    table.setObjectName(name)
    table.setAccessibleName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setSortingEnabled(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.horizontalHeader().setHighlightSections(False)
    table.setWordWrap(False)
    return table


def _button(text: str, tip: str) -> QPushButton:
    b = QPushButton(text)
    b.setToolTip(tip)
    b.setAccessibleDescription(tip)
    return b


class ClinicalPage(QWidget):
    """Clinical audits, quality visits, PGDs, the assurance summary and provider profiles."""

    changed = Signal()
    printed = Signal(Path)  # a PDF was written (printing runs on a worker thread)

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clinicalPage")
        self.services, self.actor = services, actor
        self.clinical = services.clinical
        self.today = today or date.today()
        self.editor: QDialog | None = None
        role = services.registers.me(actor).role
        self.can_edit = allows(role, Permission.EDIT_CLINICAL)
        self.can_view = allows(role, Permission.VIEW_CLINICAL)
        self.undo_stack = QUndoStack(self)
        self._versions: dict[tuple[str, int], int] = {}

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self._build_strip(layout)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("clinicalTabs")
        layout.addWidget(self.tabs, 1)
        self.status = QLabel()
        self.status.setObjectName("clinicalStatus")
        self.status.setAccessibleName("Status message")
        layout.addWidget(self.status)
        if not self.can_view:
            self.strip_counts.setText("Your role does not include the clinical-audit log. Ask an administrator.")
            self.tabs.setEnabled(False)
            return
        self._build_audits()
        self._build_visits()
        self._build_pgds()
        self._build_assurance()
        self._build_profile()
        self._build_undo()
        for b in (self.new_audit_button, self.new_reaudit_button, self.edit_audit_button, self.delete_audit_button,
                  self.new_visit_button, self.edit_visit_button, self.delete_visit_button, self.new_pgd_button,
                  self.edit_pgd_button, self.delete_pgd_button, self.new_summary_button, self.add_line_button,
                  self.remove_line_button):
            b.setEnabled(self.can_edit)
        self.assurance_model.editable = self.can_edit
        self.reload()

    # -- construction --------------------------------------------------------------------------

    def _build_strip(self, layout: QVBoxLayout) -> None:
        self.strip = QFrame()
        self.strip.setObjectName("dashboardStrip")
        self.strip.setFrameShape(QFrame.Shape.StyledPanel)
        self.strip.setStyleSheet("#dashboardStrip { background: #f3f6fa; }")
        row = QHBoxLayout(self.strip)
        row.setContentsMargins(8, 4, 8, 4)
        texts = QVBoxLayout()
        self.strip_counts = QLabel()
        self.strip_counts.setObjectName("stripCounts")
        self.strip_counts.setAccessibleName("Clinical governance overview")
        self.pgd_warning_label = QLabel()
        self.pgd_warning_label.setObjectName("pgdWarnings")
        self.pgd_warning_label.setAccessibleName("PGD warnings")
        self.pgd_warning_label.setWordWrap(True)
        self.pgd_warning_label.setTextFormat(Qt.TextFormat.RichText)
        texts.addWidget(self.strip_counts)
        texts.addWidget(self.pgd_warning_label)
        row.addLayout(texts, 1)
        self.undo_button = _button("Undo", "Undo the last save or deletion on this page (Ctrl+Z)")
        self.redo_button = _button("Redo", "Redo what was undone")
        row.addWidget(self.undo_button)
        row.addWidget(self.redo_button)
        layout.addWidget(self.strip)

    def _toolbar(self, *widgets: QWidget, filter_edit: QLineEdit | None = None) -> QHBoxLayout:
        bar = QHBoxLayout()
        for w in widgets:
            bar.addWidget(w)
        bar.addStretch(1)
        if filter_edit is not None:
            bar.addWidget(QLabel("Filter:"))
            bar.addWidget(filter_edit)
        return bar

    def _filter_edit(self, name: str, model: RowTableModel[Any]) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText("words to find…")
        edit.setAccessibleName("Filter rows")
        edit.setClearButtonEnabled(True)
        edit.setMaximumWidth(260)
        edit.textChanged.connect(model.set_filter_text)
        return edit

    def _build_audits(self) -> None:
        page = QWidget()
        self.audit_model = AuditTableModel(self)
        self.audit_table = _table("Clinical audits", self.audit_model)
        self.new_audit_button = _button("&New audit…", "Record a clinical audit")
        self.new_reaudit_button = _button("New &re-audit…", "Record a re-audit of the selected audit")
        self.edit_audit_button = _button("&Edit…", "Edit the selected audit (Enter)")
        self.delete_audit_button = _button("&Delete", "Delete the selected audit")
        self.export_audits_button = _button("E&xport…", "Save the list as a spreadsheet")
        self.print_appendix_button = _button("&Print appendix…", "Print the clinical audits appendix as PDF")
        self.audit_filter = self._filter_edit("auditFilter", self.audit_model)
        v = QVBoxLayout(page)
        v.addLayout(self._toolbar(self.new_audit_button, self.new_reaudit_button, self.edit_audit_button,
                                  self.delete_audit_button, self.export_audits_button, self.print_appendix_button,
                                  filter_edit=self.audit_filter))
        v.addWidget(self.audit_table)
        widths = (190, 110, 66, 330, 66, 150, 70, 80, 56, 90, 90)
        for col, w in enumerate(widths):
            self.audit_table.horizontalHeader().resizeSection(col, w)
        self.audit_table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.new_audit_button.clicked.connect(lambda: self.open_audit_editor())
        self.new_reaudit_button.clicked.connect(self._new_reaudit)
        self.edit_audit_button.clicked.connect(self._edit_audit)
        self.audit_table.activated.connect(lambda _i: self._edit_audit())
        self.delete_audit_button.clicked.connect(self._delete_audit)
        self.export_audits_button.clicked.connect(lambda: self._export("audits"))
        self.print_appendix_button.clicked.connect(self._print_appendix)
        self.tabs.addTab(page, "&Audits")

    def _build_visits(self) -> None:
        page = QWidget()
        self.visit_model = VisitTableModel(self)
        self.visit_table = _table("Quality visits", self.visit_model)
        self.new_visit_button = _button("&New visit…", "Record a quality visit")
        self.edit_visit_button = _button("&Edit…", "Edit the selected visit (Enter)")
        self.delete_visit_button = _button("&Delete", "Delete the selected visit")
        self.export_visits_button = _button("E&xport…", "Save the list as a spreadsheet")
        self.visit_filter = self._filter_edit("visitFilter", self.visit_model)
        v = QVBoxLayout(page)
        v.addLayout(self._toolbar(self.new_visit_button, self.edit_visit_button, self.delete_visit_button,
                                  self.export_visits_button, filter_edit=self.visit_filter))
        v.addWidget(self.visit_table)
        for col, w in enumerate((200, 150, 82, 82, 180, 56, 100, 100, 300)):
            self.visit_table.horizontalHeader().resizeSection(col, w)
        self.visit_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # newest planned first
        self.new_visit_button.clicked.connect(lambda: self.open_visit_editor())
        self.edit_visit_button.clicked.connect(self._edit_visit)
        self.visit_table.activated.connect(lambda _i: self._edit_visit())
        self.delete_visit_button.clicked.connect(self._delete_visit)
        self.export_visits_button.clicked.connect(lambda: self._export("visits"))
        self.tabs.addTab(page, "&Quality visits")

    def _build_pgds(self) -> None:
        page = QWidget()
        self.pgd_model = PgdTableModel(self.today, self)
        self.pgd_table = _table("Patient Group Directions", self.pgd_model)
        self.new_pgd_button = _button("&New PGD…", "Record a Patient Group Direction")
        self.edit_pgd_button = _button("&Edit…", "Edit the selected PGD (Enter)")
        self.delete_pgd_button = _button("&Delete", "Delete the selected PGD")
        self.export_pgds_button = _button("E&xport…", "Save the list as a spreadsheet")
        self.print_schedule_button = _button("&Print schedule…", "Print the PGD review and expiry schedule")
        self.pgd_filter = self._filter_edit("pgdFilter", self.pgd_model)
        v = QVBoxLayout(page)
        v.addLayout(self._toolbar(self.new_pgd_button, self.edit_pgd_button, self.delete_pgd_button,
                                  self.export_pgds_button, self.print_schedule_button, filter_edit=self.pgd_filter))
        v.addWidget(self.pgd_table)
        for col, w in enumerate((300, 110, 190, 56, 82, 82, 82, 72, 270)):
            self.pgd_table.horizontalHeader().resizeSection(col, w)
        self.pgd_table.sortByColumn(8, Qt.SortOrder.AscendingOrder)
        self.new_pgd_button.clicked.connect(lambda: self.open_pgd_editor())
        self.edit_pgd_button.clicked.connect(self._edit_pgd)
        self.pgd_table.activated.connect(lambda _i: self._edit_pgd())
        self.delete_pgd_button.clicked.connect(self._delete_pgd)
        self.export_pgds_button.clicked.connect(lambda: self._export("pgds"))
        self.print_schedule_button.clicked.connect(self._print_schedule)
        self.tabs.addTab(page, "&PGDs")

    def _build_assurance(self) -> None:
        page = QWidget()
        self.summary_combo = QComboBox()
        self.summary_combo.setAccessibleName("Assurance summary period")
        self.summary_combo.setMinimumContentsLength(30)
        self.new_summary_button = _button("&New period…", "Start a summary for a period, pre-filled from riskdesk")
        self.add_line_button = _button("&Add row", "Add a row below the selected one")
        self.remove_line_button = _button("&Remove row", "Remove the selected row")
        self.export_summary_button = _button("E&xport…", "Save the summary as a spreadsheet")
        self.print_summary_button = _button("&Print…", "Print the summary (as Table 1) as PDF")
        self.assurance_model = AssuranceTableModel(self)
        self.assurance_table = _table("Assurance summary", self.assurance_model)
        self.assurance_table.setSortingEnabled(False)
        self.assurance_table.setWordWrap(True)
        self.assurance_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                             | QAbstractItemView.EditTrigger.EditKeyPressed
                                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.assurance_table.horizontalHeader()
        header.resizeSection(0, 200)
        header.resizeSection(1, 300)
        header.setStretchLastSection(True)
        self.assurance_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        v = QVBoxLayout(page)
        bar = self._toolbar(QLabel("Period:"), self.summary_combo, self.new_summary_button, self.add_line_button,
                            self.remove_line_button, self.export_summary_button, self.print_summary_button)
        v.addLayout(bar)
        hint = QLabel("Double-click or press F2 to edit a cell; each edit is saved at once and can be undone.")
        hint.setStyleSheet("color: #555;")
        v.addWidget(hint)
        v.addWidget(self.assurance_table)
        self.summary_combo.currentIndexChanged.connect(lambda _i: self._show_summary())
        self.assurance_model.lineEdited.connect(self._line_edited)
        self.new_summary_button.clicked.connect(self._new_summary)
        self.add_line_button.clicked.connect(self._add_line)
        self.remove_line_button.clicked.connect(self._remove_line)
        self.export_summary_button.clicked.connect(lambda: self._export("assurance"))
        self.print_summary_button.clicked.connect(self._print_summary)
        self.tabs.addTab(page, "Assurance &summary")

    def _build_profile(self) -> None:
        page = QWidget()
        self.provider_combo = QComboBox()
        self.provider_combo.setAccessibleName("Provider")
        self.provider_combo.setMinimumContentsLength(40)
        self.quarter_combo = QComboBox()
        self.quarter_combo.setAccessibleName("Quarter")
        self.profile_view = QTextBrowser()
        self.profile_view.setObjectName("providerProfile")
        self.profile_view.setAccessibleName("Provider assurance profile")
        v = QVBoxLayout(page)
        v.addLayout(self._toolbar(QLabel("Provider:"), self.provider_combo, QLabel("Quarter:"), self.quarter_combo))
        v.addWidget(self.profile_view)
        self.provider_combo.currentIndexChanged.connect(lambda _i: self.show_profile())
        self.quarter_combo.currentIndexChanged.connect(lambda _i: self.show_profile())
        self.tabs.addTab(page, "Provider &profile")

    def _build_undo(self) -> None:
        # Ctrl+Z and Ctrl+Shift+Z are the window's Edit ▸ Undo/Redo, acting on this stack while
        # this page is shown (and on no other page's).
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.redo_button.clicked.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        self.undo_stack.undoTextChanged.connect(lambda t: self.undo_button.setToolTip(f"Undo {t} (Ctrl+Z)"))
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)

    # -- loading -------------------------------------------------------------------------------

    def routed_actions(self) -> dict[ActionId, Routed]:
        """What the window's Refresh does while this page is shown (New, Save and Find have nothing here)."""
        return {A.REFRESH: Routed("&Refresh", self.reload)}

    def reload(self) -> None:
        """Fetch every list again and refresh the strip and the open summary and profile."""
        try:
            self.audit_model.set_rows(self.clinical.list_audits(self.actor))
            self.visit_model.set_rows(self.clinical.list_visits(self.actor))
            self.pgd_model.set_rows(self.clinical.list_pgds(self.actor))
            self.update_strip(self.clinical.overview(self.actor, self.today))
            self._load_summaries()
            self._load_profile_choices()
        except RiskdeskError as exc:
            self.show_status(str(exc), error=True)

    def update_strip(self, ov: ClinicalOverview) -> None:
        self.strip_counts.setText(
            f"<b>{Quarter.of(ov.today).label}</b> · audits this quarter: {ov.audits_this_quarter} · "
            f"in progress: {ov.audits_in_progress} · re-audits due: {ov.reaudits_due} · "
            f"visits due: {ov.visits_due} · overdue actions: {ov.overdue_actions}")
        if not ov.pgd_alerts:
            self.pgd_warning_label.setText("PGDs: no review or expiry within 90 days.")
            return
        parts = []
        for g, alert in ov.pgd_alerts:
            fill, text = WARNING_COLOURS[alert.level]
            name = g.name if len(g.name) <= 48 else g.name[:47] + "…"
            parts.append(f"<span style='background:{fill}; color:{text}; font-weight:600'>&nbsp;"
                         f"{html.escape(name)}: {html.escape(alert.short_text)}&nbsp;</span>")
        n_exp = ov.expired_pgds
        head = f"<b>PGD warnings ({len(ov.pgd_alerts)}{f', {n_exp} EXPIRED' if n_exp else ''}):</b> "
        self.pgd_warning_label.setText(head + " &nbsp; ".join(parts))
        self.pgd_warning_label.setToolTip("\n".join(f"{g.name}: {a.text}" for g, a in ov.pgd_alerts))

    def _load_summaries(self) -> None:
        current = self.summary_combo.currentData()
        self.summary_combo.blockSignals(True)
        self.summary_combo.clear()
        for m in self.clinical.list_summaries(self.actor):
            self.summary_combo.addItem(m.label, m.id)
        if current is not None and self.summary_combo.findData(current) >= 0:
            self.summary_combo.setCurrentIndex(self.summary_combo.findData(current))
        self.summary_combo.blockSignals(False)
        self._show_summary()

    def _show_summary(self) -> None:
        summary_id = self.summary_combo.currentData()
        if summary_id is None:
            self.assurance_model.set_rows([])
            self._summary_version = None
            return
        m = self.clinical.get_summary(self.actor, int(summary_id))
        self._summary_version = m.version
        self.assurance_model.set_rows(list(m.lines))

    def _load_profile_choices(self) -> None:
        provider = self.provider_combo.currentData()
        quarter = self.quarter_combo.currentData()
        for combo in (self.provider_combo, self.quarter_combo):
            combo.blockSignals(True)
            combo.clear()
        for p in self.services.providers.list_providers(self.actor):
            self.provider_combo.addItem(p.label, p.id)
        quarters = set(last_n(Quarter.of(self.today), 8)) | {a.quarter for a in self.audit_model.rows()}
        for q in sorted(quarters, reverse=True):
            self.quarter_combo.addItem(q.label, q)
        for combo, value in ((self.provider_combo, provider), (self.quarter_combo, quarter)):
            if value is not None and combo.findData(value) >= 0:
                combo.setCurrentIndex(combo.findData(value))
            elif combo is self.quarter_combo:
                combo.setCurrentIndex(max(combo.findData(Quarter.of(self.today)), 0))
            combo.blockSignals(False)
        self.show_profile()

    def show_profile(self) -> None:
        provider_id, quarter = self.provider_combo.currentData(), self.quarter_combo.currentData()
        if provider_id is None or quarter is None:
            self.profile_view.setHtml("<p>No providers yet.</p>")
            return
        try:
            profile = self.clinical.provider_profile(self.actor, int(provider_id), quarter, self.today)
        except RiskdeskError as exc:
            self.profile_view.setHtml(f"<p>{html.escape(str(exc))}</p>")
            return
        self.profile_view.setHtml(profile_html(profile))

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #b00020; font-weight: 600;" if error else "color: #1f4e79;")
        self.status.setText(text)

    # -- editing -------------------------------------------------------------------------------

    def _selected(self, table: QTableView, model: RowTableModel[Any]) -> Any:
        rows = table.selectionModel().selectedRows()
        if not rows:
            self.show_status("Select a row first.", error=True)
            return None
        return model.row_at(rows[0].row())

    def _after(self, message: str | None) -> None:
        self.reload()
        if message:
            self.show_status(message, error=True)
        self.changed.emit()

    def _push(self, text: str, *, record_id: int | None, version: int | None, before: Any, after: Any,
              kind: str) -> None:
        c = self.clinical
        ops = {
            "audit": (c.add_audit, c.update_audit, c.delete_audit),
            "visit": (c.add_visit, c.update_visit, c.delete_visit),
            "pgd": (c.add_pgd, c.update_pgd, c.delete_pgd),
        }[kind]
        a = self.actor
        self.undo_stack.push(RecordCommand(
            text, kind=kind, record_id=record_id, version=version, before=before, after=after,
            versions=self._versions,
            add=lambda d: ops[0](a, d),
            update=lambda i, d, v: ops[1](a, i, d, expected_version=v),
            delete=lambda i, v: ops[2](a, i, expected_version=v),
            done=self._after))

    def _open(self, dialog: QDialog, on_saved: Callable[[Any], None]) -> QDialog:
        dialog.saved.connect(on_saved)  # type: ignore[attr-defined]
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.editor = dialog
        dialog.open()
        return dialog

    def open_audit_editor(self, audit_id: int | None = None, *, reaudit_of: Any = None) -> AuditDialog:
        """Open the audit editor (new, edit or re-audit); the save is pushed on the undo stack."""
        before = self.clinical.get_audit(self.actor, audit_id).draft() if audit_id else None
        dialog = AuditDialog(self.services, self.actor, audit_id, reaudit_of=reaudit_of, today=self.today,
                             parent=self)

        def saved(row: Any) -> None:
            verb = "edit" if before else ("record re-audit" if reaudit_of else "record audit")
            self._push(f"{verb} “{row.title}”", record_id=row.id, version=row.version, before=before,
                       after=row.draft(), kind="audit")
            self._after(None)
            self.show_status(f"Saved “{row.title}”.")

        self._open(dialog, saved)
        return dialog

    def _new_reaudit(self) -> None:
        row = self._selected(self.audit_table, self.audit_model)
        if row is not None:
            self.open_audit_editor(reaudit_of=row)

    def _edit_audit(self) -> None:
        row = self._selected(self.audit_table, self.audit_model)
        if row is not None:
            self.open_audit_editor(row.id)

    def _delete_audit(self) -> None:
        row = self._selected(self.audit_table, self.audit_model)
        if row is None or not self._confirm(f"Delete the audit “{row.title}”? You can undo this."):
            return
        try:
            self.clinical.delete_audit(self.actor, row.id, expected_version=row.version)
        except RiskdeskError as exc:
            self.show_status(str(exc), error=True)
            return
        self._push(f"delete “{row.title}”", record_id=row.id, version=row.version, before=row.draft(), after=None,
                   kind="audit")
        self._after(None)

    def open_visit_editor(self, visit_id: int | None = None) -> VisitDialog:
        before = self.clinical.get_visit(self.actor, visit_id).draft() if visit_id else None
        dialog = VisitDialog(self.services, self.actor, visit_id, parent=self)

        def saved(row: Any) -> None:
            self._push(f"{'edit' if before else 'record'} visit to {row.service_name}", record_id=row.id,
                       version=row.version, before=before, after=row.draft(), kind="visit")
            self._after(None)
            self.show_status(f"Saved the visit to {row.service_name}.")

        self._open(dialog, saved)
        return dialog

    def _edit_visit(self) -> None:
        row = self._selected(self.visit_table, self.visit_model)
        if row is not None:
            self.open_visit_editor(row.id)

    def _delete_visit(self) -> None:
        row = self._selected(self.visit_table, self.visit_model)
        if row is None or not self._confirm(f"Delete the visit to {row.service_name} on {fmt_date(row.when)}?"):
            return
        try:
            self.clinical.delete_visit(self.actor, row.id, expected_version=row.version)
        except RiskdeskError as exc:
            self.show_status(str(exc), error=True)
            return
        self._push("delete visit", record_id=row.id, version=row.version, before=row.draft(), after=None,
                   kind="visit")
        self._after(None)

    def open_pgd_editor(self, pgd_id: int | None = None) -> PgdDialog:
        before = self.clinical.get_pgd(self.actor, pgd_id).draft() if pgd_id else None
        dialog = PgdDialog(self.services, self.actor, pgd_id, today=self.today, parent=self)

        def saved(row: PgdRow) -> None:
            self._push(f"{'edit' if before else 'record'} PGD “{row.name}”", record_id=row.id, version=row.version,
                       before=before, after=row.draft(), kind="pgd")
            self._after(None)
            self.show_status(f"Saved the PGD “{row.name}”.")

        self._open(dialog, saved)
        return dialog

    def _edit_pgd(self) -> None:
        row = self._selected(self.pgd_table, self.pgd_model)
        if row is not None:
            self.open_pgd_editor(row.id)

    def _delete_pgd(self) -> None:
        row = self._selected(self.pgd_table, self.pgd_model)
        if row is None or not self._confirm(f"Delete the PGD “{row.name}”? You can undo this."):
            return
        try:
            self.clinical.delete_pgd(self.actor, row.id, expected_version=row.version)
        except RiskdeskError as exc:
            self.show_status(str(exc), error=True)
            return
        self._push(f"delete PGD “{row.name}”", record_id=row.id, version=row.version, before=row.draft(),
                   after=None, kind="pgd")
        self._after(None)

    def _confirm(self, text: str) -> bool:
        return self.confirm(text)

    def confirm(self, text: str) -> bool:
        """Ask before a deletion. Tests replace this attribute (a message box would block them)."""
        answer = QMessageBox.question(self, "riskdesk", text)
        return answer == QMessageBox.StandardButton.Yes

    # -- assurance summary ---------------------------------------------------------------------

    def save_summary_lines(self, lines: list[AssuranceLine], text: str) -> bool:
        """Save the summary's rows as ``lines`` (undoably); False with a message if refused."""
        summary_id = self.summary_combo.currentData()
        if summary_id is None:
            return False
        before = tuple(self.assurance_model.rows())
        try:
            m = self.clinical.save_summary(self.actor, int(summary_id), lines,
                                           expected_version=int(self._summary_version or 0))
        except RiskdeskError as exc:
            self.show_status(f"{exc}", error=True)
            if "changed by someone else" in str(exc):
                self._show_summary()  # show theirs; the edit is reported above, not silently kept
            return False
        sid = int(summary_id)
        self.undo_stack.push(RecordCommand(
            text, kind="summary", record_id=sid, version=m.version, before=before, after=tuple(m.lines),
            add=None, delete=None, versions=self._versions,
            update=lambda i, d, v: self.clinical.save_summary(self.actor, i, list(d), expected_version=v),
            done=self._after))
        self._summary_version = m.version
        self.assurance_model.set_rows(list(m.lines))
        self.show_status("Summary saved.")
        return True

    def _line_edited(self, row: int, line: AssuranceLine) -> None:
        lines = self.assurance_model.rows()
        lines[row] = line
        self.save_summary_lines(lines, f"edit summary row {row + 1}")

    def _add_line(self) -> None:
        lines = self.assurance_model.rows()
        index = self.assurance_table.currentIndex()
        at = index.row() + 1 if index.isValid() else len(lines)
        heading = lines[at - 1].heading if at > 0 and lines else "Quality Visits"
        lines.insert(at, AssuranceLine(heading, "", ""))
        if self.save_summary_lines(lines, "add summary row"):
            self.assurance_table.setCurrentIndex(self.assurance_model.index(at, 1))

    def _remove_line(self) -> None:
        index = self.assurance_table.currentIndex()
        if not index.isValid():
            self.show_status("Select a row first.", error=True)
            return
        lines = self.assurance_model.rows()
        del lines[index.row()]
        self.save_summary_lines(lines, "remove summary row")

    def _new_summary(self) -> None:
        dialog = NewSummaryDialog(self.today, self)
        self.editor = dialog

        def create() -> None:
            try:
                start, end = dialog.period()
                m = self.clinical.create_summary(self.actor, start, end, label=dialog.label_edit.text())
            except RiskdeskError as exc:
                dialog.message.setText(str(exc))
                return
            dialog.accept()
            self._load_summaries()
            self.summary_combo.setCurrentIndex(self.summary_combo.findData(m.id))
            self.show_status(f"Summary for {m.label} started with {len(m.lines)} pre-filled rows.")

        dialog.buttons.accepted.connect(create)
        dialog.open()

    # -- export and print ----------------------------------------------------------------------

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
            out = self.export_list(which, path)
        except (RiskdeskError, OSError) as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        self.show_status(f"Exported to {out}")

    def _save_pdf(self, name: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "Print to PDF", name, "PDF (*.pdf)")
        return path

    def _print(self, what: str, build: Callable[[], Path], done: str) -> Operation:
        """Run ``build`` (which writes the PDF) on a worker thread, with progress and Cancel.

        Errors the user can act on (a bad period, a file that cannot be written) show in the
        status line like every other message here; anything else is a bug and gets the detail box.
        """
        self.show_status(f"Printing the {what}…")
        buttons = (self.print_appendix_button, self.print_schedule_button, self.print_summary_button)
        for b in buttons:
            b.setEnabled(False)  # one print at a time: a second would race for the same file

        def written(out: Path) -> None:
            self.show_status(f"{done} {out}")
            self.printed.emit(Path(out))

        def failed(exc: BaseException) -> None:
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

    def print_appendix(self, path: str | Path, first: Quarter | None = None, last: Quarter | None = None) -> Operation:
        """Print the audits appendix for the financial year so far (or ``first``–``last``) to a PDF.

        Runs on a worker thread; ``printed`` is emitted with the file once it is written.
        """
        q = Quarter.of(self.today)
        first, last = first or Quarter(q.fy, 1), last or q
        printing, actor, today = self.services.printing, self.actor, self.today

        def build() -> Path:
            return printing.audit_appendix(actor, path, first, last, today=today)

        return self._print("audits appendix", build, "Appendix written to")

    def _print_schedule(self) -> None:
        path = self._save_pdf("pgd-schedule.pdf")
        if path:
            self.print_schedule(path)

    def print_schedule(self, path: str | Path) -> Operation:
        """Print the PGD review and expiry schedule (the PGDs listed) to a PDF on a worker thread."""
        rows, today = self.pgd_model.rows(), self.today  # taken now: the list may change meanwhile
        printing, actor = self.services.printing, self.actor

        def build() -> Path:
            return printing.pgd_schedule(actor, path, today, rows)

        return self._print("PGD schedule", build, "Schedule written to")

    def _print_summary(self) -> None:
        summary_id = self.summary_combo.currentData()
        if summary_id is None:
            self.show_status("Choose a period first.", error=True)
            return
        path = self._save_pdf("assurance-summary.pdf")
        if path:
            self.print_summary(path)

    def print_summary(self, path: str | Path) -> Operation | None:
        """Print the assurance summary chosen to a PDF on a worker thread (None: no period chosen)."""
        summary_id = self.summary_combo.currentData()
        if summary_id is None:
            self.show_status("Choose a period first.", error=True)
            return None
        printing, actor, sid = self.services.printing, self.actor, int(summary_id)

        def build() -> Path:
            return printing.assurance_summary(actor, path, sid)

        return self._print("assurance summary", build, "Summary written to")


class NewSummaryDialog(QDialog):
    """Ask for the period of a new assurance summary (default: the twelve months to last quarter's end)."""

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New assurance summary")
        last = Quarter.of(today).previous()
        first = last.previous().previous().previous()
        self.start_edit, self.end_edit = DateField("period start"), DateField("period end")
        self.start_edit.set_value(first.start)
        self.end_edit.set_value(last.end)
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText("e.g. October 2022 – September 2023 (default from the dates)")
        self.label_edit.setAccessibleName("Period name")
        self.message = QLabel()
        self.message.setStyleSheet("color: #b00020; font-weight: 600;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&From:", self.start_edit)
        form.addRow("&To:", self.end_edit)
        form.addRow("&Name:", self.label_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("The rows are pre-filled from the audits, visits, PGDs (and serious incidents, "
                                "when connected) riskdesk holds for the period; edit them afterwards."))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def period(self) -> tuple[date, date]:
        start, end = self.start_edit.value(), self.end_edit.value()
        if start is None or end is None:
            raise ValidationError("period", "", "needs both a start and an end date")
        return start, end


def profile_html(p: ProviderProfile) -> str:
    """The provider assurance profile as HTML for the profile tab (all user text escaped)."""
    e = html.escape

    def table(headers: list[str], rows: list[list[str]], empty: str = "None.") -> str:
        if not rows:
            return f"<p style='color:#555'>{empty}</p>"
        head = "".join(f"<th align='left' style='background:#1f4e79;color:white'>{h}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
        return f"<table cellspacing='0' cellpadding='4' border='1' width='100%'><tr>{head}</tr>{body}</table>"

    def rag(value: Any) -> str:
        if value is None:
            return ""
        return f"<span style='background:{value.rgb}'>&nbsp;{value.label}&nbsp;</span>"

    out = [f"<h2>{e(p.provider_label)} – {p.quarter.label}</h2>",
           f"<p>Services: {e(', '.join(p.services)) or 'none recorded'}</p>"]
    if p.serious_incidents is None:
        si = "not available (the serious-incident log is not connected)"
    else:
        si = f"{p.serious_incidents} this quarter; {p.serious_incidents_year} in {p.quarter.financial_year} so far"
    out.append(f"<p><b>Serious incidents:</b> {si}</p>")
    out.append("<h3>Clinical audits this quarter</h3>")
    out.append(table(["Audit", "Type", "Standard", "Status", "RAG", "Actions"], [
        [e(a.title) + (f"<br/><small>Re-audit of {e(a.previous_audit_title)}</small>" if a.previous_audit_title
                       else ""), a.kind.label, e(a.standard_body), a.status.label, rag(a.rag),
         f"{len(a.actions) - a.open_actions} of {len(a.actions)} done" if a.actions else ""] for a in p.audits],
        "No audits recorded for this quarter."))
    out.append("<h3>Re-audits due</h3>")
    out.append(table(["Audit", "Quarter", "Re-audit due"], [
        [e(a.title), a.quarter.label, fmt_date(a.reaudit_due)] for a in p.reaudits_due], "No re-audits due."))
    out.append("<h3>Quality visits</h3>")
    last = (f"Last visit {fmt_date(p.last_visit.actual)}, rated {p.last_visit.rag.label.lower()}."
            if p.last_visit and p.last_visit.rag else
            f"Last visit {fmt_date(p.last_visit.actual)}." if p.last_visit else "No visit recorded yet.")
    out.append(f"<p>{last}</p>")
    out.append(table(["Service", "Planned", "Visited", "RAG", "Actions", "Outcome"], [
        [e(v.service_name), fmt_date(v.planned), fmt_date(v.actual), rag(v.rag),
         {True: "All completed", False: "Open actions", None: ""}[v.actions_complete], e(v.outcome)]
        for v in p.visits], "No visits this quarter."))
    out.append("<h3>Patient Group Directions</h3>")
    rows = []
    for g, alert in p.pgds:
        # An expired PGD is no longer "in use" whatever its recorded status says: show the flag alone.
        status = "" if alert.expired else e(g.status.label)
        if alert.level is not WarningLevel.NONE:
            fill, text = WARNING_COLOURS[alert.level]
            flag = f"<span style='background:{fill};color:{text};font-weight:600'>{e(alert.text)}</span>"
            status = f"{status}<br/>{flag}" if status else flag
        rows.append([e(g.name), fmt_date(g.review_due), fmt_date(g.expiry), status])
    out.append(table(["PGD", "Review due", "Expiry", "Status"], rows, "No PGDs recorded for this provider."))
    out.append("<h3>Open actions</h3>")
    out.append(table(["From", "Action", "Owner", "Due"], [
        [e(src), e(a.description), e(a.owner),
         (f"<b style='color:#c00000'>{fmt_date(a.due)} (overdue)</b>" if a.overdue(p.today) else fmt_date(a.due))]
        for src, a in p.open_actions], "No open actions."))
    return "\n".join(out)


__all__ = ["ClinicalPage", "NewSummaryDialog", "RecordCommand", "profile_html"]
