"""The SI editor: every field of a serious incident, its actions, reviews, extensions and risk links.

Edits stay in the dialog (with undo and redo) until Save, which sends the whole record to
``services.incidents.save`` in one transaction. Patient-data warnings, validation errors and
stale edits appear in a message bar at the top, and nothing typed is lost.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
    QWidget,
)

from riskdesk.domain.errors import RiskdeskError, StaleEdit, ValidationError
from riskdesk.domain.incidents import (
    ActionDraft,
    ExtensionRow,
    Framework,
    IncidentDetail,
    IncidentDraft,
    LearningResponse,
    PidWarning,
    ReviewRow,
    RiskLink,
    Status,
    allowed_statuses,
    clocks_for,
    due_dates,
)
from riskdesk.domain.providers import ProviderRow
from riskdesk.domain.register import Actor
from riskdesk.ui.kit.contrast import ERROR, INFO, notice_css

if TYPE_CHECKING:
    from riskdesk.services import Services


from riskdesk.ui.incidents.dialog_layout import IncidentDialogLayout
from riskdesk.ui.incidents.dialog_records import IncidentDialogRecords
from riskdesk.ui.incidents.fields import BAND_STYLE, FieldCommand, _Field, _pydate
from riskdesk.ui.kit.sizing import resize_to_fit_screen


class IncidentDialog(IncidentDialogRecords, IncidentDialogLayout, QDialog):
    """Log a new SI (``incident_id`` None) or edit one."""

    saved = Signal(int)

    def __init__(self, services: Services, actor: Actor, incident_id: int | None = None,
                 parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.today = today or date.today()
        self.detail: IncidentDetail | None = None
        self.setObjectName("incidentDialog")
        resize_to_fit_screen(self, 980, 720)
        self.undo_stack = QUndoStack(self)
        self._applying = False
        self._values: dict[str, Any] = {}
        self._fields: dict[str, _Field] = {}
        self._providers: list[ProviderRow] = []
        self._risk_choices: list[RiskLink] = []
        self.actions_list: list[ActionDraft] = []
        self.reviews_list: list[ReviewRow] = []
        self.new_extensions: list[ExtensionRow] = []
        self.risk_ids: list[int] = []
        self.can_edit = services.incidents.can_edit(actor)

        self._build()
        self._register_fields()
        self._load_choices()
        if incident_id is not None:
            self.load(incident_id)
        else:
            self._start_new()
        self._set_read_only(not self.can_edit)

    # -- fields and undo -------------------------------------------------------------------------

    def _field_edited(self, name: str) -> None:
        if self._applying:
            return
        new = self._fields[name].get()
        old = self._values.get(name)
        if new == old:
            return
        self._values[name] = new
        self.undo_stack.push(FieldCommand(self, name, old, new, self._fields[name].merge))
        self._refresh_derived()

    def _change_list(self, name: str, new: list[Any], text: str) -> None:
        old = self._values.get(name)
        cmd = FieldCommand(self, name, old, list(new), False)
        cmd.setText(text)
        self.undo_stack.push(cmd)

    def _put(self, name: str, value: Any) -> None:
        """Set a field from the undo stack (no new undo step)."""
        self._applying = True
        try:
            field = self._fields[name]
            if field.get() != value:
                field.set(value)
            self._values[name] = value
        finally:
            self._applying = False
        self._refresh_derived()

    def _snapshot_values(self) -> None:
        self._values = {name: f.get() for name, f in self._fields.items()}

    # -- provider and service ----------------------------------------------------------------------

    def _provider_service(self) -> tuple[int | None, int | None]:
        return (self.provider_combo.currentData(), self.service_combo.currentData())

    def _fill_services(self, provider_id: int | None, keep: int | None = None) -> None:
        self.service_combo.blockSignals(True)
        self.service_combo.clear()
        for p in self._providers:
            if p.id == provider_id:
                for sv in p.services:
                    if sv.active or sv.id == keep:
                        self.service_combo.addItem(sv.name + ("" if sv.active else " (retired)"), sv.id)
        if keep is not None:
            self.service_combo.setCurrentIndex(max(self.service_combo.findData(keep), 0))
        self.service_combo.blockSignals(False)

    def _put_provider_service(self, value: tuple[int | None, int | None]) -> None:
        provider_id, service_id = value
        self.provider_combo.blockSignals(True)
        self.provider_combo.setCurrentIndex(max(self.provider_combo.findData(provider_id), 0))
        self.provider_combo.blockSignals(False)
        self._fill_services(provider_id, service_id)

    def _provider_changed(self, _index: int) -> None:
        self._fill_services(self.provider_combo.currentData())
        self._field_edited("provider_service")

    def _load_choices(self) -> None:
        try:
            self._providers = self.services.providers.list_providers(self.actor, include_inactive=True)
        except RiskdeskError as exc:
            self.show_message(str(exc), error=True)
            self._providers = []
        self.provider_combo.blockSignals(True)
        self.provider_combo.clear()
        for p in self._providers:
            if p.active:
                self.provider_combo.addItem(p.label, p.id)
        self.provider_combo.blockSignals(False)
        try:
            self._risk_choices = self.services.incidents.linkable_risks(self.actor)
        except RiskdeskError:
            self._risk_choices = []  # no register access: linking is simply not offered
        self.risk_combo.clear()
        for r in self._risk_choices:
            self.risk_combo.addItem(r.label, r.risk_id)
        self.link_risk_button.setEnabled(bool(self._risk_choices))

    # -- loading ---------------------------------------------------------------------------------

    def _start_new(self) -> None:
        self._applying = True
        try:
            self._fill_status(None)
            self._fill_services(self.provider_combo.currentData())
        finally:
            self._applying = False
        self._snapshot_values()
        self.undo_stack.clear()
        self._refresh_derived()
        self._update_title()

    def load(self, incident_id: int) -> None:
        """Show the stored SI, discarding any unsaved edits."""
        try:
            detail = self.services.incidents.get(self.actor, incident_id, today=self.today)
        except RiskdeskError as exc:
            self.show_message(str(exc), error=True)
            return
        self.detail = detail
        r = detail.row
        if self.provider_combo.findData(r.provider_id) < 0:  # an inactive provider still shows on its SIs
            for p in self._providers:
                if p.id == r.provider_id:
                    self.provider_combo.addItem(p.label + " (inactive)", p.id)
        self._applying = True
        try:
            self._fill_status(r.status)
            self._put_provider_service((r.provider_id, r.service_id))
            values = {
                "reference": r.reference, "category": r.category, "external_ref": r.external_ref,
                "occurred_on": r.occurred_on, "identified_on": r.identified_on, "reported_on": r.reported_on,
                "framework": r.framework.value,
                "learning_response": r.learning_response.value if r.learning_response else None,
                "agreed_due": detail.agreed_due, "status": r.status.value,
                "steis_reported_on": detail.steis_reported_on, "initial_review_on": detail.initial_review_on,
                "report_received_on": detail.report_received_on, "closed_on": r.closed_on,
                "description": r.description, "lessons": detail.lessons,
                "actions": list(detail.to_draft().actions), "reviews": list(detail.reviews), "extensions": [],
                "risks": [k.risk_id for k in detail.risks],
            }
            for name, value in values.items():
                self._fields[name].set(value)
        finally:
            self._applying = False
        self._snapshot_values()
        self.undo_stack.clear()
        self.hide_message()
        self._refresh_derived()
        self._update_title()

    def reload(self) -> None:
        if self.detail is not None:
            self.load(self.detail.id)
            self.show_message("Reloaded the latest saved version. Make your changes again and save.")

    def _fill_status(self, stored: Status | None) -> None:
        self.status_combo.clear()
        options = allowed_statuses(stored) if stored else (Status.REPORTED, Status.UNDER_INVESTIGATION)
        for st in options:
            self.status_combo.addItem(st.label, st.value)
        if stored:
            self.status_combo.setCurrentIndex(self.status_combo.findData(stored.value))

    def _clean_changed(self, _clean: bool) -> None:
        with contextlib.suppress(RuntimeError):  # the stack is being destroyed with the dialog
            self._update_title()

    def _update_title(self) -> None:
        ref = self.detail.row.reference if self.detail else "New serious incident"
        self.setWindowTitle(f"{ref}{' *' if not self.undo_stack.isClean() else ''} – riskdesk")

    def _set_read_only(self, read_only: bool) -> None:
        if not read_only:
            return
        for w in (self.save_button, self.add_action_button, self.complete_action_button, self.reopen_action_button,
                  self.remove_action_button, self.add_review_button, self.add_extension_button,
                  self.link_risk_button, self.unlink_risk_button, self.save_action):
            w.setEnabled(False)
        for w in (self.reference_edit, self.external_ref_edit):
            w.setReadOnly(True)
        for w in (self.description_edit, self.lessons_edit):
            w.setReadOnly(True)
        self.show_message("You can view serious incidents but not change them.")

    # -- derived display ---------------------------------------------------------------------------

    def _refresh_derived(self) -> None:
        psirf = self.framework_combo.currentData() == Framework.PSIRF.value
        self.learning_combo.setEnabled(psirf and self.can_edit)
        self.agreed_due.setEnabled(psirf and self.can_edit)
        self.steis_date.setEnabled(not psirf and self.can_edit)
        self.initial_review_date.setEnabled(not psirf and self.can_edit)
        self.clocks_label.setText(self._clocks_html())

    def _clocks_html(self) -> str:
        try:
            framework = Framework(self.framework_combo.currentData())
        except ValueError:
            return ""
        identified = _pydate(self.identified_date.date())
        reported = _pydate(self.reported_date.date())
        agreed = self.agreed_due.value() if framework is Framework.PSIRF else None
        recorded = self.detail.extensions if self.detail else ()
        extended_to = (self.new_extensions[-1].new_due if self.new_extensions else
                       recorded[-1].new_due if recorded else None)
        dues = due_dates(framework, identified, reported, agreed, extended_to)
        clocks = clocks_for(dues, steis_reported_on=self.steis_date.value() if framework is Framework.SIF_2015 else None,
                            initial_review_on=self.initial_review_date.value()
                            if framework is Framework.SIF_2015 else None,
                            report_received_on=self.report_received_date.value(), closed_on=self.closed_date.value(),
                            today=self.today, extended=extended_to is not None)
        if not clocks:
            return "<i>No timescale agreed yet: set the agreed due date for the learning response.</i>"
        parts = []
        for c in clocks:
            label = c.label if framework is Framework.SIF_2015 or c.kind.value != "report" else "Learning response"
            ext = " (extended)" if c.extended else ""
            parts.append(f"<span style='{BAND_STYLE[c.band]} padding:2px;'>&nbsp;{label}{ext}: "
                         f"{c.summary} – {c.band.label}&nbsp;</span>")
        return "<br>".join(parts)

    # -- saving ------------------------------------------------------------------------------------

    def draft(self) -> IncidentDraft:
        """The record as the user has left it."""
        provider_id, service_id = self._provider_service()
        learning = self.learning_combo.currentData()
        return IncidentDraft(
            id=self.detail.id if self.detail else None,
            reference=self.reference_edit.text(),
            provider_id=provider_id or 0,
            service_id=service_id or 0,
            occurred_on=self.occurred_date.value(),
            identified_on=_pydate(self.identified_date.date()),
            reported_on=_pydate(self.reported_date.date()),
            category=self.category_combo.currentText(),
            description=self.description_edit.toPlainText(),
            external_ref=self.external_ref_edit.text(),
            framework=Framework(self.framework_combo.currentData()),
            learning_response=LearningResponse(learning) if learning else None,
            agreed_due=self.agreed_due.value(),
            status=Status(self.status_combo.currentData()),
            steis_reported_on=self.steis_date.value(),
            initial_review_on=self.initial_review_date.value(),
            report_received_on=self.report_received_date.value(),
            closed_on=self.closed_date.value(),
            lessons=self.lessons_edit.toPlainText(),
            actions=tuple(self.actions_list),
            reviews=tuple(self.reviews_list),
            new_extensions=tuple(self.new_extensions),
            risk_ids=tuple(self.risk_ids),
        )

    def save(self, confirm_no_pid: bool = False) -> bool:
        """Save through the service; on success emit ``saved`` and close. Returns whether it saved."""
        if not self.can_edit:
            return False
        if not self._provider_service()[1]:
            self.show_message("Choose the provider and the service first (add them with Providers… if missing).",
                              error=True)
            return False
        try:
            detail = self.services.incidents.save(
                self.actor, self.draft(), expected_version=self.detail.version if self.detail else None,
                confirm_no_pid=bool(confirm_no_pid), today=self.today)
        except PidWarning as exc:
            items = "".join(f"<li>{f.field}: “{_html(f.text)}” looks like {f.kind.with_article}</li>"
                            for f in exc.findings)
            self.show_message("<b>This may be patient-identifiable data.</b> SI records must not hold NHS numbers "
                              f"or dates of birth:<ul>{items}</ul>Correct the text, or confirm it is not patient "
                              "data.", error=True, pid=True)
            return False
        except StaleEdit as exc:
            self.show_message(f"<b>Not saved.</b> {_html(str(exc))}", error=True, stale=True)
            return False
        except ValidationError as exc:
            self.show_message(f"<b>Not saved.</b> {_html(str(exc.field).capitalize())}: {_html(exc.reason)}.",
                              error=True)
            return False
        except RiskdeskError as exc:
            self.show_message(f"<b>Not saved.</b> {_html(str(exc))}", error=True)
            return False
        self.detail = detail
        self.undo_stack.setClean()
        self.hide_message()
        self.saved.emit(detail.id)
        self.accept()
        return True

    def show_message(self, html: str, *, error: bool = False, pid: bool = False, stale: bool = False) -> None:
        self.message_label.setText(html)
        self.message_bar.setStyleSheet(notice_css(ERROR if error else INFO, "#incidentMessageBar"))
        self.confirm_pid_button.setVisible(pid)
        self.reload_button.setVisible(stale)
        self.message_bar.show()

    def hide_message(self) -> None:
        self.message_bar.hide()

    def message(self) -> str:
        return self.message_label.text() if self.message_bar.isVisible() or self.message_label.text() else ""

    def reject(self) -> None:
        if not self.undo_stack.isClean() and self.can_edit:
            answer = QMessageBox.question(
                self, "Unsaved changes", "Discard the changes you made to this serious incident?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
