"""The filter bar above the register: search, department, category, band, owner, my risks, not updated."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from riskdesk.domain.register_filter import UNSCORED, RegisterFilter
from riskdesk.ui.kit.contrast import readable_text

if TYPE_CHECKING:
    from riskdesk.domain.quarters import Quarter
    from riskdesk.domain.register import CategoryRow, DepartmentRow, UserRow
    from riskdesk.domain.scoring import Bands


def _combo(name: str, width: int) -> QComboBox:
    c = QComboBox()
    c.setAccessibleName(name)
    c.setToolTip(name)
    c.setMinimumContentsLength(4)
    c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    c.setMaximumWidth(width)
    return c


class RegisterFilterBar(QWidget):
    """Widgets that describe a ``RegisterFilter``; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, bands: Bands | None, parent: QWidget | None = None) -> None:
        """``bands`` None: only "Any band" is offered until ``set_bands`` (a remembered band waits for it)."""
        super().__init__(parent)
        self._cell: tuple[str, int, int] | None = None
        self._quiet = False
        #: A filter naming a department, category or owner not offered yet (a remembered filter
        #: set before the register's choices arrive): applied again when they do.
        self._pending: RegisterFilter | None = None
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        self.search = QLineEdit()
        self.search.setObjectName("registerSearch")
        self.search.setPlaceholderText("Find ref, description or update… (Ctrl+F)")
        self.search.setAccessibleName("Search the register")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(140)
        lay.addWidget(self.search, 2)
        self.department = _combo("Filter by department", 130)
        self.category = _combo("Filter by category", 190)
        self.band = _combo("Filter by band", 130)
        self.owner = _combo("Filter by owner", 160)
        self._fill_bands(bands)
        for c in (self.department, self.category, self.band, self.owner):
            lay.addWidget(c, 1)
        self.mine = QCheckBox("My risks")
        self.mine.setAccessibleName("Show only my risks")
        self.not_updated = QCheckBox("Not &updated")
        self.not_updated.setAccessibleName("Show only risks not updated this period")
        lay.addWidget(self.mine)
        lay.addWidget(self.not_updated)
        self.cell_chip = QToolButton()
        self.cell_chip.setObjectName("cellChip")
        self.cell_chip.setAccessibleName("Remove the heat-map cell filter")
        self.cell_chip.setStyleSheet(f"QToolButton {{ background: #fff3c4; color: {readable_text('#fff3c4').name()}; "
                                     "border: 1px solid #d9b84a; "
                                     "border-radius: 3px; padding: 1px 6px; }")
        self.cell_chip.hide()
        self.cell_chip.clicked.connect(self._drop_cell)
        lay.addWidget(self.cell_chip)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setAccessibleName("Clear all filters")
        self.clear_button.clicked.connect(self.clear)
        lay.addWidget(self.clear_button)
        # "12 of 29" lives in the status bar; the label is kept for the page to fill.
        self.count_label = QLabel()
        self.count_label.hide()

        self.search.textChanged.connect(self._emit)
        for c in (self.department, self.category, self.band, self.owner):
            c.currentIndexChanged.connect(self._emit)
        self.mine.toggled.connect(self._emit)
        self.not_updated.toggled.connect(self._emit)
        self.set_choices([], [], [])

    # -- choices -------------------------------------------------------------------------------

    def set_choices(self, departments: list[DepartmentRow], categories: list[CategoryRow], users: list[UserRow]) -> None:
        """Fill the combo boxes, keeping what is chosen (or was remembered) where it exists."""
        flt = self._pending if self._pending is not None else self.filter()
        self._quiet = True
        self.department.clear()
        self.department.addItem("Any department", "")
        for d in departments:
            self.department.addItem(d.code, d.code)
            self.department.setItemData(self.department.count() - 1, d.name, 3)  # tooltip role
        self.category.clear()
        self.category.addItem("Any category", None)
        for c in categories:
            self.category.addItem(c.heading, c.id)
        self.owner.clear()
        self.owner.addItem("Any owner", None)
        for u in users:
            self.owner.addItem(u.display_name, u.id)
        self._quiet = False
        self.set_filter(flt, emit=False)

    def _fill_bands(self, bands: Bands | None) -> None:
        self.band.addItem("Any band", "")
        if bands is None:  # the scheme is not known yet: its bands come with it
            return
        for b in reversed(bands.bands):
            self.band.addItem(b.label.capitalize(), b.name)
        self.band.addItem("Not scored", UNSCORED)

    def set_bands(self, bands: Bands) -> None:
        """Offer these bands (the database's scheme), keeping the chosen one if it still exists."""
        flt = self._pending if self._pending is not None else self.filter()
        self._quiet = True
        self.band.clear()
        self._fill_bands(bands)
        self._quiet = False
        self.set_filter(flt, emit=False)

    def set_period(self, period: Quarter) -> None:
        self.not_updated.setToolTip(f"Only risks with no assessment for {period.label} yet")
        self.not_updated.setAccessibleName(f"Show only risks not updated for {period.label}")

    # -- the filter ----------------------------------------------------------------------------

    def filter(self) -> RegisterFilter:
        return RegisterFilter(
            text=self.search.text(),
            department=self.department.currentData() or "",
            category_id=self.category.currentData(),
            band=self.band.currentData() or "",
            owner_id=self.owner.currentData(),
            mine=self.mine.isChecked(),
            not_updated=self.not_updated.isChecked(),
            cell=self._cell,
        )

    def set_filter(self, flt: RegisterFilter, *, emit: bool = True) -> None:
        self._quiet = True
        self.search.setText(flt.text)
        for combo, value in ((self.department, flt.department), (self.category, flt.category_id),
                             (self.band, flt.band), (self.owner, flt.owner_id)):
            combo.setCurrentIndex(max(0, combo.findData(value)))
        self.mine.setChecked(flt.mine)
        self.not_updated.setChecked(flt.not_updated)
        self._cell = flt.cell
        self._show_cell()
        self._quiet = False
        shown = self.filter()
        missing = (shown.department, shown.category_id, shown.band, shown.owner_id) != (
            flt.department, flt.category_id, flt.band, flt.owner_id)
        self._pending = flt if missing else None
        if emit:
            self.changed.emit()

    def set_cell(self, kind: str, impact: int, likelihood: int) -> None:
        """Show only the risks in one heat-map cell (other filters are cleared)."""
        self.set_filter(RegisterFilter(cell=(kind, impact, likelihood)))

    def clear(self) -> None:
        self.set_filter(RegisterFilter())

    def _drop_cell(self) -> None:
        self._cell = None
        self._show_cell()
        self._emit()

    def _show_cell(self) -> None:
        if self._cell is None:
            self.cell_chip.hide()
            return
        kind, i, lk = self._cell
        self.cell_chip.setText(f"{kind.capitalize()} {i}×{lk} ✕")
        self.cell_chip.setToolTip(f"Showing risks whose {kind} score is impact {i} × likelihood {lk}; click to remove")
        self.cell_chip.show()

    def _emit(self, *_args: object) -> None:
        if not self._quiet:
            self._pending = None  # the user has chosen: a remembered choice no longer applies
            self.changed.emit()
