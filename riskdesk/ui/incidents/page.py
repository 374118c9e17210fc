"""The Incidents tab: the SI log with filters and search, the dashboard of what is overdue, the
monthly review and the chart of SIs per month.

The SI list (100,000 rows take seconds) loads on a worker thread through
``riskdesk.ui.kit.jobs``; the page stays usable meanwhile and the filters apply when the rows
arrive. ``IncidentsPage(..., background=False)`` loads synchronously (tests).
"""

from __future__ import annotations

import time
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QListWidgetItem,
    QMessageBox,
    QWidget,
)

from riskdesk.domain.errors import PermissionDenied, RiskdeskError, StaleEdit
from riskdesk.domain.incidents import (
    Framework,
    IncidentRow,
    Status,
)
from riskdesk.domain.permissions import Permission, allows, why_not
from riskdesk.domain.register import Actor
from riskdesk.ui.incidents.table_model import (
    IncidentFilter,
    IncidentTableModel,
    index_incidents,
)
from riskdesk.ui.kit.actions import ActionId, Routed
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.kit.contrast import ERROR, tone
from riskdesk.ui.kit.jobs import Operation, run_in_background
from riskdesk.ui.kit.prompts import offer_reload, show_error

if TYPE_CHECKING:
    from riskdesk.services import Services


from riskdesk.ui.incidents.page_layout import IncidentsPageLayout
from riskdesk.ui.incidents.review import IncidentsReview
from riskdesk.ui.incidents.views import Dashboard, _Loaded, _month_of, dashboard_of, review_view


