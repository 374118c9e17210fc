"""The Ombudsman page: the case list with the due-in-N-days filter and overdue band, the case editor
(reply date and extensions, decision, recommendations, payments, "why this date?") and the Code
self-assessment. Built by the main window as ``OmbudsmanPage(services, actor, parent)``.

Every write goes through the services, which check the role and the case's version; a refusal is
shown in the page's message line and nothing typed is cleared. Each saved step can be undone with
Edit ▸ Undo (Ctrl+Z) while the page is shown, and redone (Ctrl+Y): see ``undo.py``.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMainWindow, QWidget

from riskdesk.domain.errors import RiskdeskError, StaleEdit
from riskdesk.domain.ombudsman import (
    CaseDetail,
    CaseRow,
    RecommendationKind,
    RecommendationRow,
    RemedyRow,
    fy_label,
    fy_of,
    money,
    parse_money,
)
from riskdesk.domain.permissions import Permission, Role, allows
from riskdesk.domain.register import Actor
from riskdesk.services import Services
from riskdesk.ui.kit.actions import ActionId as A
from riskdesk.ui.kit.actions import Routed
from riskdesk.ui.kit.prompts import error_text, file_to_write
from riskdesk.ui.kit.table_model import ROW_ROLE, Column, RowTableModel
from riskdesk.ui.ombudsman.dialogs import NewCaseDialog, parse_day
from riskdesk.ui.ombudsman.page_layout import OmbudsmanPageLayout
from riskdesk.ui.ombudsman.self_assessment import SelfAssessmentPart
from riskdesk.ui.ombudsman.table_model import AssessmentTableModel, CaseTableModel
from riskdesk.ui.ombudsman.undo import OmbudsmanUndo


class _Recommendations(RowTableModel[RecommendationRow]):
    columns = (Column("Kind", lambda r: r.kind.label), Column("Recommendation", lambda r: r.text),
               Column("Due", lambda r: r.due_on), Column("Complied", lambda r: r.completed_on))


class _Remedies(RowTableModel[RemedyRow]):
    columns = (Column("Amount", lambda r: money(r.amount_pence)), Column("Approved", lambda r: r.approved_on),
               Column("Chair consulted", lambda r: r.chair_consulted_on),
               Column("Others affected", lambda r: f"yes ({r.beneficiaries})" if r.others_affected else ""))


class OmbudsmanPage(SelfAssessmentPart, OmbudsmanPageLayout, QWidget):
    saved = Signal()

    def __init__(self, services: Services, actor: Actor, parent: QWidget | None = None, *,
                 today: date | None = None) -> None:
        super().__init__(parent)
        self.services, self.actor = services, actor
        self.today = today or date.today()
        self.setObjectName("ombudsmanPage")
        self._build()
        # The window's Edit ▸ Undo/Redo act on this stack while the page is shown.
        self.undo = OmbudsmanUndo(self, services, actor, self._undone)
        self.undo_stack = self.undo.stack
        # The page keeps its rows in the order the header asks for and filters that list, so a
        # keystroke never re-sorts (re-sorting 20,000 rows per keystroke cost more than a frame).
        self.model = CaseTableModel(self, self.today)
        self.table.setModel(self.model)
        self.table.setSortingEnabled(False)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(2, Qt.SortOrder.DescendingOrder)  # newest enquiry first, as the service lists
        header.sortIndicatorChanged.connect(lambda *_: self.sort_rows())
        self.rec_model, self.remedy_model = _Recommendations(self), _Remedies(self)
        self.recommendations.setModel(self.rec_model)
        self.remedies.setModel(self.remedy_model)
        self.sa_model = AssessmentTableModel(self)
        self.sa_table.setModel(self.sa_model)
        # The requirement takes the room; the short columns are sized for their words.
        sa_header = self.sa_table.horizontalHeader()
        for column, width in enumerate((88, 300, 60, 130, 160, 95)):
            self.sa_table.setColumnWidth(column, width)
        sa_header.setSectionResizeMode(1, sa_header.ResizeMode.Stretch)
        self.rows: list[CaseRow] = []
        self._haystack: list[str] = []
        self.detail: CaseDetail | None = None
        self.assessment: Any = None
        self.can_edit = False
        self._wire()
        try:
            me = services.registers.me(actor)
        except RiskdeskError as exc:
            self._deny(str(exc))
            return
        if not allows(me.role, Permission.VIEW_COMPLAINTS):
            self._deny(f"{me.display_name} ({Role(me.role).label}) may not view Ombudsman cases.")
            return
        self.can_edit = allows(me.role, Permission.EDIT_COMPLAINTS)
        for w in self._edit_widgets():
            w.setEnabled(self.can_edit)
        this_year = fy_of(self.today)
        for fy in range(this_year, this_year - 5, -1):
            self.sa_year.addItem(fy_label(fy), fy)
            self.report_year.addItem(fy_label(fy), fy)
        self.reload()
        self.load_assessment()

    def _edit_widgets(self) -> list[QWidget]:
        return [self.new_button, self.save_button, self.extension_button, self.decision_button, self.rec_button,
                self.complied_button, self.remedy_button, self.sa_start_button, self.sa_present_button,
                self.sa_save_button]

    def _deny(self, text: str) -> None:
        self.tabs.setEnabled(False)
        self.message.setText(text)

    def _wire(self) -> None:
        self.search_edit.textChanged.connect(self.apply_filter)
        self.due_only.toggled.connect(self.apply_filter)
        self.due_days.valueChanged.connect(self.apply_filter)
        self.new_button.clicked.connect(self.new_case)
        self.report_button.clicked.connect(lambda: self.print_report())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_selected())
        self.save_button.clicked.connect(self.save_enquiry)
        self.extension_button.clicked.connect(self.agree_extension)
        self.decision_button.clicked.connect(self.record_decision)
        self.rec_button.clicked.connect(self.add_recommendation)
        self.complied_button.clicked.connect(self.mark_complied)
        self.remedy_button.clicked.connect(self.add_remedy)
        self.sa_year.currentIndexChanged.connect(lambda *_: self.load_assessment())
        self.sa_start_button.clicked.connect(self.start_assessment)
        self.sa_present_button.clicked.connect(self.present_assessment)
        self.sa_print_button.clicked.connect(self.print_assessment)
        self.sa_save_button.clicked.connect(self.save_assessment_row)
        self.sa_table.selectionModel().currentRowChanged.connect(lambda *_: self.show_assessment_row())

    def routed_actions(self) -> dict[A, Routed]:
        return {A.NEW: Routed("&New Ombudsman case…", self.new_case, self.new_button.isEnabled()),
                A.FIND: Routed("&Find…", self.focus_search),
                A.REFRESH: Routed("&Refresh", self.reload)}

    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- the list ---------------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        try:
            self.rows = self.services.ombudsman.list_cases(self.actor, today=self.today)
        except RiskdeskError as exc:
            self.message.setText(error_text(exc))
            return
        self.sort_rows()
        if select_id is not None:
            self.select_case(select_id)

    def sort_rows(self) -> None:
        """Order the loaded rows as the header's sort indicator says, then filter them again."""
        header = self.table.horizontalHeader()
        column = self.model.columns[header.sortIndicatorSection()].value

        def key(r: CaseRow) -> tuple[bool, Any]:
            v = column(r)
            if v is None or v == "":
                return (True, 0)  # blanks together, never compared with a value
            return (False, v.casefold() if isinstance(v, str) else v)

        self.rows.sort(key=key, reverse=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder)
        # Lowered once per load, so a keystroke only walks the list.
        self._haystack = [f"{r.reference} {r.department} {r.complaint_ref} {r.service_group}".casefold()
                          for r in self.rows]
        self.apply_filter()

    def visible_rows(self) -> list[CaseRow]:
        text = self.search_edit.text().strip().casefold()
        rows = self.rows
        if text:
            rows = [r for r, hay in zip(self.rows, self._haystack, strict=True) if text in hay]
        if self.due_only.isChecked():
            limit = self.due_days.value()
            rows = [r for r in rows if r.next_due_on is not None and (r.next_due_on - self.today).days <= limit]
        return rows

    def apply_filter(self) -> None:
        current = self.detail.row.id if self.detail else None
        rows = self.visible_rows()
        shown = self.model.rows()
        # A keystroke that keeps every row shown (the first letters of a search) repaints nothing.
        if len(rows) != len(shown) or not all(map(operator.is_, rows, shown)):
            self.model.set_rows(rows)
        overdue = sum(1 for r in rows if r.next_due_on is not None and r.next_due_on < self.today)
        self.count_label.setText(f"{len(rows)} of {len(self.rows)} cases" + (f", {overdue} overdue" if overdue else ""))
        if current is not None:
            self.select_case(current)

    def select_case(self, case_id: int) -> None:
        source = next((i for i, r in enumerate(self.model.rows()) if r.id == case_id), None)
        if source is None:
            return
        self.table.selectRow(source)
        self.table.setCurrentIndex(self.model.index(source, 0))

    def show_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row: CaseRow = index.data(ROW_ROLE)
        try:
            self.show_detail(self.services.ombudsman.get(self.actor, row.id))
        except RiskdeskError as exc:
            self.message.setText(error_text(exc))

    def show_detail(self, d: CaseDetail) -> None:
        self.detail = d
        decided = f" — {d.row.decision.label} ({d.row.final_decision_on:%d %b %Y})" if d.row.decision else ""
        self.case_title.setText(f"<b>{d.row.reference}</b> {d.row.department}{decided}")
        self.reply_due_edit.setText(d.draft.response_due_on.isoformat() if d.draft.response_due_on else "")
        self.responded_edit.setText(d.draft.responded_on.isoformat() if d.draft.responded_on else "")
        self.complaint_edit.setText(d.draft.complaint_ref)
        self.group_edit.setText(d.draft.service_group)
        self.why_text.setPlainText("\n".join(d.why))
        self.decision_combo.setCurrentIndex(max(0, self.decision_combo.findData(
            d.row.decision.value if d.row.decision else None)))
        self.decision_date.setText(d.row.final_decision_on.isoformat() if d.row.final_decision_on else "")
        self.rec_model.set_rows(d.recommendations)
        self.remedy_model.set_rows(d.remedies)
        for view in (self.recommendations, self.remedies):
            view.resizeColumnsToContents()

    # -- writes -----------------------------------------------------------------------------------

    def _write(self, call: Callable[[CaseDetail], CaseDetail], done: str, undo: str = "") -> CaseDetail | None:
        """Run one service write on the case shown; show the refusal, or the result.

        ``undo`` names the step on Edit ▸ Undo; empty when it cannot be undone (the message says so).
        """
        if self.detail is None:
            self.message.setText("Choose a case first.")
            return None
        before = self.detail
        try:
            d = call(self.detail)
        except StaleEdit as exc:
            # Someone else saved first: take their version (list, dates, "why") but keep what this
            # user typed, so pressing the button again applies it to the latest version.
            try:
                fresh = self.services.ombudsman.get(self.actor, self.detail.row.id)
            except RiskdeskError:
                fresh = None
            self.message.setText(f"{exc} What you typed is kept: press the button again to apply it.")
            if fresh is not None:
                self.detail = fresh
                self.why_text.setPlainText("\n".join(fresh.why))
                self.rec_model.set_rows(fresh.recommendations)
                self.remedy_model.set_rows(fresh.remedies)
                with QSignalBlocker(self.table.selectionModel()):  # the list refreshes, the form stays
                    self.reload()
            return None
        except RiskdeskError as exc:
            self.message.setText(error_text(exc))
            return None
        if undo:
            self.undo.case_changed(undo, before, d)
            self.message.setText(done)
        else:
            self.undo.noted(d)
            self.say(done)
        self.show_detail(d)
        self.reload(d.row.id)
        self.saved.emit()
        return d

    def _undone(self, error: str | None) -> None:
        """After an undo or redo: show the database as it now is, and a refusal if there was one."""
        shown = self.detail.row.id if self.detail else None
        self.reload()
        fresh = None
        if shown is not None:
            try:
                fresh = self.services.ombudsman.get(self.actor, shown)
            except RiskdeskError:
                self.detail = None  # the case was removed (the undo of recording it)
                self.case_title.setText("No case chosen")
        if fresh is not None:
            self.show_detail(fresh)
            self.select_case(fresh.row.id)
        self.say(error or "Undone or redone; the audit trail records it.")
        self.saved.emit()

    def say(self, text: str) -> None:
        """The page's message line, and the window's status bar when the page sits in the main window."""
        self.message.setText(text)
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 15000)

    def new_case(self) -> None:
        dialog = NewCaseDialog(self.services, self.actor, self)
        dialog.saved.connect(self._case_created)
        dialog.open()
        self.new_dialog = dialog

    def _case_created(self, d: CaseDetail) -> None:
        self.undo.case_created(d)
        self.reload(d.row.id)
        self.message.setText(f"Case {d.row.reference} recorded.")

    def save_enquiry(self) -> None:
        def call(d: CaseDetail) -> CaseDetail:
            from dataclasses import replace

            draft = replace(d.draft, response_due_on=parse_day(self.reply_due_edit.text(), "reply due"),
                            responded_on=parse_day(self.responded_edit.text(), "replied on"),
                            complaint_ref=self.complaint_edit.text().strip(),
                            service_group=self.group_edit.text().strip())
            return self.services.ombudsman.update_case(self.actor, d.row.id, draft, expected_version=d.row.version)

        self._write(call, "Enquiry saved.", "save enquiry")

    def agree_extension(self) -> None:
        self._write(lambda d: self.services.ombudsman.agree_extension(
            self.actor, d.row.id, new_due=parse_day(self.extension_due.text(), "extension date", required=True)
            or self.today, reason=self.extension_reason.text(), agreed_on=self.today,
            expected_version=d.row.version), "Extension recorded.", "agree extension")

    def record_decision(self) -> None:
        self._write(lambda d: self.services.ombudsman.record_decision(
            self.actor, d.row.id, decision=self.decision_combo.currentData(),
            decided_on=parse_day(self.decision_date.text(), "decision date", required=True) or self.today,
            expected_version=d.row.version), "Decision recorded.", "record decision")

    def add_recommendation(self) -> None:
        if self._write(lambda d: self.services.ombudsman.add_recommendation(
                self.actor, d.row.id, kind=RecommendationKind(self.rec_kind.currentData()), text=self.rec_text.text(),
                due_on=parse_day(self.rec_due.text(), "recommendation due"), expected_version=d.row.version),
                "Recommendation added.", "add recommendation"):
            self.rec_text.clear()

    def mark_complied(self) -> None:
        index = self.recommendations.currentIndex()
        if not index.isValid():
            self.message.setText("Choose the recommendation that was complied with.")
            return
        rec: RecommendationRow = index.data(ROW_ROLE)
        self._write(lambda d: self.services.ombudsman.record_compliance(
            self.actor, d.row.id, rec.id, completed_on=parse_day(self.complied_date.text(), "complied on",
                                                                 required=True), expected_version=d.row.version),
            "Compliance recorded.", "record compliance")

    def add_remedy(self) -> None:
        # An approved payment has committed the council's money: it is not an undoable step.
        approved = bool(self.approved_edit.text().strip())
        if self._write(lambda d: self.services.ombudsman.add_remedy(
                self.actor, d.row.id, amount_pence=parse_money(self.amount_edit.text()),
                approved_on=parse_day(self.approved_edit.text(), "approved on"),
                chair_consulted_on=parse_day(self.chair_edit.text(), "Chair consulted on"),
                others_affected=self.others_check.isChecked(), expected_version=d.row.version),
                "Payment recorded and approved: an approved payment cannot be undone." if approved
                else "Payment recorded.", "" if approved else "record payment"):
            self.amount_edit.clear()

    def print_report(self, path: str | None = None) -> Path | None:
        """The Ombudsman section of the annual report for the chosen year, as PDF (or .docx by name)."""
        fy = self.report_year.currentData()
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Save the Ombudsman report", f"ombudsman-{fy}.pdf",
                                                  "PDF (*.pdf);;Word (*.docx)")
        if not path:
            return None
        path = str(file_to_write(path, (".pdf", ".docx")))
        word = path.lower().endswith(".docx")
        try:
            data = self.services.ombudsman.write_report(self.actor, fy, pdf=None if word else path,
                                                        docx=path if word else None, today=self.today)
        except RiskdeskError as exc:
            self.message.setText(error_text(exc))
            return None
        self.message.setText(f"Ombudsman report {fy_label(fy)} saved to {path}: {data.enquiries_total[0]} new "
                             f"enquiries, {data.decisions_total} decisions.")
        return Path(path)
