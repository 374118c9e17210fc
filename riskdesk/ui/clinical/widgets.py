"""Small widget factories of the clinical page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QPushButton,
    QTableView,
)

from riskdesk.ui.clinical.table_models import (
    RowTableModel,
)
from riskdesk.ui.kit.contrast import paint_plainly

if TYPE_CHECKING:
    pass


def _table(name: str, model: RowTableModel[Any]) -> QTableView:
    table = paint_plainly(QTableView())  # no check boxes: no Python call per cell
    table.horizontalHeader().setStretchLastSection(True)
    table.setObjectName(name)
    table.setAccessibleName(name)
    table.setTabKeyNavigation(False)  # arrows move between rows; Tab leaves the table
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setSortingEnabled(True)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(24)
    table.horizontalHeader().setHighlightSections(False)
    table.setWordWrap(False)
    return table


def _button(text: str, tip: str) -> QPushButton:
    b = QPushButton(text)
    b.setToolTip(tip)
    b.setAccessibleDescription(tip)
    return b