class IncidentsPage(IncidentsReview, IncidentsPageLayout, QWidget):
    """Built by the main window as ``IncidentsPage(services, actor, parent)`` the first time it is shown.

    ``background`` (default True): load the SI list on a worker thread with a "Loading…" state;
    False loads it before ``reload`` returns (tests).
    """

    reloaded = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *,
                 today: date | None = None, background: bool = True) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.today = today or date.today()
        self.background = background
        self.print_task = None  # the print last started (kit.printing.PrintTask)
        self.editor = None  # the SI editor last opened (tests and screenshots reach it here)
        self.setObjectName("incidentsPage")
        self.model = IncidentTableModel(self)
        self._load_op: Operation | None = None
        self._review_op: Operation | None = None
        self._pending_select: int | None = None
        self._build()
        self.can_edit = False
        self.denied = False
        # Ask about the role only: fetching the list here as well would load 100,000 rows twice.
        try:
            me = services.registers.me(actor)
        except RiskdeskError as exc:
            self._deny(str(exc))
            return
        if not allows(me.role, Permission.VIEW_INCIDENTS):
            self._deny(why_not(me.role, Permission.VIEW_INCIDENTS))
            return
        self.can_edit = allows(me.role, Permission.EDIT_INCIDENTS)
        for w in (self.new_button, self.providers_button, self.delete_button, self.delete_action):
            w.setEnabled(self.can_edit)
        if not self.can_edit:
            # Disabled, and saying why: offering Delete only to refuse it on use wastes the user's time.
            for w in (self.new_button, self.providers_button, self.delete_button):
                w.setToolTip(why_not(me.role, Permission.EDIT_INCIDENTS))
        self.reload()

    # -- layout ----------------------------------------------------------------------------------

    def _default_chart_end(self) -> tuple[int, int]:
        """The last complete October–September year, as the annual report uses."""
        y = self.today.year if self.today.month >= 10 else self.today.year - 1
        return (y, 9)

    def _deny(self, message: str) -> None:
        self.denied = True
        self.content.hide()
        self.denied_label.setText(f"<b>Serious incidents are not available to you.</b><br>{message}<br>"
                                  "Ask an administrator for the public health role if you need them.")
        self.denied_label.show()

    # -- loading ---------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """True while the SI list is being fetched on a worker thread."""
        return self._load_op is not None and not self._load_op.done

    def routed_actions(self) -> dict[ActionId, Routed]:
        """What the window's New, Print, Find and Refresh do while this page is shown."""
        may = self.can_edit
        return {A.NEW: Routed("&New serious incident…", self.new_incident, may,
                              "" if may else self.new_button.toolTip()),
                A.PRINT: Routed("&Print SI report…", self.print_report, not self.denied),
                A.FIND: Routed("&Find…", self.focus_search),
                A.REFRESH: Routed("&Refresh", self.reload)}

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def reload(self) -> None:
        """Fetch everything again from the services (on a worker thread when ``background``).

        The table keeps what it showed until the new rows arrive, then the current filters apply
        to them; ``reloaded`` is emitted once they are shown.
        """
        if self.denied:
            return
        services, actor, today = self.services, self.actor, self.today
        month = _month_of(self.review_month.date())

        def work() -> _Loaded:
            opened = services.incidents.open_list(actor, month, today=today)
            rows = opened.rows
            return _Loaded(rows, opened.providers, dashboard_of(rows), review_view(opened.review), index_incidents(rows))

        if self._load_op is not None and not self._load_op.done:
            self._load_op.cancel()  # a newer reload supersedes it: its (older) rows are dropped
        if self._review_op is not None and not self._review_op.done:
            self._review_op.cancel()  # the reload brings the review too
        if not self.background:
            try:
                result = work()
            except RiskdeskError as exc:
                self._load_failed(exc)
                return
            self._loaded(result)
            return
        self._set_loading_state()
        self._load_op = run_in_background(work, self._loaded, self._load_failed, parent=self,
                                          label="Loading serious incidents…")

    def _set_loading_state(self) -> None:
        self.shown_label.setText("Loading…")
        self.counts_label.setText("Loading serious incidents…")
        self.review_summary.setText("Loading…")
        self.refresh_button.setEnabled(False)

    def _loaded(self, result: _Loaded) -> None:
        self._load_op = None
        self.refresh_button.setEnabled(True)
        self._providers = result.providers
        current = self.provider_filter.currentData()
        self.provider_filter.blockSignals(True)
        self.provider_filter.clear()
        self.provider_filter.addItem("Any provider", None)
        for p in result.providers:
            self.provider_filter.addItem(p.short_name or p.name, p.id)
        self.provider_filter.setCurrentIndex(max(self.provider_filter.findData(current), 0))
        self.provider_filter.blockSignals(False)
        self._fill_service_filter()
        self.model.set_rows(result.rows, result.index)
        self.apply_filter()  # whatever the user chose while the rows were loading
        self._show_dashboard(result.dashboard)
        self._show_review(result.review)
        self.refresh_chart()
        if self._pending_select is not None:
            incident_id, self._pending_select = self._pending_select, None
            self.select_incident(incident_id)
        self.reloaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        self._load_op = None
        self.refresh_button.setEnabled(True)
        if isinstance(exc, PermissionDenied):  # the role was changed since the page opened
            self._deny(str(exc))
            return
        self.shown_label.setText("Not loaded")
        self.counts_label.setText("The serious incidents could not be loaded: press Refresh to try again.")
        show_error(self, "Cannot load the serious incidents", exc)

    def select_after_load(self, incident_id: int) -> None:
        """Select this SI once the list has (re)loaded, or now if it is not loading."""
        if self.loading:
            self._pending_select = incident_id
        else:
            self.select_incident(incident_id)

    def _fill_service_filter(self) -> None:
        pid = self.provider_filter.currentData()
        current = self.service_filter.currentData()
        self.service_filter.blockSignals(True)
        self.service_filter.clear()
        self.service_filter.addItem("Any service", None)
        for p in getattr(self, "_providers", []):
            if pid is None or p.id == pid:
                for sv in p.services:
                    label = sv.name if pid is not None else f"{p.short_name or p.name}: {sv.name}"
                    self.service_filter.addItem(label, sv.id)
        self.service_filter.setCurrentIndex(max(self.service_filter.findData(current), 0))
        self.service_filter.blockSignals(False)

    def _provider_filter_changed(self, _i: int) -> None:
        self._fill_service_filter()
        self.apply_filter()

    def _period_toggled(self, on: bool) -> None:
        self.from_month.setEnabled(on)
        self.to_month.setEnabled(on)
        self.apply_filter()

    def current_filter(self) -> IncidentFilter:
        status = self.status_filter.currentData()
        framework = self.framework_filter.currentData()
        period = self.period_check.isChecked()
        return IncidentFilter(
            provider_id=self.provider_filter.currentData(),
            service_id=self.service_filter.currentData(),
            framework=Framework(framework) if framework else None,
            status=Status(status) if status and status != "open" else None,
            open_only=status == "open",
            from_month=_month_of(self.from_month.date()) if period else None,
            to_month=_month_of(self.to_month.date()) if period else None,
            overdue_only=self.overdue_check.isChecked(),
            text=self.search_edit.text(),
        )

    #: A search filter that took longer than this (the last time) runs once the key events already
    #: waiting have been handled, so a fast typist's keys share one filter; a quicker one runs on
    #: the key itself. Neither waits for a pause in the typing: nobody waits for a fixed debounce.
    SLOW_FILTER_MS = 40.0

    def _search_typed(self, _text: str) -> None:
        if self._last_filter_ms <= self.SLOW_FILTER_MS:
            self.apply_filter()
        else:
            self._search_timer.start(0)

    def apply_filter(self) -> None:
        self._search_timer.stop()
        started = time.perf_counter()
        self.model.set_filter(self.current_filter())
        self._last_filter_ms = (time.perf_counter() - started) * 1000
        shown, total = self.model.rowCount(), self.model.total()
        if self.loading:  # the filters are kept and apply again when the rows arrive
            self.shown_label.setText("Loading…")
            return
        self.shown_label.setText(f"{shown} of {total} SIs shown" if shown != total else f"{total} SIs")

    def clear_filters(self) -> None:
        for w in (self.provider_filter, self.service_filter, self.framework_filter, self.status_filter):
            w.blockSignals(True)
            w.setCurrentIndex(0)
            w.blockSignals(False)
        self._fill_service_filter()
        for c in (self.period_check, self.overdue_check):
            c.blockSignals(True)
            c.setChecked(False)
            c.blockSignals(False)
        self.from_month.setEnabled(False)
        self.to_month.setEnabled(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.apply_filter()

    def _show_dashboard(self, d: Dashboard) -> None:
        red = f"color:{tone(ERROR)}; font-weight:600;"
        self.counts_label.setText(
            f"<b>{d.open_count}</b> open SIs of {d.total}<br>"
            f"<span style='{red if d.overdue_clocks else ''}'>{d.overdue_clocks} overdue deadlines</span> · "
            f"{d.due_soon} due within 5 working days<br>"
            f"<span style='{red if d.overdue_actions else ''}'>{d.overdue_actions} overdue actions</span>")
        self.overdue_list.clear()
        for text, incident_id in d.lines:
            item = QListWidgetItem(text)
            if incident_id is not None:
                item.setData(Qt.ItemDataRole.UserRole, incident_id)
            self.overdue_list.addItem(item)

    # -- opening and editing --------------------------------------------------------------------

    def selected_row(self) -> IncidentRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_incident(self, incident_id: int) -> bool:
        row = self.model.row_of(incident_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def new_incident(self) -> None:
        if not self.can_edit:
            return
        if not any(p.active and any(sv.active for sv in p.services) for p in getattr(self, "_providers", [])):
            QMessageBox.information(self, "Serious incidents",
                                    "Add a provider and its commissioned service first (Providers…).")
            self.manage_providers()
            return
        self._open_editor(None)

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self._open_editor(row.id)

    def open_incident(self, incident_id: int) -> None:
        self._open_editor(incident_id)

    def _open_item(self, item: QListWidgetItem) -> None:
        incident_id = item.data(Qt.ItemDataRole.UserRole)
        if incident_id is not None:
            self._open_editor(int(incident_id))

    def _open_editor(self, incident_id: int | None) -> None:
        from riskdesk.ui.incidents.dialog import IncidentDialog

        dialog = IncidentDialog(self.services, self.actor, incident_id, self, today=self.today)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        self.editor = dialog
        dialog.show()

    def _saved(self, incident_id: int) -> None:
        self.reload()
        self.select_after_load(incident_id)

    def delete_selected(self) -> bool:
        """Delete the selected SI after the user confirms; True when it was deleted.

        Meant for an SI logged in error: the service writes everything it held to the audit
        trail, and the list reloads afterwards.
        """
        title = "Delete serious incident"
        row = self.selected_row()
        if row is None:
            QMessageBox.information(self, title, "Select a serious incident in the SI log first.")
            return False
        if not self.can_edit:
            QMessageBox.information(
                self, title, f"{row.reference} was not deleted: your role can view serious incidents but not "
                "change or delete them. Ask an administrator for the public health role if you need to.")
            return False
        answer = QMessageBox.question(
            self, title,
            f"Delete {row.reference} ({row.provider_name}, reported {row.reported_on.strftime('%d/%m/%Y')})?\n\n"
            "Its actions, reviews and extensions go with it. This cannot be undone here; the audit trail keeps "
            "a record of everything it held.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.services.incidents.delete(self.actor, row.id, expected_version=row.version)
        except StaleEdit as exc:
            if offer_reload(self, exc, "Check the SI still needs deleting, then delete it again."):
                self.reload()
                self.select_after_load(row.id)
            return False
        except RiskdeskError as exc:
            show_error(self, "Cannot delete the serious incident", exc)
            return False
        self._status(f"{row.reference} deleted")
        self.reload()
        return True

    def manage_providers(self) -> None:
        from riskdesk.ui.incidents.providers_dialog import ProvidersDialog

        dialog = ProvidersDialog(self.services, self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.reload)
        self.providers_dialog = dialog
        dialog.show()

    # -- export and report ---------------------------------------------------------------------

    def _status(self, text: str) -> None:
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 10000)
