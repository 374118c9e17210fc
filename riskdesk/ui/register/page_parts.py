"""Parts of the register page: why a user may not update a risk, the columns fitted to the window,
and selecting a risk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QHeaderView, QMessageBox

from riskdesk.domain.permissions import WHO_MAY, Permission, allows, why_not
from riskdesk.ui.register.table_model import Col

if TYPE_CHECKING:
    from riskdesk.domain.register import RiskRow

# Narrow enough that ref to direction fit beside the editor at 1280×800; the description takes what is left.
DEFAULT_WIDTHS = {Col.REF: 40, Col.DEPARTMENTS: 60, Col.DESCRIPTION: 250, Col.CURRENT_I: 22, Col.CURRENT_L: 22,
                  Col.CURRENT: 46, Col.TARGET_I: 22, Col.TARGET_L: 22, Col.TARGET: 46, Col.DIRECTION: 150,
                  Col.OWNER: 140, Col.CATEGORY: 240, Col.APPETITE: 64}
#: The description never gets narrower than this when the window is small (it elides, with a tooltip).
MIN_DESCRIPTION = 120
MIN_DIRECTION = 64  # the arrow and the start of its words
#: The editor's share of the split at first run: its two matrices side by side.
EDITOR_WIDTH = 570


class RegisterRefusals:
    """What the user may not do with the risk shown, said to them (mixed into RegisterPage)."""

    me: Any
    _editor: Any

    def assess_refusal(self, row: RiskRow) -> str:
        """Why the user may not update ``row`` ("" when they may), said to them."""
        me = self.me
        if me is None or self.may_assess(row):
            return ""
        if allows(me.role, Permission.ASSESS_OWN_RISK):
            owner = row.owner_name or "nobody yet"
            return (f"Risk {row.ref} is owned by {owner}; you can read it. "
                    f"{WHO_MAY[Permission.ASSESS_ANY_RISK]}")
        return why_not(me.role, Permission.ASSESS_OWN_RISK)

    def save_refusal(self) -> str:
        """Why Save (toolbar, menu, Ctrl+S) can do nothing for this user on the risk shown ("" when it can)."""
        me = self.me
        if me is None or self.may_edit_register:
            return ""
        if not allows(me.role, Permission.ASSESS_OWN_RISK):
            return why_not(me.role, Permission.ASSESS_OWN_RISK)
        row = self._editor.row if self._editor is not None else None
        return self.assess_refusal(row) if row is not None and row.status == "current" else ""

    def action_refusal(self) -> str:
        """Why Risk ▸ Add action is off for the risk shown ("" when it is usable)."""
        me = self.me
        if me is None:
            return ""
        if not (allows(me.role, Permission.ASSESS_OWN_RISK) or allows(me.role, Permission.ASSESS_ANY_RISK)):
            return why_not(me.role, Permission.ASSESS_OWN_RISK)
        row = self._editor.row if self._editor is not None else None
        return self.assess_refusal(row) if row is not None else ""


def header_text_width(header: QHeaderView, col: int, *, arrow: bool | None = None) -> int:
    """The width ``col``'s header needs to show its title whole: the text, the style's margins either side,
    and room for the sort arrow (``arrow=None``: only if ``col`` is the column sorted by now)."""
    from PySide6.QtWidgets import QStyle  # here, not at import: see RegisterPage.restore_state

    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    if arrow is None:
        arrow = header.isSortIndicatorShown() and header.sortIndicatorSection() == col
    mark = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + margin if arrow else 0
    text = str(header.model().headerData(col, Qt.Orientation.Horizontal) or "")
    return header.fontMetrics().horizontalAdvance(text) + 2 * margin + mark


class ColumnFit:
    """The description takes the width the essential columns leave (mixed into RegisterPage)."""

    table: Any
    _auto_fit: bool
    _fitting: bool

    def _size_columns(self) -> None:
        """Each column at its default width, or wider where its title needs it ("Current", not "Curre…", in
        any font the user's system has), with room for the sort arrow should the user sort by it."""
        header = self.table.horizontalHeader()
        for col, width in DEFAULT_WIDTHS.items():
            # a one-letter title (I, L) shows beside the arrow in its one-digit column; words need the room
            words = len(str(header.model().headerData(col, Qt.Orientation.Horizontal) or "")) > 1
            fits = header_text_width(header, col, arrow=header.isSortIndicatorShown() and words)
            header.resizeSection(col, width if col == Col.DESCRIPTION else max(width, fits))

    def _widen_description(self) -> None:
        """Fit the description so that ref to direction end at the table's right edge (owner and
        category follow, behind the scrollbar, when the window is narrow)."""
        self._fitting = True
        try:
            self._fit_columns()
        finally:
            self._fitting = False

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        width = self.table.viewport().width() - 2
        if header.sectionSize(Col.DIRECTION) < DEFAULT_WIDTHS[Col.DIRECTION]:  # narrowed for a smaller window
            header.resizeSection(Col.DIRECTION, DEFAULT_WIDTHS[Col.DIRECTION])

        def spare(cols: list[Col]) -> int:
            return width - sum(header.sectionSize(c) for c in cols if not header.isSectionHidden(c))

        every = spare([c for c in Col if c != Col.DESCRIPTION])
        if every >= DEFAULT_WIDTHS[Col.DESCRIPTION]:  # a wide screen: every column, no scrollbar
            header.resizeSection(Col.DESCRIPTION, every)
            return
        essential = spare([c for c in Col if c <= Col.DIRECTION and c != Col.DESCRIPTION])
        if essential < MIN_DESCRIPTION:  # a small window: the direction's words elide before any score hides
            direction = max(MIN_DIRECTION, header.sectionSize(Col.DIRECTION) - (MIN_DESCRIPTION - essential))
            essential += header.sectionSize(Col.DIRECTION) - direction
            header.resizeSection(Col.DIRECTION, direction)
        header.resizeSection(Col.DESCRIPTION, max(MIN_DESCRIPTION, essential))

    def _section_resized(self, *_: object) -> None:
        if not self._fitting:
            self._auto_fit = False  # the user dragged a column edge

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.table.viewport() and event.type() == QEvent.Type.Resize and self._auto_fit:
            self._widen_description()
        return super().eventFilter(obj, event)


class RegisterPrompts:
    """The register page's Tab order and its "unsaved changes" question (mixed into RegisterPage)."""

    filters: Any
    table: Any
    _editor: Any
    editor: Any

    def tab_order(self) -> list[Any]:
        """Where Tab goes on this page: the table, the filters, then the editor down to its Save."""
        f = self.filters
        order: list[Any] = [self.table, f.search, f.department, f.category, f.band, f.owner, f.mine,
                                       f.not_updated, f.cell_chip, f.clear_button]
        editor = self._editor
        if editor is not None:
            cm, tm = editor.current_matrix, editor.target_matrix
            order += [editor.tabs.tabBar(), cm.impact_combo, cm.likelihood_combo, tm.none_box, tm.impact_combo,
                      tm.likelihood_combo, editor.direction_combo, editor.update_edit, editor.previous_toggle,
                      editor.copy_previous_button, editor.lines_table, editor.add_line_button,
                      editor.remove_line_button, editor.ref_edit, editor.description_edit, editor.service_area_edit,
                      editor.departments_list, editor.category_combo, editor.owner_combo, editor.move_button,
                      editor.actions_table, editor.add_action_button, editor.edit_action_button,
                      editor.complete_action_button, editor.delete_action_button, editor.audit_table,
                      editor.revert_button, editor.save_button]
        return order

    def ask_save_changes(self) -> QMessageBox.StandardButton:
        row = self.editor.row
        box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                          f"Save your changes to risk {row.ref if row else ''}?",
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("unsavedChangesMessage")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        return QMessageBox.StandardButton(box.exec())


class RegisterSelection:
    """Which risk the table has selected, and selecting one (mixed into RegisterPage)."""

    model: Any
    table: Any
    filters: Any
    _selected_id: int | None
    _pending_select: int | None
    _loading: bool

    @property
    def selected_id(self) -> int | None:
        """The risk open in the editor."""
        return self._selected_id

    def select_after_load(self, risk_id: int | None) -> None:
        """Reopen this risk once the register (re)loads, or now if it already has."""
        if risk_id is None:
            return
        if self._loading:
            self._pending_select = risk_id
        else:
            self.select_risk(risk_id)

    def select_risk(self, risk_id: int) -> bool:
        """Select a risk in the table (clearing filters that hide it) and open it in the editor."""
        row = self.model.row_of(risk_id)
        if row is None and any(r.id == risk_id for r in self.model.all_rows()):
            self.filters.clear()
            row = self.model.row_of(risk_id)
        if row is None:
            return False
        index = self.model.index(row, Col.REF)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def selected_row(self) -> RiskRow | None:
        if self._selected_id is None:
            return None
        i = self.model.row_of(self._selected_id)
        return self.model.row_at(i) if i is not None else None

    def current_id(self) -> int | None:
        """The risk of the table's current row (which the editor shows once the database is open)."""
        current = self.table.selectionModel().currentIndex()
        return self.model.row_at(current.row()).id if current.isValid() else None

    def keep_current_through_reload(self) -> None:
        """Select (and open) the table's current risk again once the next rows are in."""
        self._pending_select = self.current_id()

    def open_current(self) -> None:
        """Open the table's current row in the editor: a row picked while the database was still
        opening (the first look's rows are on screen before the services that open a risk)."""
        current = self.table.selectionModel().currentIndex()
        if current.isValid():
            self._current_changed(current, QModelIndex())

    def _reselect(self, risk_id: int) -> None:
        i = self.model.row_of(risk_id)
        if i is None:
            return
        sm = self.table.selectionModel()
        sm.blockSignals(True)
        sm.setCurrentIndex(self.model.index(i, Col.REF),
                           QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        sm.blockSignals(False)
        self.table.viewport().update()
