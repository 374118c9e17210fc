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
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.clinical import (
    AssuranceLine,
    ClinicalOverview,
    PgdRow,
)
from riskdesk.domain.errors import RiskdeskError, ValidationError
from riskdesk.domain.permissions import Permission, allows, why_not
from riskdesk.domain.quarters import Quarter, last_n
from riskdesk.domain.register import Actor
from riskdesk.ui.clinical.dialogs import AuditDialog, PgdDialog, VisitDialog
from riskdesk.ui.clinical.table_models import (
    WARNING_COLOURS,
    RowTableModel,
    fmt_date,
)
from riskdesk.ui.kit.actions import ActionId, Routed
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.kit.contrast import ERROR, INFO, tone
from riskdesk.ui.kit.fields import DateField

if TYPE_CHECKING:
    from riskdesk.services import Services


from riskdesk.ui.clinical.page_layout import ClinicalPageLayout
from riskdesk.ui.clinical.printing import ClinicalPrintingMixin
from riskdesk.ui.clinical.profile import profile_html
from riskdesk.ui.kit.printing import PrintTask
from riskdesk.ui.kit.undo import RecordCommand, page_undo_stack


class ClinicalPage(ClinicalPrintingMixin, ClinicalPageLayout, QWidget):
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
        self.print_task: PrintTask | None = None  # the print last started
        role = services.registers.me(actor).role
        self.can_edit = allows(role, Permission.EDIT_CLINICAL)
        self.can_view = allows(role, Permission.VIEW_CLINICAL)
        self.undo_stack = page_undo_stack(self)
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
            self.strip_counts.setText(why_not(role, Permission.VIEW_CLINICAL))
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
            if not self.can_edit:
                b.setToolTip(why_not(role, Permission.EDIT_CLINICAL))
        self.assurance_model.editable = self.can_edit
        self.reload()

    # -- loading -------------------------------------------------------------------------------

    def routed_actions(self) -> dict[ActionId, Routed]:
        """What the window's Print and Refresh do while this page is shown (New, Save and Find have nothing here)."""
        # One text for every tab (the menu is built when the page is shown, not per tab): the print
        # dialog's title names the report of the tab shown.
        return {A.PRINT: Routed("&Print clinical report…", self.print_report),
                A.REFRESH: Routed("&Refresh", self.reload)}

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
        self.status.setStyleSheet(f"color: {tone(ERROR)}; font-weight: 600;" if error else f"color: {tone(INFO)};")
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
        self.label_edit.setMinimumWidth(  # the grey default is read whole
            self.label_edit.fontMetrics().horizontalAdvance(self.label_edit.placeholderText()) + 16)
        self.message = QLabel()
        self.message.setStyleSheet(f"color: {tone(ERROR)}; font-weight: 600;")
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&From:", self.start_edit)
        form.addRow("&To:", self.end_edit)
        form.addRow("&Name:", self.label_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel("The rows are pre-filled from the audits, visits, PGDs (and serious incidents, "
                       "when connected) riskdesk holds for the period; edit them afterwards.")
        intro.setWordWrap(True)  # wrapped, not one line that makes the dialog 830 pixels wide
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def period(self) -> tuple[date, date]:
        start, end = self.start_edit.value(), self.end_edit.value()
        if start is None or end is None:
            raise ValidationError("period", "", "needs both a start and an end date")
        return start, end


__all__ = ["ClinicalPage", "NewSummaryDialog", "RecordCommand", "profile_html"]
