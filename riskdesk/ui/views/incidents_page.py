"""The Incidents tab: the SI log with filters and search, the dashboard of what is overdue, the
monthly review and the chart of SIs per month."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.errors import PermissionDenied, RiskdeskError
from riskdesk.domain.incidents import (
    ClockBand,
    Framework,
    IncidentRow,
    Status,
    add_months,
    two_period_counts,
)
from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.ui.itemmodels.incident_table_model import Col, IncidentFilter, IncidentTableModel
from riskdesk.ui.widgets.si_bar_chart import SiBarChart


def _month_of(q: QDate) -> tuple[int, int]:
    return (q.year(), q.month())


def _month_edit(name: str, month: tuple[int, int]) -> QDateEdit:
    w = QDateEdit(QDate(month[0], month[1], 1))
    w.setDisplayFormat("MMM yyyy")
    w.setCalendarPopup(True)
    w.setAccessibleName(name)
    return w


class IncidentsPage(QWidget):
    """Built by the main window as ``IncidentsPage(services, actor, parent)`` the first time it is shown."""

    reloaded = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.today = today or date.today()
        self.editor = None  # the SI editor last opened (tests and screenshots reach it here)
        self.setObjectName("incidentsPage")
        self.model = IncidentTableModel(self)
        self._build()
        self.can_edit = False
        try:
            self.can_edit = services.incidents.can_edit(actor)
            services.incidents.list_incidents(actor, today=self.today)[:0]
        except PermissionDenied as exc:
            self._deny(str(exc))
            return
        for w in (self.new_button, self.providers_button):
            w.setEnabled(self.can_edit)
        self.reload()

    # -- layout ----------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        self.denied_label = QLabel()
        self.denied_label.setWordWrap(True)
        self.denied_label.hide()
        outer.addWidget(self.denied_label)

        self.content = QWidget()
        outer.addWidget(self.content, 1)
        lay = QVBoxLayout(self.content)
        lay.setContentsMargins(0, 0, 0, 0)

        bar = QHBoxLayout()
        self.new_button = QPushButton("&New SI…")
        self.new_button.setToolTip("Log a serious incident reported by a provider (Ctrl+N)")
        self.open_button = QPushButton("&Open…")
        self.open_button.setToolTip("Open the selected SI (Enter)")
        self.providers_button = QPushButton("Pro&viders…")
        self.export_button = QPushButton("E&xport…")
        self.export_button.setToolTip("Export the SIs shown to Excel (.xlsx) or CSV")
        self.report_button = QPushButton("SI re&port (PDF)…")
        self.refresh_button = QPushButton("Re&fresh")
        for b in (self.new_button, self.open_button, self.providers_button, self.export_button, self.report_button,
                  self.refresh_button):
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)

        # Dashboard: counts and the overdue list.
        self.dashboard = QGroupBox("Dashboard")
        self.dashboard.setObjectName("siDashboard")
        dl = QHBoxLayout(self.dashboard)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("siCounts")
        self.counts_label.setTextFormat(Qt.TextFormat.RichText)
        self.counts_label.setMinimumWidth(260)
        self.overdue_list = QListWidget()
        self.overdue_list.setObjectName("siOverdueList")
        self.overdue_list.setAccessibleName("Overdue deadlines and actions")
        self.overdue_list.setMaximumHeight(96)
        dl.addWidget(self.counts_label)
        dl.addWidget(self.overdue_list, 1)
        lay.addWidget(self.dashboard)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        lay.addWidget(self.tabs, 1)

        # Log: filters and the table.
        log = QWidget()
        ll = QVBoxLayout(log)
        ll.setContentsMargins(0, 4, 0, 0)
        filters = QHBoxLayout()
        self.provider_filter = QComboBox()
        self.provider_filter.setAccessibleName("Filter by provider")
        self.service_filter = QComboBox()
        self.service_filter.setAccessibleName("Filter by service")
        self.service_filter.setMinimumContentsLength(18)
        self.framework_filter = QComboBox()
        self.framework_filter.setAccessibleName("Filter by framework")
        self.framework_filter.addItem("Any framework", None)
        for f in Framework:
            self.framework_filter.addItem(f.label, f.value)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Filter by status")
        self.status_filter.addItem("Any status", None)
        self.status_filter.addItem("Open (not closed)", "open")
        for st in Status:
            self.status_filter.addItem(st.label, st.value)
        self.period_check = QCheckBox("Re&ported from")
        self.period_check.setToolTip("Only SIs reported into the SI inbox in these months")
        self.from_month = _month_edit("Reported from month", add_months((self.today.year, self.today.month), -11))
        self.to_month = _month_edit("Reported to month", (self.today.year, self.today.month))
        self.from_month.setEnabled(False)
        self.to_month.setEnabled(False)
        self.overdue_check = QCheckBox("Over&due only")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search reference, provider, category, description…")
        self.search_edit.setAccessibleName("Search serious incidents")
        self.search_edit.setClearButtonEnabled(True)
        self.clear_button = QPushButton("C&lear filters")
        for w in (QLabel("Provider:"), self.provider_filter, self.service_filter, self.framework_filter,
                  self.status_filter, self.period_check, self.from_month, QLabel("to"), self.to_month,
                  self.overdue_check):
            filters.addWidget(w)
        filters.addStretch(1)
        ll.addLayout(filters)
        search = QHBoxLayout()
        search.addWidget(QLabel("&Search:", buddy=self.search_edit))
        search.addWidget(self.search_edit, 1)
        search.addWidget(self.clear_button)
        self.shown_label = QLabel()
        search.addWidget(self.shown_label)
        ll.addLayout(search)
        self.table = QTableView()
        self.table.setObjectName("incidentTable")
        self.table.setAccessibleName("Serious incidents")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Col.REPORTED, Qt.SortOrder.DescendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        widths = {Col.REF: 96, Col.REPORTED: 80, Col.PROVIDER: 56, Col.SERVICE: 130, Col.CATEGORY: 130,
                  Col.FRAMEWORK: 72, Col.STATUS: 140, Col.NEXT: 130, Col.DUE: 80, Col.LEFT: 66, Col.ACTIONS: 104}
        for col, width in widths.items():
            header.resizeSection(col, width)
        header.setStretchLastSection(True)
        header.resizeSection(Col.DESCRIPTION, 160)
        ll.addWidget(self.table, 1)
        self.tabs.addTab(log, "SI &log")

        # Monthly review.
        review = QWidget()
        rl = QVBoxLayout(review)
        top = QHBoxLayout()
        self.review_month = _month_edit("Month to review", (self.today.year, self.today.month))
        top.addWidget(QLabel("&Month:", buddy=self.review_month))
        top.addWidget(self.review_month)
        self.review_summary = QLabel()
        top.addWidget(self.review_summary, 1)
        rl.addLayout(top)
        self.review_reported_list = QListWidget()
        self.review_due_list = QListWidget()
        self.review_overdue_list = QListWidget()
        self.review_open_list = QListWidget()
        self.review_actions_list = QListWidget()
        split = QSplitter(Qt.Orientation.Vertical)
        for row in ((("Due this month", self.review_due_list), ("Overdue", self.review_overdue_list)),
                    (("Reported this month", self.review_reported_list),
                     ("Open actions due by month end", self.review_actions_list),
                     ("All open SIs", self.review_open_list))):
            across = QSplitter(Qt.Orientation.Horizontal)
            for title, w in row:
                w.setAccessibleName(title)
                w.setWordWrap(True)
                w.setAlternatingRowColors(True)
                box = QGroupBox(title)
                QVBoxLayout(box).addWidget(w)
                across.addWidget(box)
            split.addWidget(across)
        rl.addWidget(split, 1)
        self.tabs.addTab(review, "&Monthly review")

        # Chart.
        chart = QWidget()
        cl = QVBoxLayout(chart)
        top = QHBoxLayout()
        default_last = self._default_chart_end()
        self.chart_to = _month_edit("Chart period ends", default_last)
        top.addWidget(QLabel("Twelve months ending:"))
        top.addWidget(self.chart_to)
        top.addWidget(QLabel("(compared with the twelve months before)"))
        top.addStretch(1)
        cl.addLayout(top)
        self.chart = SiBarChart()
        cl.addWidget(self.chart, 1)
        self.tabs.addTab(chart, "&Chart")

        self.new_action = QAction("New serious incident", self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.find_action = QAction("Search", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.new_action)
        self.addAction(self.find_action)

        # Search runs as the user types, a moment after the last key (100,000 rows filter in ~30 ms).
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.apply_filter)

        self.new_button.clicked.connect(self.new_incident)
        self.new_action.triggered.connect(self.new_incident)
        self.find_action.triggered.connect(lambda: self.search_edit.setFocus())
        self.open_button.clicked.connect(self.open_selected)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.activated.connect(lambda _i: self.open_selected())
        self.providers_button.clicked.connect(self.manage_providers)
        self.export_button.clicked.connect(self._export_clicked)
        self.report_button.clicked.connect(self._report_clicked)
        self.refresh_button.clicked.connect(self.reload)
        self.provider_filter.currentIndexChanged.connect(self._provider_filter_changed)
        for w in (self.service_filter, self.framework_filter, self.status_filter):
            w.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.period_check.toggled.connect(self._period_toggled)
        self.from_month.dateChanged.connect(lambda _d: self.apply_filter())
        self.to_month.dateChanged.connect(lambda _d: self.apply_filter())
        self.overdue_check.toggled.connect(lambda _c: self.apply_filter())
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.search_edit.returnPressed.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.review_month.dateChanged.connect(lambda _d: self.refresh_review())
        self.chart_to.dateChanged.connect(lambda _d: self.refresh_chart())
        self.overdue_list.itemActivated.connect(self._open_item)
        for w in (self.review_reported_list, self.review_due_list, self.review_overdue_list, self.review_open_list,
                  self.review_actions_list):
            w.itemActivated.connect(self._open_item)

    def _default_chart_end(self) -> tuple[int, int]:
        """The last complete October–September year, as the annual report uses."""
        y = self.today.year if self.today.month >= 10 else self.today.year - 1
        return (y, 9)

    def _deny(self, message: str) -> None:
        self.content.hide()
        self.denied_label.setText(f"<b>Serious incidents are not available to you.</b><br>{message}<br>"
                                  "Ask an administrator for the public health role if you need them.")
        self.denied_label.show()

    # -- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        """Fetch everything again from the services."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            rows = self.services.incidents.list_incidents(self.actor, today=self.today)
            providers = self.services.providers.list_providers(self.actor, include_inactive=True)
        except RiskdeskError as exc:
            QMessageBox.warning(self, "Serious incidents", str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._providers = providers
        current = self.provider_filter.currentData()
        self.provider_filter.blockSignals(True)
        self.provider_filter.clear()
        self.provider_filter.addItem("Any provider", None)
        for p in providers:
            self.provider_filter.addItem(p.short_name or p.name, p.id)
        self.provider_filter.setCurrentIndex(max(self.provider_filter.findData(current), 0))
        self.provider_filter.blockSignals(False)
        self._fill_service_filter()
        self.model.set_rows(rows)
        self.apply_filter()
        self._refresh_dashboard(rows)
        self.refresh_review()
        self.refresh_chart()
        self.reloaded.emit()

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

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        shown, total = self.model.rowCount(), len(self.model.all_rows())
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

    def _refresh_dashboard(self, rows: list[IncidentRow]) -> None:
        open_rows = [r for r in rows if r.is_open]
        overdue_clocks = [(r, c) for r in open_rows for c in r.clocks if c.band is ClockBand.OVERDUE]
        due_soon = [(r, c) for r in open_rows for c in r.clocks if c.band is ClockBand.DUE_SOON]
        overdue_actions = sum(r.overdue_actions for r in open_rows)
        red = "color:#a00000; font-weight:600;"
        self.counts_label.setText(
            f"<b>{len(open_rows)}</b> open SIs of {len(rows)}<br>"
            f"<span style='{red if overdue_clocks else ''}'>{len(overdue_clocks)} overdue deadlines</span> · "
            f"{len(due_soon)} due within 5 working days<br>"
            f"<span style='{red if overdue_actions else ''}'>{overdue_actions} overdue actions</span>")
        self.overdue_list.clear()
        items = sorted(overdue_clocks, key=lambda rc: rc[1].days_left)
        for r, c in items[:200]:
            item = QListWidgetItem(f"{r.reference} · {r.provider_name} · {c.label}: {c.summary}")
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.overdue_list.addItem(item)
        for r in open_rows:
            if r.overdue_actions and self.overdue_list.count() < 250:
                n = r.overdue_actions
                item = QListWidgetItem(f"{r.reference} · {r.provider_name} · {n} overdue action{'s' if n > 1 else ''}")
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                self.overdue_list.addItem(item)
        if self.overdue_list.count() == 0:
            self.overdue_list.addItem(QListWidgetItem("Nothing is overdue."))

    def refresh_review(self) -> None:
        month = _month_of(self.review_month.date())
        try:
            review = self.services.incidents.monthly_review(self.actor, month, today=self.today)
        except RiskdeskError as exc:
            self.review_summary.setText(str(exc))
            return
        self.monthly = review

        def fill(w: QListWidget, rows: tuple[IncidentRow, ...]) -> None:
            w.clear()
            for r in rows:
                nxt = r.next_clock
                extra = f" · {nxt.label}: {nxt.summary}" if nxt else f" · {r.status.label}"
                if r.overdue_actions:
                    n = r.overdue_actions
                    extra += f" · {n} overdue action{'s' if n > 1 else ''}"
                item = QListWidgetItem(f"{r.reference} · {r.provider_name} · {r.category or r.service_name}{extra}")
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                item.setToolTip(r.description)
                w.addItem(item)

        fill(self.review_reported_list, review.reported)
        fill(self.review_due_list, review.due)
        fill(self.review_overdue_list, review.overdue)
        fill(self.review_open_list, review.open)
        self.review_actions_list.clear()
        for a in review.actions_due:
            due = a.due_on.strftime("%d/%m/%Y") if a.due_on else "no date"
            self.review_actions_list.addItem(
                f"{a.reference} · {a.provider} · {a.description} ({a.owner or 'no owner'}; due {due}"
                f"{' – overdue' if a.overdue else ''})")
        label = date(month[0], month[1], 1).strftime("%B %Y")
        self.review_summary.setText(
            f"{label}: {len(review.reported)} reported, {len(review.due)} due, {len(review.overdue)} overdue, "
            f"{len(review.open)} open, {len(review.actions_due)} open actions due")

    def refresh_chart(self) -> None:
        last = _month_of(self.chart_to.date())
        first = add_months(last, -11)
        reported = [r.reported_on for r in self.model.all_rows()]
        p1, p2 = two_period_counts(reported, first, last)
        self.chart.set_series([
            (p1.label, [(date(m[0], m[1], 1).strftime("%b"), n) for m, n in p1.months]),
            (p2.label, [(date(m[0], m[1], 1).strftime("%b"), n) for m, n in p2.months]),
        ])

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
        from riskdesk.ui.dialogs.incident_dialog import IncidentDialog

        dialog = IncidentDialog(self.services, self.actor, incident_id, self, today=self.today)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        self.editor = dialog
        dialog.show()

    def _saved(self, incident_id: int) -> None:
        self.reload()
        self.select_incident(incident_id)

    def manage_providers(self) -> None:
        from riskdesk.ui.dialogs.providers_dialog import ProvidersDialog

        dialog = ProvidersDialog(self.services, self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.reload)
        self.providers_dialog = dialog
        dialog.show()

    # -- export and report ---------------------------------------------------------------------

    def export_to(self, path: Path) -> Path | None:
        """Write the SIs shown (filtered and sorted as on screen) to ``path``."""
        try:
            out = self.services.incidents.export(self.actor, Path(path), self.model.rows())
        except RiskdeskError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return None
        self._status(f"{self.model.rowCount()} SIs exported to {out}")
        return out

    def _export_clicked(self) -> None:
        path, _f = QFileDialog.getSaveFileName(self, "Export serious incidents", "serious-incidents.xlsx",
                                               "Excel workbook (*.xlsx);;CSV (*.csv)")
        if path:
            if not path.lower().endswith((".xlsx", ".csv")):
                path += ".xlsx"
            self.export_to(Path(path))

    def write_report(self, path: Path, last: tuple[int, int] | None = None) -> Path | None:
        """The SI report for the twelve months ending ``last`` (default: the chart's period)."""
        last = last or _month_of(self.chart_to.date())
        first = add_months(last, -11)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            out = self.services.incidents.write_report(self.actor, first, last, Path(path), today=self.today)
        except RiskdeskError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Report failed", str(exc))
            return None
        except OSError as exc:
            QApplication.restoreOverrideCursor()
            QMessageBox.warning(self, "Report failed", f"Could not write {path}: {exc.strerror or exc}")
            return None
        QApplication.restoreOverrideCursor()
        self._status(f"SI report written to {out}")
        return out

    def _report_clicked(self) -> None:
        last = _month_of(self.chart_to.date())
        path, _f = QFileDialog.getSaveFileName(self, "SI report", f"si-report-{last[0]}-{last[1]:02d}.pdf",
                                               "PDF (*.pdf);;Excel table (*.xlsx)")
        if path:
            if not path.lower().endswith((".pdf", ".xlsx", ".csv")):
                path += ".pdf"
            self.write_report(Path(path), last)

    def _status(self, text: str) -> None:
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 10000)
