"""The FOI/EIR tab: tiles for what is overdue or due today, the filtered list, the editor and the report."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.foi import ClockBand, FoiRow
from riskdesk.domain.permissions import Permission, Role, allows
from riskdesk.domain.register import Actor
from riskdesk.ui.foi.page_layout import FoiPageLayout
from riskdesk.ui.foi.request_dialog import RequestDialog
from riskdesk.ui.foi.table_model import FoiFilter, FoiTableModel
from riskdesk.ui.kit.actions import ActionId, Routed
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.kit.prompts import file_to_write, show_error

if TYPE_CHECKING:
    from riskdesk.services import Services


class FoiPage(FoiPageLayout, QWidget):
    """Built by the main window as ``FoiPage(services, actor, parent)`` the first time it is shown."""

    reloaded = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        from riskdesk.services.foi import FoiService

        self.services = services
        self.foi = FoiService(services.ctx)
        self.actor = actor
        self.today = today or date.today()
        self.editor: RequestDialog | None = None  # the editor last opened (tests and screenshots)
        self.setObjectName("foiPage")
        self.model = FoiTableModel(self)
        self._build()
        self.table.setModel(self.model)
        # Fixed widths (measuring 50,000 rows to fit them would cost seconds); the subject takes the rest.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for col, width in enumerate((130, 60, 100, 70, 0, 150, 100, 100, 50, 90, 150)):
            if width:
                self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(4, header.ResizeMode.Stretch)
        header.setSortIndicator(2, Qt.SortOrder.DescendingOrder)  # newest received first, as listed
        self.denied = False
        self.can_edit = False
        self.sees_requester = False
        try:
            me = services.registers.me(actor)
        except RiskdeskError as exc:
            self._deny(str(exc))
            return
        if not allows(me.role, Permission.VIEW_FOI):
            self._deny(f"{me.display_name} ({Role(me.role).label}) may not view FOI and EIR requests.")
            return
        self.can_edit = allows(me.role, Permission.EDIT_FOI)
        self.sees_requester = allows(me.role, Permission.VIEW_REQUESTER)
        self.new_button.setEnabled(self.can_edit)
        self.search_edit.textChanged.connect(lambda _t: self.apply_filter())
        for combo in (self.department_filter, self.status_filter, self.band_filter):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.overdue_tile.clicked.connect(lambda: self.show_band(ClockBand.OVERDUE))
        self.due_today_tile.clicked.connect(lambda: self.show_band(ClockBand.DUE_TODAY))
        self.due_soon_tile.clicked.connect(lambda: self.show_band(ClockBand.DUE_SOON))
        self.open_tile.clicked.connect(self.show_open)
        self.new_button.clicked.connect(self.new_request)
        self.open_button.clicked.connect(self.open_selected)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.report_button.clicked.connect(self.write_report)
        self.refresh_button.clicked.connect(self.reload)
        self.reload()

    def _deny(self, message: str) -> None:
        self.denied = True
        self.content.hide()
        self.denied_label.setText(f"<b>FOI and EIR requests are not available to you.</b><br>{message}<br>"
                                  "Ask an administrator for the information governance or FOI link officer role.")
        self.denied_label.show()

    def routed_actions(self) -> dict[ActionId, Routed]:
        return {A.NEW: Routed("&New FOI/EIR request…", self.new_request, self.new_button.isEnabled()),
                A.FIND: Routed("&Find…", self.focus_search),
                A.REFRESH: Routed("&Refresh", self.reload)}

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- loading and filtering -------------------------------------------------------------------

    def reload(self) -> None:
        if self.denied:
            return
        try:
            rows = self.foi.list(self.actor, today=self.today)
        except RiskdeskError as exc:
            show_error(self, "Cannot load the FOI requests", exc)
            return
        self.model.set_all(rows)
        header = self.table.horizontalHeader()  # the order the user chose survives a reload
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.apply_filter()
        self._show_tiles(rows)
        self.reloaded.emit()

    def _show_tiles(self, rows: tuple[FoiRow, ...]) -> None:
        counts = {b: 0 for b in ClockBand}
        for r in rows:
            counts[r.band] += 1
        open_count = sum(n for b, n in counts.items() if b != ClockBand.CLOSED)
        self.overdue_tile.setText(f"Overdue\n{counts[ClockBand.OVERDUE]}")
        self.due_today_tile.setText(f"Due today\n{counts[ClockBand.DUE_TODAY]}")
        self.due_soon_tile.setText(f"Due in 5 working days\n{counts[ClockBand.DUE_SOON]}")
        self.open_tile.setText(f"Open\n{open_count}")
        self.tile_counts = counts

    def current_filter(self) -> FoiFilter:
        return FoiFilter(self.search_edit.text().strip(), self.department_filter.currentData() or "",
                         self.status_filter.currentData() or "", self.band_filter.currentData() or "")

    def apply_filter(self) -> None:
        self.model.apply(self.current_filter())
        total = len(self.model.all_rows())
        self.shown_label.setText(f"{self.model.rowCount()} of {total} requests shown")

    def show_band(self, band: ClockBand) -> None:
        self.band_filter.setCurrentIndex(self.band_filter.findData(band.value))

    def show_open(self) -> None:
        self.band_filter.setCurrentIndex(0)
        self.status_filter.setCurrentIndex(self.status_filter.findData("open"))

    # -- editing -----------------------------------------------------------------------------------

    def selected(self) -> FoiRow | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def _editor(self, request_id: int | None) -> RequestDialog:
        self.editor = RequestDialog(self.foi, self.actor, request_id, parent=self, today=self.today,
                                    can_edit=self.can_edit, with_requester=self.sees_requester)
        self.editor.saved.connect(lambda _id: self.reload())
        return self.editor

    def new_request(self) -> None:
        if self.can_edit:
            self._editor(None).open()

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            try:
                self._editor(row.id).open()
            except RiskdeskError as exc:
                show_error(self, "Cannot open the request", exc)

    # -- Reports ▸ FOI report ----------------------------------------------------------------------

    def write_report(self) -> None:
        fy = self.today.year - (1 if self.today.month < 4 else 0) - 1
        default = f"{fy % 100:02d}/{(fy + 1) % 100:02d}"
        year, ok = QInputDialog.getText(self, "FOI report", "Financial year (e.g. 22/23):", text=default)
        if not ok or not year.strip():
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save the FOI report", f"foi-report-{year.replace('/', '-')}.pdf",
                                              "PDF (*.pdf);;Word (*.docx);;Published statistics CSV (*.csv)")
        if not path:
            return
        try:
            self.foi.write_report(self.actor, year.strip(), file_to_write(path, (".pdf", ".docx", ".csv")))
        except RiskdeskError as exc:
            show_error(self, "The FOI report was not written", exc)
