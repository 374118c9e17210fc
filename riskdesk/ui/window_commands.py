"""What the main window's menus do beyond routing: the register chooser, reference dialogs, closing the quarter, import and export, backup, About."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QMessageBox,
)

from riskdesk import __version__
from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.quarters import Quarter
from riskdesk.ui.kit.prompts import show_error
from riskdesk.ui.register.page import RegisterLoad

if TYPE_CHECKING:
    from riskdesk.domain.register import RegisterRow


def _remembered(registers: list[RegisterRow], wanted: str) -> RegisterRow | None:
    """The register last shown (its id as remembered in the settings), else the first."""
    return next((r for r in registers if str(r.id) == wanted), registers[0] if registers else None)


class WindowCommands:
    """Menu commands of the main window (mixed into MainWindow)."""

    def open_import(self) -> None:
        """File ▸ Import register…: the wizard (and pandas behind it) loads only now."""
        from riskdesk.ui.importing.wizard import ImportWizard

        wizard = ImportWizard(self.services, self.actor, self.current_register_id(), self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def done(result: Any) -> None:
            self.state.set_text("register", str(result.register_id))  # show where the risks went
            self.reload()
            when = ("this quarter's update" if result.period == self.register_page.period.code else
                    "the register as it stood; each risk reads “not updated” until its owner saves")
            created = " (new register)" if result.register_created else ""
            self.statusBar().showMessage(
                f"Imported {result.risks} risks into the {result.register_name}{created} from "
                f"{result.source_name}, scored for {Quarter.parse(result.period).label} ({when})", 15000)

        wizard.imported.connect(done)
        self.import_wizard = wizard
        wizard.open()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.register_page)
        self.register_page.filters.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.register_page.filters.search.selectAll()

    def show_guide(self) -> None:
        """Help ▸ User guide (F1): the guide for the user's role first."""
        from riskdesk.ui.kit.help import GuideDialog

        me = self.register_page.me
        dialog = GuideDialog(str(me.role) if me is not None else "", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.help_dialog = dialog
        dialog.open()

    def show_shortcuts(self) -> None:
        """Help ▸ Keyboard shortcuts, generated from the action registry."""
        from riskdesk.ui.kit.help import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.help_dialog = dialog
        dialog.open()

    def open_export(self) -> None:
        """File ▸ Export current list…"""
        from riskdesk.ui.importing.export_dialog import ExportDialog

        dialog = ExportDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.export_dialog = dialog
        dialog.open()

    def _load_registers(self) -> None:
        assert self.services is not None
        registers = self.services.registers.list_registers(self.actor)
        chosen = _remembered(registers, self.state.text("register", ""))
        self._show_registers(registers, chosen.id if chosen else None, None)

    def _show_registers(self, registers: list[RegisterRow], chosen: int | None, load: RegisterLoad | None) -> None:
        """Fill the register choice and show ``chosen`` (from ``load`` when it was read already)."""
        self.registers = registers
        self.register_combo.blockSignals(True)
        self.register_combo.clear()
        for reg in registers:
            self.register_combo.addItem(f"{reg.name} ({reg.current_risks})", reg.id)
        self.register_combo.setCurrentIndex(max(0, self.register_combo.findData(chosen)))
        self.register_combo.blockSignals(False)
        self.register_page.set_register(self.current_register(), self.registers, background=self.background,
                                        preloaded=load)

    def current_register(self) -> RegisterRow | None:
        value = self.register_combo.currentData()
        return next((r for r in self.registers if r.id == value), None)

    def current_register_id(self) -> int | None:
        value = self.register_combo.currentData()
        return int(value) if value is not None else None

    def _register_chosen(self, _index: int) -> None:
        if self.register_page.editor_dirty() and not self._settle_unsaved():
            self.register_combo.blockSignals(True)
            old = self.register_page.register
            self.register_combo.setCurrentIndex(max(0, self.register_combo.findData(old.id if old else None)))
            self.register_combo.blockSignals(False)
            return
        register = self.current_register()
        self.register_page.set_register(register, self.registers, background=self.background)
        if register is not None:
            self.state.set_text("register", str(register.id))
            self.registerChanged.emit(register.id)

    def reload(self) -> None:
        """Read the registers and the shown register again (View ▸ Refresh)."""
        selected = self.register_page.selected_id
        self._load_registers()
        self.register_page.select_after_load(selected)

    def close_quarter(self) -> None:
        """Register ▸ Close the quarter: after confirmation, owners move on to the next quarter."""
        if self.services is None or (self.register_page.editor_dirty() and not self._settle_unsaved()):
            return
        page = self.register_page
        period = page.period
        try:
            missing = self.services.registers.not_updated(self.actor, period)
            drafts = self.services.cycles.drafts_for(self.actor, period)
            overdue = self.services.governance.overdue_reviews(self.actor)
        except RiskdeskError as exc:
            show_error(self, "Cannot close the quarter", exc)
            return
        text = (f"Close {period.label}? From now on owners update {period.next().label}; the "
                f"{period.label} assessments are kept as history and can no longer be changed.")
        for cycle in drafts:
            # A draft prints the register as it stands: once next quarter's updates come in it
            # would print those under this quarter's heading.
            text += (f"\n\n“{cycle.title}” ({cycle.meeting_title}, {cycle.meeting_date:%d %B %Y}) has not been "
                     f"presented. Its appendix prints the register as it stands, so once owners begin "
                     f"{period.next().label}'s updates it would print those. Present it first if it should show "
                     f"{period.label}.")
        if missing:
            refs = ", ".join(f"{ref} ({name})" if len({n for n, _ in missing}) > 1 else ref for name, ref in missing[:25])
            more = f" and {len(missing) - 25} more" if len(missing) > 25 else ""
            text += (f"\n\n{len(missing)} risk(s) have no update for {period.label}: {refs}{more}. "
                     "Their latest assessment stays as their current score.")
        if overdue:
            refs = ", ".join(r.ref for r in overdue[:25]) + (f" and {len(overdue) - 25} more" if len(overdue) > 25 else "")
            text += f"\n\n{len(overdue)} risk(s) are overdue for review: {refs}."
        answer = QMessageBox.question(self, "Close the quarter", text,
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            new = self.services.registers.close_quarter(self.actor, expected=period)
        except RiskdeskError as exc:
            show_error(self, "The quarter was not closed", exc)
            new = self.services.registers.current_period(self.actor)  # someone else may have closed it
        page.period = new
        page.filters.set_period(new)
        self.reload()
        frozen = self.forget_frozen_edits()
        self.statusBar().showMessage(f"{period.label} closed: owners now update {new.label}.{frozen}", 15000)

    def _cycle_presented(self, _cycle_id: int) -> None:
        frozen = self.forget_frozen_edits("the presented cycle")
        if frozen:
            self.statusBar().showMessage(frozen.strip(), 15000)

    def _update_register_count(self) -> None:
        """The register choice says how many current risks the register shown holds (a 26th risk makes 26)."""
        reg = self.register_page.register
        i = self.register_combo.findData(reg.id) if reg is not None else -1
        if i >= 0:
            count = self.register_page.model.current_count()
            self.register_combo.setItemText(i, f"{reg.name} ({count})")
            self.register_combo.setItemData(i, f"{reg.name} ({count})", Qt.ItemDataRole.ToolTipRole)

    def forget_frozen_edits(self, what: str = "the closed quarter") -> str:
        """Clear the register's undo history after its edits were frozen (quarter closed, cycle presented).

        Undoing them would be refused by the service as a change made by someone else, which blames a
        colleague for what was the user's own step; the history is cleared instead, and the user told.
        Returns the sentence to add to the status message ("" when there was nothing to undo).
        """
        stack = self.register_page.undo_stack
        if stack.count() == 0:
            return ""
        stack.clear()
        return f" Undo history on the register was cleared: those changes are frozen in {what}."

    def _settle_unsaved(self) -> bool:
        """Ask about unsaved edits; True when it is fine to go on (saved or discarded)."""
        answer = self.register_page.ask_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.register_page.save()
        return answer == QMessageBox.StandardButton.Discard

    def manage_categories(self) -> None:
        from riskdesk.ui.register.reference_dialogs import CategoriesDialog

        reg = self.register_page.register
        if reg is None:
            return
        dialog = CategoriesDialog(self, self.services, self.actor, reg.id, reg.name)
        dialog.exec()
        if dialog.changed:
            self.register_page.refresh_choices()
            self.register_page.reload()

    def manage_departments(self) -> None:
        from riskdesk.ui.register.reference_dialogs import DepartmentsDialog

        dialog = DepartmentsDialog(self, self.services, self.actor)
        dialog.exec()
        if dialog.changed:
            self.register_page.refresh_choices()

    def manage_owners(self) -> None:
        from riskdesk.ui.register.reference_dialogs import OwnersDialog

        dialog = OwnersDialog(self, self.services, self.actor)
        dialog.exec()
        if dialog.changed:
            self.register_page.refresh_choices()

    def edit_scheme(self) -> QDialog | None:
        """Register ▸ Risk scheme…: not modal, so risks on its re-score list open in the register."""
        from riskdesk.ui.register.scheme_editor import SchemeEditorDialog

        if self.services is None or (self.register_page.editor_dirty() and not self._settle_unsaved()):
            return None
        try:
            dialog = SchemeEditorDialog(self.services, self.actor, self)
        except RiskdeskError as exc:
            show_error(self, "Cannot open the risk scheme", exc)
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # The window redraws with the new version: matrices, bands and the editor size themselves from it.
        dialog.saved.connect(lambda _saved: self.attach(self.services))
        dialog.riskChosen.connect(self._risk_chosen)
        self.scheme_dialog = dialog
        dialog.show()
        return dialog

    def _backup(self) -> None:
        try:
            out = self.services.info.backup(self.actor)
        except RiskdeskError as exc:
            show_error(self, "Backup failed", exc)
            return
        self.statusBar().showMessage(f"Backup written to {out}", 10000)

    def restore_backup(self) -> None:
        """File ▸ Restore from backup…: the same checked restore as ``riskdesk restore FILE``.

        The window lets go of its own connections first (SQLite's restore needs the only lock on
        the file), restores on a worker with progress, then reads everything again. On PostgreSQL
        a dump is restored into a new, empty database by the command line, as the README says.
        """
        from PySide6.QtWidgets import QFileDialog

        from riskdesk import paths
        from riskdesk.ui.kit.jobs import run_in_background

        services, actor = self.services, self.actor
        if services is None or (self.register_page.editor_dirty() and not self._settle_unsaved()):
            return
        engine = services.db.engine
        if engine.dialect.name != "sqlite":
            QMessageBox.information(
                self, "Restore from backup",
                "This riskdesk shares a PostgreSQL database. A backup (.pgdump) is restored by the database "
                "administrator into a new, empty database with:\n\n    riskdesk --database URL restore FILE\n\n"
                "then everyone connects to that database. See the README, “Backup and restore”.")
            return
        path, _ = QFileDialog.getOpenFileName(self, "Restore from backup", str(paths.backup_dir()),
                                              "riskdesk backups (*.sqlite *.db);;All files (*)")
        if not path:
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Restore from backup",
                          f"Replace the database with the backup {path}?",
                          QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("restoreConfirmMessage")
        box.setInformativeText("The backup is checked first (integrity, schema, audit trail). The database as "
                               "it is now is backed up before anything changes, so this can be undone by "
                               "restoring that copy. Work saved since the backup was taken will not be in the "
                               "restored database.")
        restore = box.addButton("&Restore", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not restore:
            return
        from pathlib import Path

        from PySide6.QtWidgets import QProgressDialog

        from riskdesk.services.restore import RestoreService

        url = engine.url.render_as_string(hide_password=False)
        engine.dispose()  # the restore needs the only lock on the file; connections reopen on next use
        # No Cancel: a restore is checked, then swapped in one step; stopping half-way is not offered.
        progress = QProgressDialog("Checking and restoring the backup…", "", 0, 0, self)
        progress.setObjectName("restoreProgress")
        progress.setCancelButton(None)
        progress.setWindowTitle("Restore from backup")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.show()

        def done(result: Any) -> None:
            progress.close()
            self.reload()
            f = result.facts
            lines = [f"Restored {result.source}.",
                     f"The backup was written {f.written:%d %b %Y %H:%M}; audit trail: {result.audit_chain}.",
                     "It holds " + ", ".join(f"{n} {name}" for name, n in result.counts_after.items()) + "."]
            if result.safety_backup:
                lines.append(f"The database as it was before is kept in {result.safety_backup}.")
            done_box = QMessageBox(QMessageBox.Icon.Information, "Restore from backup", "\n\n".join(lines),
                                   QMessageBox.StandardButton.Ok, self)
            done_box.setObjectName("restoreDoneMessage")
            done_box.exec()
            self.statusBar().showMessage(f"Restored {result.source}", 15000)

        def failed(exc: BaseException) -> None:
            progress.close()
            self.reload()
            show_error(self, "Nothing was restored", exc)

        run_in_background(lambda: RestoreService(url).restore(actor, Path(path)), done, failed)

    def verify_audit(self) -> None:
        """File ▸ Verify audit trail…: the chain checked off the GUI thread, then the verdict."""
        from riskdesk.ui.kit.jobs import run_in_background

        services, actor = self.services, self.actor
        if services is None:
            return

        def done(status: Any) -> None:
            icon = QMessageBox.Icon.Information if status.intact else QMessageBox.Icon.Warning
            box = QMessageBox(icon, "Audit trail", status.text, QMessageBox.StandardButton.Ok, self)
            box.setInformativeText(status.message)
            box.exec()
            self.statusBar().showMessage(f"Audit trail: {status.text}", 15000)

        run_in_background(lambda: services.audit.status(actor), done,
                          lambda exc: show_error(self, "The audit trail could not be checked", exc),
                          parent=self, label="Checking the audit trail…")

    def _about(self) -> None:
        text = f"riskdesk {__version__}"
        if self.services is not None:
            info = self.services.info.summary(self.actor)
            text += (f"\n\nDatabase: {info.database}\nSchema: {info.schema_revision}\n"
                     f"Registers: {len(info.registers)} · Users: {info.users} · Audit entries: {info.audit_entries}")
        QMessageBox.about(self, "About riskdesk", text)
