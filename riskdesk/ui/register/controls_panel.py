"""The risk editor's Controls tab: appetite, the 4T(+1) response and next review, existing controls,
sources of assurance, and the linked SIs with their lessons.

Controls are what is in place now; further actions (the Actions tab) are what is still to be done.
The tab reads its data only when it is shown, so opening a risk costs nothing extra on the
quarterly-update path. Every write goes through ``services.governance`` and onto the register's
undo stack (Ctrl+Z on the register undoes it).
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from riskdesk.domain.controls import Response
from riskdesk.domain.errors import RiskdeskError, StaleEdit
from riskdesk.domain.permissions import Permission, allows
from riskdesk.domain.reviews import next_review
from riskdesk.ui.kit.contrast import secondary_text
from riskdesk.ui.kit.prompts import offer_reload, show_error
from riskdesk.ui.kit.table_model import Column, RowTableModel
from riskdesk.ui.register.controls_dialogs import (
    AssuranceDialog,
    AssuranceTableModel,
    ControlDialog,
    ControlTableModel,
)
from riskdesk.ui.register.governance_edits import AssuranceCommand, ControlCommand, ResponseCommand, RowBook

if TYPE_CHECKING:
    from riskdesk.domain.controls import AssuranceRow, ControlRow
    from riskdesk.domain.register import RiskRow
    from riskdesk.domain.risk_detail import AssessmentRow
    from riskdesk.services.governance import GovernedRow
    from riskdesk.ui.register.page import RegisterPage


class IncidentTableModel(RowTableModel["LinkedIncident"]):
    columns = (
        Column("SI", lambda r: r.reference),
        Column("Status", lambda r: r.status),
        Column("Reported", lambda r: r.reported_on),
        Column("Relevant", lambda r: "yes – re-score" if r.relevant_to_risk else "",
               "A lesson marked relevant to this risk prompts its owner to re-score it"),
        Column("Lessons", lambda r: r.lessons),
    )


def _table(name: str, model: RowTableModel) -> QTableView:  # type: ignore[type-arg]
    t = QTableView()
    t.setObjectName(name)
    t.setAccessibleName(name)
    t.setModel(model)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.verticalHeader().setVisible(False)
    t.setWordWrap(True)
    t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    t.horizontalHeader().setStretchLastSection(False)
    t.setMinimumHeight(96)
    return t


def _buttons(*names: tuple[str, str]) -> tuple[QHBoxLayout, list[QPushButton]]:
    row = QHBoxLayout()
    out = []
    for text, name in names:
        b = QPushButton(text)
        b.setAccessibleName(name)
        row.addWidget(b)
        out.append(b)
    row.addStretch(1)
    return row, out


class ControlsPanel(QWidget):
    """One risk's governance, wired to ``services.governance`` (see the module docstring)."""

    changed = Signal(int)  # risk id: its response, review date, controls or assurance changed

    def __init__(self, page: RegisterPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.page = page
        self.controls_book = RowBook()
        self.assurance_book = RowBook()
        self.row: RiskRow | None = None
        self.history: list[AssessmentRow] = []
        self.governed: GovernedRow | None = None
        self._may = False
        self._stale = False
        self.setObjectName("controlsPanel")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        lay.setContentsMargins(4, 6, 4, 4)

        self.prompt_label = QLabel()
        self.prompt_label.setObjectName("rescorePrompt")
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setStyleSheet("background: #fff3d6; border: 1px solid #e0b050; padding: 4px 6px;")
        self.prompt_label.hide()
        lay.addWidget(self.prompt_label)
        self.appetite_label = QLabel()
        self.appetite_label.setObjectName("appetiteLabel")
        self.appetite_label.setWordWrap(True)
        lay.addWidget(self.appetite_label)

        response_box = QGroupBox("Response and next review (this assessment)")
        rl = QVBoxLayout(response_box)
        row = QHBoxLayout()
        self.response_combo = QComboBox()
        self.response_combo.setObjectName("responseCombo")
        self.response_combo.setAccessibleName("Response (4T)")
        self.response_combo.addItem("(not recorded)", None)
        for r in Response:
            self.response_combo.addItem(r.label, r.value)
        label = QLabel("Re&sponse:")
        label.setBuddy(self.response_combo)
        row.addWidget(label)
        row.addWidget(self.response_combo)
        row.addSpacing(12)
        self.review_check = QCheckBox("Review on")
        self.review_check.setAccessibleName("Review on a date other than the band's cadence")
        self.review_edit = QDateEdit()
        self.review_edit.setObjectName("reviewDate")
        self.review_edit.setAccessibleName("Next review date")
        self.review_edit.setCalendarPopup(True)
        self.review_edit.setDisplayFormat("dd MMM yyyy")
        self.review_edit.setEnabled(False)
        self.review_check.toggled.connect(self.review_edit.setEnabled)
        row.addWidget(self.review_check)
        row.addWidget(self.review_edit)
        row.addStretch(1)
        self.record_button = QPushButton("Record response")
        self.record_button.setObjectName("recordResponse")
        self.record_button.setAccessibleName("Record the response and review date")
        row.addWidget(self.record_button)
        rl.addLayout(row)
        self.review_label = QLabel()
        self.review_label.setObjectName("reviewLabel")
        self.review_label.setWordWrap(True)
        self.review_label.setStyleSheet(f"color: {secondary_text()};")  # readable on any palette
        rl.addWidget(self.review_label)
        lay.addWidget(response_box)

        controls_box = QGroupBox("Existing controls (in place now; further actions are on the Actions tab)")
        cl = QVBoxLayout(controls_box)
        self.controls_model = ControlTableModel(self)
        self.controls_table = _table("Existing controls", self.controls_model)
        cl.addWidget(self.controls_table)
        buttons, (self.add_control_button, self.edit_control_button, self.remove_control_button) = _buttons(
            ("Add control…", "Add an existing control"), ("Edit control…", "Edit the selected control"),
            ("Remove control", "Remove the selected control"))
        cl.addLayout(buttons)
        lay.addWidget(controls_box)

        assurance_box = QGroupBox("Sources of assurance")
        al = QVBoxLayout(assurance_box)
        self.assurance_model = AssuranceTableModel(self)
        self.assurance_table = _table("Sources of assurance", self.assurance_model)
        al.addWidget(self.assurance_table)
        buttons, (self.add_assurance_button, self.edit_assurance_button, self.remove_assurance_button) = _buttons(
            ("Add source…", "Add a source of assurance"), ("Edit source…", "Edit the selected source of assurance"),
            ("Remove source", "Remove the selected source of assurance"))
        al.addLayout(buttons)
        lay.addWidget(assurance_box)

        self.incidents_box = QGroupBox("Linked serious incidents and their lessons")
        il = QVBoxLayout(self.incidents_box)
        self.incidents_model = IncidentTableModel(self)
        self.incidents_table = _table("Linked serious incidents", self.incidents_model)
        self.incidents_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.incidents_table.horizontalHeader().setStretchLastSection(True)
        self.incidents_note = QLabel()
        self.incidents_note.setWordWrap(True)
        self.incidents_note.setStyleSheet("color: #555;")
        il.addWidget(self.incidents_table)
        il.addWidget(self.incidents_note)
        lay.addWidget(self.incidents_box)
        lay.addStretch(1)

        self.record_button.clicked.connect(self.record_response)
        self.add_control_button.clicked.connect(self.add_control)
        self.edit_control_button.clicked.connect(self.edit_control)
        self.remove_control_button.clicked.connect(self.remove_control)
        self.controls_table.doubleClicked.connect(lambda *_: self.edit_control())
        self.add_assurance_button.clicked.connect(self.add_assurance)
        self.edit_assurance_button.clicked.connect(self.edit_assurance)
        self.remove_assurance_button.clicked.connect(self.remove_assurance)
        self.assurance_table.doubleClicked.connect(lambda *_: self.edit_assurance())

    # -- GovernanceHost ------------------------------------------------------------------------

    @property
    def services(self):  # type: ignore[no-untyped-def]
        return self.page.services

    @property
    def actor(self):  # type: ignore[no-untyped-def]
        return self.page.actor

    def governance_changed(self, risk_id: int) -> None:
        if self.row is not None and risk_id == self.row.id:
            self.refresh()
        self.changed.emit(risk_id)

    def governance_failed(self, text: str, exc: RiskdeskError) -> None:
        if isinstance(exc, StaleEdit):
            offer_reload(self, exc, f"“{text}” could not be undone or redone, so it has been taken off the undo list.")
            return
        show_error(self, f"Cannot undo or redo “{text}”", exc)

    # -- loading -------------------------------------------------------------------------------

    def load(self, row: RiskRow, history: list[AssessmentRow], may_assess: bool) -> None:
        """Show this risk (read now if the tab is shown, else the first time it is)."""
        self.row, self.history, self._may = row, history, may_assess and row.status == "current"
        self._stale = True
        # The tab carries the appetite mark without a query, so it shows whichever tab is open.
        tabs = self.page.editor.tabs
        i = tabs.indexOf(self)
        mark = self.page.appetite_of(row)
        if i >= 0:
            tabs.setTabText(i, "&4 Controls ▲" if mark and mark[0] else "&4 Controls")
            tabs.setTabToolTip(i, mark[1] if mark else "Appetite, the 4T response, next review, existing controls, "
                                                       "sources of assurance and linked SIs")
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale and self.row is not None:
            self.refresh()

    def refresh(self) -> None:
        row = self.row
        if row is None or self.services is None:
            return
        self._stale = False
        gov = self.services.governance
        me = self.page.me
        may_incidents = me is not None and allows(me.role, Permission.VIEW_INCIDENTS)
        try:
            governed = next((g for g in gov.register_view(self.actor, row.register_id) if g.risk_id == row.id), None)
            controls = gov.controls(self.actor, row.id)
            assurances = gov.assurances(self.actor, row.id)
            incidents = gov.linked_incidents(self.actor, row.id) if may_incidents else []
        except RiskdeskError as exc:
            show_error(self, "Cannot read the risk's controls", exc)
            return
        self.governed = governed
        self.controls_model.set_rows(controls)
        self.assurance_model.set_rows(assurances)
        self.incidents_model.set_rows(incidents)
        self.controls_table.resizeRowsToContents()
        self.incidents_box.setVisible(may_incidents)
        self.incidents_note.setText("" if incidents else "No serious incidents are linked to this risk.")
        self._show_governed(governed)
        for w in (self.response_combo, self.review_check, self.record_button, self.add_control_button,
                  self.edit_control_button, self.remove_control_button, self.add_assurance_button,
                  self.edit_assurance_button, self.remove_assurance_button):
            w.setEnabled(self._may)
        self.review_edit.setEnabled(self._may and self.review_check.isChecked())

    def _show_governed(self, g: GovernedRow | None) -> None:
        if g is None:
            self.appetite_label.setText("")
            self.review_label.setText("")
            self.prompt_label.hide()
            return
        if g.appetite_max is None:
            self.appetite_label.setText(f"<b>Appetite:</b> none set for {escape(g.category or 'its category')} "
                                        "(Register ▸ Risk scheme…).")
        elif g.out_of_appetite:
            self.appetite_label.setText(
                f"<b style='color:#a00000'>▲ Out of appetite:</b> score {g.score} is above the {g.appetite_level} "
                f"appetite of {escape(g.category)} (at most {g.appetite_max}).")
        else:
            extra = " At or below appetite for two quarters — candidate for removal." if g.removal_candidate else ""
            self.appetite_label.setText(f"<b>Within appetite:</b> score {g.score} against the {g.appetite_level} "
                                        f"appetite of {escape(g.category)} (at most {g.appetite_max}).{extra}")
        self.prompt_label.setVisible(g.rescore_prompted)
        self.prompt_label.setText("<b>Re-score prompted:</b> a lesson from a linked SI was marked relevant to this "
                                  "risk since its last assessment. Re-score it on the Update tab.")
        self.response_combo.setCurrentIndex(max(0, self.response_combo.findData(g.response)))
        default = self.default_review()
        override = g.next_review_on if g.next_review_on is not None and g.next_review_on != default else None
        self.review_check.setChecked(override is not None)
        self.review_edit.setDate(QDate(g.next_review_on or date.today()))
        if g.next_review_on is None:
            self.review_label.setText("Not scored yet: the first assessment sets the next review date.")
        else:
            when = f"{g.next_review_on:%d %B %Y}"
            self.review_label.setText(
                (f"<b style='color:#a00000'>Review overdue</b> since {when}" if g.review_overdue else
                 f"Next review: {when}") +
                (" (set by hand)" if override else f" (the {g.band} band's cadence)"))

    def default_review(self) -> date | None:
        """The review date the band's cadence gives the latest assessment."""
        latest = self.history[-1] if self.history else None
        if latest is None:
            return None
        try:
            return next_review(self.page.scheme, latest.current.score, latest.recorded_at.date())
        except RiskdeskError:
            return None

    # -- writes --------------------------------------------------------------------------------

    def record_response(self) -> None:
        row, g = self.row, self.governed
        if row is None or g is None:
            return
        default = self.default_review()
        before = (g.response, g.next_review_on if g.next_review_on != default else None)
        after = (self.response_combo.currentData(),
                 self.review_edit.date().toPython() if self.review_check.isChecked() else None)
        if after == before:
            return
        try:
            self.services.governance.set_response(self.actor, row.id, after[0], next_review_on=after[1])
        except RiskdeskError as exc:
            show_error(self, f"Cannot record the response of risk {row.ref}", exc)
            return
        self.page.undo_stack.push(ResponseCommand(self, f"response of {row.ref}", row.id, before, after))
        self.governance_changed(row.id)

    def _selected(self, table: QTableView, model: RowTableModel):  # type: ignore[no-untyped-def, type-arg]
        rows = table.selectionModel().selectedRows()
        return model.row_at(rows[0].row()) if rows else None

    def add_control(self) -> None:
        self._control(None)

    def edit_control(self) -> None:
        control = self._selected(self.controls_table, self.controls_model)
        if control is not None:
            self._control(control)

    def _control(self, control: ControlRow | None) -> None:
        row = self.row
        if row is None or not self._may:
            return
        dialog = ControlDialog(self, control)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            gov = self.services.governance
            try:
                if control is None:
                    after = gov.add_control(self.actor, row.id, **dialog.values())
                else:
                    values = dialog.values()
                    after = gov.update_control(self.actor, control.id, values.pop("description"), **values,
                                               expected_version=control.version)
            except RiskdeskError as exc:
                show_error(dialog, "Cannot save the control", exc)  # the dialog stays filled in
                continue
            what = "new control" if control is None else "control edit"
            self.page.undo_stack.push(ControlCommand(self, f"{what} on {row.ref}", row.id, control, after))
            self.governance_changed(row.id)
            return

    def remove_control(self) -> None:
        row, control = self.row, self._selected(self.controls_table, self.controls_model)
        if row is None or control is None or not self._may:
            return
        try:
            self.services.governance.delete_control(self.actor, control.id, expected_version=control.version)
        except RiskdeskError as exc:
            show_error(self, "Cannot remove the control", exc)
            return
        self.page.undo_stack.push(ControlCommand(self, f"removing a control on {row.ref}", row.id, control, None))
        self.governance_changed(row.id)

    def add_assurance(self) -> None:
        self._assurance(None)

    def edit_assurance(self) -> None:
        source = self._selected(self.assurance_table, self.assurance_model)
        if source is not None:
            self._assurance(source)

    def _assurance(self, source: AssuranceRow | None) -> None:
        row = self.row
        if row is None or not self._may:
            return
        dialog = AssuranceDialog(self, source)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            gov = self.services.governance
            values = dialog.values()
            try:
                if source is None:
                    after = gov.add_assurance(self.actor, row.id, values.pop("source"), **values)
                else:
                    after = gov.update_assurance(self.actor, source.id, values.pop("source"), **values,
                                                 expected_version=source.version)
            except RiskdeskError as exc:
                show_error(dialog, "Cannot save the source of assurance", exc)
                continue
            what = "new source of assurance" if source is None else "source of assurance edit"
            self.page.undo_stack.push(AssuranceCommand(self, f"{what} on {row.ref}", row.id, source, after))
            self.governance_changed(row.id)
            return

    def remove_assurance(self) -> None:
        row, source = self.row, self._selected(self.assurance_table, self.assurance_model)
        if row is None or source is None or not self._may:
            return
        try:
            self.services.governance.delete_assurance(self.actor, source.id, expected_version=source.version)
        except RiskdeskError as exc:
            show_error(self, "Cannot remove the source of assurance", exc)
            return
        self.page.undo_stack.push(AssuranceCommand(self, f"removing a source of assurance on {row.ref}", row.id,
                                                   source, None))
        self.governance_changed(row.id)
