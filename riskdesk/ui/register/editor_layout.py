"""The risk editor's tabs as widgets (layout only; the editor wires and fills them)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.direction import Direction
from riskdesk.ui.kit.contrast import secondary_text
from riskdesk.ui.kit.keyboard import field_label
from riskdesk.ui.kit.table_model import ActionTableModel, AuditTableModel
from riskdesk.ui.register.risk_matrix import RiskMatrix
from riskdesk.ui.register.score_chart import ScoreHistoryChart

LINE_HEADERS = ("Label", "Current I", "Current L", "Target I", "Target L")


def _table(name: str) -> QTableView:
    t = QTableView()
    t.setAccessibleName(name)
    t.setTabKeyNavigation(False)  # arrows move between rows; Tab leaves the table
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.setWordWrap(True)
    t.setSortingEnabled(True)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class RiskEditorLayout:
    """Builds the Update, Risk, Actions and History tabs as public widgets (mixed into RiskEditor)."""

    def _build_update_tab(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        lay.setContentsMargins(4, 6, 4, 4)
        mats = QHBoxLayout()
        self.current_matrix = RiskMatrix(self.scheme, "Current score")
        self.current_matrix.setObjectName("currentMatrix")
        self.target_matrix = RiskMatrix(self.scheme, "Target score", allow_none=True)
        self.target_matrix.setObjectName("targetMatrix")
        mats.addWidget(self.current_matrix, 1)
        mats.addWidget(self.target_matrix, 1)
        lay.addLayout(mats)

        dir_row = QHBoxLayout()
        self.direction_combo = QComboBox()
        self.direction_combo.setAccessibleName("Direction of travel")
        for d, words in ((Direction.UP, "Up – expected to increase"), (Direction.LEVEL, "Level – expected to stay"),
                         (Direction.DOWN, "Down – expected to decrease")):
            self.direction_combo.addItem(f"{d.arrow} {words}", d.value)
        label = QLabel("Direction of trave&l:")  # Alt+D is the Dashboard tab, Alt+O the FOI/EIR tab
        label.setBuddy(self.direction_combo)
        dir_row.addWidget(label)
        dir_row.addWidget(self.direction_combo)
        self.movement_label = QLabel()
        self.movement_label.setObjectName("movementLabel")
        self.movement_label.setStyleSheet(f"color: {secondary_text()};")
        dir_row.addStretch(1)
        lay.addLayout(dir_row)
        lay.addWidget(self.movement_label)

        self.update_label = QLabel("Upd&ate for this period (keep paragraphs and bullets as you want them printed):")
        self.update_edit = QPlainTextEdit()
        self.update_edit.setObjectName("updateEdit")
        self.update_edit.setAccessibleName("Update commentary for this period")
        self.update_edit.setTabChangesFocus(True)
        self.update_edit.setPlaceholderText("What has changed since last quarter? Progress on actions, new "
                                            "pressures, and why the score moved or stayed.")
        self.update_edit.setMinimumHeight(110)
        self.update_label.setBuddy(self.update_edit)
        lay.addWidget(self.update_label)
        lay.addWidget(self.update_edit, 1)

        prev_row = QHBoxLayout()
        self.previous_toggle = QToolButton()
        self.previous_toggle.setText("Show previous update")
        self.previous_toggle.setCheckable(True)
        self.previous_toggle.setAccessibleName("Show the previous period's update")
        self.copy_previous_button = QPushButton("Copy previous update into this one")
        self.copy_previous_button.setAccessibleName("Copy the previous period's update into this update")
        prev_row.addWidget(self.previous_toggle)
        prev_row.addWidget(self.copy_previous_button)
        prev_row.addStretch(1)
        lay.addLayout(prev_row)
        self.previous_view = QPlainTextEdit()
        self.previous_view.setReadOnly(True)
        self.previous_view.setTabChangesFocus(True)
        self.previous_view.setAccessibleName("Previous period's update (read only)")
        self.previous_view.setMaximumHeight(110)
        self.previous_view.hide()
        self.previous_toggle.toggled.connect(self.previous_view.setVisible)
        self.copy_previous_button.clicked.connect(self._copy_previous)
        lay.addWidget(self.previous_view)

        self.lines_box = QGroupBox("Extra scoring lines (only for risks scored per department group)")
        self.lines_box.setCheckable(False)
        lines_lay = QVBoxLayout(self.lines_box)
        self.lines_table = QTableWidget(0, len(LINE_HEADERS))
        self.lines_table.setAccessibleName("Extra scoring lines")
        self.lines_table.setTabKeyNavigation(False)
        self.lines_table.setHorizontalHeaderLabels(LINE_HEADERS)
        self.lines_table.verticalHeader().setVisible(False)
        self.lines_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lines_table.setMaximumHeight(96)
        lines_lay.addWidget(self.lines_table)
        self.lines_table.hide()  # shown once the risk has a line: most risks have none
        lb = QHBoxLayout()
        self.add_line_button = QPushButton("Add line")
        self.add_line_button.setAccessibleName("Add an extra scoring line")
        self.remove_line_button = QPushButton("Remove line")
        self.remove_line_button.setAccessibleName("Remove the selected scoring line")
        lb.addWidget(self.add_line_button)
        lb.addWidget(self.remove_line_button)
        lb.addStretch(1)
        lines_lay.addLayout(lb)
        self.add_line_button.clicked.connect(self._add_line)
        self.remove_line_button.clicked.connect(self._remove_line)
        lay.addWidget(self.lines_box)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        self.tabs.addTab(scroll, "&1 Update")

        self.current_matrix.valueChanged.connect(self._changed)
        self.target_matrix.valueChanged.connect(self._changed)
        self.direction_combo.currentIndexChanged.connect(self._changed)
        self.update_edit.textChanged.connect(self._changed)
        self.lines_table.itemChanged.connect(self._changed)

    def _build_risk_tab(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.ref_edit = QLineEdit()
        self.ref_edit.setAccessibleName("Risk reference")
        self.ref_edit.setMaxLength(16)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setObjectName("descriptionEdit")
        self.description_edit.setAccessibleName("Risk description")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMinimumHeight(90)
        self.service_area_edit = QLineEdit()
        self.service_area_edit.setAccessibleName("Service area")
        self.departments_list = QListWidget()
        self.departments_list.setAccessibleName("Departments")
        self.departments_list.setMaximumHeight(120)
        self.category_combo = QComboBox()
        self.category_combo.setAccessibleName("Category")
        self.owner_combo = QComboBox()
        self.owner_combo.setAccessibleName("Risk owner")
        self.register_label = QLabel()
        self.register_label.setAccessibleName("Register")
        self.move_button = QPushButton("Escalate / de-escalate…")
        self.move_button.setAccessibleName("Move the risk to another register")
        reg_row = QHBoxLayout()
        reg_row.addWidget(self.register_label, 1)
        reg_row.addWidget(self.move_button)
        self.presented_label = QLabel()
        self.presented_label.setWordWrap(True)
        self.presented_label.setStyleSheet(f"color: {secondary_text()};")
        form.addRow("Ref:", self.ref_edit)  # R, E and F are the window's
        form.addRow("De&scription:", self.description_edit)
        form.addRow("", self.presented_label)
        form.addRow("Service &area:", self.service_area_edit)
        form.addRow("Departme&nts:", self.departments_list)
        form.addRow("Categor&y:", self.category_combo)
        form.addRow("O&wner:", self.owner_combo)
        form.addRow(field_label("Register:", self.move_button), reg_row)
        self.tabs.addTab(page, "&2 Risk")
        for sig in (self.ref_edit.textChanged, self.description_edit.textChanged, self.service_area_edit.textChanged,
                    self.departments_list.itemChanged, self.category_combo.currentIndexChanged,
                    self.owner_combo.currentIndexChanged):
            sig.connect(self._changed)

    def _build_actions_tab(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.actions_model = ActionTableModel(self)
        self.actions_table = _table("Mitigating actions")
        self.actions_table.setModel(self.actions_model)
        self.actions_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.actions_table.horizontalHeader().setStretchLastSection(False)
        lay.addWidget(self.actions_table, 1)
        row = QHBoxLayout()
        self.add_action_button = QPushButton("&Add action…")
        self.edit_action_button = QPushButton("Edit…")
        self.complete_action_button = QPushButton("Mark comp&lete")
        self.delete_action_button = QPushButton("Delete")
        for b, name in ((self.add_action_button, "Add an action"), (self.edit_action_button, "Edit the selected action"),
                        (self.complete_action_button, "Mark the selected action complete"),
                        (self.delete_action_button, "Delete the selected action")):
            b.setAccessibleName(name)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.tabs.addTab(page, "&3 Actions")

    def _build_history_tab(self) -> None:
        page = QWidget()
        lay = QVBoxLayout(page)
        self.chart = ScoreHistoryChart(self.scheme.bands)
        lay.addWidget(self.chart)
        # An imported risk's score cells as the file wrote them ("file: Impact 6.67 of 10"):
        # riskdesk's 1-5 levels are shown above, the file's own values are never lost.
        self.imported_label = QLabel()
        self.imported_label.setObjectName("importedScoresLabel")
        self.imported_label.setWordWrap(True)
        self.imported_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.imported_label.hide()
        lay.addWidget(self.imported_label)
        self.audit_label = QLabel("<b>Audit trail</b> – who changed what, when (newest first)")
        lay.addWidget(self.audit_label)
        self.audit_model = AuditTableModel(self)
        self.audit_table = _table("Audit trail of this risk")
        self.audit_table.setSortingEnabled(False)
        self.audit_table.setModel(self.audit_model)
        header = self.audit_table.horizontalHeader()
        for col, width in ((0, 118), (1, 90), (2, 120), (3, 260)):
            header.resizeSection(col, width)
        lay.addWidget(self.audit_table, 1)
        self.tabs.addTab(page, "&5 History")
