"""The clinical governance page's tabs as widgets (layout only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from riskdesk.ui.clinical.table_models import (
    AssuranceTableModel,
    AuditTableModel,
    PgdTableModel,
    RowTableModel,
    VisitTableModel,
)
from riskdesk.ui.kit.contrast import INFO, follow_palette, notice_css, secondary_text
from riskdesk.ui.kit.keyboard import field_label

if TYPE_CHECKING:
    pass
from riskdesk.ui.clinical.widgets import _button, _table
from riskdesk.ui.kit.undo import bind_undo_buttons


class ClinicalPageLayout:
    """Builds the strip and the Audits, Visits, PGDs, Assurance and Profile tabs (mixed into ClinicalPage)."""

    def _build_strip(self, layout: QVBoxLayout) -> None:
        self.strip = QFrame()
        self.strip.setObjectName("dashboardStrip")
        self.strip.setFrameShape(QFrame.Shape.StyledPanel)
        follow_palette(self.strip, lambda w: w.setStyleSheet(notice_css(INFO, "#dashboardStrip")))
        row = QHBoxLayout(self.strip)
        row.setContentsMargins(8, 4, 8, 4)
        texts = QVBoxLayout()
        self.strip_counts = QLabel()
        self.strip_counts.setObjectName("stripCounts")
        self.strip_counts.setAccessibleName("Clinical governance overview")
        self.pgd_warning_label = QLabel()
        self.pgd_warning_label.setObjectName("pgdWarnings")
        self.pgd_warning_label.setAccessibleName("PGD warnings")
        self.pgd_warning_label.setWordWrap(True)
        self.pgd_warning_label.setTextFormat(Qt.TextFormat.RichText)
        texts.addWidget(self.strip_counts)
        texts.addWidget(self.pgd_warning_label)
        row.addLayout(texts, 1)
        self.undo_button = _button("Undo", "Undo the last save or deletion on this page (Ctrl+Z)")
        self.redo_button = _button("Redo", "Redo what was undone")
        row.addWidget(self.undo_button)
        row.addWidget(self.redo_button)
        layout.addWidget(self.strip)

    def _toolbar(self, *widgets: QWidget, filter_edit: QLineEdit | None = None) -> QHBoxLayout:
        bar = QHBoxLayout()
        for w in widgets:
            bar.addWidget(w)
        bar.addStretch(1)
        if filter_edit is not None:
            bar.addWidget(field_label("Filter:", filter_edit))
            bar.addWidget(filter_edit)
        return bar

    def _filter_edit(self, name: str, model: RowTableModel[Any]) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText("words to find…")
        edit.setAccessibleName("Filter rows")
        edit.setClearButtonEnabled(True)
        edit.setMaximumWidth(260)
        edit.textChanged.connect(model.set_filter_text)
        return edit

    def _build_audits(self) -> None:
        page = QWidget()
        self.audit_model = AuditTableModel(self)
        self.audit_table = _table("Clinical audits", self.audit_model)
        self.new_audit_button = _button("&New audit…", "Record a clinical audit")
        self.new_reaudit_button = _button("Ne&w re-audit…", "Record a re-audit of the selected audit")
        self.edit_audit_button = _button("Edit…", "Edit the selected audit (Enter)")
        self.delete_audit_button = _button("Delete", "Delete the selected audit")
        self.export_audits_button = _button("E&xport…", "Save the list as a spreadsheet")
        self.print_appendix_button = _button("Print appendix…", "Print the clinical audits appendix as PDF")
        self.audit_filter = self._filter_edit("auditFilter", self.audit_model)
        v = QVBoxLayout(page)
        v.addLayout(self._toolbar(self.new_audit_button, self.new_reaudit_button, self.edit_audit_button,
                                  self.delete_audit_button, self.export_audits_button, self.print_appendix_button,
                                  filter_edit=self.audit_filter))
        v.addWidget(self.audit_table)
        widths = (190, 110, 66, 330, 66, 150, 70, 80, 56, 90, 90)
        for col, w in enumerate(widths):
            self.audit_table.horizontalHeader().resizeSection(col, w)
        self.audit_table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.new_audit_button.clicked.connect(lambda: self.open_audit_editor())
        self.new_reaudit_button.clicked.connect(self._new_reaudit)
        self.edit_audit_button.clicked.connect(self._edit_audit)
        self.audit_table.activated.connect(lambda _i: self._edit_audit())
        self.delete_audit_button.clicked.connect(self._delete_audit)
        self.export_audits_button.clicked.connect(lambda: self._export("audits"))
        self.print_appendix_button.clicked.connect(self._print_appendix)
        self.tabs.addTab(page, "&Audits")

    def _build_visits(self) -> None:
        page = QWidget()
        self.visit_model = VisitTableModel(self)
        self.visit_table = _table("Quality visits", self.visit_model)
        self.new_visit_button = _button("&New visit…", "Record a quality visit")
        self.edit_visit_button = _button("Edit…", "Edit the selected visit (Enter)")
        self.delete_visit_button = _button("Delete", "Delete the selected visit")
        self.export_visits_button = _button("E&xport…", "Save the list as a spreadsheet")
        self.visit_filter = self._filter_edit("visitFilter", self.visit_model)
        v = QVBoxLayout(page)
        v.addLayout(self._toolbar(self.new_visit_button, self.edit_visit_button, self.delete_visit_button,
                                  self.export_visits_button, filter_edit=self.visit_filter))
        v.addWidget(self.visit_table)
        for col, w in enumerate((200, 150, 82, 82, 180, 56, 100, 100, 300)):
            self.visit_table.horizontalHeader().resizeSection(col, w)
        self.visit_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # newest planned first
        self.new_visit_button.clicked.connect(lambda: self.open_visit_editor())
        self.edit_visit_button.clicked.connect(self._edit_visit)
        self.visit_table.activated.connect(lambda _i: self._edit_visit())
        self.delete_visit_button.clicked.connect(self._delete_visit)
        self.export_visits_button.clicked.connect(lambda: self._export("visits"))
        self.tabs.addTab(page, "&Quality visits")

    def _build_pgds(self) -> None:
        page = QWidget()
        self.pgd_model = PgdTableModel(self.today, self)
        self.pgd_table = _table("Patient Group Directions", self.pgd_model)
        self.new_pgd_button = _button("&New PGD…", "Record a Patient Group Direction")
        self.edit_pgd_button = _button("Edit…", "Edit the selected PGD (Enter)")
        self.delete_pgd_button = _button("Delete", "Delete the selected PGD")
        self.export_pgds_button = _button("E&xport…", "Save the list as a spreadsheet")
        self.print_schedule_button = _button("Print schedule…", "Print the PGD review and expiry schedule")
        self.pgd_filter = self._filter_edit("pgdFilter", self.pgd_model)
        v = QVBoxLayout(page)
        v.addLayout(self._toolbar(self.new_pgd_button, self.edit_pgd_button, self.delete_pgd_button,
                                  self.export_pgds_button, self.print_schedule_button, filter_edit=self.pgd_filter))
        v.addWidget(self.pgd_table)
        for col, w in enumerate((300, 110, 190, 56, 82, 82, 82, 72, 270)):
            self.pgd_table.horizontalHeader().resizeSection(col, w)
        self.pgd_table.sortByColumn(8, Qt.SortOrder.AscendingOrder)
        self.new_pgd_button.clicked.connect(lambda: self.open_pgd_editor())
        self.edit_pgd_button.clicked.connect(self._edit_pgd)
        self.pgd_table.activated.connect(lambda _i: self._edit_pgd())
        self.delete_pgd_button.clicked.connect(self._delete_pgd)
        self.export_pgds_button.clicked.connect(lambda: self._export("pgds"))
        self.print_schedule_button.clicked.connect(self._print_schedule)
        self.tabs.addTab(page, "PGD&s")

    def _build_assurance(self) -> None:
        page = QWidget()
        self.summary_combo = QComboBox()
        self.summary_combo.setAccessibleName("Assurance summary period")
        self.summary_combo.setMinimumContentsLength(30)
        self.new_summary_button = _button("&New period…", "Start a summary for a period, pre-filled from riskdesk")
        self.add_line_button = _button("Add ro&w", "Add a row below the selected one")
        self.remove_line_button = _button("Remove row", "Remove the selected row")
        self.export_summary_button = _button("E&xport…", "Save the summary as a spreadsheet")
        self.print_summary_button = _button("Print…", "Print the summary (as Table 1) as PDF")
        self.assurance_model = AssuranceTableModel(self)
        self.assurance_table = _table("Assurance summary", self.assurance_model)
        self.assurance_table.setSortingEnabled(False)
        self.assurance_table.setWordWrap(True)
        self.assurance_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                             | QAbstractItemView.EditTrigger.EditKeyPressed
                                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.assurance_table.horizontalHeader()
        header.resizeSection(0, 200)
        header.resizeSection(1, 300)
        header.setStretchLastSection(True)
        self.assurance_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        v = QVBoxLayout(page)
        bar = self._toolbar(field_label("Period:", self.summary_combo), self.summary_combo, self.new_summary_button, self.add_line_button,
                            self.remove_line_button, self.export_summary_button, self.print_summary_button)
        v.addLayout(bar)
        hint = QLabel("Double-click or press F2 to edit a cell; each edit is saved at once and can be undone.")
        hint.setStyleSheet(f"color: {secondary_text()};")
        v.addWidget(hint)
        v.addWidget(self.assurance_table)
        self.summary_combo.currentIndexChanged.connect(lambda _i: self._show_summary())
        self.assurance_model.lineEdited.connect(self._line_edited)
        self.new_summary_button.clicked.connect(self._new_summary)
        self.add_line_button.clicked.connect(self._add_line)
        self.remove_line_button.clicked.connect(self._remove_line)
        self.export_summary_button.clicked.connect(lambda: self._export("assurance"))
        self.print_summary_button.clicked.connect(self._print_summary)
        self.tabs.addTab(page, "Ass&urance summary")

    def _build_profile(self) -> None:
        page = QWidget()
        self.provider_combo = QComboBox()
        self.provider_combo.setAccessibleName("Provider")
        self.provider_combo.setMinimumContentsLength(40)
        self.quarter_combo = QComboBox()
        self.quarter_combo.setAccessibleName("Quarter")
        self.profile_view = QTextBrowser()
        self.profile_view.setObjectName("providerProfile")
        self.profile_view.setAccessibleName("Provider assurance profile")
        v = QVBoxLayout(page)
        self.print_profile_button = _button("Print…", "Print this provider's assurance profile for the quarter as PDF")
        self.print_profile_button.setObjectName("printProfileButton")
        v.addLayout(self._toolbar(field_label("Provider:", self.provider_combo), self.provider_combo,
                                  field_label("Quarter:", self.quarter_combo), self.quarter_combo,
                                  self.print_profile_button))
        v.addWidget(self.profile_view)
        self.print_profile_button.clicked.connect(self._print_profile)
        self.provider_combo.currentIndexChanged.connect(lambda _i: self.show_profile())
        self.quarter_combo.currentIndexChanged.connect(lambda _i: self.show_profile())
        self.tabs.addTab(page, "Provider profi&le")

    def _build_undo(self) -> None:
        # Ctrl+Z and Ctrl+Shift+Z are the window's Edit ▸ Undo/Redo, acting on this stack while
        # this page is shown (and on no other page's).
        bind_undo_buttons(self.undo_stack, self.undo_button, self.redo_button)
