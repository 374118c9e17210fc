"""The Complaints page's widgets (layout only; ``page.py`` wires them to the services)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.complaints import ClockBand, Procedure
from riskdesk.ui.complaints.table_model import ComplaintTableModel, ComplimentTableModel, ContactTableModel
from riskdesk.ui.kit.contrast import paint_plainly


def _table(name: str, accessible: str) -> QTableView:
    t = paint_plainly(QTableView())  # no check boxes: no Python call per cell
    t.setObjectName(name)
    t.setAccessibleName(accessible)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setSortingEnabled(True)
    t.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # rows come newest first, unsorted
    t.setAlternatingRowColors(False)
    t.setWordWrap(False)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class ComplaintsPageLayout:
    """Builds the widgets as public attributes."""

    def _build(self) -> None:
        assert isinstance(self, QWidget)
        outer = QVBoxLayout(self)
        self.content = QWidget()
        outer.addWidget(self.content)
        self.denied_label = QLabel()
        self.denied_label.setWordWrap(True)
        self.denied_label.hide()
        outer.addWidget(self.denied_label)
        box = QVBoxLayout(self.content)
        box.setContentsMargins(0, 0, 0, 0)

        bar = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search reference, service, handler, summary…")
        self.search_edit.setAccessibleName("Search complaints")
        self.search_edit.setClearButtonEnabled(True)
        bar.addWidget(self.search_edit, 2)
        self.procedure_filter = QComboBox()
        self.procedure_filter.setAccessibleName("Procedure filter")
        self.procedure_filter.addItem("Any procedure", None)
        for p in Procedure:
            self.procedure_filter.addItem(p.label, p.value)
        bar.addWidget(self.procedure_filter)
        self.band_filter = QComboBox()
        self.band_filter.setAccessibleName("Clock filter")
        self.band_filter.addItem("Any clock", None)
        self.band_filter.addItem("Open cases", "open")
        for b in (ClockBand.OVERDUE, ClockBand.DUE_SOON, ClockBand.EXTENDED, ClockBand.ON_TRACK,
                  ClockBand.RESPONDED, ClockBand.NOT_ACCEPTED):
            self.band_filter.addItem(b.label, b.value)
        bar.addWidget(self.band_filter)
        self.new_button = QPushButton("&New complaint…")
        self.open_button = QPushButton("Open ca&se…")
        self.refresh_button = QPushButton("Refresh")
        for b in (self.new_button, self.open_button, self.refresh_button):
            bar.addWidget(b)
        box.addLayout(bar)

        tiles = QHBoxLayout()
        self.tile_overdue = QLabel()
        self.tile_due_soon = QLabel()
        self.tile_extended = QLabel()
        for t, colour in ((self.tile_overdue, "#f4c7c3"), (self.tile_due_soon, "#fce8b2"),
                          (self.tile_extended, "#e1d5f0")):
            t.setStyleSheet(f"background:{colour}; color:#000; padding:6px; border-radius:4px;")
            tiles.addWidget(t)
        self.shown_label = QLabel()
        tiles.addStretch(1)
        tiles.addWidget(self.shown_label)
        box.addLayout(tiles)

        self.tabs = QTabWidget()
        self.model = ComplaintTableModel(self)
        self.table = _table("complaintsTable", "Complaints")
        self.table.setModel(self.model)
        self.tabs.addTab(self.table, "Complaints")
        contacts = QWidget()
        cbox = QVBoxLayout(contacts)
        crow = QHBoxLayout()
        self.log_contact_button = QPushButton("&Log contact…")
        self.convert_button = QPushButton("Convert to compl&aint…")
        self.convert_button.setToolTip("A service request or enquiry becomes a complaint when the person expresses "
                                       "dissatisfaction: recorded as a conversion, never retyped")
        crow.addWidget(self.log_contact_button)
        crow.addWidget(self.convert_button)
        crow.addStretch(1)
        cbox.addLayout(crow)
        self.contacts_model = ContactTableModel(self)
        self.contacts_table = _table("contactsTable", "Contacts")
        self.contacts_table.setModel(self.contacts_model)
        cbox.addWidget(self.contacts_table)
        self.tabs.addTab(contacts, "Front door")
        self.compliments_model = ComplimentTableModel(self)
        self.compliments_table = _table("complimentsTable", "Compliments")
        self.compliments_table.setModel(self.compliments_model)
        self.tabs.addTab(self.compliments_table, "Compliments")
        box.addWidget(self.tabs, 1)
        # What the last step did, or why it was refused (undo included).
        self.status = QLabel()
        self.status.setObjectName("complaintsStatus")
        self.status.setAccessibleName("Status message")
        self.status.setWordWrap(True)
        box.addWidget(self.status)
