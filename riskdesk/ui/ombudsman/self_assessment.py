"""The Code self-assessment tab of the Ombudsman page (mixed into ``OmbudsmanPage``): start the
year's assessment, edit a requirement's comply-or-explain row (undoable), present it (frozen:
not undoable) and print it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.ombudsman import Comply
from riskdesk.ui.kit.prompts import error_text, file_to_write
from riskdesk.ui.kit.table_model import ROW_ROLE
from riskdesk.ui.ombudsman.dialogs import parse_day


class SelfAssessmentPart:
    """Methods of the page's self-assessment tab (the widgets are built by ``OmbudsmanPageLayout``)."""

    def load_assessment(self) -> None:
        fy = self.sa_year.currentData()
        if fy is None:
            return
        try:
            self.assessment = self.services.self_assessment.get(self.actor, fy)
        except RiskdeskError as exc:
            self.message.setText(error_text(exc))
            return
        a = self.assessment
        self.sa_model.set_rows(a.rows if a else [])
        self.sa_table.resizeRowsToContents()
        if a is None:
            self.sa_status.setText("Not started")
        elif a.frozen:
            self.sa_status.setText(f"Presented {a.presented_on:%d %b %Y} — frozen")
        else:
            self.sa_status.setText("Draft")
        self.sa_start_button.setEnabled(self.can_edit and a is None)
        self.sa_present_button.setEnabled(self.can_edit and a is not None and not a.frozen)
        self.sa_save_button.setEnabled(self.can_edit and a is not None and not a.frozen)

    def _sa(self, call: Callable[[], Any], done: str) -> Any:
        try:
            result = call()
        except RiskdeskError as exc:
            self.message.setText(error_text(exc))
            return None
        self.say(done)
        current = self.sa_table.currentIndex().row()
        self.load_assessment()
        if current >= 0:
            self.sa_table.selectRow(current)
        return result

    def start_assessment(self) -> None:
        self._sa(lambda: self.services.self_assessment.start(self.actor, self.sa_year.currentData()),
                 "Self-assessment started from the template, with the evidence riskdesk holds. Starting it "
                 "cannot be undone; its rows can be edited.")

    def present_assessment(self) -> None:
        a = self.assessment
        if a is not None:
            self._sa(lambda: self.services.self_assessment.present(self.actor, a.id, presented_on=self.today,
                                                                   expected_version=a.version),
                     "Self-assessment presented and frozen: presenting cannot be undone, and its rows can no "
                     "longer be changed or undone.")

    def show_assessment_row(self) -> None:
        index = self.sa_table.currentIndex()
        if not index.isValid():
            return
        r = index.data(ROW_ROLE)
        self.sa_requirement.setText(f"<b>{r.code_ref}</b> {r.requirement}")
        self.sa_comply.setCurrentIndex(max(0, self.sa_comply.findData(r.comply.value if r.comply else None)))
        self.sa_explanation.setPlainText(r.explanation)
        self.sa_evidence.setPlainText(r.evidence)
        self.sa_target.setText(r.target_date.isoformat() if r.target_date else "")

    def save_assessment_row(self) -> None:
        index, a = self.sa_table.currentIndex(), self.assessment
        if not index.isValid() or a is None:
            self.message.setText("Choose a requirement first.")
            return
        r = index.data(ROW_ROLE)
        comply = self.sa_comply.currentData()
        saved = self._sa(lambda: self.services.self_assessment.update_row(
            self.actor, a.id, r.id, comply=Comply(comply) if comply else None,
            explanation=self.sa_explanation.toPlainText(), evidence=self.sa_evidence.toPlainText(),
            target_date=parse_day(self.sa_target.text(), "date to comply"), expected_version=a.version),
            f"{r.code_ref} saved (Ctrl+Z undoes it).")
        if saved is not None:
            self.undo.row_saved(r, saved)

    def print_assessment(self, path: str | None = None) -> Path | None:
        fy = self.sa_year.currentData()
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, "Save the self-assessment as PDF",
                                                  f"self-assessment-{fy}.pdf", "PDF (*.pdf)")
        if not path:
            return None
        path = str(file_to_write(path, (".pdf",)))
        try:
            self.services.self_assessment.write(self.actor, fy, pdf=path)
        except RiskdeskError as exc:
            self.message.setText(error_text(exc))
            return None
        self.message.setText(f"Self-assessment saved to {path}.")
        return Path(path)
