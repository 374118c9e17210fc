"""The Incidents tab: the SI log with filters and search, the dashboard of what is overdue, the
monthly review and the chart of SIs per month.

The SI list (100,000 rows take seconds) loads on a worker thread through
``riskdesk.ui.kit.jobs``; the page stays usable meanwhile and the filters apply when the rows
arrive. ``IncidentsPage(..., background=False)`` loads synchronously (tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, Signal
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

from riskdesk.domain.errors import PermissionDenied, RiskdeskError, StaleEdit
from riskdesk.domain.incidents import (
    ClockBand,
    Framework,
    IncidentRow,
    Status,
    add_months,
    two_period_counts,
)
from riskdesk.domain.permissions import Permission, Role, allows
from riskdesk.domain.providers import ProviderRow
from riskdesk.domain.register import Actor
from riskdesk.ui.incidents.bar_chart import SiBarChart
from riskdesk.ui.incidents.table_model import (
    Col,
    IncidentFilter,
    IncidentIndex,
    IncidentTableModel,
    index_incidents,
)
from riskdesk.ui.kit.actions import ActionId, Routed, make_action
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.kit.jobs import Operation, run_in_background
from riskdesk.ui.kit.prompts import offer_reload, show_error

if TYPE_CHECKING:
    from riskdesk.services import Services
    from riskdesk.services.incidents import MonthlyReview


def _month_of(q: QDate) -> tuple[int, int]:
    return (q.year(), q.month())


def _month_edit(name: str, month: tuple[int, int]) -> QDateEdit:
    w = QDateEdit(QDate(month[0], month[1], 1))
    w.setDisplayFormat("MMM yyyy")
    w.setCalendarPopup(True)
    w.setAccessibleName(name)
    return w


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's figures and overdue lines (``(text, incident id)``), worked out off the GUI thread."""

    open_count: int
    total: int
    overdue_clocks: int
    due_soon: int
    overdue_actions: int
    lines: tuple[tuple[str, int | None], ...]


def dashboard_of(rows: list[IncidentRow]) -> Dashboard:
    """What the dashboard shows for ``rows`` (pure: safe on a worker thread)."""
    open_rows = [r for r in rows if r.is_open]
    overdue_clocks = [(r, c) for r in open_rows for c in r.clocks if c.band is ClockBand.OVERDUE]
    due_soon = sum(1 for r in open_rows for c in r.clocks if c.band is ClockBand.DUE_SOON)
    lines: list[tuple[str, int | None]] = [
        (f"{r.reference} · {r.provider_name} · {c.label}: {c.summary}", r.id)
        for r, c in sorted(overdue_clocks, key=lambda rc: rc[1].days_left)[:200]]
    for r in open_rows:
        if r.overdue_actions and len(lines) < 250:
            n = r.overdue_actions
            lines.append((f"{r.reference} · {r.provider_name} · {n} overdue action{'s' if n > 1 else ''}", r.id))
    if not lines:
        lines.append(("Nothing is overdue.", None))
    return Dashboard(len(open_rows), len(rows), len(overdue_clocks), due_soon,
                     sum(r.overdue_actions for r in open_rows), tuple(lines))


@dataclass(frozen=True)
class ReviewView:
    """The monthly review as the review tab shows it, its lines worked out off the GUI thread.

    ``lists`` holds (text, incident id, tooltip) lines for reported, due, overdue and open SIs.
    """

    review: MonthlyReview
    lists: tuple[tuple[tuple[str, int, str], ...], ...]
    actions: tuple[str, ...]
    summary: str


def review_view(review: MonthlyReview) -> ReviewView:
    """Lay out ``review`` for the review tab (pure: safe on a worker thread)."""

    def lines(rows: tuple[IncidentRow, ...]) -> tuple[tuple[str, int, str], ...]:
        out = []
        for r in rows:
            nxt = r.next_clock
            extra = f" · {nxt.label}: {nxt.summary}" if nxt else f" · {r.status.label}"
            if r.overdue_actions:
                n = r.overdue_actions
                extra += f" · {n} overdue action{'s' if n > 1 else ''}"
            out.append((f"{r.reference} · {r.provider_name} · {r.category or r.service_name}{extra}", r.id,
                        r.description))
        return tuple(out)

    actions = []
    for a in review.actions_due:
        due = a.due_on.strftime("%d/%m/%Y") if a.due_on else "no date"
        actions.append(f"{a.reference} · {a.provider} · {a.description} ({a.owner or 'no owner'}; due {due}"
                       f"{' – overdue' if a.overdue else ''})")
    label = date(review.month[0], review.month[1], 1).strftime("%B %Y")
    summary = (f"{label}: {len(review.reported)} reported, {len(review.due)} due, {len(review.overdue)} overdue, "
               f"{len(review.open)} open, {len(review.actions_due)} open actions due")
    return ReviewView(review, (lines(review.reported), lines(review.due), lines(review.overdue), lines(review.open)),
                      tuple(actions), summary)


