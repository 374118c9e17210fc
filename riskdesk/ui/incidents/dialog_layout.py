"""The serious-incident editor's tabs and fields as widgets (layout only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.incidents import (
    CATEGORIES,
    Framework,
    LearningResponse,
)
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.kit.actions import make_action
from riskdesk.ui.kit.keyboard import field_label

if TYPE_CHECKING:
    pass
from riskdesk.ui.incidents.fields import _Field, _pydate, _qdate
from riskdesk.ui.kit.fields import DateField, date_edit


class IncidentDialogLayout:
    """Builds the five tabs and registers each field for undo (mixed into IncidentDialog)."""

    def _build(self) -> None:
        self.message_bar = QFrame()
        self.message_bar.setObjectName("incidentMessageBar")
        self.message_bar.setFrameShape(QFrame.Shape.StyledPanel)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confirm_pid_button = QPushButton("Not patient data – save &anyway")
        self.confirm_pid_button.setToolTip("Save as it is: you have checked that the flagged text is not "
                                           "patient-identifiable data")
        self.reload_button = QPushButton("&Reload")
        self.reload_button.setToolTip("Load the version someone else saved; your edits here are discarded")
        bar = QHBoxLayout(self.message_bar)
        bar.addWidget(self.message_label, 1)
        bar.addWidget(self.confirm_pid_button)
        bar.addWidget(self.reload_button)
        self.message_bar.hide()

        # Details.
        self.reference_edit = QLineEdit()
        self.reference_edit.setPlaceholderText("left empty: the next SI-year-number is given")
        self.reference_edit.setAccessibleName("Reference")
        self.provider_combo = QComboBox()
        self.provider_combo.setAccessibleName("Provider")
        self.service_combo = QComboBox()
        self.service_combo.setAccessibleName("Service")
        self.occurred_date = DateField("Date of incident", self.today, optional=True)
        self.identified_date = date_edit("Date identified", self.today)
        self.reported_date = date_edit("Date reported", self.today)
        for w in (self.identified_date, self.reported_date):
            w.setMaximumWidth(150)
        self.category_combo = QComboBox()
        self.category_combo.setEditable(True)
        self.category_combo.addItems(["", *CATEGORIES])
        self.category_combo.setAccessibleName("Category")
        self.external_ref_edit = QLineEdit()
        self.external_ref_edit.setAccessibleName("StEIS or LFPSE reference")
        self.framework_combo = QComboBox()
        self.framework_combo.setAccessibleName("Framework")
        for f in Framework:
            self.framework_combo.addItem(f.label, f.value)
        self.learning_combo = QComboBox()
        self.learning_combo.setAccessibleName("Learning response (PSIRF)")
        self.learning_combo.addItem("", None)
        for lr in LearningResponse:
            self.learning_combo.addItem(lr.label, lr.value)
        self.agreed_due = DateField("Agreed due date", self.today, optional=True)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status")
        self.steis_date = DateField("Reported on StEIS", self.today, optional=True)
        self.initial_review_date = DateField("Initial review received", self.today, optional=True)
        self.report_received_date = DateField("Report received", self.today, optional=True)
        self.closed_date = DateField("Closure agreed", self.today, optional=True)
        self.description_edit = QPlainTextEdit()
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setPlaceholderText("What happened. No names, NHS numbers or dates of birth.")
        self.description_edit.setTabChangesFocus(True)
        self.clocks_label = QLabel()
        self.clocks_label.setObjectName("incidentClocks")
        self.clocks_label.setTextFormat(Qt.TextFormat.RichText)
        self.clocks_label.setWordWrap(True)

        details = QWidget()
        grid = QGridLayout(details)
        left = QFormLayout()
        left.addRow("Re&ference:", self.reference_edit)
        left.addRow("&Provider:", self.provider_combo)
        left.addRow("Ser&vice:", self.service_combo)
        left.addRow("&Category:", self.category_combo)
        left.addRow("StEIS / LFPSE ref:", self.external_ref_edit)
        left.addRow("Date of &incident:", self.occurred_date)
        left.addRow("Date i&dentified:", self.identified_date)
        left.addRow("Date reported to PH SI inbo&x:", self.reported_date)
        right = QFormLayout()
        right.addRow("Frame&work:", self.framework_combo)
        right.addRow("&Learning response:", self.learning_combo)
        right.addRow("A&greed due date:", self.agreed_due)
        right.addRow("S&tatus:", self.status_combo)
        right.addRow("Reported on StEIS:", self.steis_date)
        right.addRow("Initial review received:", self.initial_review_date)
        right.addRow("Report received:", self.report_received_date)
        right.addRow("Closure agreed:", self.closed_date)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        desc_label = QLabel("D&escription:")
        desc_label.setBuddy(self.description_edit)
        grid.addWidget(desc_label, 1, 0, 1, 2)
        grid.addWidget(self.description_edit, 2, 0, 1, 2)
        grid.addWidget(QLabel("<b>Deadlines</b> (working days; weekends and bank holidays skipped)"), 3, 0, 1, 2)
        grid.addWidget(self.clocks_label, 4, 0, 1, 2)
        grid.setRowStretch(2, 1)

        # Actions.
        self.actions_table = self._table(["Action", "Owner", "Due", "Completed"], "Actions")
        # An action's text and owner are corrected in place (F2 or double-click), not removed and re-added.
        self.actions_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                           | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.actions_table.setAccessibleDescription("F2 or double-click edits an action's text or owner")
        self.action_desc_edit = QLineEdit()
        self.action_desc_edit.setAccessibleName("New action")
        self.action_desc_edit.setPlaceholderText("Action agreed with the provider")
        self.action_owner_edit = QLineEdit()
        self.action_owner_edit.setAccessibleName("New action owner")
        self.action_owner_edit.setPlaceholderText("Owner (role, not a patient)")
        self.action_due = DateField("New action due", self.today, optional=True)
        self.add_action_button = QPushButton("&Add action")
        self.complete_action_button = QPushButton("Mark &completed")
        self.reopen_action_button = QPushButton("Re&open")
        self.remove_action_button = QPushButton("Re&move")
        actions = QWidget()
        lay = QVBoxLayout(actions)
        lay.addWidget(self.actions_table)
        row = QHBoxLayout()
        row.addWidget(self.action_desc_edit, 3)
        row.addWidget(self.action_owner_edit, 1)
        row.addWidget(self.action_due)
        row.addWidget(self.add_action_button)
        lay.addLayout(row)
        row = QHBoxLayout()
        row.addWidget(self.complete_action_button)
        row.addWidget(self.reopen_action_button)
        row.addWidget(self.remove_action_button)
        row.addStretch(1)
        lay.addLayout(row)
        self.lessons_edit = QPlainTextEdit()
        self.lessons_edit.setAccessibleName("Lessons learned")
        self.lessons_edit.setTabChangesFocus(True)
        self.lessons_edit.setMaximumHeight(120)
        lessons_label = QLabel("Lessons lear&ned:")
        lessons_label.setBuddy(self.lessons_edit)
        lay.addWidget(lessons_label)
        lay.addWidget(self.lessons_edit)

        # Reviews.
        self.reviews_table = self._table(["Date", "Reviewed by", "Notes"], "Monthly reviews")
        self.review_date = date_edit("Review date", self.today)
        self.review_by_edit = QLineEdit()
        self.review_by_edit.setAccessibleName("Reviewed by")
        self.review_by_edit.setPlaceholderText("Reviewed by")
        self.review_notes_edit = QLineEdit()
        self.review_notes_edit.setAccessibleName("Review notes")
        self.review_notes_edit.setPlaceholderText("Notes from the monthly review")
        self.add_review_button = QPushButton("Add re&view")
        reviews = QWidget()
        lay = QVBoxLayout(reviews)
        lay.addWidget(self.reviews_table)
        row = QHBoxLayout()
        row.addWidget(self.review_date)
        row.addWidget(self.review_by_edit, 1)
        row.addWidget(self.review_notes_edit, 3)
        row.addWidget(self.add_review_button)
        lay.addLayout(row)

        # Extensions.
        self.extensions_table = self._table(["From", "To", "Reason", "Recorded by"], "Extensions of the report deadline")
        self.extension_due = date_edit("New due date", self.today)
        self.extension_reason_edit = QLineEdit()
        self.extension_reason_edit.setAccessibleName("Reason for the extension")
        self.extension_reason_edit.setPlaceholderText("Reason (required), e.g. awaiting coroner's findings")
        self.add_extension_button = QPushButton("Add e&xtension")
        extensions = QWidget()
        lay = QVBoxLayout(extensions)
        lay.addWidget(QLabel("Extensions of the investigation report / learning response deadline are kept "
                             "for good, with their reason."))
        lay.addWidget(self.extensions_table)
        row = QHBoxLayout()
        row.addWidget(field_label("New due date:", self.extension_due))
        row.addWidget(self.extension_due)
        row.addWidget(self.extension_reason_edit, 1)
        row.addWidget(self.add_extension_button)
        lay.addLayout(row)

        # Risks.
        self.risks_list = QListWidget()
        self.risks_list.setAccessibleName("Linked risks")
        self.risk_combo = QComboBox()
        self.risk_combo.setAccessibleName("Risk to link")
        self.risk_combo.setMinimumContentsLength(50)
        self.link_risk_button = QPushButton("&Link risk")
        self.unlink_risk_button = QPushButton("&Unlink")
        risks = QWidget()
        lay = QVBoxLayout(risks)
        lay.addWidget(field_label("Risks in the registers this SI bears on:", self.risks_list))
        lay.addWidget(self.risks_list)
        row = QHBoxLayout()
        row.addWidget(self.risk_combo, 1)
        row.addWidget(self.link_risk_button)
        row.addWidget(self.unlink_risk_button)
        lay.addLayout(row)

        self.tabs = QTabWidget()
        self.tabs.addTab(details, "&1 Details")
        self.tabs.addTab(actions, "&2 Actions and lessons")
        self.tabs.addTab(reviews, "&3 Reviews")
        self.tabs.addTab(extensions, "&4 Extensions")
        self.tabs.addTab(risks, "&5 Linked risks")

        self.undo_action = make_action(A.INCIDENT_DIALOG_UNDO, self, action=self.undo_stack.createUndoAction(self))
        self.redo_action = make_action(A.INCIDENT_DIALOG_REDO, self, action=self.undo_stack.createRedoAction(self))
        self.save_action = make_action(A.INCIDENT_DIALOG_SAVE, self)
        self.undo_button = QToolButton()
        self.undo_button.setDefaultAction(self.undo_action)
        self.redo_button = QToolButton()
        self.redo_button.setDefaultAction(self.redo_action)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        foot = QHBoxLayout()
        foot.addWidget(self.undo_button)
        foot.addWidget(self.redo_button)
        foot.addStretch(1)
        foot.addWidget(self.buttons)

        outer = QVBoxLayout(self)
        outer.addWidget(self.message_bar)
        outer.addWidget(self.tabs, 1)
        outer.addLayout(foot)

        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.save_action.triggered.connect(self.save)
        self.confirm_pid_button.clicked.connect(lambda: self.save(confirm_no_pid=True))
        self.reload_button.clicked.connect(self.reload)
        self.add_action_button.clicked.connect(self._add_action)
        self.complete_action_button.clicked.connect(lambda: self._set_action_done(self.today))
        self.reopen_action_button.clicked.connect(lambda: self._set_action_done(None))
        self.remove_action_button.clicked.connect(self._remove_action)
        self.actions_table.itemChanged.connect(self._action_edited)
        self.add_review_button.clicked.connect(self._add_review)
        self.add_extension_button.clicked.connect(self._add_extension)
        self.link_risk_button.clicked.connect(self._link_risk)
        self.unlink_risk_button.clicked.connect(self._unlink_risk)
        self.undo_stack.cleanChanged.connect(self._clean_changed)

    @staticmethod
    def _table(headings: list[str], name: str) -> QTableWidget:
        t = QTableWidget(0, len(headings))
        t.setHorizontalHeaderLabels(headings)
        t.setAccessibleName(name)
        t.setTabKeyNavigation(False)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.verticalHeader().setVisible(False)
        t.setWordWrap(True)
        t.horizontalHeader().setStretchLastSection(False)
        for i in range(len(headings)):
            t.horizontalHeader().setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setSectionResizeMode(0 if name != "Monthly reviews" else 2, QHeaderView.ResizeMode.Stretch)
        if name.startswith("Extensions"):
            t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
            t.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        return t

    def _register_fields(self) -> None:
        def combo(w: QComboBox) -> _Field:
            def put(v: Any) -> None:
                i = w.findData(v)
                w.setCurrentIndex(max(i, 0))
            return _Field(w.currentData, put)

        def text(w: QLineEdit) -> _Field:
            return _Field(w.text, w.setText, True)

        def plain(w: QPlainTextEdit) -> _Field:
            return _Field(w.toPlainText, w.setPlainText, True)

        def qdate(w: QDateEdit) -> _Field:
            return _Field(lambda: _pydate(w.date()), lambda v: w.setDate(_qdate(v)))

        def optional(w: DateField) -> _Field:
            return _Field(w.value, w.set_value)

        self._fields = {
            "reference": text(self.reference_edit),
            "provider_service": _Field(self._provider_service, self._put_provider_service),
            "category": _Field(self.category_combo.currentText, self.category_combo.setCurrentText, True),
            "external_ref": text(self.external_ref_edit),
            "occurred_on": optional(self.occurred_date),
            "identified_on": qdate(self.identified_date),
            "reported_on": qdate(self.reported_date),
            "framework": combo(self.framework_combo),
            "learning_response": combo(self.learning_combo),
            "agreed_due": optional(self.agreed_due),
            "status": combo(self.status_combo),
            "steis_reported_on": optional(self.steis_date),
            "initial_review_on": optional(self.initial_review_date),
            "report_received_on": optional(self.report_received_date),
            "closed_on": optional(self.closed_date),
            "description": plain(self.description_edit),
            "lessons": plain(self.lessons_edit),
            "actions": _Field(lambda: list(self.actions_list), self._put_actions),
            "reviews": _Field(lambda: list(self.reviews_list), self._put_reviews),
            "extensions": _Field(lambda: list(self.new_extensions), self._put_extensions),
            "risks": _Field(lambda: list(self.risk_ids), self._put_risks),
        }
        signals = {
            "reference": self.reference_edit.textChanged, "category": self.category_combo.currentTextChanged,
            "external_ref": self.external_ref_edit.textChanged, "occurred_on": self.occurred_date.changed,
            "identified_on": self.identified_date.dateChanged, "reported_on": self.reported_date.dateChanged,
            "framework": self.framework_combo.currentIndexChanged,
            "learning_response": self.learning_combo.currentIndexChanged, "agreed_due": self.agreed_due.changed,
            "status": self.status_combo.currentIndexChanged, "steis_reported_on": self.steis_date.changed,
            "initial_review_on": self.initial_review_date.changed,
            "report_received_on": self.report_received_date.changed, "closed_on": self.closed_date.changed,
            "description": self.description_edit.textChanged, "lessons": self.lessons_edit.textChanged,
        }
        for name, signal in signals.items():
            signal.connect(lambda *_a, n=name: self._field_edited(n))
        self.provider_combo.currentIndexChanged.connect(self._provider_changed)
        self.service_combo.currentIndexChanged.connect(lambda *_a: self._field_edited("provider_service"))
