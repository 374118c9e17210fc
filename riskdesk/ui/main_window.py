"""The main window: the register, with the band counts in the status bar."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from riskdesk import __version__
from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.ui.itemmodels.risk_table_model import Col, RiskTableModel
from riskdesk.ui.settings import WindowState


class RegisterView(QWidget):
    """Layout only: the register chooser and the table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        self.title = QLabel()
        self.title.setObjectName("registerTitle")
        self.title.setStyleSheet("font-size: 15px; font-weight: 600; padding: 2px 0 6px 0;")
        layout.addWidget(self.title)
        self.table = QTableView()
        self.table.setObjectName("registerTable")
        self.table.setAccessibleName("Risk register")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setStretchLastSection(False)
        layout.addWidget(self.table)


class MainWindow(QMainWindow):
    registerChanged = Signal(int)

    def __init__(self, services: Services, actor: Actor) -> None:
        super().__init__()
        self.services = services
        self.actor = actor
        self.state = WindowState("MainWindow")
        self.setWindowTitle("riskdesk")
        self.setObjectName("MainWindow")

        scheme = services.registers.scheme(actor)
        self.bands = scheme.bands
        self.model = RiskTableModel(self.bands, self)
        self.view = RegisterView(self)
        self.view.table.setModel(self.model)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.view, "&Register")
        self._add_pages()
        self.setCentralWidget(self.tabs)

        self.register_combo = QComboBox()
        self.register_combo.setObjectName("registerCombo")
        self.register_combo.setAccessibleName("Register")
        self.register_combo.setMinimumContentsLength(28)
        self._build_actions()

        self.band_label = QLabel()
        self.band_label.setObjectName("bandCounts")
        self.statusBar().addPermanentWidget(self.band_label)
        self.db_label = QLabel(services.info.summary(actor).database)
        self.statusBar().addWidget(self.db_label)

        self._configure_header()
        self._load_registers()
        self.register_combo.currentIndexChanged.connect(self._register_chosen)
        self._restore_state()
        __import__("riskdesk.ui.dialogs.import_wizard", fromlist=["_"]).install_import_actions(self)

    # -- construction --------------------------------------------------------------------------

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.backup_action = QAction("&Back up database…", self)
        self.backup_action.setStatusTip("Write a consistent copy of the database to the backups folder")
        self.backup_action.triggered.connect(self._backup)
        file_menu.addAction(self.backup_action)
        file_menu.addSeparator()
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        view_menu = self.menuBar().addMenu("&View")
        self.refresh_action = QAction("&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence.StandardKey.Refresh)
        self.refresh_action.triggered.connect(self.reload)
        view_menu.addAction(self.refresh_action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About riskdesk", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

        bar = QToolBar("Register")
        bar.setObjectName("registerToolbar")
        bar.setMovable(False)
        bar.addWidget(QLabel(" Register: "))
        bar.addWidget(self.register_combo)
        self.addToolBar(bar)

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

    def _ensure_page(self, index: int) -> QWidget | None:
        """The page at ``index``, built now if this is its first showing."""
        import importlib

        holder = self.tabs.widget(index)
        target = self._page_specs.pop(index, None)
        if target is not None and holder is not None:
            module, cls = target.split(":")
            page = getattr(importlib.import_module(module), cls)(self.services, self.actor, holder)
            holder.layout().addWidget(page)
            holder.setProperty("page", page)
        return holder.property("page") if holder is not None else None

    def page(self, title: str) -> QWidget | None:
        """The page whose tab is titled ``title`` (mnemonic & ignored), built if needed."""
        for i in range(self.tabs.count()):
            if self.tabs.tabText(i).replace("&", "") == title.replace("&", ""):
                return self._ensure_page(i)
        return None

    def _configure_header(self) -> None:
        header = self.view.table.horizontalHeader()
        widths = {Col.REF: 52, Col.DEPARTMENTS: 90, Col.DESCRIPTION: 460, Col.CURRENT_I: 30, Col.CURRENT_L: 30,
                  Col.CURRENT: 62, Col.TARGET_I: 30, Col.TARGET_L: 30, Col.TARGET: 56, Col.DIRECTION: 230,
                  Col.OWNER: 150, Col.CATEGORY: 260}
        for col, width in widths.items():
            header.resizeSection(col, width)
        header.setSectionResizeMode(Col.DESCRIPTION, QHeaderView.ResizeMode.Interactive)
        self.view.table.sortByColumn(Col.REF, Qt.SortOrder.AscendingOrder)

    def _restore_state(self) -> None:
        geometry = self.state.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        header = self.state.header("register")
        if header is not None:
            self.view.table.horizontalHeader().restoreState(header)

    # -- behaviour -----------------------------------------------------------------------------

    def _load_registers(self) -> None:
        registers = self.services.registers.list_registers(self.actor)
        wanted = self.state.text("register", "")
        self.register_combo.blockSignals(True)
        self.register_combo.clear()
        chosen = 0
        for i, reg in enumerate(registers):
            self.register_combo.addItem(f"{reg.name} ({reg.current_risks})", reg.id)
            if str(reg.id) == wanted:
                chosen = i
        self.register_combo.setCurrentIndex(chosen)
        self.register_combo.blockSignals(False)
        self.reload()

    def current_register_id(self) -> int | None:
        value = self.register_combo.currentData()
        return int(value) if value is not None else None

    def _register_chosen(self, _index: int) -> None:
        self.reload()
        register_id = self.current_register_id()
        if register_id is not None:
            self.state.set_text("register", str(register_id))
            self.registerChanged.emit(register_id)

    def reload(self) -> None:
        register_id = self.current_register_id()
        if register_id is None:
            self.model.set_rows([])
            self.view.title.setText("No register yet: load one with `riskdesk load-register` or `riskdesk demo`.")
            self._update_counts()
            return
        try:
            rows = self.services.risks.list_risks(self.actor, register_id)
        except RiskdeskError as exc:
            QMessageBox.warning(self, "riskdesk", str(exc))
            return
        self.model.set_rows(rows)
        period = self.services.registers.current_period(self.actor)
        council = self.services.registers.council_name(self.actor)
        name = self.register_combo.currentText().rsplit(" (", 1)[0]
        self.view.title.setText(f"{council + ' – ' if council else ''}{name} · {period.label}")
        self._update_counts()

    def _update_counts(self) -> None:
        counts: Counter[str] = Counter()
        for row in self.model.rows():
            if row.score is not None:
                counts[self.bands.band_for(row.score).name] += 1
        parts = [f"{band.label.capitalize()}: {counts.get(band.name, 0)}" for band in reversed(self.bands.bands)]
        self.band_label.setText(f"{len(self.model.rows())} risks · " + " · ".join(parts))

    def _backup(self) -> None:
        try:
            out = self.services.info.backup(self.actor)
        except RiskdeskError as exc:
            QMessageBox.warning(self, "Backup failed", str(exc))
            return
        self.statusBar().showMessage(f"Backup written to {out}", 10000)

    def _about(self) -> None:
        info = self.services.info.summary(self.actor)
        QMessageBox.about(
            self,
            "About riskdesk",
            f"riskdesk {__version__}\n\nDatabase: {info.database}\nSchema: {info.schema_revision}\n"
            f"Registers: {len(info.registers)} · Users: {info.users} · Audit entries: {info.audit_entries}",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.state.set_geometry(self.saveGeometry())
        self.state.set_header("register", self.view.table.horizontalHeader().saveState())
        self.state.sync()
        super().closeEvent(event)
