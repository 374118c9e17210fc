"""Saving the risk in the editor, and redrawing after a save, an undo or a redo (the undo host)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtGui import QGuiApplication

from riskdesk.domain.errors import RiskdeskError, StaleEdit, ValidationError
from riskdesk.ui.kit.prompts import ask_text, offer_reload, show_error
from riskdesk.ui.register.edits import (
    AmendCommand,
    AssessCommand,
)

if TYPE_CHECKING:
    from riskdesk.domain.register import (
        RiskRow,
    )
    from riskdesk.services.risks import SavedAssessment


class RegisterSaving:
    """Save (amend + assessment as one undo step), stale edits, and the UndoHost callbacks (mixed into RegisterPage)."""

    def save(self) -> bool:
        """Save what the editor holds: risk fields (amend) and this period's assessment."""
        editor, row = self.editor, self.editor.row
        if row is None or editor.baseline is None:
            return False
        try:
            assessment = editor.assessment_change() if self.may_assess(row) else None
            risk_changes = editor.risk_changes() if self.may_edit_register else None
        except ValidationError as exc:
            show_error(self, "Cannot save yet", exc)
            return False
        baseline = editor.baseline
        need_assess = assessment is not None and (assessment != baseline.assessment or baseline.period_version is None)
        if not risk_changes and not need_assess:
            self.window().statusBar().showMessage(f"Risk {row.ref}: nothing to save", 4000)
            return True
        macro = bool(risk_changes) and need_assess
        if macro:
            self.undo_stack.beginMacro(f"changes to {row.ref}")
        saved: RiskRow | None = None
        result: SavedAssessment | None = None
        try:
            if risk_changes:
                before, after = risk_changes
                try:
                    saved = self.services.risks.amend_risk(self.actor, row.id, after, expected_version=row.version)
                except ValidationError as exc:
                    if exc.field != "rationale":
                        raise
                    rationale = ask_text(
                        self, "Why is the description changing?",
                        f"Risk {row.ref} has been presented to committee. Say why its description is changing; "
                        "the next report prints it as Change from / Change to / Rationale.")
                    if rationale is None:
                        return False
                    after = replace(after, rationale=rationale)
                    saved = self.services.risks.amend_risk(self.actor, row.id, after, expected_version=row.version)
                self.undo_stack.push(AmendCommand(self, saved, before, after))
            if need_assess and assessment is not None:
                prior = baseline.assessment if baseline.period_version is not None else None
                result = self.services.risks.save_assessment(self.actor, row.id, self.period, assessment,
                                                             expected_version=baseline.period_version)
                saved = result.row
                moved = (assessment.current, assessment.target) != (baseline.assessment.current,
                                                                    baseline.assessment.target)
                self.undo_stack.push(AssessCommand(self, saved, self.period, prior, assessment, scores_changed=moved))
        except StaleEdit as exc:
            self._stale(exc, row.id)
            return False
        except RiskdeskError as exc:
            show_error(self, f"Cannot save risk {row.ref}", exc)
            return False
        finally:
            if macro:
                self.undo_stack.endMacro()
        if result is not None and not risk_changes:
            self._show_saved(result)  # the save returned all the page redraws from: nothing is read again
        elif saved is not None:
            self.risk_updated(saved)
        if saved is not None:
            self.window().statusBar().showMessage(f"Risk {saved.ref} saved for {self.period.label}", 5000)
            self.riskSaved.emit(saved.id)
        return True

    def revert(self) -> None:
        if self._selected_id is not None:
            self.open_risk(self._selected_id)

    def _stale(self, exc: StaleEdit, risk_id: int) -> None:
        typed = self.editor.update_edit.toPlainText()
        note = ""
        if typed.strip():
            QGuiApplication.clipboard().setText(typed)
            note = "Your update text has been copied to the clipboard, so you can paste it back after reloading."
        if offer_reload(self, exc, note):
            self.reload_risk(risk_id)

    def reload_risk(self, risk_id: int) -> None:
        """Fetch a risk afresh (after someone else saved it) and show it."""
        try:
            row = self.services.risks.get(self.actor, risk_id)
        except RiskdeskError as exc:
            show_error(self, "Cannot reload the risk", exc)
            return
        self._place(row)
        self.open_risk(risk_id)

    def risk_updated(self, row: RiskRow) -> None:
        """A risk changed (save, undo, redo): refresh its row and, if it is open, the editor."""
        self.versions.note_risk(row)
        self._place(row)
        if row.id == self._selected_id and row.status == "current" and self.register is not None \
                and row.register_id == self.register.id:
            self.open_risk(row.id)
        elif row.id == self._selected_id:
            self._selected_id = None
            self.clear_editor()
        self.rowsChanged.emit()

    def _show_saved(self, saved: SavedAssessment) -> None:
        """Redraw after a score save from what the save returned: the row, the period's assessment
        and the audit entry it wrote (the issue measured 5 transactions when the page read them again)."""
        row = saved.row
        self.versions.note_risk(row)
        self._place(row)
        if row.id == self._selected_id:
            self._history = [a for a in self._history if a.period != saved.assessment.period] + [saved.assessment]
            self._history.sort(key=lambda a: a.period)
            if saved.audit is not None:
                self._audit = [saved.audit, *self._audit]
            self._show_in_editor(row)
            self.controls_panel.load(row, self._history, self.may_assess(row))  # read only if its tab is shown
            self.editor.set_audit(self._audit)
        self.rowsChanged.emit()

    def _place(self, row: RiskRow) -> None:
        if self.register is not None and row.register_id == self.register.id and row.status == "current":
            self.model.upsert(row)
        else:
            self.model.remove(row.id)

    def actions_changed(self, risk_id: int) -> None:
        if risk_id == self._selected_id:
            try:
                self.editor.set_actions(self.services.risks.actions(self.actor, risk_id))
                self.editor.set_audit(self.services.risks.audit_trail(self.actor, entity="risk", entity_id=risk_id,
                                                                      limit=200))
            except RiskdeskError as exc:
                show_error(self, "Cannot read the actions", exc)

    def undo_failed(self, text: str, exc: RiskdeskError, risk_id: int | None) -> None:
        if isinstance(exc, StaleEdit) and risk_id is not None:
            if offer_reload(self, exc, f"“{text}” could not be undone or redone, so it has been taken off the "
                                       "undo list."):
                self.reload_risk(risk_id)
            return
        show_error(self, f"Cannot undo or redo “{text}”", exc)
