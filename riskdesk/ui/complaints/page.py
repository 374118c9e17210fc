"""The Complaints tab: the complaints log with filters and clock bands (overdue, due soon, past
the timescale but within an extension), the case editor, and compliments.

The list loads on a worker thread through ``riskdesk.ui.kit.jobs``; ``background=False`` loads
it synchronously (tests). Filters apply in memory to the loaded rows. Each saved step (a complaint
or contact logged, a conversion, a response, an escalation) can be undone with Edit ▸ Undo
(Ctrl+Z) while the page is shown, and redone (Ctrl+Y): see ``undo.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow, QWidget

from riskdesk.domain.complaints import (
    ClockBand,
    ComplaintDetail,
    ComplaintRow,
    ComplimentRow,
    ContactRow,
    Procedure,
)
from riskdesk.domain.errors import NotFound, PermissionDenied, RiskdeskError
from riskdesk.domain.permissions import Permission, Role, allows
from riskdesk.domain.register import Actor
from riskdesk.ui.complaints.dialogs import CaseDialog, ContactDialog, ConvertDialog, NewComplaintDialog
from riskdesk.ui.complaints.page_layout import ComplaintsPageLayout
from riskdesk.ui.complaints.table_model import ComplaintFilter, filtered
from riskdesk.ui.complaints.undo import ComplaintsUndo
from riskdesk.ui.kit.actions import ActionId, Routed
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.kit.jobs import Operation, run_in_background
from riskdesk.ui.kit.prompts import show_error
from riskdesk.ui.kit.table_model import ROW_ROLE

if TYPE_CHECKING:
    from riskdesk.services import Services


@dataclass(frozen=True)
class _Loaded:
    rows: list[ComplaintRow]
    compliments: list[ComplimentRow]
    contacts: list[ContactRow]


class ComplaintsPage(ComplaintsPageLayout, QWidget):
    """Built by the main window as ``ComplaintsPage(services, actor, parent)`` the first time it is shown."""

    reloaded = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *,
                 today: date | None = None, background: bool = True) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.today = today or date.today()
        self.background = background
        self.setObjectName("complaintsPage")
        self.editor: CaseDialog | None = None
        self.new_dialog: NewComplaintDialog | None = None
        self.contact_dialog: ContactDialog | None = None
        self.convert_dialog: ConvertDialog | None = None
        self._rows: list[ComplaintRow] = []
        self._load_op: Operation | None = None
        self._build()
        # The window's Edit ▸ Undo/Redo act on this stack while the page is shown.
        self.undo = ComplaintsUndo(self, services, actor, self.today, self._undone)
        self.undo_stack = self.undo.stack
        self.denied = False
        self.can_edit = False
        self.search_edit.textChanged.connect(self.apply_filter)
        self.procedure_filter.currentIndexChanged.connect(self.apply_filter)
        self.band_filter.currentIndexChanged.connect(self.apply_filter)
        self.refresh_button.clicked.connect(self.reload)
        self.new_button.clicked.connect(self.new_complaint)
        self.open_button.clicked.connect(self.open_selected)
        self.log_contact_button.clicked.connect(self.log_contact)
        self.convert_button.clicked.connect(self.convert_selected)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        # Enter on a row opens the case, as double-click does (keyboard access).
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            sc = QShortcut(QKeySequence(key), self.table)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(self.open_selected)
        try:
            me = services.registers.me(actor)
        except RiskdeskError as exc:
            self._deny(str(exc))
            return
        if not allows(me.role, Permission.VIEW_COMPLAINTS):
            self._deny(f"{me.display_name} ({Role(me.role).label}) may not view complaints.")
            return
        self.can_edit = allows(me.role, Permission.EDIT_COMPLAINTS)
        for b in (self.new_button, self.log_contact_button, self.convert_button):
            b.setEnabled(self.can_edit)
        self.reload()

    def _deny(self, message: str) -> None:
        self.denied = True
        self.content.hide()
        self.denied_label.setText(f"<b>Complaints are not available to you.</b><br>{message}<br>"
                                  "Ask an administrator for the complaints team or link officer role if you need them.")
        self.denied_label.show()

    def routed_actions(self) -> dict[ActionId, Routed]:
        return {A.NEW: Routed("&New complaint…", self.new_complaint, self.new_button.isEnabled()),
                A.FIND: Routed("&Find…", self.focus_search),
                A.REFRESH: Routed("&Refresh", self.reload)}

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- loading -------------------------------------------------------------------------------------

    def reload(self) -> None:
        if self.denied:
            return
        services, actor, today = self.services, self.actor, self.today

        def work() -> _Loaded:
            return _Loaded(services.complaints.list_complaints(actor, today=today),
                           services.complaints.list_compliments(actor), services.complaints.list_contacts(actor))

        if not self.background:
            try:
                self._loaded(work())
            except RiskdeskError as exc:
                self._failed(exc)
            return
        if self._load_op is not None and not self._load_op.done:
            self._load_op.cancel()
        self.shown_label.setText("Loading…")
        self._load_op = run_in_background(work, self._loaded, self._failed, parent=self,
                                          label="Loading complaints…")

    def _loaded(self, result: _Loaded) -> None:
        self._load_op = None
        self._rows = result.rows
        self.compliments_model.set_rows(result.compliments)
        self.contacts_model.set_rows(result.contacts)
        counts = dict.fromkeys(ClockBand, 0)
        for r in result.rows:
            counts[r.band] += 1
        self.tile_overdue.setText(f"Overdue: <b>{counts[ClockBand.OVERDUE]}</b>")
        self.tile_due_soon.setText(f"Due soon: <b>{counts[ClockBand.DUE_SOON]}</b>")
        self.tile_extended.setText(f"Outside timescale, within extension: <b>{counts[ClockBand.EXTENDED]}</b>")
        self.apply_filter()
        self.reloaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self._load_op = None
        if isinstance(exc, PermissionDenied):
            self._deny(str(exc))
            return
        self.shown_label.setText("Not loaded")
        show_error(self, "Cannot load the complaints", exc)

    def current_filter(self) -> ComplaintFilter:
        band = self.band_filter.currentData()
        proc = self.procedure_filter.currentData()
        return ComplaintFilter(text=self.search_edit.text().strip(),
                               procedure=Procedure(proc) if proc else None,
                               band=ClockBand(band) if band and band != "open" else None,
                               open_only=band == "open")

    def apply_filter(self) -> None:
        shown = filtered(self._rows, self.current_filter())
        self.model.set_rows(shown)
        self.shown_label.setText(f"{len(shown)} of {len(self._rows)} complaints shown")

    # -- actions -------------------------------------------------------------------------------------

    def selected(self) -> ComplaintRow | None:
        index: QModelIndex = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.data(index, ROW_ROLE)

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_case(row.id)

    def open_case(self, complaint_id: int) -> CaseDialog:
        self.editor = CaseDialog(self.services, self.actor, complaint_id, can_edit=self.can_edit, today=self.today,
                                 parent=self)
        self.editor.saved.connect(lambda _id: self.reload())
        self.editor.stepped.connect(self._stepped)
        self.editor.show()
        return self.editor

    def new_complaint(self) -> None:
        if not self.can_edit:
            return
        self.new_dialog = NewComplaintDialog(self.services, self.actor, self.today, parent=self)
        self.new_dialog.saved.connect(lambda _id: self._logged())
        self.new_dialog.show()

    def log_contact(self) -> None:
        if not self.can_edit:
            return
        self.contact_dialog = ContactDialog(self.services, self.actor, self.today, parent=self)
        self.contact_dialog.saved.connect(lambda _id: self._contact_logged())
        self.contact_dialog.show()

    def convert_selected(self) -> None:
        index = self.contacts_table.currentIndex()
        if not self.can_edit or not index.isValid():
            return
        contact = self.contacts_model.data(index, ROW_ROLE)
        self.convert_dialog = ConvertDialog(self.services, self.actor, contact, self.today, parent=self)
        self.convert_dialog.saved.connect(lambda _id: self._converted())
        self.convert_dialog.show()

    # -- undo ----------------------------------------------------------------------------------------

    def show_status(self, text: str) -> None:
        """The page's message line, and the window's status bar when the page sits in the main window."""
        self.status.setText(text)
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 15000)

    def _logged(self) -> None:
        d = self.new_dialog
        assert d is not None
        self.undo.complaint_logged(d.detail, d.draft)
        self.show_status(f"Complaint {d.detail.row.reference} logged (Ctrl+Z undoes it).")
        self.reload()

    def _contact_logged(self) -> None:
        d = self.contact_dialog
        assert d is not None
        self.undo.contact_logged(d.row, d.draft)
        self.show_status(f"Contact {d.row.reference} logged (Ctrl+Z undoes it).")
        self.reload()

    def _converted(self) -> None:
        d = self.convert_dialog
        assert d is not None
        self.undo.converted(d.detail, d.contact, d.dissatisfied_on, d.handler)
        self.show_status(f"{d.contact.reference} converted to complaint {d.detail.row.reference}.")
        self.reload()

    def _stepped(self, text: str, before: ComplaintDetail, after: ComplaintDetail) -> None:
        if text:
            self.undo.stage_changed(text, before, after)
            self.show_status(f"Saved: {text} on {after.row.reference} (Ctrl+Z undoes it).")
        else:
            self.undo.noted(after)
            self.show_status(f"Extension recorded on {after.row.reference}: the complainant has been told, so "
                             "it cannot be undone.")

    def _undone(self, error: str | None) -> None:
        """After an undo or redo: show the database as it now is, and a refusal if there was one."""
        self.reload()
        ed = self.editor
        if ed is not None and ed.isVisible():
            try:
                ed.load()
            except NotFound:
                ed.reject()  # the complaint was removed (the undo of logging it)
        self.show_status(error or "Undone or redone; the audit trail records it.")
