"""The incident editor's lists: actions, reviews, extensions and linked risks."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QListWidgetItem,
    QTableWidget,
    QTableWidgetItem,
)

from riskdesk.domain.incidents import (
    ActionDraft,
    ExtensionRow,
    Framework,
    ReviewRow,
    base_report_due,
)

if TYPE_CHECKING:
    pass
from riskdesk.ui.incidents.fields import _pydate
from riskdesk.ui.incidents.table_model import _fmt


class IncidentDialogRecords:
    """Shows and edits the actions, reviews, extensions and linked risks of the open incident (mixed into IncidentDialog)."""

    def _put_actions(self, value: list[ActionDraft]) -> None:
        self.actions_list = list(value)
        t = self.actions_table
        t.blockSignals(True)  # filling is not editing
        t.setRowCount(len(value))
        for i, a in enumerate(value):
            late = a.completed_on is None and a.due_on is not None and a.due_on < self.today
            cells = [a.description, a.owner, _fmt(a.due_on) + (" – overdue" if late else ""),
                     _fmt(a.completed_on) or "open"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c > 1:  # dates have their own controls (due below, Complete / Reopen)
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                t.setItem(i, c, item)
        t.blockSignals(False)
        t.resizeRowsToContents()

    def _action_edited(self, item: QTableWidgetItem) -> None:
        """An action's text or owner typed over in the table: one undoable step, saved with the SI."""
        i, col = item.row(), item.column()
        if not 0 <= i < len(self.actions_list) or col > 1:
            return
        a = self.actions_list[i]
        text = " ".join(item.text().split()) if col == 1 else item.text().strip()
        if col == 0 and not text:
            self.show_message("An action needs its text; remove the action instead if it is no longer wanted.",
                              error=True)
            self._put_actions(self.actions_list)
            return
        if (a.description, a.owner)[col] == text:
            return
        new = list(self.actions_list)
        new[i] = ActionDraft(a.id, text if col == 0 else a.description, text if col == 1 else a.owner,
                             a.due_on, a.completed_on)
        self._change_list("actions", new, "Edit action")
        self.hide_message()

    def _put_reviews(self, value: list[ReviewRow]) -> None:
        self.reviews_list = list(value)
        t = self.reviews_table
        t.setRowCount(len(value))
        for i, r in enumerate(value):
            for c, text in enumerate((_fmt(r.reviewed_on), r.reviewer, r.notes)):
                t.setItem(i, c, QTableWidgetItem(text))
        t.resizeRowsToContents()

    def _put_extensions(self, value: list[ExtensionRow]) -> None:
        self.new_extensions = list(value)
        recorded = list(self.detail.extensions) if self.detail else []
        t = self.extensions_table
        t.setRowCount(len(recorded) + len(value))
        for i, x in enumerate(recorded + list(value)):
            by = x.recorded_by or "(not saved yet)"
            for c, text in enumerate((_fmt(x.previous_due), _fmt(x.new_due), x.reason, by)):
                t.setItem(i, c, QTableWidgetItem(text))
        t.resizeRowsToContents()

    def _put_risks(self, value: list[int]) -> None:
        self.risk_ids = list(value)
        known = {r.risk_id: r for r in self._risk_choices}
        if self.detail:
            known.update({r.risk_id: r for r in self.detail.risks if r.risk_id not in known})
        self.risks_list.clear()
        for rid in value:
            item = QListWidgetItem(known[rid].label if rid in known else f"Risk {rid}")
            item.setData(Qt.ItemDataRole.UserRole, rid)
            self.risks_list.addItem(item)

    def _add_action(self) -> None:
        text = self.action_desc_edit.text().strip()
        if not text:
            self.show_message("Type the action first, then press Add action.", error=True)
            self.action_desc_edit.setFocus()
            return
        new = [*self.actions_list, ActionDraft(None, text, self.action_owner_edit.text().strip(),
                                               self.action_due.value(), None)]
        self._change_list("actions", new, "Add action")
        self.action_desc_edit.clear()
        self.action_owner_edit.clear()
        self.hide_message()

    def _selected(self, table: QTableWidget) -> int | None:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _set_action_done(self, day: date | None) -> None:
        i = self._selected(self.actions_table)
        if i is None:
            self.show_message("Select an action in the table first.", error=True)
            return
        a = self.actions_list[i]
        new = list(self.actions_list)
        new[i] = ActionDraft(a.id, a.description, a.owner, a.due_on, day)
        self._change_list("actions", new, "Complete action" if day else "Reopen action")
        self.actions_table.selectRow(i)

    def _remove_action(self) -> None:
        i = self._selected(self.actions_table)
        if i is None:
            self.show_message("Select an action in the table first.", error=True)
            return
        self._change_list("actions", self.actions_list[:i] + self.actions_list[i + 1:], "Remove action")

    def _add_review(self) -> None:
        notes = self.review_notes_edit.text().strip()
        if not notes:
            self.show_message("Type the review notes first, then press Add review.", error=True)
            self.review_notes_edit.setFocus()
            return
        review = ReviewRow(None, _pydate(self.review_date.date()), self.review_by_edit.text().strip(), notes)
        new = sorted([*self.reviews_list, review], key=lambda r: r.reviewed_on)
        self._change_list("reviews", new, "Add review")
        self.review_notes_edit.clear()
        self.hide_message()

    def _add_extension(self) -> None:
        reason = self.extension_reason_edit.text().strip()
        if not reason:
            self.show_message("An extension needs a reason: type it, then press Add extension.", error=True)
            self.extension_reason_edit.setFocus()
            return
        framework = Framework(self.framework_combo.currentData())
        recorded = self.detail.extensions if self.detail else ()
        current = (self.new_extensions[-1].new_due if self.new_extensions else recorded[-1].new_due if recorded
                   else base_report_due(framework, _pydate(self.reported_date.date()), self.agreed_due.value()))
        new_due = _pydate(self.extension_due.date())
        if current is not None and new_due <= current:
            self.show_message(f"The new due date must be after the current one ({_fmt(current)}).", error=True)
            return
        ext = ExtensionRow(None, current, new_due, reason)
        self._change_list("extensions", [*self.new_extensions, ext], "Add extension")
        self.extension_reason_edit.clear()
        self.hide_message()

    def _link_risk(self) -> None:
        rid = self.risk_combo.currentData()
        if rid is None or rid in self.risk_ids:
            return
        self._change_list("risks", [*self.risk_ids, rid], "Link risk")

    def _unlink_risk(self) -> None:
        item = self.risks_list.currentItem()
        if item is None:
            return
        rid = item.data(Qt.ItemDataRole.UserRole)
        self._change_list("risks", [r for r in self.risk_ids if r != rid], "Unlink risk")
