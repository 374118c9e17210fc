"""The main window: the register (with its editor), the dashboard, and the feature pages.

Menus are built from actions declared once here, with standard key sequences; the band
counts in the status bar follow the rows the register shows (after filtering).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QUndoGroup
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.permissions import Permission, Role, allows, why_not
from riskdesk.ui.kit.actions import (
    REGISTRY,
    ActionId,
    Routed,
    Scope,
    build_menus,
    check_conflicts,
    make_action,
)
from riskdesk.ui.kit.contrast import install_contrast_style
from riskdesk.ui.kit.keyboard import let_shortcuts_through
from riskdesk.ui.kit.scheme import default_scheme
from riskdesk.ui.kit.settings import WindowState
from riskdesk.ui.register.page import RegisterPage
from riskdesk.ui.reports.casework_menu import REPORT_NEEDS, ReportsMenu
from riskdesk.ui.window_commands import WindowCommands
from riskdesk.ui.window_opening import OPENING, Startup, WindowOpening

if TYPE_CHECKING:
    from riskdesk.domain.actor import Actor
    from riskdesk.domain.register import RegisterRow
    from riskdesk.domain.scoring import Bands, ScoringScheme
    from riskdesk.services import Services
    from riskdesk.services.first_look import FirstLook
    from riskdesk.ui.register.dashboard import DashboardPage


A = ActionId
#: The attribute names the window's actions are known by.
_ACTION_NAMES: dict[str, ActionId] = {
    "new_action": A.NEW, "save_action": A.SAVE, "print_action": A.PRINT, "backup_action": A.BACKUP, "restore_action": A.RESTORE,
    "verify_audit_action": A.VERIFY_AUDIT,
    "close_action": A.CLOSE, "quit_action": A.QUIT, "undo_action": A.UNDO, "redo_action": A.REDO,
    "find_action": A.FIND, "refresh_action": A.REFRESH, "new_risk_action": A.NEW_RISK,
    "remove_action": A.REMOVE_RISK, "move_action": A.MOVE_RISK, "add_action_action": A.ADD_RISK_ACTION,
    "removed_action": A.REMOVED_RISKS, "categories_action": A.CATEGORIES, "departments_action": A.DEPARTMENTS,
    "owners_action": A.OWNERS, "close_quarter_action": A.CLOSE_QUARTER, "register_tab_action": A.SHOW_REGISTER,
    "dashboard_tab_action": A.SHOW_DASHBOARD, "clear_filters_action": A.CLEAR_FILTERS,
    "import_action": A.IMPORT, "export_action": A.EXPORT, "about_action": A.ABOUT,
    "scheme_action": A.SCHEME,
}


class MainWindow(WindowCommands, WindowOpening, QMainWindow):
    """The main window.

    Built in two steps so that it paints before the database layer has even been imported:
    ``MainWindow(None, actor)`` is the window without data, and ``open_database(opener)``
    opens the database on a worker thread once the window has painted, then fills it
    (``attach``). ``MainWindow(services, actor)`` does both at once (tests, tools).
    """

    registerChanged = Signal(int)
    #: A routed action (its id) ran on the page whose tab title is given.
    routed = Signal(str, str)
    #: The database could not be opened at start-up (the message says why).
    openFailed = Signal(object)
    #: The database opened and the window is filled (the register may still be loading).
    attached = Signal()

    def __init__(self, services: Services | None, actor: Actor, *, background: bool = True) -> None:
        """Build the window. ``background=False`` loads the register before returning (tests, scripts)."""
        super().__init__()
        if services is not None:
            install_contrast_style()  # before any widget is polished: check boxes that show on any palette
        self.services: Services | None = None
        self.actor = actor
        self.background = background
        self.state = WindowState("MainWindow")
        self.setWindowTitle("riskdesk[*]")
        self.setObjectName("MainWindow")
        self.registers: list[RegisterRow] = []

        # The database's scheme, once the first look or the services have read it (``scheme``).
        self._scheme: ScoringScheme | None = None
        # Each page has its own undo stack; Edit ▸ Undo acts on the stack of the page shown.
        self.undo_group = QUndoGroup(self)
        self._allowed: dict[ActionId, bool] = {}
        self._refused: dict[ActionId, str] = {}  # why each action the role may not use is disabled
        self._first_look: FirstLook | None = None  # on screen until the services confirm it
        self.register_page = RegisterPage(None, actor, None, self.state, self)
        # Older names kept for callers and tests written against the first window.
        self.view = self.register_page
        self.model = self.register_page.model

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.register_page, "&Register")
        self.tabs.setTabToolTip(0, "The risk register and the risk editor")
        self._dashboard: DashboardPage | None = None
        self.dashboard_holder = QWidget()
        QVBoxLayout(self.dashboard_holder).setContentsMargins(0, 0, 0, 0)
        self.tabs.addTab(self.dashboard_holder, "&Dashboard")
        self.tabs.setTabToolTip(1, "Heat maps, RAG totals and the committee's hygiene lists")
        self._add_pages()
        self.setCentralWidget(self.tabs)

        self.register_combo = QComboBox()
        self.register_combo.setObjectName("registerCombo")
        self.register_combo.setAccessibleName("Register")
        self.register_combo.setMinimumContentsLength(28)
        # The whole name and count ("Corporate Risk Register (26)"), not "…Risk Regis".
        self.register_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        check_conflicts()
        self._build_actions()

        self.band_label = QLabel()
        self.band_label.setObjectName("bandCounts")
        self.statusBar().addPermanentWidget(self.band_label)
        self.db_label = QLabel(OPENING)
        self.statusBar().addWidget(self.db_label)

        self.register_page.rowsChanged.connect(self._rows_changed)
        self.register_page.dirtyChanged.connect(self.setWindowModified)
        self.register_page.riskShown.connect(self._page_shown)  # Save and Add action follow the risk shown
        self.register_page.restore_state()
        self.register_combo.currentIndexChanged.connect(self._register_chosen)
        self._restore_geometry()
        self._page_shown()
        if services is not None:
            self.attach(services)

    def attach(self, source: Services | Startup) -> None:
        """Fill the window from its database: read now from ``Services``, or from a ``Startup`` read earlier."""
        install_contrast_style()  # at the latest (a window opened with ``open_database`` has it already)
        start = source if isinstance(source, Startup) else None
        services = start.services if start is not None else source
        actor = self.actor
        self.services = services
        scheme = start.scheme if start else services.registers.scheme(actor)
        me = start.me if start else services.registers.me(actor)
        period = start.period if start else services.registers.current_period(actor)
        self.scheme = scheme
        self.register_page.attach(services, scheme, me, period)
        if self._dashboard is not None and self._dashboard.scheme != scheme:
            self._dashboard.setParent(None)  # built with the default scheme: build again when next shown
            self._dashboard.deleteLater()
            self._dashboard = None
        database = start.database if start else services.info.location()
        self.db_label.setText(f"{me.display_name} ({Role(me.role).label}) · {database}")
        self._update_permissions()
        look, self._first_look = self._first_look, None
        self.register_combo.setEnabled(True)
        if start is not None and start.confirms_first_look:
            self.registers = start.registers  # the rows on screen are the services' own: keep them
            self.register_page.open_current()
        elif start is not None:
            if look is not None:  # the file changed since the first look: its rows are replaced
                self.register_page.keep_current_through_reload()
            self._show_registers(start.registers, start.register_id, start.load)
        else:
            self._load_registers()
        self._ensure_page(self.tabs.currentIndex())
        self._page_shown()
        self.attached.emit()

    @property
    def scheme(self) -> ScoringScheme:
        """The scheme in use: the database's once read, else the default (which colours nothing yet)."""
        return self._scheme or default_scheme()

    @scheme.setter
    def scheme(self, scheme: ScoringScheme) -> None:
        self._scheme = scheme

    @property
    def bands(self) -> Bands:
        return self.scheme.bands

    @property
    def dashboard(self) -> DashboardPage:
        """The dashboard page, built the first time it is wanted."""
        if self._dashboard is None:
            from riskdesk.ui.register.dashboard import DashboardPage

            self._dashboard = DashboardPage(self.scheme, self.dashboard_holder)
            self.dashboard_holder.layout().addWidget(self._dashboard)
            self._dashboard.cellChosen.connect(self._cell_chosen)
            self._dashboard.riskChosen.connect(self._risk_chosen)
        return self._dashboard

    # -- construction --------------------------------------------------------------------------

    def _build_actions(self) -> None:
        """Every window action from the registry; menus and the register's toolbar from ids."""
        page, self.reports_menu = self.register_page, ReportsMenu(self)  # the Reports menu's slots
        slots: dict[ActionId, Callable[[], object]] = {
            A.BACKUP: self._backup, A.RESTORE: self.restore_backup, A.VERIFY_AUDIT: self.verify_audit, A.CLOSE: self.close, A.QUIT: self.close,
            A.NEW_RISK: page.add_risk, A.REMOVE_RISK: page.remove_risk, A.MOVE_RISK: page.move_risk,
            A.ADD_RISK_ACTION: page.add_action, A.REMOVED_RISKS: page.show_removed,
            A.CATEGORIES: self.manage_categories, A.DEPARTMENTS: self.manage_departments,
            A.OWNERS: self.manage_owners, A.CLOSE_QUARTER: self.close_quarter,
            A.SHOW_REGISTER: lambda: self.tabs.setCurrentWidget(self.register_page),
            A.SHOW_DASHBOARD: self.show_dashboard, A.CLEAR_FILTERS: page.filters.clear,
            A.IMPORT: self.open_import, A.EXPORT: self.open_export, A.ABOUT: self._about,
            A.SCHEME: self.edit_scheme,
            A.GUIDE: self.show_guide, A.SHORTCUTS: self.show_shortcuts, **self.reports_menu.slots(),
        }
        self.actions_by_id: dict[ActionId, QAction] = {}
        for id, spec in REGISTRY.items():
            if spec.scope != Scope.WINDOW:
                continue
            if id == A.UNDO:
                action = make_action(id, self, action=self.undo_group.createUndoAction(self, "&Undo"))
            elif id == A.REDO:
                action = make_action(id, self, action=self.undo_group.createRedoAction(self, "&Redo"))
            elif spec.routed:
                action = make_action(id, self, lambda id=id: self.run_routed(id))
            else:
                action = make_action(id, self, slots[id])
            self.actions_by_id[id] = action
        for name, id in _ACTION_NAMES.items():  # the names callers and tests know them by
            setattr(self, name, self.actions_by_id[id])
        build_menus(self.menuBar(), self.actions_by_id)

        bar = QToolBar("Register")
        bar.setObjectName("registerToolbar")
        bar.setMovable(False)
        label = QLabel(" Register: ")  # its letters are the menus' and the editor's; Tab reaches it
        label.setBuddy(self.register_combo)
        bar.addWidget(label)
        bar.addWidget(self.register_combo)
        bar.addSeparator()
        for id in (A.NEW, A.SAVE, A.UNDO, A.REDO, A.REMOVE_RISK, A.MOVE_RISK, A.REMOVED_RISKS):
            bar.addAction(self.actions_by_id[id])
        self.addToolBar(bar)
        self.register_toolbar = bar
        # The search box must not swallow the window's keys (on X11 a line edit takes Ctrl+E as
        # "end of line"): Export, Import, Save… work while typing a search. Undo/redo stay the box's.
        let_shortcuts_through(page.filters.search, [seq for id, a in self.actions_by_id.items()
                                                    if id not in (A.UNDO, A.REDO) for seq in a.shortcuts()])

    def _register_routes(self) -> dict[ActionId, Routed]:
        """What New, Save, Find and Refresh do on the register and its dashboard."""
        page = self.register_page
        save_refused = page.save_refusal()
        return {A.NEW: Routed("&New risk…", page.add_risk, self._allowed.get(A.NEW_RISK, False),
                              self._refused.get(A.NEW_RISK, "")),
                A.SAVE: Routed("&Save risk", page.save, not save_refused, save_refused),
                A.FIND: Routed("&Find…", self.focus_search),
                A.REFRESH: Routed("&Refresh", self.reload)}

    def current_page(self) -> QWidget | None:
        """The page shown (the register for its dashboard too), None while it is not built."""
        holder = self.tabs.currentWidget()
        if holder in (self.register_page, self.dashboard_holder):
            return self.register_page
        return holder.property("page") if holder is not None else None

    def _routes(self) -> dict[ActionId, Routed]:
        page = self.current_page()
        if page is self.register_page:
            return self._register_routes()
        routes = getattr(page, "routed_actions", None)
        return routes() if routes is not None else {}

    def run_routed(self, id: ActionId) -> None:
        """A routed action (New, Save, Print, Find, Refresh): what the page shown does with it."""
        route = self._routes().get(id)
        if route is not None and route.enabled and self.services is not None:
            self.routed.emit(str(id), self.tabs.tabText(self.tabs.currentIndex()).replace("&", ""))
            route.slot()

    def _page_shown(self, _index: int = -1) -> None:
        """The page shown changed: its undo stack, its routed actions, and the register's own actions."""
        page = self.current_page()
        stack = getattr(page, "undo_stack", None)
        if stack is not None and stack not in self.undo_group.stacks():
            self.undo_group.addStack(stack)
        self.undo_group.setActiveStack(stack)
        on_register = page is self.register_page
        attached = self.services is not None
        routes = self._routes()
        add_refused = self.register_page.action_refusal()
        self._allowed[A.ADD_RISK_ACTION] = not add_refused
        self._refused[A.ADD_RISK_ACTION] = add_refused
        for id, spec in REGISTRY.items():
            action = self.actions_by_id.get(id)
            if action is None or id in (A.UNDO, A.REDO):
                continue
            reason = self._refused.get(id, "")
            if spec.routed:
                route = routes.get(id)
                action.setText(route.text if route else spec.text)
                action.setEnabled(attached and route is not None and route.enabled)
                reason = route.reason if route is not None and not route.enabled else ""
            elif spec.owner == "register":
                action.setEnabled(attached and on_register and self._allowed.get(id, True))
            elif id not in (A.CLOSE, A.QUIT, A.ABOUT, A.GUIDE, A.SHORTCUTS, A.SHOW_REGISTER, A.SHOW_DASHBOARD):
                action.setEnabled(attached and self._allowed.get(id, True))
            # A control the role may not use says why, where its tip would be.
            action.setToolTip(reason or spec.tip or action.text().replace("&", ""))
        self.register_toolbar.setVisible(on_register)

    def _add_pages(self) -> None:
        """Tabs of the other features; each is built the first time it is shown."""
        from riskdesk.ui.pages import PAGES

        self._page_specs: dict[int, str] = {}
        for title, description, target in PAGES:
            holder = QWidget()
            holder.setAccessibleDescription(description)
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            index = self.tabs.addTab(holder, title)
            self.tabs.setTabToolTip(index, description)
            self._page_specs[index] = target
        self.tabs.currentChanged.connect(self._ensure_page)
        self.tabs.currentChanged.connect(self._page_shown)

    def _ensure_page(self, index: int) -> QWidget | None:
        """The page at ``index``, built now if this is its first showing (once the database is open)."""
        import importlib

        if self.tabs.widget(index) is self.dashboard_holder:
            if self.services is not None:
                self._refresh_dashboard()
            return self.dashboard
        holder = self.tabs.widget(index)
        if self.services is None:
            return None  # built by ``attach`` if it is still the page shown
        target = self._page_specs.pop(index, None)
        if target is not None and holder is not None:
            module, cls = target.split(":")
            page = getattr(importlib.import_module(module), cls)(self.services, self.actor, holder)
            holder.layout().addWidget(page)
            holder.setProperty("page", page)
            presented = getattr(page, "presented", None)
            if presented is not None:  # a presented cycle freezes the register's edits so far
                presented.connect(self._cycle_presented)
        return holder.property("page") if holder is not None else None

    def page(self, title: str) -> QWidget | None:
        """The page whose tab is titled ``title`` (mnemonic & ignored), built if needed."""
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i).replace("&", "") == title.replace("&", ""):
                return self._ensure_page(i)
        return None

    def _restore_geometry(self) -> None:
        geometry = self.state.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    # -- behaviour -----------------------------------------------------------------------------

    def show_dashboard(self) -> None:
        self.tabs.setCurrentWidget(self.dashboard_holder)

    def _refresh_dashboard(self) -> None:
        reg = self.register_page.register
        self.dashboard.set_rows(self.model.all_rows(), self.register_page.period, reg.name if reg else "",
                                self.register_page.appetite_of, self.register_page.governance_load())

    def _cell_chosen(self, kind: str, impact: int, likelihood: int) -> None:
        self.tabs.setCurrentWidget(self.register_page)
        self.register_page.show_cell(kind, impact, likelihood)

    def _risk_chosen(self, risk_id: int) -> None:
        self.tabs.setCurrentWidget(self.register_page)
        self.register_page.select_risk(risk_id)

    def _rows_changed(self) -> None:
        self._update_counts()
        self._update_register_count()
        if self.tabs.currentWidget() is self.dashboard_holder and self.services is not None:
            self._refresh_dashboard()

    def _update_counts(self) -> None:
        # Runs on every keystroke in the search box: count each score once (from the model's
        # sort keys, made once per row), then band the few distinct scores (a 5×5 matrix has
        # 14), not every row.
        counts: Counter[str] = Counter()
        for score, n in self.model.score_counts().items():
            if score is not None and any(b.contains(score) for b in self.bands.bands):
                counts[self.bands.band_for(score).name] += n
        parts = [f"{band.label.capitalize()}: {counts.get(band.name, 0)}" for band in reversed(self.bands.bands)]
        shown_n, total = self.model.rowCount(), self.model.total()
        shown = f"{shown_n} of {total} risks" if shown_n != total else f"{shown_n} risks"
        self.band_label.setText(f"{shown} · " + " · ".join(parts))

    def _update_permissions(self) -> None:
        me = self.register_page.me
        needs = {A.NEW_RISK: Permission.EDIT_REGISTER, A.REMOVE_RISK: Permission.EDIT_REGISTER,
                 A.MOVE_RISK: Permission.EDIT_REGISTER, A.CATEGORIES: Permission.EDIT_REGISTER,
                 A.DEPARTMENTS: Permission.MANAGE_REFERENCE, A.OWNERS: Permission.MANAGE_REFERENCE,
                 A.CLOSE_QUARTER: Permission.PRESENT_CYCLE, A.BACKUP: Permission.BACKUP,
                 A.RESTORE: Permission.BACKUP,
                 A.IMPORT: Permission.IMPORT,
                 # only roles that may read every entry (incidents' included) can check the chain
                 A.VERIFY_AUDIT: Permission.VIEW_INCIDENTS, **REPORT_NEEDS}
        self._allowed = {id: allows(me.role, p) for id, p in needs.items()}
        self._refused = {id: why_not(me.role, p) for id, p in needs.items()}
        if not self._allowed[A.VERIFY_AUDIT]:
            self._refused[A.VERIFY_AUDIT] = (
                "Checking the whole audit trail means reading every entry, serious incidents' included: "
                "an administrator, internal audit or the public health lead can.")
        self._page_shown()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.register_page.editor_dirty() and not self._settle_unsaved():
            event.ignore()
            return
        self.state.set_geometry(self.saveGeometry())
        self.register_page.save_state()
        self.state.sync()
        super().closeEvent(event)
