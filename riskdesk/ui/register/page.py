"""The register tab: filter bar, the risk table and the editor beside it, wired to the services.

Every write goes through a service and then onto the undo stack (see ``riskdesk.ui.register.edits``).
Loading a register runs on a worker thread; filtering and sorting run on the Python rows.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register_filter import RegisterFilter, predicate, search_text
from riskdesk.ui.kit.contrast import paint_plainly
from riskdesk.ui.kit.jobs import AfterPaint, run_in_background
from riskdesk.ui.kit.keyboard import step_focus
from riskdesk.ui.kit.prompts import show_error
from riskdesk.ui.kit.scheme import default_scheme
from riskdesk.ui.kit.settings import WindowState
from riskdesk.ui.kit.undo import page_undo_stack
from riskdesk.ui.register.edits import (
    VersionBook,
)
from riskdesk.ui.register.filters import RegisterFilterBar
from riskdesk.ui.register.page_parts import (
    EDITOR_WIDTH,
    ColumnFit,
    RegisterPrompts,
    RegisterRefusals,
    RegisterSelection,
)
from riskdesk.ui.register.saving import RegisterSaving
from riskdesk.ui.register.table_model import Col, RiskTableModel
from riskdesk.ui.register.writes import RegisterWrites

if TYPE_CHECKING:
    from collections.abc import Callable

    from riskdesk.domain.actor import Actor
    from riskdesk.domain.register import CategoryRow, DepartmentRow, RegisterRow, RiskRow, UserRow
    from riskdesk.domain.risk_detail import AssessmentRow, AuditRow
    from riskdesk.domain.scoring import ScoringScheme
    from riskdesk.services import Services
    from riskdesk.ui.register.editor import RiskEditor
    from riskdesk.ui.register.governance_panel import GovernanceLoad


class RegisterLoad(NamedTuple):
    """One register as the page shows it, read off the GUI thread.
    (A NamedTuple: its class is made before the window's first paint, where a frozen dataclass costs 0.6 ms.)
    """

    rows: list[RiskRow]
    departments: list[DepartmentRow]
    categories: list[CategoryRow]
    users: list[UserRow]
    council: str


def fetch_register(services: Services, actor: Actor, register_id: int) -> RegisterLoad:
    """Read a register for the page (safe on a worker thread: services open their own sessions)."""
    rows, choices = services.risks.open_register(actor, register_id)
    return RegisterLoad(rows=rows, departments=choices.departments, categories=choices.categories,
                        users=choices.users, council=choices.council)


class RegisterPage(RegisterPrompts, RegisterRefusals, RegisterSelection, ColumnFit, RegisterSaving, RegisterWrites,
                   QWidget):
    """The register, its filters and the risk editor.

    The page can be built before its database is open (``services`` None): it then shows
    that the database is opening, until ``attach`` gives it services, scheme, user and period.
    The editor is built the first time a risk is opened.
    """

    loaded = Signal()  # a register finished loading (rows are in the model)
    rowsChanged = Signal()  # rows shown changed (filter, load, edit): counts and dashboard follow
    riskSaved = Signal(int)
    dirtyChanged = Signal(bool)  # the editor holds unsaved edits (or no longer does)
    riskShown = Signal()  # the editor shows another risk (or none): what the user may do with it changed

    def __init__(self, services: Services | None, actor: Actor, scheme: ScoringScheme | None, state: WindowState,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services: Services | None = None
        self.actor = actor
        #: The database's scheme (``scheme``); None until it is known: no bands are offered or coloured by yet.
        self._scheme = scheme
        self.undo_stack = page_undo_stack(self)  # the register's own: Ctrl+Z elsewhere never reaches it
        self.state = state
        self.register: RegisterRow | None = None
        self.registers: list[RegisterRow] = []
        # Until the database is open: this quarter, and nobody (so no right to change anything).
        self.period: Quarter = Quarter.of(date.today())
        self.me: UserRow | None = None
        self.council = ""
        self.departments: list[DepartmentRow] = []
        self.categories: list[CategoryRow] = []
        self.users: list[UserRow] = []
        self._selected_id: int | None = None
        self._pending_select: int | None = None
        self._loading = False
        self._haystacks: AfterPaint | None = None  # the search's haystacks, made once the rows have painted
        self._fit_description = False
        self.versions = VersionBook()
        self._history: list[AssessmentRow] = []  # the open risk's, as last shown
        self._audit: list[AuditRow] = []

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 0)
        lay.setSpacing(4)
        self.title = QLabel("Opening the database…")
        self.title.setObjectName("registerTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: 600; padding: 2px 0 2px 0;")
        lay.addWidget(self.title)
        bands = scheme.bands if scheme is not None else None
        self.filters = RegisterFilterBar(bands)
        self.filters.set_period(self.period)
        lay.addWidget(self.filters)

        self.model = RiskTableModel(bands, self)
        self.model.set_appetite(self.appetite_of)
        self.table = paint_plainly(QTableView())  # no check boxes: no Python call per cell
        self.table.setObjectName("registerTable")
        self.table.setAccessibleName("Risk register")
        # Arrows move between risks; Tab leaves the table (to the filters, then the editor).
        self.table.setTabKeyNavigation(False)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(20)  # the I and L columns hold one digit
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.viewport().installEventFilter(self)  # the description follows the table's width
        self._auto_fit, self._fitting = True, False
        self.table.sortByColumn(Col.REF, Qt.SortOrder.AscendingOrder)
        header.sectionResized.connect(self._section_resized)  # the widths are set in restore_state

        self._editor: RiskEditor | None = None
        self.placeholder = QLabel(
            "<h3>Select a risk to update it</h3>"
            "<p>The quarterly update takes three steps:</p>"
            "<ol><li>Find your risk: tick <b>My risks</b> or <b>Not updated</b>, or type in the search box "
            "(Ctrl+F).</li>"
            "<li>Click it. Last quarter's scores are already chosen on the matrices: click a cell if a score "
            "moved.</li>"
            "<li>Write this quarter's update and press <b>Save</b> (Ctrl+S).</li></ol>"
            "<p>Every change can be undone (Ctrl+Z). The Dashboard tab shows the heat map and the risks "
            "the committee will ask about.</p>")
        self.placeholder.setObjectName("editorPlaceholder")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.placeholder.setContentsMargins(18, 12, 18, 12)
        # The pane is far taller than these lines: no height-for-width, whose every query lays the
        # rich text out again as the splitter and the stack settle (69 million instructions, a
        # sixteenth of the start, before the first paint).
        policy = self.placeholder.sizePolicy()
        policy.setHeightForWidth(False)
        self.placeholder.setSizePolicy(policy)
        self.editor_stack = QStackedWidget()
        self.editor_stack.addWidget(self.placeholder)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("registerSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.editor_stack)
        # Extra width goes to the table; the editor keeps the width its two matrices need.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        lay.addWidget(self.splitter, 1)

        self.filters.changed.connect(self.apply_filter)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        if services is not None:
            self.attach(services, scheme, services.registers.me(actor), services.registers.current_period(actor))

    def attach(self, services: Services, scheme: ScoringScheme, me: UserRow, period: Quarter) -> None:
        """The database is open: who is acting, the current period and the scheme in use."""
        self.services = services
        self.take_identity(scheme, me, period)

    def take_identity(self, scheme: ScoringScheme, me: UserRow, period: Quarter) -> None:
        """Who is acting, the current period and the scheme in use: from the services (``attach``),
        or from the window's first look at the file while they open (no services yet)."""
        self.me = me
        self.period = period
        self.filters.set_period(period)
        if self.register is None:  # no register on screen yet: drop "Opening the database…"
            self.title.setText("")
        if scheme != self._scheme:
            self._scheme = scheme
            self.model.set_bands(scheme.bands)
            self.model.set_appetite(self.appetite_of)
            self.filters.set_bands(scheme.bands)
            if self._editor is not None:  # built with the old scheme: build it again when next wanted
                self.editor_stack.removeWidget(self._editor)
                self._editor.deleteLater()
                self._editor = None

    @property
    def scheme(self) -> ScoringScheme:
        """The scheme in use: the database's once known (``take_identity``), else the default."""
        return self._scheme or default_scheme()

    # -- the editor ----------------------------------------------------------------------------

    @property
    def editor(self) -> RiskEditor:
        """The risk editor, built the first time it is wanted."""
        if self._editor is None:
            from riskdesk.ui.register.editor import RiskEditor

            editor = RiskEditor(self.scheme)
            editor.set_choices(self.departments, self.categories, self.users)
            editor.saveRequested.connect(self.save)
            editor.revertRequested.connect(self.revert)
            editor.dirtyChanged.connect(self.dirtyChanged)
            editor.move_button.clicked.connect(self.move_risk)
            editor.add_action_button.clicked.connect(self.add_action)
            editor.edit_action_button.clicked.connect(self.edit_action)
            editor.complete_action_button.clicked.connect(self.complete_action)
            editor.delete_action_button.clicked.connect(self.delete_action)
            editor.actions_table.doubleClicked.connect(lambda *_: self.edit_action())
            from riskdesk.ui.register.controls_panel import ControlsPanel

            self.controls_panel = ControlsPanel(self)
            editor.tabs.insertTab(3, self.controls_panel, "&4 Controls")
            editor.tabs.setTabToolTip(3, "Appetite, the 4T response, next review, existing controls, sources of "
                                         "assurance and linked SIs")
            self.editor_stack.addWidget(editor)
            self._editor = editor
        return self._editor

    def focusNextPrevChild(self, next: bool) -> bool:
        return step_focus(self.tab_order(), next) or super().focusNextPrevChild(next)

    def editor_dirty(self) -> bool:
        """Whether the editor holds edits not yet saved (False while it has never been opened)."""
        return self._editor is not None and self._editor.is_dirty()

    # -- permissions ---------------------------------------------------------------------------

    @property
    def may_edit_register(self) -> bool:
        return self.me is not None and allows(self.me.role, Permission.EDIT_REGISTER)

    def may_assess(self, row: RiskRow) -> bool:
        me = self.me
        return me is not None and (allows(me.role, Permission.ASSESS_ANY_RISK) or (
            allows(me.role, Permission.ASSESS_OWN_RISK) and row.owner_id == me.id))

    # -- appetite and governance ---------------------------------------------------------------

    def appetite_of(self, row: RiskRow) -> tuple[bool, str] | None:
        """(out of appetite, words) for a row under the scheme in use, from its category's appetite."""
        # Not imported before the first paint (it needs scoring, which the worker reading the rows imports).
        from riskdesk.domain.appetite import appetite_mark

        category = next((c.name for c in self.categories if c.id == row.category_id), None)
        return appetite_mark(self.scheme, category, row.score)

    def governance_load(self) -> GovernanceLoad | None:
        """The dashboard's lists that need the services (removal candidates, reviews, on-time rates)."""
        if self.services is None or self.register is None:
            return None
        # The dashboard's lists: their module is imported when first wanted, not before the first paint.
        from riskdesk.ui.register.governance_panel import fetch_governance

        try:
            return fetch_governance(self.services, self.actor, self.register.id)
        except RiskdeskError as exc:
            show_error(self, "Cannot read the appetite and review lists", exc)
            return None

    # -- loading -------------------------------------------------------------------------------

    def restore_state(self) -> None:
        """Remembered column widths, sort, splitter and filters."""
        header = self.state.header("register")
        h = self.table.horizontalHeader()
        restored = header is not None and h.restoreState(header)
        if not restored:
            # Each column as wide as its title needs. Only when no widths are remembered: asking the
            # style for its metrics builds Python types for QStyle's enums (48 million instructions).
            # Before _auto_fit is set below: the resizes these make are not the user's.
            self._size_columns()
        self._fit_description = not restored
        # Column widths the user chose (remembered, or dragged now) are theirs: no fitting over them.
        self._auto_fit = not restored
        if restored:
            self.model.sort(h.sortIndicatorSection(), h.sortIndicatorOrder())
        splitter = self.state.blob("splitter_register")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        else:
            self.splitter.setSizes([1000, EDITOR_WIDTH])  # the table takes the rest, whatever the window
        try:
            flt = RegisterFilter.from_dict(json.loads(self.state.text("filter", "{}") or "{}"))
        except ValueError:
            flt = RegisterFilter()
        self.filters.set_filter(flt, emit=False)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if getattr(self, "_fit_description", False):
            # First run: give the description the width the screen has to spare (remembered after).
            self._fit_description = False
            QTimer.singleShot(0, self._widen_description)

    def save_state(self) -> None:
        self.state.set_header("register", self.table.horizontalHeader().saveState())
        self.state.set_blob("splitter_register", self.splitter.saveState())
        self.state.set_text("filter", json.dumps(self.filters.filter().to_dict()))

    def set_register(self, register: RegisterRow | None, registers: list[RegisterRow], *,
                     background: bool = True, preloaded: RegisterLoad | None = None) -> None:
        """Show a register: from ``preloaded`` if given, else read on a worker thread when ``background``."""
        self.register = register
        self.registers = registers
        self.clear_editor()
        self._selected_id = None
        if register is None:
            self.model.set_rows([])
            self.title.setText("No register yet: load one with `riskdesk load-register` or `riskdesk demo`.")
            self.rowsChanged.emit()
            return
        if preloaded is not None:
            self._loaded(preloaded)
            return
        self.title.setText(f"{register.name} · {self.period.label} · loading…")
        register_id = register.id
        services, actor = self.services, self.actor
        assert services is not None

        def work() -> RegisterLoad:
            return fetch_register(services, actor, register_id)

        if not background:
            self._loaded(work())
            return
        self._loading = True
        run_in_background(work, self._loaded, self._load_failed, parent=self,
                          label=f"Loading the {register.name}…")

    def clear_editor(self) -> None:
        if self._editor is not None:
            self._editor.clear()
        self.editor_stack.setCurrentWidget(self.placeholder)
        self.riskShown.emit()

    def refresh_choices(self) -> None:
        """Read departments, categories and people again (after they were edited)."""
        if self.register is None or self.services is None:
            return
        choices = self.services.registers.choices(self.actor, self.register.id)
        self._set_choices(choices.departments, choices.categories, choices.users)

    def _set_choices(self, departments: list[DepartmentRow], categories: list[CategoryRow],
                     users: list[UserRow]) -> None:
        self.departments, self.categories, self.users = departments, categories, users
        self.filters.set_choices([d for d in departments if d.active], categories, users)
        self.model.set_appetite(self.appetite_of)  # appetite is by category name
        if self._editor is not None:
            self._editor.set_choices(departments, categories, users)

    def _loaded(self, load: RegisterLoad) -> None:
        self._loading = False
        self._set_choices(load.departments, load.categories, load.users)
        flt = self.filters.filter()
        self.model.show(load.rows, self._predicate(flt), flt.needle)  # filtered and sorted once, not twice
        self._filter_applied(flt)
        # The search's haystacks are built off the GUI thread once the rows are on screen, so the
        # first search is as quick as the rest (a search typed before they are ready builds what it
        # needs itself). Not sooner: the worker would hold the interpreter while the rows paint
        # (37 ms later at 5,000 risks).
        rows = load.rows
        if self._haystacks is not None:
            self._haystacks.cancel()  # for rows no longer shown
        self._haystacks = AfterPaint(self.table.viewport(), lambda: run_in_background(
            lambda: [(r, search_text(r)) for r in rows], self.model.add_texts, lambda _exc: None), at_latest_ms=1000)
        self.council = council = load.council
        if self.register is not None:
            self.title.setText(f"{council + ' – ' if council else ''}{self.register.name} · {self.period.label}")
        if self._pending_select is not None:
            risk_id, self._pending_select = self._pending_select, None
            self.select_risk(risk_id)
        self.loaded.emit()

    def _load_failed(self, exc: BaseException) -> None:
        self._loading = False
        self.title.setText("The register could not be loaded.")
        show_error(self, "Cannot load the register", exc)

    def reload(self) -> None:
        self._pending_select = self._selected_id
        self.set_register(self.register, self.registers)

    # -- filter and selection (selecting a risk: RegisterSelection) -----------------------------

    def apply_filter(self) -> None:
        flt = self.filters.filter()
        self.model.set_filter(self._predicate(flt), flt.needle)
        self._filter_applied(flt)

    def _predicate(self, flt: RegisterFilter) -> Callable[[RiskRow], bool] | None:
        """The filter bar's ask but its search text (the model's own), as one test of a row (None: all)."""
        return predicate(flt.with_(text=""), bands=self.scheme.bands, current_period=self.period.code,
                         my_user_id=self.me.id if self.me else None)

    def _filter_applied(self, flt: RegisterFilter) -> None:
        """The model shows ``flt``: its count, remembered, and the rows' followers told."""
        shown, total = self.model.rowCount(), self.model.total()
        self.filters.count_label.setText(f"{shown} of {total}" if flt.active else "")
        self.state.set_text("filter", json.dumps(flt.to_dict()))
        self.rowsChanged.emit()

    def show_cell(self, kind: str, impact: int, likelihood: int) -> None:
        self.filters.set_cell(kind, impact, likelihood)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.services is None:
            return  # rows of the first look: the risk opens once the database has (open_current)
        new_id = self.model.row_at(current.row()).id if current.isValid() else None
        if new_id == self._selected_id:
            return
        if self.editor_dirty() and self._selected_id is not None:
            answer = self.ask_save_changes()
            if answer == QMessageBox.StandardButton.Cancel or (
                    answer == QMessageBox.StandardButton.Save and not self.save()):
                self._reselect(self._selected_id)
                return
        self._selected_id = new_id
        if new_id is None:
            self.clear_editor()
        else:
            self.open_risk(new_id)

    def open_risk(self, risk_id: int) -> None:
        """Load one risk into the editor with its history, actions and audit trail."""
        try:
            row, history, actions, audit = self.services.risks.open_in_editor(self.actor, risk_id)
        except RiskdeskError as exc:
            show_error(self, "Cannot open the risk", exc)
            return
        self._selected_id = risk_id
        self._history, self._audit = history, audit
        self._show_in_editor(row)
        self.controls_panel.load(row, history, self.may_assess(row))
        self.editor.set_actions(actions)
        self.editor.set_audit(audit)
        self.editor_stack.setCurrentWidget(self.editor)

    def _show_in_editor(self, row: RiskRow) -> None:
        register_name = next((r.name for r in self.registers if r.id == row.register_id), "")
        self.editor.load(row, self.period, self._history, register_name=register_name,
                         may_edit_register=self.may_edit_register, may_assess=self.may_assess(row),
                         refusal=self.assess_refusal(row))
        self.riskShown.emit()
