"""The register page's writes besides Save: each is a service call followed by its undo command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QWidget,
)

from riskdesk.domain.errors import RiskdeskError, StaleEdit
from riskdesk.domain.refs import ref_sort_key
from riskdesk.ui.kit.prompts import ask_text, offer_reload, show_error
from riskdesk.ui.register.edits import (
    ActionCommand,
    AddRiskCommand,
    MoveCommand,
    RemoveCommand,
    RestoreCommand,
)

if TYPE_CHECKING:
    from riskdesk.domain.risk_detail import ActionRow, RemovalRow
    from riskdesk.ui.register.dialogs import RemovedRisksDialog


class RegisterWrites:
    """Add, remove, move and restore risks; add, edit, complete and delete actions (mixed into RegisterPage)."""

    def add_risk(self) -> None:
        if self.register is None:
            return
        from riskdesk.ui.register.dialogs import NewRiskDialog

        refs = sorted((r.ref for r in self.model.all_rows()), key=ref_sort_key)
        dialog = NewRiskDialog(self, self.register, self.categories, self.departments, self.users,
                               suggested_ref=_next_ref(refs))
        while dialog.exec():
            try:
                row = self.services.risks.add_risk(self.actor, dialog.new_risk())
            except RiskdeskError as exc:
                show_error(dialog, "Cannot add the risk", exc)  # the dialog stays filled in
                continue
            self.undo_stack.push(AddRiskCommand(self, row))
            self.model.upsert(row)
            self.rowsChanged.emit()
            if not self.select_risk(row.id):
                self.filters.clear()
                self.select_risk(row.id)
            self.editor.tabs.setCurrentIndex(0)
            return

    def remove_risk(self) -> None:
        row = self.selected_row()
        if row is None:
            return
        reason = ask_text(self, f"Remove risk {row.ref}",
                          f"Why is risk {row.ref} coming off the register? (required; printed in "
                          "“Risks removed” for two years)")
        if reason is None:
            return
        try:
            after = self.services.risks.remove_risk(self.actor, row.id, reason, expected_version=row.version)
        except StaleEdit as exc:
            self._stale(exc, row.id)
            return
        except RiskdeskError as exc:
            show_error(self, f"Cannot remove risk {row.ref}", exc)
            return
        self.undo_stack.push(RemoveCommand(self, row, after, reason))
        self.risk_updated(after)

    def move_risk(self) -> None:
        row = self.selected_row()
        if row is None or self.register is None:
            return
        from riskdesk.ui.register.dialogs import MoveDialog

        cats = {r.id: self.services.registers.list_categories(self.actor, r.id) for r in self.registers}
        dialog = MoveDialog(self, row.ref, self.register.id, self.registers, cats)
        while dialog.exec():
            to_id, reason, ref, category_id = dialog.choice()
            try:
                after = self.services.risks.move_register(self.actor, row.id, to_id, reason,
                                                          expected_version=row.version, new_ref=ref,
                                                          category_id=category_id)
            except StaleEdit as exc:
                self._stale(exc, row.id)
                return
            except RiskdeskError as exc:
                show_error(dialog, f"Cannot move risk {row.ref}", exc)
                continue
            self.undo_stack.push(MoveCommand(self, row, after, reason))
            self.risk_updated(after)
            where = next((r.name for r in self.registers if r.id == to_id), "the other register")
            self.window().statusBar().showMessage(f"Risk {row.ref} moved to the {where} as {after.ref}", 8000)
            return

    def show_removed(self) -> RemovedRisksDialog | None:
        from riskdesk.ui.register.dialogs import RemovedRisksDialog

        if self.register is None:
            return None
        dialog = RemovedRisksDialog(self, self.register.name)
        dialog.setObjectName("removedRisksDialog")

        def fill() -> None:
            dialog.set_rows(self.services.risks.removed(self.actor, self.register.id))  # type: ignore[union-attr]

        def restore(rem: RemovalRow) -> None:
            self.restore_risk(rem, dialog)
            fill()

        dialog.restoreRequested.connect(restore)
        fill()
        dialog.exec()
        return dialog

    def restore_risk(self, rem: RemovalRow, parent: QWidget | None = None) -> None:
        try:
            row = self.services.risks.get(self.actor, rem.risk_id)
        except RiskdeskError as exc:
            show_error(parent or self, "Cannot restore", exc)
            return
        new_ref: str | None = None
        if any(r.ref == row.ref for r in self.model.all_rows()):
            new_ref = ask_text(parent or self, "Ref in use", f"Ref {row.ref} is now used by another risk. "
                               "Give the restored risk a new ref:", multiline=False)
            if new_ref is None:
                return
        try:
            after = self.services.risks.restore_risk(self.actor, row.id, expected_version=row.version,
                                                     new_ref=new_ref)
        except RiskdeskError as exc:
            show_error(parent or self, f"Cannot restore risk {row.ref}", exc)
            return
        self.undo_stack.push(RestoreCommand(self, after, rem.reason, new_ref))
        self.risk_updated(after)
        self.window().statusBar().showMessage(f"Risk {after.ref} restored", 6000)

    def _selected_action(self) -> ActionRow | None:
        rows = self.editor.actions_table.selectionModel().selectedRows()
        return self.editor.actions_model.row_at(rows[0].row()) if rows else None

    def add_action(self) -> None:
        row = self.editor.row
        if row is None:
            return
        from riskdesk.ui.register.dialogs import ActionDialog

        dialog = ActionDialog(self, self.users)
        while dialog.exec():
            try:
                after = self.services.risks.add_action(self.actor, row.id, dialog.change())
            except RiskdeskError as exc:
                show_error(dialog, "Cannot add the action", exc)
                continue
            self.undo_stack.push(ActionCommand(self, f"new action on {row.ref}", row.id, None, after))
            self.actions_changed(row.id)
            return

    def edit_action(self) -> None:
        row, action = self.editor.row, self._selected_action()
        if row is None or action is None:
            return
        from riskdesk.ui.register.dialogs import ActionDialog

        dialog = ActionDialog(self, self.users, action)
        while dialog.exec():
            try:
                after = self.services.risks.update_action(self.actor, action.id, dialog.change(),
                                                          expected_version=action.version)
            except StaleEdit as exc:
                if offer_reload(self, exc):
                    self.actions_changed(row.id)
                return
            except RiskdeskError as exc:
                show_error(dialog, "Cannot save the action", exc)
                continue
            self.undo_stack.push(ActionCommand(self, f"action edit on {row.ref}", row.id, action, after))
            self.actions_changed(row.id)
            return

    def complete_action(self) -> None:
        row, action = self.editor.row, self._selected_action()
        if row is None or action is None or action.done:
            return
        try:
            after = self.services.risks.complete_action(self.actor, action.id, expected_version=action.version)
        except StaleEdit as exc:
            if offer_reload(self, exc):
                self.actions_changed(row.id)
            return
        except RiskdeskError as exc:
            show_error(self, "Cannot complete the action", exc)
            return
        self.undo_stack.push(ActionCommand(self, f"completing an action on {row.ref}", row.id, action, after))
        self.actions_changed(row.id)

    def delete_action(self) -> None:
        row, action = self.editor.row, self._selected_action()
        if row is None or action is None:
            return
        try:
            self.services.risks.delete_action(self.actor, action.id, expected_version=action.version)
        except StaleEdit as exc:
            if offer_reload(self, exc):
                self.actions_changed(row.id)
            return
        except RiskdeskError as exc:
            show_error(self, "Cannot delete the action", exc)
            return
        self.undo_stack.push(ActionCommand(self, f"deleting an action on {row.ref}", row.id, action, None))
        self.actions_changed(row.id)


def _next_ref(refs: list[str]) -> str:
    """A suggestion for a new ref: one after the highest ``N.M`` in use."""
    best: tuple[int, int] | None = None
    for ref in refs:
        parts = ref.split(".")
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            key = (int(parts[0]), int(parts[1]))
            best = key if best is None or key > best else best
    return f"{best[0]}.{best[1] + 1}" if best else ""
