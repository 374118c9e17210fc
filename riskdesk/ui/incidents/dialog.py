"""The SI editor: every field of a serious incident, its actions, reviews, extensions and risk links.

Edits stay in the dialog (with undo and redo) until Save, which sends the whole record to
``services.incidents.save`` in one transaction. Patient-data warnings, validation errors and
stale edits appear in a message bar at the top, and nothing typed is lost.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.errors import RiskdeskError, StaleEdit, ValidationError
from riskdesk.domain.incidents import (
    CATEGORIES,
    ActionDraft,
    ClockBand,
    ExtensionRow,
    Framework,
    IncidentDetail,
    IncidentDraft,
    LearningResponse,
    PidWarning,
    ReviewRow,
    RiskLink,
    Status,
    allowed_statuses,
    base_report_due,
    clocks_for,
    due_dates,
)
from riskdesk.domain.providers import ProviderRow
from riskdesk.domain.register import Actor
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.kit.actions import make_action

if TYPE_CHECKING:
    from riskdesk.services import Services

BAND_STYLE = {
    ClockBand.OVERDUE: "background:#f4c7c3; color:#7a1010;",
    ClockBand.DUE_SOON: "background:#fde9b8; color:#5c4300;",
    ClockBand.ON_TRACK: "background:#d4ecd4; color:#1d4d1d;",
    ClockBand.MET: "background:#e8e8e8; color:#404040;",
}


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _fmt(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


class DateField(QWidget):
    """A date that may be left unset: a check box beside a date edit."""

    changed = Signal()

    def __init__(self, label: str, default: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox()
        self.check.setAccessibleName(f"{label} is known")
        self.check.setToolTip(f"Tick when the {label.lower()} is known")
        self.edit = QDateEdit(_qdate(default))
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd/MM/yyyy")
        self.edit.setAccessibleName(label)
        self.edit.setEnabled(False)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.check)
        lay.addWidget(self.edit)
        lay.addStretch(1)
        self.setFocusProxy(self.check)
        self.check.toggled.connect(self._toggled)
        self.edit.dateChanged.connect(lambda _d: self.changed.emit() if self.check.isChecked() else None)

    def _toggled(self, on: bool) -> None:
        self.edit.setEnabled(on)
        self.changed.emit()

    def value(self) -> date | None:
        return _pydate(self.edit.date()) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.blockSignals(True)
        if value is not None:
            self.edit.setDate(_qdate(value))
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.blockSignals(False)


class FieldCommand(QUndoCommand):
    """A change of one editor field; consecutive typing in one field merges into one step."""

    def __init__(self, dialog: IncidentDialog, name: str, old: Any, new: Any, merge: bool) -> None:
        super().__init__(f"Edit {name.replace('_', ' ')}")
        self.dialog, self.name, self.old, self.new, self.merge = dialog, name, old, new, merge

    def id(self) -> int:
        return (hash(self.name) & 0x7FFFFFF) if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FieldCommand) or other.name != self.name:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.dialog._put(self.name, self.new)

    def undo(self) -> None:
        self.dialog._put(self.name, self.old)


@dataclass
class _Field:
    get: Callable[[], Any]
    set: Callable[[Any], None]
    merge: bool = False


class IncidentDialog(QDialog):
    """Log a new SI (``incident_id`` None) or edit one."""

    saved = Signal(int)

    def __init__(self, services: Services, actor: Actor, incident_id: int | None = None,
                 parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.today = today or date.today()
        self.detail: IncidentDetail | None = None
        self.setObjectName("incidentDialog")
        self.resize(980, 720)
        self.undo_stack = QUndoStack(self)
        self._applying = False
        self._values: dict[str, Any] = {}
        self._fields: dict[str, _Field] = {}
        self._providers: list[ProviderRow] = []
        self._risk_choices: list[RiskLink] = []
        self.actions_list: list[ActionDraft] = []
        self.reviews_list: list[ReviewRow] = []
        self.new_extensions: list[ExtensionRow] = []
        self.risk_ids: list[int] = []
        self.can_edit = services.incidents.can_edit(actor)

        self._build()
        self._register_fields()
        self._load_choices()
        if incident_id is not None:
            self.load(incident_id)
        else:
            self._start_new()
        self._set_read_only(not self.can_edit)

    # -- layout ----------------------------------------------------------------------------------

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
        self.occurred_date = DateField("Date of incident", self.today)
        self.identified_date = QDateEdit(_qdate(self.today))
        self.reported_date = QDateEdit(_qdate(self.today))
        for w, name in ((self.identified_date, "Date identified"), (self.reported_date, "Date reported")):
            w.setCalendarPopup(True)
            w.setDisplayFormat("dd/MM/yyyy")
            w.setAccessibleName(name)
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
        self.agreed_due = DateField("Agreed due date", self.today)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Status")
        self.steis_date = DateField("Reported on StEIS", self.today)
        self.initial_review_date = DateField("Initial review received", self.today)
        self.report_received_date = DateField("Report received", self.today)
        self.closed_date = DateField("Closure agreed", self.today)
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
        self.action_desc_edit = QLineEdit()
        self.action_desc_edit.setAccessibleName("New action")
        self.action_desc_edit.setPlaceholderText("Action agreed with the provider")
        self.action_owner_edit = QLineEdit()
        self.action_owner_edit.setAccessibleName("New action owner")
        self.action_owner_edit.setPlaceholderText("Owner (role, not a patient)")
        self.action_due = DateField("New action due", self.today)
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
        self.review_date = QDateEdit(_qdate(self.today))
        self.review_date.setCalendarPopup(True)
        self.review_date.setDisplayFormat("dd/MM/yyyy")
        self.review_date.setAccessibleName("Review date")
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
        self.extension_due = QDateEdit(_qdate(self.today))
        self.extension_due.setCalendarPopup(True)
        self.extension_due.setDisplayFormat("dd/MM/yyyy")
        self.extension_due.setAccessibleName("New due date")
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
        row.addWidget(QLabel("New due date:"))
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
        lay.addWidget(QLabel("Risks in the registers this SI bears on:"))
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

    # -- fields and undo -------------------------------------------------------------------------

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

    def _field_edited(self, name: str) -> None:
        if self._applying:
            return
        new = self._fields[name].get()
        old = self._values.get(name)
        if new == old:
            return
        self._values[name] = new
        self.undo_stack.push(FieldCommand(self, name, old, new, self._fields[name].merge))
        self._refresh_derived()

    def _change_list(self, name: str, new: list[Any], text: str) -> None:
        old = self._values.get(name)
        cmd = FieldCommand(self, name, old, list(new), False)
        cmd.setText(text)
        self.undo_stack.push(cmd)

    def _put(self, name: str, value: Any) -> None:
        """Set a field from the undo stack (no new undo step)."""
        self._applying = True
        try:
            field = self._fields[name]
            if field.get() != value:
                field.set(value)
            self._values[name] = value
        finally:
            self._applying = False
        self._refresh_derived()

    def _snapshot_values(self) -> None:
        self._values = {name: f.get() for name, f in self._fields.items()}

    # -- provider and service ----------------------------------------------------------------------

    def _provider_service(self) -> tuple[int | None, int | None]:
        return (self.provider_combo.currentData(), self.service_combo.currentData())

    def _fill_services(self, provider_id: int | None, keep: int | None = None) -> None:
        self.service_combo.blockSignals(True)
        self.service_combo.clear()
        for p in self._providers:
            if p.id == provider_id:
                for sv in p.services:
                    if sv.active or sv.id == keep:
                        self.service_combo.addItem(sv.name + ("" if sv.active else " (retired)"), sv.id)
        if keep is not None:
            self.service_combo.setCurrentIndex(max(self.service_combo.findData(keep), 0))
        self.service_combo.blockSignals(False)

    def _put_provider_service(self, value: tuple[int | None, int | None]) -> None:
        provider_id, service_id = value
        self.provider_combo.blockSignals(True)
        self.provider_combo.setCurrentIndex(max(self.provider_combo.findData(provider_id), 0))
        self.provider_combo.blockSignals(False)
        self._fill_services(provider_id, service_id)

    def _provider_changed(self, _index: int) -> None:
        self._fill_services(self.provider_combo.currentData())
        self._field_edited("provider_service")

    def _load_choices(self) -> None:
        try:
            self._providers = self.services.providers.list_providers(self.actor, include_inactive=True)
        except RiskdeskError as exc:
            self.show_message(str(exc), error=True)
            self._providers = []
        self.provider_combo.blockSignals(True)
        self.provider_combo.clear()
        for p in self._providers:
            if p.active:
                self.provider_combo.addItem(p.label, p.id)
        self.provider_combo.blockSignals(False)
        try:
            self._risk_choices = self.services.incidents.linkable_risks(self.actor)
        except RiskdeskError:
            self._risk_choices = []  # no register access: linking is simply not offered
        self.risk_combo.clear()
        for r in self._risk_choices:
            self.risk_combo.addItem(r.label, r.risk_id)
        self.link_risk_button.setEnabled(bool(self._risk_choices))

    # -- loading ---------------------------------------------------------------------------------

    def _start_new(self) -> None:
        self._applying = True
        try:
            self._fill_status(None)
            self._fill_services(self.provider_combo.currentData())
        finally:
            self._applying = False
        self._snapshot_values()
        self.undo_stack.clear()
        self._refresh_derived()
        self._update_title()

    def load(self, incident_id: int) -> None:
        """Show the stored SI, discarding any unsaved edits."""
        try:
            detail = self.services.incidents.get(self.actor, incident_id, today=self.today)
        except RiskdeskError as exc:
            self.show_message(str(exc), error=True)
            return
        self.detail = detail
        r = detail.row
        if self.provider_combo.findData(r.provider_id) < 0:  # an inactive provider still shows on its SIs
            for p in self._providers:
                if p.id == r.provider_id:
                    self.provider_combo.addItem(p.label + " (inactive)", p.id)
        self._applying = True
        try:
            self._fill_status(r.status)
            self._put_provider_service((r.provider_id, r.service_id))
            values = {
                "reference": r.reference, "category": r.category, "external_ref": r.external_ref,
                "occurred_on": r.occurred_on, "identified_on": r.identified_on, "reported_on": r.reported_on,
                "framework": r.framework.value,
                "learning_response": r.learning_response.value if r.learning_response else None,
                "agreed_due": detail.agreed_due, "status": r.status.value,
                "steis_reported_on": detail.steis_reported_on, "initial_review_on": detail.initial_review_on,
                "report_received_on": detail.report_received_on, "closed_on": r.closed_on,
                "description": r.description, "lessons": detail.lessons,
                "actions": list(detail.to_draft().actions), "reviews": list(detail.reviews), "extensions": [],
                "risks": [k.risk_id for k in detail.risks],
            }
            for name, value in values.items():
                self._fields[name].set(value)
        finally:
            self._applying = False
        self._snapshot_values()
        self.undo_stack.clear()
        self.hide_message()
        self._refresh_derived()
        self._update_title()

    def reload(self) -> None:
        if self.detail is not None:
            self.load(self.detail.id)
            self.show_message("Reloaded the latest saved version. Make your changes again and save.")

    def _fill_status(self, stored: Status | None) -> None:
        self.status_combo.clear()
        options = allowed_statuses(stored) if stored else (Status.REPORTED, Status.UNDER_INVESTIGATION)
        for st in options:
            self.status_combo.addItem(st.label, st.value)
        if stored:
            self.status_combo.setCurrentIndex(self.status_combo.findData(stored.value))

    def _clean_changed(self, _clean: bool) -> None:
        with contextlib.suppress(RuntimeError):  # the stack is being destroyed with the dialog
            self._update_title()

    def _update_title(self) -> None:
        ref = self.detail.row.reference if self.detail else "New serious incident"
        self.setWindowTitle(f"{ref}{' *' if not self.undo_stack.isClean() else ''} – riskdesk")

    def _set_read_only(self, read_only: bool) -> None:
        if not read_only:
            return
        for w in (self.save_button, self.add_action_button, self.complete_action_button, self.reopen_action_button,
                  self.remove_action_button, self.add_review_button, self.add_extension_button,
                  self.link_risk_button, self.unlink_risk_button, self.save_action):
            w.setEnabled(False)
        for w in (self.reference_edit, self.external_ref_edit):
            w.setReadOnly(True)
        for w in (self.description_edit, self.lessons_edit):
            w.setReadOnly(True)
        self.show_message("You can view serious incidents but not change them.")

    # -- derived display ---------------------------------------------------------------------------

    def _refresh_derived(self) -> None:
        psirf = self.framework_combo.currentData() == Framework.PSIRF.value
        self.learning_combo.setEnabled(psirf and self.can_edit)
        self.agreed_due.setEnabled(psirf and self.can_edit)
        self.steis_date.setEnabled(not psirf and self.can_edit)
        self.initial_review_date.setEnabled(not psirf and self.can_edit)
        self.clocks_label.setText(self._clocks_html())

    def _clocks_html(self) -> str:
        try:
            framework = Framework(self.framework_combo.currentData())
        except ValueError:
            return ""
        identified = _pydate(self.identified_date.date())
        reported = _pydate(self.reported_date.date())
        agreed = self.agreed_due.value() if framework is Framework.PSIRF else None
        recorded = self.detail.extensions if self.detail else ()
        extended_to = (self.new_extensions[-1].new_due if self.new_extensions else
                       recorded[-1].new_due if recorded else None)
        dues = due_dates(framework, identified, reported, agreed, extended_to)
        clocks = clocks_for(dues, steis_reported_on=self.steis_date.value() if framework is Framework.SIF_2015 else None,
                            initial_review_on=self.initial_review_date.value()
                            if framework is Framework.SIF_2015 else None,
                            report_received_on=self.report_received_date.value(), closed_on=self.closed_date.value(),
                            today=self.today, extended=extended_to is not None)
        if not clocks:
            return "<i>No timescale agreed yet: set the agreed due date for the learning response.</i>"
        parts = []
        for c in clocks:
            label = c.label if framework is Framework.SIF_2015 or c.kind.value != "report" else "Learning response"
            ext = " (extended)" if c.extended else ""
            parts.append(f"<span style='{BAND_STYLE[c.band]} padding:2px;'>&nbsp;{label}{ext}: "
                         f"{c.summary} – {c.band.label}&nbsp;</span>")
        return "<br>".join(parts)

    # -- child lists -------------------------------------------------------------------------------

    def _put_actions(self, value: list[ActionDraft]) -> None:
        self.actions_list = list(value)
        t = self.actions_table
        t.setRowCount(len(value))
        for i, a in enumerate(value):
            late = a.completed_on is None and a.due_on is not None and a.due_on < self.today
            cells = [a.description, a.owner, _fmt(a.due_on) + (" – overdue" if late else ""),
                     _fmt(a.completed_on) or "open"]
            for c, text in enumerate(cells):
                t.setItem(i, c, QTableWidgetItem(text))
        t.resizeRowsToContents()

    def _put_reviews(self, value: list[ReviewRow]) -> None:
        self.reviews_list = list(value)
        t = self.reviews_table
        t.setRowCount(len(value))
        for i, r in enumerate(value):
            for c, text in enumerate((_fmt(r.reviewed_on), r.reviewer, r.notes)):
                t.setItem(i, c, QTableWidgetItem(text))
        t.resizeRowsToContents()

    def _put_extensions(self, value: list[ExtensionRow]) -> None:
        self.new_extensions = list(value)
        recorded = list(self.detail.extensions) if self.detail else []
        t = self.extensions_table
        t.setRowCount(len(recorded) + len(value))
        for i, x in enumerate(recorded + list(value)):
            by = x.recorded_by or "(not saved yet)"
            for c, text in enumerate((_fmt(x.previous_due), _fmt(x.new_due), x.reason, by)):
                t.setItem(i, c, QTableWidgetItem(text))
        t.resizeRowsToContents()

    def _put_risks(self, value: list[int]) -> None:
        self.risk_ids = list(value)
        known = {r.risk_id: r for r in self._risk_choices}
        if self.detail:
            known.update({r.risk_id: r for r in self.detail.risks if r.risk_id not in known})
        self.risks_list.clear()
        for rid in value:
            item = QListWidgetItem(known[rid].label if rid in known else f"Risk {rid}")
            item.setData(Qt.ItemDataRole.UserRole, rid)
            self.risks_list.addItem(item)

    def _add_action(self) -> None:
        text = self.action_desc_edit.text().strip()
        if not text:
            self.show_message("Type the action first, then press Add action.", error=True)
            self.action_desc_edit.setFocus()
            return
        new = [*self.actions_list, ActionDraft(None, text, self.action_owner_edit.text().strip(),
                                               self.action_due.value(), None)]
        self._change_list("actions", new, "Add action")
        self.action_desc_edit.clear()
        self.action_owner_edit.clear()
        self.hide_message()

    def _selected(self, table: QTableWidget) -> int | None:
        rows = table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def _set_action_done(self, day: date | None) -> None:
        i = self._selected(self.actions_table)
        if i is None:
            self.show_message("Select an action in the table first.", error=True)
            return
        a = self.actions_list[i]
        new = list(self.actions_list)
        new[i] = ActionDraft(a.id, a.description, a.owner, a.due_on, day)
        self._change_list("actions", new, "Complete action" if day else "Reopen action")
        self.actions_table.selectRow(i)

    def _remove_action(self) -> None:
        i = self._selected(self.actions_table)
        if i is None:
            self.show_message("Select an action in the table first.", error=True)
            return
        self._change_list("actions", self.actions_list[:i] + self.actions_list[i + 1:], "Remove action")

    def _add_review(self) -> None:
        notes = self.review_notes_edit.text().strip()
        if not notes:
            self.show_message("Type the review notes first, then press Add review.", error=True)
            self.review_notes_edit.setFocus()
            return
        review = ReviewRow(None, _pydate(self.review_date.date()), self.review_by_edit.text().strip(), notes)
        new = sorted([*self.reviews_list, review], key=lambda r: r.reviewed_on)
        self._change_list("reviews", new, "Add review")
        self.review_notes_edit.clear()
        self.hide_message()

    def _add_extension(self) -> None:
        reason = self.extension_reason_edit.text().strip()
        if not reason:
            self.show_message("An extension needs a reason: type it, then press Add extension.", error=True)
            self.extension_reason_edit.setFocus()
            return
        framework = Framework(self.framework_combo.currentData())
        recorded = self.detail.extensions if self.detail else ()
        current = (self.new_extensions[-1].new_due if self.new_extensions else recorded[-1].new_due if recorded
                   else base_report_due(framework, _pydate(self.reported_date.date()), self.agreed_due.value()))
        new_due = _pydate(self.extension_due.date())
        if current is not None and new_due <= current:
            self.show_message(f"The new due date must be after the current one ({_fmt(current)}).", error=True)
            return
        ext = ExtensionRow(None, current, new_due, reason)
        self._change_list("extensions", [*self.new_extensions, ext], "Add extension")
        self.extension_reason_edit.clear()
        self.hide_message()

    def _link_risk(self) -> None:
        rid = self.risk_combo.currentData()
        if rid is None or rid in self.risk_ids:
            return
        self._change_list("risks", [*self.risk_ids, rid], "Link risk")

    def _unlink_risk(self) -> None:
        item = self.risks_list.currentItem()
        if item is None:
            return
        rid = item.data(Qt.ItemDataRole.UserRole)
        self._change_list("risks", [r for r in self.risk_ids if r != rid], "Unlink risk")

    # -- saving ------------------------------------------------------------------------------------

    def draft(self) -> IncidentDraft:
        """The record as the user has left it."""
        provider_id, service_id = self._provider_service()
        learning = self.learning_combo.currentData()
        return IncidentDraft(
            id=self.detail.id if self.detail else None,
            reference=self.reference_edit.text(),
            provider_id=provider_id or 0,
            service_id=service_id or 0,
            occurred_on=self.occurred_date.value(),
            identified_on=_pydate(self.identified_date.date()),
            reported_on=_pydate(self.reported_date.date()),
            category=self.category_combo.currentText(),
            description=self.description_edit.toPlainText(),
            external_ref=self.external_ref_edit.text(),
            framework=Framework(self.framework_combo.currentData()),
            learning_response=LearningResponse(learning) if learning else None,
            agreed_due=self.agreed_due.value(),
            status=Status(self.status_combo.currentData()),
            steis_reported_on=self.steis_date.value(),
            initial_review_on=self.initial_review_date.value(),
            report_received_on=self.report_received_date.value(),
            closed_on=self.closed_date.value(),
            lessons=self.lessons_edit.toPlainText(),
            actions=tuple(self.actions_list),
            reviews=tuple(self.reviews_list),
            new_extensions=tuple(self.new_extensions),
            risk_ids=tuple(self.risk_ids),
        )

    def save(self, confirm_no_pid: bool = False) -> bool:
        """Save through the service; on success emit ``saved`` and close. Returns whether it saved."""
        if not self.can_edit:
            return False
        if not self._provider_service()[1]:
            self.show_message("Choose the provider and the service first (add them with Providers… if missing).",
                              error=True)
            return False
        try:
            detail = self.services.incidents.save(
                self.actor, self.draft(), expected_version=self.detail.version if self.detail else None,
                confirm_no_pid=bool(confirm_no_pid), today=self.today)
        except PidWarning as exc:
            items = "".join(f"<li>{f.field}: “{_html(f.text)}” looks like {f.kind.with_article}</li>"
                            for f in exc.findings)
            self.show_message("<b>This may be patient-identifiable data.</b> SI records must not hold NHS numbers "
                              f"or dates of birth:<ul>{items}</ul>Correct the text, or confirm it is not patient "
                              "data.", error=True, pid=True)
            return False
        except StaleEdit as exc:
            self.show_message(f"<b>Not saved.</b> {_html(str(exc))}", error=True, stale=True)
            return False
        except ValidationError as exc:
            self.show_message(f"<b>Not saved.</b> {_html(str(exc.field).capitalize())}: {_html(exc.reason)}.",
                              error=True)
            return False
        except RiskdeskError as exc:
            self.show_message(f"<b>Not saved.</b> {_html(str(exc))}", error=True)
            return False
        self.detail = detail
        self.undo_stack.setClean()
        self.hide_message()
        self.saved.emit(detail.id)
        self.accept()
        return True

    def show_message(self, html: str, *, error: bool = False, pid: bool = False, stale: bool = False) -> None:
        self.message_label.setText(html)
        self.message_bar.setStyleSheet(
            "#incidentMessageBar { background: #fbe3e1; border: 1px solid #d9a09a; }" if error
            else "#incidentMessageBar { background: #e3eefb; border: 1px solid #9fb3c8; }")
        self.confirm_pid_button.setVisible(pid)
        self.reload_button.setVisible(stale)
        self.message_bar.show()

    def hide_message(self) -> None:
        self.message_bar.hide()

    def message(self) -> str:
        return self.message_label.text() if self.message_bar.isVisible() or self.message_label.text() else ""

    def reject(self) -> None:
        if not self.undo_stack.isClean() and self.can_edit:
            answer = QMessageBox.question(
                self, "Unsaved changes", "Discard the changes you made to this serious incident?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
