"""The register workflow driven through the window's widgets; assertions on what the services hold."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
)

from riskdesk.domain.direction import Direction
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.risk_detail import ActionChange, AssessmentChange, RiskChange
from riskdesk.domain.scoring import Score
from riskdesk.ui.kit import jobs as operations
from riskdesk.ui.kit.table_model import ActionTableModel, AuditTableModel, RemovedTableModel
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.register.table_model import SORT_ROLE, Col, RiskTableModel
from tests.ui.uihelpers import DialogAnswers, click_risk, press, press_key, type_reason

NEXT = Quarter(2023, 4)  # the published register was last scored in 23/24 Q3

UPDATE = """Quarter three monitoring shows the gap has narrowed.

• Savings plans for 2024/25 agreed by Cabinet
• Two schemes rated red – see appendix B
    – indented sub-point kept as typed

Next review: January."""


def _risk(services, admin, corporate_id, ref):
    return next(r for r in services.risks.list_risks(admin, corporate_id) if r.ref == ref)


@pytest.fixture
def next_period(published, admin):
    published.registers.set_current_period(admin, NEXT)
    return NEXT


@pytest.fixture
def window(qtbot, published, admin):
    w = MainWindow(published, admin, background=False)
    qtbot.addWidget(w)
    w.show()
    return w


def _refs(window):
    m = window.register_page.model
    return [m.row_at(i).ref for i in range(m.rowCount())]


# -- filtering and sorting -------------------------------------------------------------------------


def test_filters_narrow_the_rows_and_the_band_counts_follow(window, published, admin, corporate_id):
    page = window.register_page
    total = page.model.rowCount()
    page.filters.search.setText("CYBER")
    shown = _refs(window)
    assert 0 < len(shown) < total
    for row in page.model.rows():
        assert "cyber" in f"{row.ref} {row.description} {row.update_text} {row.service_area}".casefold()
    assert window.band_label.text().startswith(f"{len(shown)} of {total} risks")
    page.filters.search.clear()
    band = page.filters.band
    band.setCurrentIndex(band.findData("high"))
    assert page.model.rowCount() and all(r.score >= 15 for r in page.model.rows())
    assert f"High/red: {page.model.rowCount()}" in window.band_label.text()
    assert "Medium/amber: 0" in window.band_label.text()
    page.filters.clear_button.click()
    assert page.model.rowCount() == total


def test_a_search_finds_words_saved_after_its_haystacks_were_made(qtbot, window):
    """The search's haystacks are made on a worker once the rows are shown; one made from a row
    since changed is not used, whenever it arrives."""
    import dataclasses

    from PySide6.QtTest import QTest

    from riskdesk.domain.register_filter import search_text

    page = window.register_page
    qtbot.waitUntil(lambda: operations.pending() == 0)
    before = list(page.model.all_rows())
    row = next(r for r in before if r.ref == "1.7")
    page.model.upsert(dataclasses.replace(row, update_text="Sandbags are now stored at the Eastgate depot"))
    page.model.add_texts([(r, search_text(r)) for r in before])  # made from the rows before the change, late
    page.filters.search.setFocus()
    QTest.keyClicks(page.filters.search, "EASTGATE depot")
    qtbot.waitUntil(lambda: _refs(window) == ["1.7"])
    QTest.keyClicks(page.filters.search, "s")  # "depots": in no risk
    qtbot.waitUntil(lambda: _refs(window) == [])


def test_a_search_typed_after_a_sort_keeps_its_order_and_follows_edits_and_removals(
        qtbot, window, published, admin, corporate_id):
    """Typed one key at a time after a header click, the search shows the rows a stable sort of the
    matching rows gives; the band counts and the register's count follow; a risk changed or removed
    meanwhile is found (or not) as it is now, in its place."""
    import dataclasses

    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    from riskdesk.domain.register_filter import search_text
    from riskdesk.ui.register.table_model import sort_value

    page, table = window.register_page, window.register_page.table
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(Col.CURRENT) + header.sectionSize(Col.CURRENT) // 2
    for _ in range(2):  # ascending, then descending
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    order = header.sortIndicatorOrder()

    def expected(needle: str) -> list[str]:
        """The matching rows, as given, in a stable sort by current score."""
        rows = [r for r in page.model.all_rows() if needle in search_text(r)]
        by_score = sorted(rows, key=lambda r: sort_value(r, Col.CURRENT),
                          reverse=order == Qt.SortOrder.DescendingOrder)
        return [r.ref for r in by_score]

    def counted(shown: int) -> None:
        total = page.model.total()
        assert window.band_label.text().startswith(f"{shown} of {total} risks" if shown != total else f"{shown} risks")
        high = sum(1 for r in page.model.rows() if r.score is not None and r.score >= 15)
        assert f"High/red: {high}" in window.band_label.text()

    page.filters.search.setFocus()
    typed = ""
    mismatched = 0
    for ch in "SERVICE":
        QTest.keyClick(page.filters.search, ch)
        typed += ch.casefold()
        qtbot.waitUntil(lambda typed=typed: page.model.rowCount() == len(expected(typed)))
        mismatched += _refs(window) != expected(typed)
        counted(page.model.rowCount())
    print(f"\nkeys whose rows were not those a sort of the matches gives: {mismatched} of 7")
    assert mismatched == 0 and 0 < page.model.rowCount() < page.model.total()

    # A risk that did not match is saved with words that do; one that did is removed.
    outside = next(r for r in page.model.all_rows() if "service" not in search_text(r))
    page.model.upsert(dataclasses.replace(outside, update_text="Service users told of the change"))
    assert outside.ref in _refs(window) and _refs(window) == expected("service")
    gone = page.model.rows()[0]
    page.model.remove(gone.id)
    page.rowsChanged.emit()  # as the page's writes do after a removal
    assert gone.ref not in _refs(window) and _refs(window) == expected("service")
    counted(page.model.rowCount())
    combo = window.register_combo
    assert combo.itemText(combo.currentIndex()).endswith(f"({page.model.total()})")


def test_department_category_owner_and_my_risks(qtbot, window, published, admin, corporate_id):
    page = window.register_page
    dept = page.filters.department
    dept.setCurrentIndex(dept.findData("PH"))
    assert page.model.rowCount() and all("PH" in r.departments for r in page.model.rows())
    page.filters.clear()
    cat = page.filters.category
    cat.setCurrentIndex(2)
    assert {r.category_id for r in page.model.rows()} == {cat.currentData()}
    page.filters.clear()
    page.filters.mine.setChecked(True)
    assert page.model.rowCount() == 0  # the tester owns nothing yet
    row = _risk(published, admin, corporate_id, "4.5")
    published.risks.amend_risk(admin, row.id, RiskChange(owner_id=page.me.id), expected_version=row.version)
    press_key(qtbot, window, "F5")
    assert _refs(window) == ["4.5"]


def test_not_updated_this_period(qtbot, published, admin, corporate_id, next_period):
    row = _risk(published, admin, corporate_id, "1.7")
    published.risks.record_assessment(admin, row.id, NEXT, AssessmentChange(Score(4, 4), None, Direction.UP, "x"),
                                      expected_version=None)
    w = MainWindow(published, admin, background=False)
    qtbot.addWidget(w)
    w.register_page.filters.not_updated.setChecked(True)
    refs = _refs(w)
    assert "1.7" not in refs and len(refs) == 28
    assert "23/24 Q4" in w.register_page.filters.not_updated.accessibleName()


def test_sorting_on_any_column_and_filters_and_sort_are_remembered(qtbot, published, admin):
    first = MainWindow(published, admin, background=False)
    qtbot.addWidget(first)
    first.register_page.table.sortByColumn(Col.TARGET, Qt.SortOrder.DescendingOrder)
    targets = [first.model.index(r, Col.TARGET).data(SORT_ROLE) for r in range(first.model.rowCount())]
    assert targets == sorted(targets, reverse=True)
    first.register_page.filters.search.setText("waste")
    first.close()
    second = MainWindow(published, admin, background=False)
    qtbot.addWidget(second)
    assert second.register_page.filters.search.text() == "waste"
    assert second.model.sort_state() == (Col.TARGET, Qt.SortOrder.DescendingOrder)
    assert all("waste" in (r.description + r.update_text + r.ref).lower() for r in second.model.rows())


def test_loading_runs_in_the_background(qtbot, published, admin):
    w = MainWindow(published, admin)  # background loading, as the app does
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.register_page.loaded, timeout=10000):
        pass
    assert w.model.rowCount() == 29


# -- the owner's quarterly update --------------------------------------------------------------------


def test_owner_updates_score_on_the_matrix_writes_update_and_saves(qtbot, next_period, window, published, admin, corporate_id):
    page = window.register_page
    before = _risk(published, admin, corporate_id, "1.7")
    click_risk(qtbot, window, "1.7")
    editor = page.editor
    # Previous scores pre-filled as the starting point for this period.
    assert editor.current_matrix.value() == before.current
    assert editor.target_matrix.value() == before.target
    assert "Updating 23/24 Q4" in editor.banner.text()
    qtbot.mouseClick(editor.current_matrix.cell(4, 3), Qt.MouseButton.LeftButton)
    assert editor.current_matrix.cell(4, 3).isChecked()
    assert editor.current_matrix.impact_combo.currentData() == 4
    editor.update_edit.setPlainText(UPDATE)
    assert editor.is_dirty()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    after = published.risks.get(admin, before.id)
    assert after.period == NEXT.code
    assert (after.current.impact, after.current.likelihood) == (4, 3)
    assert after.target == before.target
    assert after.update_text == UPDATE  # kept exactly: paragraphs, bullets, indentation
    assert not editor.is_dirty()
    assert "already updated" in editor.banner.text()
    assert page.model.row_at(page.model.row_of(before.id)).score == 12


def test_unchanged_scores_still_record_this_periods_update(qtbot, next_period, window, published, admin, corporate_id):
    before = _risk(published, admin, corporate_id, "2.4")
    click_risk(qtbot, window, "2.4")
    press_key(qtbot, window, QKeySequence.StandardKey.Save)  # Ctrl+S: "no change this quarter" is an update too
    hist = published.risks.history(admin, before.id)
    assert hist[-1].period == NEXT.code and hist[-1].current == before.current


def test_target_can_be_cleared_and_direction_set(qtbot, next_period, window, published, admin, corporate_id):
    before = _risk(published, admin, corporate_id, "1.7")
    click_risk(qtbot, window, "1.7")
    editor = window.register_page.editor
    editor.target_matrix.none_box.click()
    editor.direction_combo.setCurrentIndex(editor.direction_combo.findData("down"))
    editor.save_button.click()
    after = published.risks.get(admin, before.id)
    assert after.target is None and after.direction is Direction.DOWN


def test_undo_and_redo_write_through_the_service(qtbot, next_period, window, published, admin, corporate_id):
    before = _risk(published, admin, corporate_id, "1.7")
    click_risk(qtbot, window, "1.7")
    editor = window.register_page.editor
    editor.current_matrix.cell(2, 2).click()
    editor.save_button.click()
    assert published.risks.get(admin, before.id).score == 4
    editor.current_matrix.cell(3, 2).click()
    editor.save_button.click()
    assert published.risks.get(admin, before.id).score == 6
    assert window.undo_action.isEnabled()
    press_key(qtbot, window, QKeySequence.StandardKey.Undo)  # back to the earlier values of this period, with the right version
    now = published.risks.get(admin, before.id)
    assert now.period == NEXT.code and now.score == 4
    assert editor.current_matrix.value() == Score(2, 2)
    press_key(qtbot, window, QKeySequence.StandardKey.Undo)  # the first update of the period is withdrawn
    now = published.risks.get(admin, before.id)
    assert now.period == before.period and now.score == before.score
    press_key(qtbot, window, "Ctrl+Shift+Z")
    press_key(qtbot, window, "Ctrl+Shift+Z")
    assert published.risks.get(admin, before.id).score == 6
    actions = [e.action for e in published.risks.audit_trail(admin, entity="risk", entity_id=before.id)]
    assert actions[:4] == ["risk.assess", "risk.assess", "risk.assess.withdraw", "risk.assess"]


def test_stale_save_offers_reload_and_shows_their_values(qtbot, next_period, window, published, admin, corporate_id):
    row = _risk(published, admin, corporate_id, "1.7")
    click_risk(qtbot, window, "1.7")
    published.registers.add_user(admin, "colleague", "A Colleague", "risk_team")
    published.risks.record_assessment(Actor("colleague"), row.id, NEXT,
                                      AssessmentChange(Score(5, 5), None, Direction.UP, "Theirs"),
                                      expected_version=None)
    editor = window.register_page.editor
    editor.current_matrix.cell(1, 1).click()
    editor.update_edit.setPlainText("Mine")
    answers = DialogAnswers().queue(press("Reload"))
    editor.save_button.click()
    assert not answers.errors
    assert answers.seen and answers.seen[0].objectName() == "staleEditMessage"
    assert published.risks.get(admin, row.id).score == 25  # theirs kept, never overwritten
    assert editor.current_matrix.value() == Score(5, 5)
    assert editor.update_edit.toPlainText() == "Theirs"
    assert QApplication.clipboard().text() == "Mine"  # nothing lost


def test_a_save_while_another_program_holds_the_file_says_busy_and_keeps_the_typing(qtbot, monkeypatch, tmp_path,
                                                                                    admin):
    """A personal SQLite file (its own, on every test backend: a server queues writers instead)."""
    import sqlite3

    import riskdesk.db
    from riskdesk.db import Database
    from riskdesk.services import Services
    from tests.conftest import FIXTURES

    monkeypatch.setattr(riskdesk.db, "SQLITE_BUSY_TIMEOUT_MS", 300)  # waits 0.3 s, not 5
    path = tmp_path / "personal.sqlite"
    personal = Services(Database.open(f"sqlite:///{path}", backup=False))
    personal.published.load(admin, FIXTURES / "crr-2023-11.json")
    personal.registers.set_current_period(admin, NEXT)
    corporate_id = personal.registers.corporate_register(admin).id
    window = MainWindow(personal, admin, background=False)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    row = _risk(personal, admin, corporate_id, "1.7")
    click_risk(qtbot, window, "1.7")
    editor = window.register_page.editor
    editor.current_matrix.cell(1, 1).click()
    editor.update_edit.setFocus()
    qtbot.keyClicks(editor.update_edit, "Mine, typed while the file was locked")
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another riskdesk importing, and not letting go
    try:
        answers = DialogAnswers().queue(press("OK"))
        qtbot.keyClick(editor.update_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: bool(answers.seen))
    finally:
        other.execute("ROLLBACK")
        other.close()
    box = answers.seen[0]
    assert not answers.errors
    assert box.objectName() == "errorMessage"
    assert box.text().startswith("The database is busy: another riskdesk (or another program) kept it locked")
    assert box.detailedText() == ""  # told in words, not a traceback
    assert all(h.period != NEXT.code for h in personal.risks.history(admin, row.id))  # nothing half-saved
    assert editor.update_edit.toPlainText() == "Mine, typed while the file was locked"  # nothing lost
    window.activateWindow()  # as the window manager gives it back when the message closes
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(editor.update_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = personal.risks.get(admin, row.id)
    assert (saved.update_text, saved.score) == ("Mine, typed while the file was locked", 1)
    assert [h.period for h in personal.risks.history(admin, row.id)].count(NEXT.code) == 1
    personal.db.dispose()


def test_changing_a_presented_description_asks_for_a_rationale(qtbot, window, published, admin, corporate_id):
    row = _risk(published, admin, corporate_id, "1.7")
    assert row.presented
    click_risk(qtbot, window, "1.7")
    editor = window.register_page.editor
    editor.tabs.setCurrentIndex(1)
    editor.description_edit.setPlainText(row.description + " (revised)")
    answers = DialogAnswers().queue(type_reason("Scope widened by the Director"))
    editor.save_button.click()
    assert not answers.errors and answers.seen
    trail = published.risks.audit_trail(admin, entity="risk", entity_id=row.id)
    amend = next(e for e in trail if e.action == "risk.amend")
    assert amend.note == "Scope widened by the Director"
    assert published.risks.get(admin, row.id).description.endswith("(revised)")


def test_move_between_categories_and_departments_in_the_editor(qtbot, window, published, admin, corporate_id):
    row = _risk(published, admin, corporate_id, "1.7")
    click_risk(qtbot, window, "1.7")
    editor = window.register_page.editor
    other = next(i for i in range(1, editor.category_combo.count()) if editor.category_combo.itemData(i) !=
                 row.category_id and "retired" not in editor.category_combo.itemText(i))
    editor.category_combo.setCurrentIndex(other)
    lst = editor.departments_list
    for i in range(lst.count()):
        if lst.item(i).data(Qt.ItemDataRole.UserRole) in ("PH", "CR"):
            lst.item(i).setCheckState(Qt.CheckState.Checked)
    editor.save_button.click()
    after = published.risks.get(admin, row.id)
    assert after.category_id == editor.category_combo.itemData(other)
    assert {"PH", "CR"} <= set(after.departments)
    press_key(qtbot, window, QKeySequence.StandardKey.Undo)
    assert published.risks.get(admin, row.id).category_id == row.category_id


# -- register operations ---------------------------------------------------------------------------


def test_remove_with_reason_then_undo_restores(qtbot, window, published, admin, corporate_id):
    row = _risk(published, admin, corporate_id, "9.5")
    click_risk(qtbot, window, "9.5")
    answers = DialogAnswers().queue(type_reason("Mitigated: contract re-let"))
    press_key(qtbot, window, "Ctrl+Shift+Delete")
    assert not answers.errors
    removed = published.risks.removed(admin, corporate_id)
    assert [(r.ref, r.reason) for r in removed if r.risk_id == row.id] == [("9.5", "Mitigated: contract re-let")]
    assert "9.5" not in _refs(window)
    press_key(qtbot, window, QKeySequence.StandardKey.Undo)
    assert published.risks.get(admin, row.id).status == "current"
    assert "9.5" in _refs(window)


def test_remove_is_cancelled_without_a_reason(qtbot, window, published, admin, corporate_id):
    click_risk(qtbot, window, "9.5")

    def cancel_without_reason(dialog):
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
        dialog.reject()

    before = len(published.risks.removed(admin, corporate_id))
    answers = DialogAnswers().queue(cancel_without_reason)
    press_key(qtbot, window, "Ctrl+Shift+Delete")
    assert not answers.errors
    assert len(published.risks.removed(admin, corporate_id)) == before
    assert "9.5" in _refs(window)


def test_removed_risks_list_and_restore(qtbot, window, published, admin, corporate_id):
    row = _risk(published, admin, corporate_id, "9.5")
    published.risks.remove_risk(admin, row.id, "No longer relevant", expected_version=row.version,
                                removed_on=date(2023, 10, 1))
    press_key(qtbot, window, "F5")

    def restore(dialog):
        rows = dialog.model.rows()
        mine = next(i for i, r in enumerate(rows) if r.risk_id == row.id)
        assert dialog.model.index(mine, 6).data() == "No longer relevant"
        assert dialog.model.index(mine, 4).data() == "01 Oct 2023"
        dialog.table.selectRow(mine)
        dialog.restore_button.click()
        assert dialog.model.rowCount() == len(rows) - 1
        dialog.accept()

    answers = DialogAnswers().queue(restore)
    window.removed_action.trigger()
    assert not answers.errors, answers.errors
    assert published.risks.get(admin, row.id).status == "current"
    assert "9.5" in _refs(window)


def test_escalate_and_de_escalate_need_a_reason(qtbot, window, published, admin, corporate_id):
    ph = published.registers.create_register(admin, "Public Health Risk Register", department_code="PH")
    press_key(qtbot, window, "F5")
    row = _risk(published, admin, corporate_id, "9.5")
    click_risk(qtbot, window, "9.5")

    def de_escalate(dialog):
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        dialog.register_combo.setCurrentIndex(dialog.register_combo.findData(ph.id))
        assert not ok.isEnabled()  # no reason yet
        dialog.reason_edit.setPlainText("Managed within Public Health now")
        dialog.ref_edit.setText("PH1")
        ok.click()

    answers = DialogAnswers().queue(de_escalate)
    press_key(qtbot, window, "Ctrl+Shift+M")
    assert not answers.errors, answers.errors
    moved = published.risks.get(admin, row.id)
    assert (moved.register_id, moved.ref) == (ph.id, "PH1")
    assert published.risks.audit_trail(admin, entity="risk", entity_id=row.id)[0].action == "risk.de-escalate"
    assert "9.5" not in _refs(window)
    press_key(qtbot, window, QKeySequence.StandardKey.Undo)  # escalated back under its old ref
    back = published.risks.get(admin, row.id)
    assert (back.register_id, back.ref) == (corporate_id, "9.5")


def test_add_risk_dialog(qtbot, window, published, admin, corporate_id):
    def fill(dialog):
        dialog.ref_edit.setText("11.1")
        dialog.description_edit.setPlainText("If a new thing happens then something follows.")
        dialog.category_combo.setCurrentIndex(1)
        dialog.departments.item(0).setCheckState(Qt.CheckState.Checked)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    answers = DialogAnswers().queue(fill)
    press_key(qtbot, window, QKeySequence.StandardKey.New)
    assert not answers.errors, answers.errors
    new = _risk(published, admin, corporate_id, "11.1")
    assert new.departments
    assert window.register_page.editor.row.id == new.id  # opened, ready for its first scores
    assert "Not scored yet" in window.register_page.editor.banner.text()


def test_actions_add_complete_and_undo(qtbot, window, published, admin, corporate_id):
    row = _risk(published, admin, corporate_id, "1.7")
    click_risk(qtbot, window, "1.7")
    editor = window.register_page.editor

    def fill(dialog):
        dialog.description_edit.setPlainText("Commission a peer review")
        dialog.due_check.setChecked(True)
        dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()

    answers = DialogAnswers().queue(fill)
    editor.add_action_button.click()
    assert not answers.errors, answers.errors
    actions = published.risks.actions(admin, row.id)
    assert [a.description for a in actions] == ["Commission a peer review"] and actions[0].due_on is not None
    assert editor.actions_model.rowCount() == 1
    editor.actions_table.selectRow(0)
    editor.complete_action_button.click()
    assert published.risks.actions(admin, row.id)[0].done
    press_key(qtbot, window, QKeySequence.StandardKey.Undo)
    assert not published.risks.actions(admin, row.id)[0].done
    press_key(qtbot, window, QKeySequence.StandardKey.Undo)
    assert published.risks.actions(admin, row.id) == []


def test_history_tab_shows_chart_and_audit_trail(qtbot, window, published, admin, corporate_id):
    row = _risk(published, admin, corporate_id, "1.7")
    published.risks.add_action(admin, row.id, ActionChange("Something"))
    click_risk(qtbot, window, "1.7")
    editor = window.register_page.editor
    assert editor.chart.history() == row.history
    assert editor.audit_model.rowCount() >= 1
    assert editor.audit_model.index(0, 2).data() == "Action added"


def test_categories_dialog_retires_and_reinstates(qtbot, window, published, admin, corporate_id):
    empty = published.registers.add_category(admin, corporate_id, 99, "Spare heading")

    def retire(dialog):
        dialog.select("Spare heading")
        dialog.retire_button.click()
        dialog.accept()

    answers = DialogAnswers().queue(retire)
    window.categories_action.trigger()
    assert not answers.errors, answers.errors
    cat = next(c for c in published.registers.list_categories(admin, corporate_id) if c.id == empty.id)
    assert cat.retired and "category retired" in cat.heading


# -- dashboard -------------------------------------------------------------------------------------


def test_dashboard_heat_map_click_filters_the_register(qtbot, window, published, admin, corporate_id):
    rows = published.risks.list_risks(admin, corporate_id)
    press_key(qtbot, window, "Ctrl+2")
    dash = window.dashboard
    c = rows[0].current
    expected = sum(1 for r in rows if r.current == c)
    assert dash.current_map.cell(c.impact, c.likelihood).text() == str(expected)
    high = sum(1 for r in rows if r.score >= 15)
    assert dash.rag_labels["high"][0].text() == str(high)
    qtbot.mouseClick(dash.current_map.cell(c.impact, c.likelihood), Qt.MouseButton.LeftButton)
    assert window.tabs.currentWidget() is window.register_page
    assert window.register_page.model.rowCount() == expected
    assert all(r.current == c for r in window.register_page.model.rows())
    assert window.register_page.filters.cell_chip.isVisible()
    window.register_page.filters.cell_chip.click()
    assert window.register_page.model.rowCount() == len(rows)


def test_dashboard_hygiene_lists_open_risks(qtbot, published, admin, corporate_id, next_period):
    w = MainWindow(published, admin, background=False)
    qtbot.addWidget(w)
    w.show()
    press_key(qtbot, w, "Ctrl+2")
    lst = w.dashboard.hygiene_lists["not_updated"]
    assert lst.count() == 29  # nobody has updated for 23/24 Q4 yet
    assert "(29)" in w.dashboard.hygiene_boxes["not_updated"].title()
    item = lst.item(3)
    lst.setCurrentItem(item)
    lst.itemActivated.emit(item)  # Enter / double-click
    assert w.tabs.currentWidget() is w.register_page
    assert w.register_page.editor.row.id == item.data(Qt.ItemDataRole.UserRole)


# -- desktop conventions ---------------------------------------------------------------------------


def test_shortcuts_are_the_standard_ones_and_find_focuses_search(qtbot, window):
    from PySide6.QtGui import QKeySequence

    SK = QKeySequence.StandardKey
    for action, key in ((window.new_action, SK.New), (window.save_action, SK.Save), (window.undo_action, SK.Undo),
                        (window.redo_action, SK.Redo), (window.find_action, SK.Find),
                        (window.close_action, SK.Close)):
        assert action.shortcut() == QKeySequence(key).__class__(QKeySequence.keyBindings(key)[0])
    window.activateWindow()
    press_key(qtbot, window, QKeySequence.StandardKey.Find)
    assert window.register_page.filters.search.hasFocus() or \
        QApplication.focusWidget() is window.register_page.filters.search


def test_every_editor_control_has_an_accessible_name_or_label(qtbot, window):
    click_risk(qtbot, window, "1.7")
    unnamed = []
    widgets = [w for kind in (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit)
               for w in window.register_page.findChildren(kind)]
    for w in widgets:
        if not w.isVisibleTo(window) or w.objectName().startswith("qt_"):
            continue
        label = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
        if not label:
            unnamed.append(w)
    assert not unnamed, [(type(w).__name__, w.objectName(), w.parent().objectName()) for w in unnamed]


def test_leaving_a_risk_with_unsaved_changes_asks(qtbot, next_period, window, published, admin, corporate_id):
    click_risk(qtbot, window, "1.7")
    window.register_page.editor.current_matrix.cell(1, 2).click()
    answers = DialogAnswers().queue(press("Save"))
    model = window.register_page.model
    other = next(i for i in range(model.rowCount()) if model.row_at(i).ref == "2.4")
    from tests.ui.uihelpers import click_row

    click_row(qtbot, window.register_page.table, other)
    assert not answers.errors and answers.seen
    assert published.risks.get(admin, _risk(published, admin, corporate_id, "1.7").id).score == 2
    assert window.register_page.editor.row.ref == "2.4"


def test_background_operation_calls_back_on_the_gui_thread(qtbot):
    from PySide6.QtCore import QThread

    got: list = []
    operations.run_in_background(lambda: QThread.currentThread(), lambda r: got.append(("ok", r,
                                 QThread.currentThread())), lambda e: got.append(("err", e)))
    qtbot.waitUntil(lambda: len(got) > 0, timeout=5000)
    kind, worker_thread, callback_thread = got[0]
    assert kind == "ok" and worker_thread is not callback_thread
    assert callback_thread is QApplication.instance().thread()

    def boom():
        raise ValueError("nope")

    operations.run_in_background(boom, lambda r: got.append(("ok", r)), lambda e: got.append(("err", e)))
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5000)
    assert got[1][0] == "err" and str(got[1][1]) == "nope"
    qtbot.waitUntil(lambda: operations.pending() == 0, timeout=5000)


# -- item models -----------------------------------------------------------------------------------


def test_item_models_pass_the_qt_model_tester(qtmodeltester, published, admin, corporate_id):
    rows = published.risks.list_risks(admin, corporate_id)
    model = RiskTableModel(published.registers.scheme(admin).bands)
    model.set_rows(rows)
    model.upsert(rows[0])
    model.remove(rows[1].id)
    qtmodeltester.check(model)

    risk = rows[0]
    published.risks.add_action(admin, risk.id, ActionChange("A", due_on=date(2020, 1, 1)))
    published.risks.add_action(admin, risk.id, ActionChange("B", completed_on=date(2020, 1, 1)))
    actions = ActionTableModel()
    actions.set_rows(published.risks.actions(admin, risk.id))
    qtmodeltester.check(actions)
    assert actions.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # overdue in red
    actions.sort(0, Qt.SortOrder.DescendingOrder)
    assert actions.index(0, 0).data() == "B"

    audit = AuditTableModel()
    audit.set_rows(published.risks.audit_trail(admin, entity="risk", entity_id=risk.id))
    qtmodeltester.check(audit)

    published.risks.remove_risk(admin, risk.id, "Gone", expected_version=risk.version)
    removed = RemovedTableModel()
    removed.set_rows(published.risks.removed(admin, corporate_id))
    qtmodeltester.check(removed)
    assert removed.index(0, 6).data() == "Gone"


def test_read_only_user_cannot_edit_but_can_look(qtbot, published, admin, corporate_id):
    published.registers.add_user(admin, "auditor1", "An Auditor", "auditor")
    w = MainWindow(published, Actor("auditor1"), background=False)
    qtbot.addWidget(w)
    w.show()
    assert not w.new_action.isEnabled() and not w.remove_action.isEnabled()
    click_risk(qtbot, w, "1.7")
    editor = w.register_page.editor
    assert not editor.save_button.isEnabled()
    assert not editor.current_matrix.cell(1, 1).isEnabled()
    assert not editor.description_edit.isEnabled()


def test_messages_are_specific(qtbot, next_period, window, published, admin, corporate_id):
    click_risk(qtbot, window, "1.7")
    editor = window.register_page.editor
    editor.add_line_button.click()
    editor.lines_table.item(0, 1).setText("9")
    texts = []

    def read(box):
        texts.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    answers = DialogAnswers().queue(read)
    editor.save_button.click()
    assert not answers.errors
    assert "current impact" in texts[0] and "1 to 5" in texts[0]


def test_risk_owner_updates_their_own_risk_only(qtbot, published, admin, corporate_id, next_period):
    owner = published.registers.add_user(admin, "h.owner", "Helen Owner", "risk_owner")
    mine = _risk(published, admin, corporate_id, "1.7")
    published.risks.amend_risk(admin, mine.id, RiskChange(owner_id=owner.id), expected_version=mine.version)
    w = MainWindow(published, Actor("h.owner"), background=False)
    qtbot.addWidget(w)
    w.show()
    w.register_page.filters.mine.click()
    assert _refs(w) == ["1.7"]
    click_risk(qtbot, w, "1.7")
    editor = w.register_page.editor
    assert not editor.description_edit.isEnabled()  # wording is the risk team's
    editor.current_matrix.cell(3, 3).click()
    editor.update_edit.setPlainText("Owner's update")
    editor.save_button.click()
    assert published.risks.get(admin, mine.id).score == 9
    w.register_page.filters.mine.click()
    click_risk(qtbot, w, "2.4")
    assert not w.register_page.editor.save_button.isEnabled()


def test_matrix_has_the_printed_orientation(qtbot):
    """Impact 5 → 1 down the side and likelihood 1 → 5 along the bottom, as the council prints it."""
    from PySide6.QtWidgets import QToolButton

    from riskdesk.domain.scoring import default_scheme
    from riskdesk.ui.register.risk_matrix import RiskMatrix

    matrix = RiskMatrix(default_scheme(), "Current score")
    qtbot.addWidget(matrix)
    matrix.show()
    top_left = matrix.findChild(QToolButton, "cell_5_1")
    top_right = matrix.findChild(QToolButton, "cell_5_5")
    bottom_left = matrix.findChild(QToolButton, "cell_1_1")
    assert top_left.y() == top_right.y() < bottom_left.y()  # the top row is impact 5
    assert top_left.x() == bottom_left.x() < top_right.x()  # likelihood grows to the right
    assert (top_left.text(), top_right.text()) == ("5", "25")
