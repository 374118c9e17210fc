"""Editors for a clinical audit or re-audit, a quality visit and a Patient Group Direction.

Each dialog saves through ``services.clinical`` and emits ``saved(row)``. A refused value is
shown in the dialog's message line (and the field gets the focus); nothing typed is lost. If
someone else saved the record meanwhile, the dialog offers to reload it. Text fields keep
Qt's own undo (Ctrl+Z); the page's undo stack reverses whole saves.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.clinical import (
    STANDARD_BODIES,
    AuditDraft,
    AuditKind,
    AuditStatus,
    ClinicalAuditRow,
    PgdDraft,
    PgdRow,
    PgdStatus,
    QualityVisitRow,
    Rag,
    VisitDraft,
    WarningLevel,
    pgd_alert,
)
from riskdesk.domain.errors import PermissionDenied, RiskdeskError, StaleEdit, ValidationError
from riskdesk.domain.permissions import Permission, why_not
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.ui.clinical.table_models import ActionTableModel
from riskdesk.ui.kit.contrast import ERROR, tone
from riskdesk.ui.kit.fields import DateField
from riskdesk.ui.kit.keyboard import field_label

if TYPE_CHECKING:
    from riskdesk.services import Services


def _rag_combo() -> QComboBox:
    combo = QComboBox()
    combo.addItem("Not rated", None)
    for rag in Rag:
        combo.addItem(rag.label, rag.value)
    combo.setAccessibleName("RAG rating")
    return combo


def _rag(combo: QComboBox) -> Rag | None:
    value = combo.currentData()
    return Rag(value) if value else None


def _select(combo: QComboBox, value: Any) -> None:
    # Enum members are stored as their plain values: Qt hands str subclasses back as str.
    i = combo.findData(value.value if isinstance(value, Enum) else value)
    combo.setCurrentIndex(max(i, 0))


class _EditorDialog(QDialog):
    """What the three editors share: service chooser, message line, Save/Cancel, stale-edit reload."""

    saved = Signal(object)

    #: Field names (as ValidationError names them) → the widget to focus.
    def __init__(self, services: Services, actor: Actor, record_id: int | None, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor, self.record_id = services, actor, record_id
        self.version: int | None = None
        self.setWindowTitle(title)
        self.setMinimumWidth(640)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.service_combo = QComboBox()
        self.service_combo.setAccessibleName("Provider and service")
        for p in services.providers.list_providers(actor):
            for sv in p.services:
                if sv.active:
                    self.service_combo.addItem(f"{p.label} – {sv.name}", sv.id)
        self.form.addRow("&Service:", self.service_combo)
        self.message = QLabel()
        self.message.setObjectName("editorMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {tone(ERROR)}; font-weight: 600;")
        self.message.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._fields: dict[str, QWidget] = {"service": self.service_combo}
        #: Asked when someone else saved the record first; True reloads it. Replaceable in tests.
        self.confirm_reload: Callable[[str], bool] = self._ask_reload
        #: Why this user may only read the record ("" when they may save it): Save is disabled, saying so.
        self.refused = why_not(services.registers.me(actor).role, Permission.EDIT_CLINICAL)

    def _finish_layout(self, extra: QWidget | None = None) -> None:
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        if extra is not None:
            layout.addWidget(extra)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        if self.refused:
            self.save_button.setEnabled(False)
            self.save_button.setToolTip(self.refused)
            self.message.setText(self.refused)
        elif self.service_combo.count() == 0:
            self.show_problem("There are no commissioned services yet: add a provider and its services first.")
            self.save_button.setEnabled(False)

    def show_problem(self, text: str) -> None:
        self.message.setText(text)

    def _ask_reload(self, text: str) -> bool:
        answer = QMessageBox.question(
            self, "Changed by someone else", f"{text}\n\nReload it now? Your unsaved changes in this window "
            "will be replaced by theirs.", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def save(self) -> None:
        """Validate, save through the service, emit ``saved`` and close; or say what is wrong."""
        self.message.clear()
        try:
            row = self._save()
        except ValidationError as exc:
            self.show_problem(f"{exc.field.capitalize()}: {exc.reason}." if exc.field else str(exc))
            widget = self._fields.get(exc.field.split(" ")[0] if exc.field.startswith("action") else exc.field)
            if widget is not None:
                widget.setFocus()
            return
        except StaleEdit as exc:
            self.show_problem(str(exc))
            if self.confirm_reload(str(exc)):
                self.reload()
            return
        except (PermissionDenied, RiskdeskError) as exc:
            self.show_problem(str(exc))
            return
        self.saved.emit(row)
        self.accept()

    def service_id(self) -> int:
        value = self.service_combo.currentData()
        if value is None:
            raise ValidationError("service", "", "must be chosen")
        return int(value)

    def reload(self) -> None:
        """Show the record as now saved (after someone else's change)."""
        raise NotImplementedError

    def _save(self) -> Any:
        raise NotImplementedError


class _ActionsBox(QWidget):
    """The actions table with Add / Remove buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ActionTableModel(parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Actions")
        self.table.setTabKeyNavigation(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 150), (2, 95), (3, 95)):
            header.resizeSection(col, width)
        self.table.setMinimumHeight(120)
        self.add_button = QPushButton("&Add action")
        self.remove_button = QPushButton("Re&move action")
        self.add_button.clicked.connect(self._add)
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addWidget(field_label("Actions (dates dd/mm/yyyy; fill in Done when completed):", self.table))
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.table)

    def _add(self) -> None:
        row = self.model.add()
        index = self.model.index(row, 0)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def _remove(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.model.remove(index.row())


class AuditDialog(_EditorDialog):
    """Record or edit a clinical audit; ``reaudit_of`` starts a re-audit of an earlier audit."""

    def __init__(self, services: Services, actor: Actor, audit_id: int | None = None, *,
                 reaudit_of: ClinicalAuditRow | None = None, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        title = "Edit clinical audit" if audit_id else ("New re-audit" if reaudit_of else "New clinical audit")
        super().__init__(services, actor, audit_id, title, parent)
        self.quarter_edit = QLineEdit(Quarter.of(today or date.today()).label)
        self.quarter_edit.setAccessibleName("Financial quarter")
        self.quarter_edit.setPlaceholderText("23/24 Q3")
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Audit title")
        self.kind_combo = QComboBox()
        for kind in AuditKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.kind_combo.setAccessibleName("Audit or re-audit")
        self.previous_combo = QComboBox()
        self.previous_combo.setAccessibleName("Earlier audit (for a re-audit)")
        self.previous_combo.addItem("(none)", None)
        for a in services.clinical.list_audits(actor):
            if a.id != audit_id:
                self.previous_combo.addItem(f"{a.quarter.label} – {a.title}", a.id)
        self.standard_combo = QComboBox()
        self.standard_combo.setEditable(True)
        self.standard_combo.addItems(["", *STANDARD_BODIES])
        self.standard_combo.setAccessibleName("Standard or guideline body")
        self.status_combo = QComboBox()
        for status in AuditStatus:
            self.status_combo.addItem(status.label, status.value)
        self.status_combo.setAccessibleName("Status")
        self.rag_combo = _rag_combo()
        self.findings_edit = QPlainTextEdit()
        self.findings_edit.setAccessibleName("Compliance findings")
        self.findings_edit.setTabChangesFocus(True)  # Tab moves on; a tab character is never wanted here
        self.findings_edit.setPlaceholderText("What the audit found against the standard, e.g. 87% compliant …")
        self.findings_edit.setFixedHeight(80)
        self.reaudit_due_edit = DateField("re-audit due", optional=True)
        self.actions = _ActionsBox()
        self.actions.model.problem.connect(self.show_problem)
        for label, widget in (("&Quarter:", self.quarter_edit), ("&Title:", self.title_edit),
                              ("T&ype:", self.kind_combo), ("&Earlier audit:", self.previous_combo),
                              ("Standard &body:", self.standard_combo), ("Stat&us:", self.status_combo),
                              ("&RAG:", self.rag_combo), ("&Findings:", self.findings_edit),
                              ("Re-audit &due:", self.reaudit_due_edit)):
            self.form.addRow(label, widget)
        self._fields.update({"quarter": self.quarter_edit, "title": self.title_edit,
                             "earlier audit": self.previous_combo, "standard or guideline body": self.standard_combo,
                             "RAG rating": self.rag_combo, "re-audit due": self.reaudit_due_edit,
                             "action": self.actions.table})
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self._finish_layout(self.actions)
        if audit_id is not None:
            self.reload()
        elif reaudit_of is not None:
            _select(self.service_combo, reaudit_of.service_id)
            _select(self.kind_combo, AuditKind.RE_AUDIT)
            _select(self.previous_combo, reaudit_of.id)
            self.title_edit.setText(f"Re-audit: {reaudit_of.title}")
            self.standard_combo.setCurrentText(reaudit_of.standard_body)
            if reaudit_of.reaudit_due:
                self.quarter_edit.setText(Quarter.of(reaudit_of.reaudit_due).label)
        self._kind_changed()

    def _kind_changed(self) -> None:
        is_re = self.kind_combo.currentData() == AuditKind.RE_AUDIT.value
        self.previous_combo.setEnabled(is_re)
        if not is_re:
            self.previous_combo.setCurrentIndex(0)

    def reload(self) -> None:
        a = self.services.clinical.get_audit(self.actor, int(self.record_id or 0))
        self.version = a.version
        _select(self.service_combo, a.service_id)
        self.quarter_edit.setText(a.quarter.label)
        self.title_edit.setText(a.title)
        _select(self.kind_combo, a.kind)
        self._kind_changed()
        _select(self.previous_combo, a.previous_audit_id)
        self.standard_combo.setCurrentText(a.standard_body)
        _select(self.status_combo, a.status)
        _select(self.rag_combo, a.rag)
        self.findings_edit.setPlainText(a.findings)
        self.reaudit_due_edit.set_value(a.reaudit_due)
        self.actions.model.set_actions(a.actions)

    def draft(self) -> AuditDraft:
        """The form as a draft; ValidationError names a field that cannot be read."""
        return AuditDraft(
            self.service_id(), Quarter.parse(self.quarter_edit.text()), self.title_edit.text(),
            AuditKind(self.kind_combo.currentData()), self.previous_combo.currentData(),
            self.standard_combo.currentText(), AuditStatus(self.status_combo.currentData()),
            self.findings_edit.toPlainText(), _rag(self.rag_combo),
            self.actions.model.actions(), self.reaudit_due_edit.value())

    def _save(self) -> ClinicalAuditRow:
        d = self.draft()
        if self.record_id is None:
            return self.services.clinical.add_audit(self.actor, d)
        return self.services.clinical.update_audit(self.actor, self.record_id, d,
                                                   expected_version=int(self.version or 0))


class VisitDialog(_EditorDialog):
    """Record or edit a quality visit and its actions."""

    def __init__(self, services: Services, actor: Actor, visit_id: int | None = None, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, actor, visit_id, "Edit quality visit" if visit_id else "New quality visit", parent)
        self.planned_edit = DateField("planned date")
        self.actual_edit = DateField("date visited", optional=True)
        self.visitors_edit = QLineEdit()
        self.visitors_edit.setAccessibleName("Visited by")
        self.visitors_edit.setPlaceholderText("e.g. Head of Integration; Quality and Contracts team")
        self.rag_combo = _rag_combo()
        self.outcome_edit = QPlainTextEdit()
        self.outcome_edit.setAccessibleName("Outcome")
        self.outcome_edit.setTabChangesFocus(True)  # Tab moves on; a tab character is never wanted here
        self.outcome_edit.setFixedHeight(80)
        self.next_due_edit = DateField("next visit due", optional=True)
        self.actions = _ActionsBox()
        self.actions.model.problem.connect(self.show_problem)
        for label, widget in (("&Planned:", self.planned_edit), ("&Visited on:", self.actual_edit),
                              ("Visited &by:", self.visitors_edit), ("&RAG:", self.rag_combo),
                              ("&Outcome:", self.outcome_edit), ("&Next visit due:", self.next_due_edit)):
            self.form.addRow(label, widget)
        self._fields.update({"planned date": self.planned_edit, "date visited": self.actual_edit,
                             "visited by": self.visitors_edit, "RAG rating": self.rag_combo,
                             "outcome": self.outcome_edit, "next visit due": self.next_due_edit,
                             "action": self.actions.table})
        self._finish_layout(self.actions)
        if visit_id is not None:
            self.reload()

    def reload(self) -> None:
        v = self.services.clinical.get_visit(self.actor, int(self.record_id or 0))
        self.version = v.version
        _select(self.service_combo, v.service_id)
        self.planned_edit.set_value(v.planned)
        self.actual_edit.set_value(v.actual)
        self.visitors_edit.setText(v.visitors)
        _select(self.rag_combo, v.rag)
        self.outcome_edit.setPlainText(v.outcome)
        self.next_due_edit.set_value(v.next_due)
        self.actions.model.set_actions(v.actions)

    def draft(self) -> VisitDraft:
        planned = self.planned_edit.value()
        if planned is None:
            raise ValidationError("planned date", "", "must be given")
        return VisitDraft(self.service_id(), planned, self.actual_edit.value(), self.visitors_edit.text(),
                          self.outcome_edit.toPlainText(), _rag(self.rag_combo), self.actions.model.actions(),
                          self.next_due_edit.value())

    def _save(self) -> QualityVisitRow:
        d = self.draft()
        if self.record_id is None:
            return self.services.clinical.add_visit(self.actor, d)
        return self.services.clinical.update_visit(self.actor, self.record_id, d,
                                                   expected_version=int(self.version or 0))


class PgdDialog(_EditorDialog):
    """Record or edit a Patient Group Direction; the warning for the typed dates shows as you type."""

    def __init__(self, services: Services, actor: Actor, pgd_id: int | None = None, *, today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(services, actor, pgd_id, "Edit PGD" if pgd_id else "New Patient Group Direction", parent)
        self.today = today or date.today()
        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("PGD name")
        self.medicine_edit = QLineEdit()
        self.medicine_edit.setAccessibleName("Medicine")
        self.version_edit = QLineEdit()
        self.version_edit.setAccessibleName("Document version")
        self.version_edit.setMaximumWidth(130)
        self.issued_edit = DateField("issued", optional=True)
        self.review_edit = DateField("review due", optional=True)
        self.expiry_edit = DateField("expiry", optional=True)
        self.status_combo = QComboBox()
        for status in PgdStatus:
            self.status_combo.addItem(status.label, status.value)
        self.status_combo.setAccessibleName("Status")
        self.warning = QLabel()
        self.warning.setObjectName("pgdWarning")
        self.warning.setAccessibleName("Warning")
        for label, widget in (("&Name:", self.name_edit), ("&Medicine:", self.medicine_edit),
                              ("&Version:", self.version_edit), ("&Issued:", self.issued_edit),
                              ("&Review due:", self.review_edit), ("E&xpiry:", self.expiry_edit),
                              ("S&tatus:", self.status_combo), ("", self.warning)):
            self.form.addRow(label, widget)
        self._fields.update({"PGD name": self.name_edit, "medicine": self.medicine_edit,
                             "version": self.version_edit, "issued": self.issued_edit,
                             "review due": self.review_edit, "expiry": self.expiry_edit})
        for edit in (self.review_edit, self.expiry_edit):
            edit.changed.connect(self._update_warning)
        self._finish_layout()
        if pgd_id is not None:
            self.reload()
        else:
            _select(self.status_combo, PgdStatus.IN_USE)
        self._update_warning()

    def _update_warning(self) -> None:
        try:
            alert = pgd_alert(self.review_edit.value(), self.expiry_edit.value(), self.today)
        except ValidationError:
            self.warning.setText("")
            return
        self.warning.setText(alert.text)
        colour = tone("#c00000" if alert.level is WarningLevel.PASSED else "#7f6000")
        self.warning.setStyleSheet(f"color: {colour}; font-weight: 600;")

    def reload(self) -> None:
        g = self.services.clinical.get_pgd(self.actor, int(self.record_id or 0))
        self.version = g.version
        _select(self.service_combo, g.service_id)
        self.name_edit.setText(g.name)
        self.medicine_edit.setText(g.medicine)
        self.version_edit.setText(g.document_version)
        self.issued_edit.set_value(g.issued)
        self.review_edit.set_value(g.review_due)
        self.expiry_edit.set_value(g.expiry)
        _select(self.status_combo, g.status)

    def draft(self) -> PgdDraft:
        return PgdDraft(self.service_id(), self.name_edit.text(), self.medicine_edit.text(), self.version_edit.text(),
                        self.issued_edit.value(), self.review_edit.value(), self.expiry_edit.value(),
                        PgdStatus(self.status_combo.currentData()))

    def _save(self) -> PgdRow:
        d = self.draft()
        if self.record_id is None:
            return self.services.clinical.add_pgd(self.actor, d)
        return self.services.clinical.update_pgd(self.actor, self.record_id, d,
                                                 expected_version=int(self.version or 0))


__all__ = ["AuditDialog", "PgdDialog", "VisitDialog"]
