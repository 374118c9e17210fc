"""A colleague commits between riskdesk's version check and its write: the window still says
"someone else saved first", offers Reload, and the typed update survives (issue: races)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from sqlalchemy import event
from sqlalchemy.orm import Session

from riskdesk.db import Database, make_engine
from riskdesk.domain.direction import Direction
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import AssessmentChange
from riskdesk.domain.scoring import Score
from riskdesk.services import Services
from riskdesk.ui.main_window import MainWindow
from tests.ui.uihelpers import click_risk

NEXT = Quarter(2023, 4)


def test_a_commit_inside_the_save_ends_in_the_reload_offer_with_the_text_kept(qtbot, published, admin,
                                                                               corporate_id, db_url, monkeypatch):
    published.registers.set_current_period(admin, NEXT)
    published.registers.add_user(admin, "colleague", "A Colleague", "risk_team")
    row = next(r for r in published.risks.list_risks(admin, corporate_id) if r.ref == "1.7")
    window = MainWindow(published, admin, background=False)
    qtbot.addWidget(window)
    window.show()
    click_risk(qtbot, window, "1.7")
    editor = window.register_page.editor
    editor.current_matrix.cell(1, 1).click()
    typed = "Mine: the contract was re-let in March.\n\n• Two lines,\n• kept as typed."
    editor.update_edit.setPlainText(typed)

    # Another riskdesk (its own engine, as on another desk) commits the same risk's first update of
    # the quarter inside our save: after the page and the service read the version, before the write.
    colleague = Services(Database(make_engine(db_url)))
    fired: list[str] = []

    def colleague_saves_first(session: Session, *_: object) -> None:
        if fired:
            return
        fired.append("yes")
        colleague.risks.record_assessment(Actor("colleague"), row.id, NEXT,
                                          AssessmentChange(Score(5, 5), None, Direction.UP, "Theirs"),
                                          expected_version=None)

    # The reload offer is recorded, not shown: a modal box here could wait for ever if a test before
    # left an answer queued. The box itself is tested in test_register_workflow.
    seen: list[str] = []

    def offer_reload(_parent, exc, note=""):
        seen.append(f"staleEditMessage: {exc.what}")
        return False  # Cancel: stay with what was typed

    monkeypatch.setattr("riskdesk.ui.register.saving.offer_reload", offer_reload)
    event.listen(Session, "before_flush", colleague_saves_first)
    try:
        editor.save_button.click()
    finally:
        event.remove(Session, "before_flush", colleague_saves_first)
        colleague.db.engine.dispose()
    tracebacks = 0 if QApplication.activeModalWidget() is None else 1
    print("colleague committed inside the save:", bool(fired), "| tracebacks:", tracebacks, "| dialogs:", seen)
    assert fired and tracebacks == 0
    assert len(seen) == 1 and seen[0].startswith("staleEditMessage: The 23/24 Q4 assessment"), seen
    assert published.risks.get(admin, row.id).score == 25  # theirs kept, never overwritten
    assert editor.update_edit.toPlainText() == typed  # Cancel keeps what was typed on screen
    assert QApplication.clipboard().text() == typed  # and a copy to paste back after a reload
    trail = [e for e in published.risks.audit_trail(admin, entity="risk", entity_id=row.id)
             if e.action == "risk.assess"]
    assert len(trail) == 1  # only the colleague's save is recorded
    # The typed update is still unsaved on screen (as the user wants): closing the test's window discards it.
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(window.register_page, "ask_save_changes", lambda: QMessageBox.StandardButton.Discard)
