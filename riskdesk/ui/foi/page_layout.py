"""Widgets of the FOI/EIR page, as public attributes; ``FoiPage`` wires them to the service."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.foi import DEPARTMENTS, MULTI, ClockBand
from riskdesk.ui.kit.contrast import paint_plainly


class FoiPageLayout:
    """Tiles (overdue, due today, due soon), filters, the list and the buttons."""

    def _build(self: QWidget) -> None:  # type: ignore[misc]
        outer = QVBoxLayout(self)
        self.denied_label = QLabel()
        self.denied_label.setWordWrap(True)
        self.denied_label.hide()
        outer.addWidget(self.denied_label)
        self.content = QWidget()
        outer.addWidget(self.content)
        lay = QVBoxLayout(self.content)
        lay.setContentsMargins(0, 0, 0, 0)
        tiles = QHBoxLayout()
        self.overdue_tile = self._tile("overdueTile", "Overdue", "#f4c7c3")
        self.due_today_tile = self._tile("dueTodayTile", "Due today", "#ffd9a8")
        self.due_soon_tile = self._tile("dueSoonTile", "Due in 5 working days", "#fde9b8")
        self.open_tile = self._tile("openTile", "Open", "#d4ecd4")
        for t in (self.overdue_tile, self.due_today_tile, self.due_soon_tile, self.open_tile):
            tiles.addWidget(t)
        tiles.addStretch(1)
        lay.addLayout(tiles)
        filters = QHBoxLayout()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search reference, subject, requester type…")
        self.search_edit.setAccessibleName("Search FOI requests")
        self.search_edit.setClearButtonEnabled(True)
        self.department_filter = QComboBox()
        self.department_filter.setAccessibleName("Department filter")
        self.department_filter.addItem("Any department", "")
        for code in (*DEPARTMENTS, MULTI):
            self.department_filter.addItem(code, code)
        self.status_filter = QComboBox()
        self.status_filter.setAccessibleName("Status filter")
        for label, value in (("Any status", ""), ("Open", "open"), ("Responded", "responded"),
                             ("Withdrawn, lapsed or transferred", "closed")):
            self.status_filter.addItem(label, value)
        self.band_filter = QComboBox()
        self.band_filter.setAccessibleName("Clock filter")
        self.band_filter.addItem("Any clock", "")
        for band in ClockBand:
            self.band_filter.addItem(band.label, band.value)
        filter_label = QLabel("&Search:")
        filter_label.setBuddy(self.search_edit)
        filters.addWidget(filter_label)
        filters.addWidget(self.search_edit, 2)
        filters.addWidget(self.department_filter)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.band_filter)
        lay.addLayout(filters)
        self.table = paint_plainly(QTableView())  # no check boxes: no Python call per cell
        self.table.setObjectName("foiTable")
        self.table.setAccessibleName("FOI and EIR requests")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.shown_label = QLabel()
        buttons.addWidget(self.shown_label)
        buttons.addStretch(1)
        self.new_button = QPushButton("&New request…")
        self.open_button = QPushButton("Open…")
        self.report_button = QPushButton("FOI report…")
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setToolTip("Read the list again from the database (F5)")
        for b in (self.new_button, self.open_button, self.report_button, self.refresh_button):
            buttons.addWidget(b)
        lay.addLayout(buttons)

    def _tile(self, name: str, title: str, colour: str) -> QPushButton:
        tile = QPushButton(f"{title}\n–")
        tile.setObjectName(name)
        tile.setAccessibleName(title)
        tile.setMinimumSize(150, 56)
        tile.setStyleSheet(f"QPushButton {{ background:{colour}; border:1px solid #999; border-radius:4px; "
                           "font-size:13px; text-align:left; padding:6px; }")
        return tile
