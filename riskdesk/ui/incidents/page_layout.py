"""The incidents page's tabs as widgets (layout only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.incidents import (
    Framework,
    Status,
    add_months,
)
from riskdesk.ui.incidents.bar_chart import SiBarChart
from riskdesk.ui.incidents.table_model import (
    Col,
)
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.kit.actions import make_action
from riskdesk.ui.kit.contrast import paint_plainly
from riskdesk.ui.kit.keyboard import field_label

if TYPE_CHECKING:
    pass
from riskdesk.ui.incidents.views import ReviewList, _month_edit


class IncidentsPageLayout:
    """Builds the list, dashboard, monthly review and chart tabs (mixed into IncidentsPage)."""

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
        self.new_button = QPushButton("New SI…")
        self.new_button.setToolTip("Log a serious incident reported by a provider (Ctrl+N)")
        self.open_button = QPushButton("Open…")
        self.open_button.setToolTip("Open the selected SI (Enter)")
        self.providers_button = QPushButton("Providers…")
        self.export_button = QPushButton("E&xport…")
        self.export_button.setToolTip("Export the SIs shown to Excel (.xlsx) or CSV")
        self.report_button = QPushButton("SI report (PDF)…")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setObjectName("deleteIncidentButton")
        self.delete_button.setToolTip("Delete the selected SI, e.g. one logged in error (Delete)")
        self.delete_button.setAccessibleDescription("Delete the selected serious incident after confirmation")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Read the list again from the database (F5)")
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
        self.period_check = QCheckBox("Reported from")
        self.period_check.setToolTip("Only SIs reported into the SI inbox in these months")
        self.from_month = _month_edit("Reported from month", add_months((self.today.year, self.today.month), -11))
        self.to_month = _month_edit("Reported to month", (self.today.year, self.today.month))
        self.from_month.setEnabled(False)
        self.to_month.setEnabled(False)
        self.overdue_check = QCheckBox("Overd&ue only")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search reference, provider, category, description…")
        self.search_edit.setAccessibleName("Search serious incidents")
        self.search_edit.setClearButtonEnabled(True)
        self.clear_button = QPushButton("Clear filters")
        for w in (field_label("Provider:", self.provider_filter), self.provider_filter, self.service_filter, self.framework_filter,
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
        self.table = paint_plainly(QTableView())  # no check boxes: no Python call per cell
        self.table.setObjectName("incidentTable")
        self.table.setAccessibleName("Serious incidents")
        self.table.setTabKeyNavigation(False)  # arrows move between rows; Tab leaves the table
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
        top.addWidget(QLabel("Mo&nth:", buddy=self.review_month))
        top.addWidget(self.review_month)
        self.review_summary = QLabel()
        top.addWidget(self.review_summary, 1)
        rl.addLayout(top)
        # Views over the rows the page holds (not widget items): "All open SIs" runs to 18,000 lines.
        self.review_reported_list = ReviewList("Reported this month")
        self.review_due_list = ReviewList("Due this month")
        self.review_overdue_list = ReviewList("Overdue")
        self.review_open_list = ReviewList("All open SIs")
        self.review_actions_list = ReviewList("Open actions due by month end")
        split = QSplitter(Qt.Orientation.Vertical)
        for row in ((("Due this month", self.review_due_list), ("Overdue", self.review_overdue_list)),
                    (("Reported this month", self.review_reported_list),
                     ("Open actions due by month end", self.review_actions_list),
                     ("All open SIs", self.review_open_list))):
            across = QSplitter(Qt.Orientation.Horizontal)
            for title, w in row:
                box = QGroupBox(title)
                QVBoxLayout(box).addWidget(w)
                across.addWidget(box)
            split.addWidget(across)
        rl.addWidget(split, 1)
        self.tabs.addTab(review, "Monthly revie&w")

        # Chart.
        chart = QWidget()
        cl = QVBoxLayout(chart)
        top = QHBoxLayout()
        default_last = self._default_chart_end()
        self.chart_to = _month_edit("Chart period ends", default_last)
        top.addWidget(field_label("Twelve months ending:", self.chart_to))
        top.addWidget(self.chart_to)
        top.addWidget(QLabel("(compared with the twelve months before)"))
        top.addStretch(1)
        cl.addLayout(top)
        self.chart = SiBarChart()
        cl.addWidget(self.chart, 1)
        self.tabs.addTab(chart, "Ch&art")

        # New and Find are the window's (routed here, see ``routed_actions``). The Delete key
        # belongs to the SI table, not the page: Delete in the search box edits the text.
        self.delete_action = make_action(A.INCIDENT_DELETE, self.table)

        # Search runs on every key while filtering is quick (100,000 rows filter in ~30 ms); only
        # a filter measured slow waits for a pause in the typing (see ``_search_typed``).
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.timeout.connect(self.apply_filter)
        self._last_filter_ms = 0.0

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
        self.search_edit.textChanged.connect(self._search_typed)
        self.search_edit.returnPressed.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.clear_filters)
        self.review_month.dateChanged.connect(lambda _d: self.refresh_review())
        self.chart_to.dateChanged.connect(lambda _d: self.refresh_chart())
        self.overdue_list.itemActivated.connect(self._open_item)
        for w in (self.review_reported_list, self.review_due_list, self.review_overdue_list, self.review_open_list,
                  self.review_actions_list):
            w.opened.connect(self._open_editor)  # Enter or a double click on a line naming an SI