@dataclass(frozen=True)
class _Loaded:
    """Everything one reload fetched on the worker thread."""

    rows: list[IncidentRow]
    providers: list[ProviderRow]
    dashboard: Dashboard
    review: ReviewView | RiskdeskError
    index: IncidentIndex | None = None


class IncidentsPage(QWidget):
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
            self._deny(f"{me.display_name} ({Role(me.role).label}) may not view incidents.")
            return
        self.can_edit = allows(me.role, Permission.EDIT_INCIDENTS)
        for w in (self.new_button, self.providers_button):
            w.setEnabled(self.can_edit)
        if not self.can_edit:
            self.delete_button.setToolTip("Your role cannot delete serious incidents")
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
        self.delete_button = QPushButton("Dele&te…")
        self.delete_button.setObjectName("deleteIncidentButton")
        self.delete_button.setToolTip("Delete the selected SI, e.g. one logged in error (Delete)")
        self.delete_button.setAccessibleDescription("Delete the selected serious incident after confirmation")
        self.refresh_button = QPushButton("Re&fresh")
        for b in (self.new_button, self.open_button, self.delete_button, self.providers_button, self.export_button,
                  self.report_button, self.refresh_button):
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

        # New and Find are the window's (routed here, see ``routed_actions``). The Delete key
        # belongs to the SI table, not the page: Delete in the search box edits the text.
        self.delete_action = make_action(A.INCIDENT_DELETE, self.table)

        # Search runs as the user types, a moment after the last key (100,000 rows filter in ~30 ms).
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.apply_filter)

        self.new_button.clicked.connect(self.new_incident)
        self.open_button.clicked.connect(self.open_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_action.triggered.connect(self.delete_selected)
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
        """What the window's New, Find and Refresh do while this page is shown."""
        return {A.NEW: Routed("&New serious incident…", self.new_incident, self.new_button.isEnabled()),
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
            rows = services.incidents.list_incidents(actor, today=today)
            providers = services.providers.list_providers(actor, include_inactive=True)
            review: ReviewView | RiskdeskError
            try:
                review = review_view(services.incidents.monthly_review(actor, month, today=today))
            except RiskdeskError as exc:  # shown on the review tab; the list is still worth showing
                review = exc
            return _Loaded(rows, providers, dashboard_of(rows), review, index_incidents(rows))

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

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())
        shown, total = self.model.rowCount(), len(self.model.all_rows())
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
        red = "color:#a00000; font-weight:600;"
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

    def refresh_review(self) -> None:
        """Show the monthly review for the month chosen (fetched on a worker thread when ``background``)."""
        if self.denied:
            return
        services, actor, today = self.services, self.actor, self.today
        month = _month_of(self.review_month.date())

        def work() -> ReviewView | RiskdeskError:
            try:
                return review_view(services.incidents.monthly_review(actor, month, today=today))
            except RiskdeskError as exc:
                return exc

        if self._review_op is not None and not self._review_op.done:
            self._review_op.cancel()  # the user moved on to another month
        if not self.background:
            self._show_review(work())
            return
        self.review_summary.setText("Loading…")

        def done(result: ReviewView | RiskdeskError) -> None:
            self._review_op = None
            self._show_review(result)

        def failed(exc: BaseException) -> None:
            self._review_op = None
            self.review_summary.setText("The monthly review could not be loaded.")
            show_error(self, "Cannot load the monthly review", exc)

        op = run_in_background(work, done, failed)
        self.destroyed.connect(op.cancel)  # the page closed first: drop the result
        self._review_op = op

    def _show_review(self, view: ReviewView | RiskdeskError) -> None:
        if isinstance(view, RiskdeskError):
            self.review_summary.setText(str(view))
            return
        self.monthly = view.review
        lists = (self.review_reported_list, self.review_due_list, self.review_overdue_list, self.review_open_list)
        for w, lines in zip(lists, view.lists, strict=True):
            w.setUpdatesEnabled(False)  # thousands of open SIs: one repaint, not one per item
            w.clear()
            for text, incident_id, tip in lines:
                item = QListWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, incident_id)
                item.setData(Qt.ItemDataRole.ToolTipRole, tip)
                w.addItem(item)
            w.setUpdatesEnabled(True)
        self.review_actions_list.clear()
        self.review_actions_list.addItems(list(view.actions))
        self.review_summary.setText(view.summary)

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
