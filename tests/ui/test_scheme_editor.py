"""Register ▸ Risk scheme…: Bury's scheme made in the window with real clicks and keys."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QTableWidget

from riskdesk.domain.register import Actor
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.register.scheme_editor import SchemeEditorDialog
from riskdesk.ui.register.scheme_editor_layout import B_COLOUR, B_CONTRAST, B_HIGH, B_NAME, B_RGB
from tests.ui.uihelpers import DialogAnswers


@pytest.fixture
def window(qtbot, published, admin):
    w = MainWindow(published, admin, background=False)
    qtbot.addWidget(w)
    w.show()
    return w


def type_cell(qtbot, table: QTableWidget, row: int, col: int, text: str) -> None:
    """Double-click a cell, select what it holds, type ``text`` and press Enter (as a user edits a cell)."""
    item = table.item(row, col)
    table.scrollToItem(item)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(item).center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(item).center())
    editors = [e for e in table.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert editors, f"no cell editor opened at row {row}, column {col}"
    editor = editors[0]
    QTest.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(editor, text)
    QTest.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.item(row, col).text() == text)  # the delegate commits on a queued call


def open_editor(qtbot, window) -> SchemeEditorDialog:
    bar = window.menuBar()
    register = next(a for a in bar.actions() if a.text() == "Re&gister")
    menu = register.menu()
    assert window.scheme_action in menu.actions()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(register).center())
    qtbot.waitUntil(menu.isVisible)
    QTest.keyClick(menu, Qt.Key.Key_S)  # Risk &scheme…
    qtbot.waitUntil(lambda: getattr(window, "scheme_dialog", None) is not None and window.scheme_dialog.isVisible())
    return window.scheme_dialog


def test_bury_scheme_made_in_the_window_prints_in_the_next_appendix(qtbot, window, published, admin):
    dialog = open_editor(qtbot, window)
    assert dialog.size_combo.currentData() == 5 and dialog.may_edit
    # Name, then a 4 × 4 matrix chosen from the keyboard.
    qtbot.mouseDClick(dialog.name_edit, Qt.MouseButton.LeftButton)
    QTest.keyClick(dialog.name_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(dialog.name_edit, "Bury Council 4 × 4")
    dialog.size_combo.setFocus()
    QTest.keyClick(dialog.size_combo, Qt.Key.Key_Up)
    assert dialog.size_combo.currentData() == 4
    assert dialog.impact_table.rowCount() == 4 and dialog.likelihood_table.rowCount() == 4

    bands = dialog.bands_table
    assert [bands.item(r, B_NAME).text() for r in range(3)] == ["low", "medium", "high"]
    type_cell(qtbot, bands, 0, B_NAME, "Low")
    type_cell(qtbot, bands, 0, B_HIGH, "3")
    # Scores 4 and 6 now fall in no band: the dialog says so before anything is saved.
    assert "falls in no band" in dialog.bands_note.text()
    type_cell(qtbot, bands, 1, B_NAME, "High")
    type_cell(qtbot, bands, 2, B_NAME, "Significant")
    qtbot.mouseClick(dialog.add_band_button, Qt.MouseButton.LeftButton)
    QTest.keyClick(QApplication.focusWidget() or bands, Qt.Key.Key_Escape)
    for col, text in ((B_NAME, "Medium"), (B_COLOUR, "yellow"), (2, "4"), (B_HIGH, "6"), (B_RGB, "#0000ff")):
        type_cell(qtbot, bands, 3, col, text)
    # Blue: black digits would be unreadable (2.4:1), so riskdesk prints white ones (8.6:1).
    assert bands.item(3, B_CONTRAST).text().startswith("white digits 8.6:1 readable")
    type_cell(qtbot, bands, 3, B_RGB, "#ffff00")
    assert bands.item(3, B_CONTRAST).text().startswith("black digits 19.6:1 readable")
    assert "falls in exactly one band" in dialog.bands_note.text()
    assert dialog._preview is not None and dialog._preview.cell(4, 4).text() == "16"

    # Bury's own words for impact 4 and likelihood 4.
    qtbot.mouseClick(dialog.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=dialog.tabs.tabBar().tabRect(1).center())
    type_cell(qtbot, dialog.impact_table, 3, 0, "Severe")
    type_cell(qtbot, dialog.impact_table, 3, 1, "Statutory duty breached; intervention by a regulator")
    qtbot.mouseClick(dialog.tabs.tabBar(), Qt.MouseButton.LeftButton,
                     pos=dialog.tabs.tabBar().tabRect(2).center())
    type_cell(qtbot, dialog.likelihood_table, 3, 0, "Highly probable")
    type_cell(qtbot, dialog.likelihood_table, 3, 1, "Expected within the year")

    before = published.scheme.current(admin).version
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    saved = published.scheme.current(admin)
    assert saved.version == before + 1 and saved.size == 4 and saved.name == "Bury Council 4 × 4"
    assert [(b.name, b.low, b.high) for b in saved.bands.bands] == [
        ("Low", 1, 3), ("Medium", 4, 6), ("High", 8, 12), ("Significant", 15, 25)]
    assert published.scheme.current(admin, before).size == 5  # the old version is kept

    # The guided re-score list: every risk scored outside a 4 × 4 matrix, or whose band moved.
    rescore = dialog.result_scheme.rescore
    shown = dialog.rescore_table.rowCount()
    print(f"{shown} risk(s) listed to re-score after the change")
    assert dialog.pages.currentIndex() == 1 and shown == len(rescore) > 0
    first = dialog.rescore_table.item(0, 0).text()
    qtbot.mouseClick(dialog.open_risk_button, Qt.MouseButton.LeftButton)
    page = window.register_page
    assert page.editor.row is not None and page.editor.row.ref == first
    # The window redrew with the new version: a 4 × 4 matrix in the editor.
    assert page.scheme.size == 4 and page.editor.current_matrix.cell(4, 4).text() == "16"
    with pytest.raises(KeyError):
        page.editor.current_matrix.cell(5, 5)

    # The next appendix prints the new criteria and a 4 × 4 matrix; the one presented keeps its 5 × 5.
    presented = published.cycles.resolve(admin, 1)
    cycle = published.cycles.resolve(admin, "latest")
    assert presented.presented and not cycle.presented
    buf = io.BytesIO()
    published.cycles.write_appendix(admin, cycle.id, buf, fmt="pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(buf.getvalue())).pages)
    assert "Statutory duty breached; intervention by a regulator" in " ".join(text.split())
    assert "Highly probable" in text and "Expected within the year" in text
    matrix = text[text.index("Risk Scoring Matrix"):].split("Appendix A –")[0]
    assert "16" in matrix and "25" not in matrix
    buf = io.BytesIO()
    published.cycles.write_appendix(admin, presented.id, buf, fmt="pdf")
    old = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(buf.getvalue())).pages)
    assert "Highly probable" not in old and "25" in old[old.index("Risk Scoring Matrix"):]


def test_a_bad_band_is_refused_with_its_name_and_nothing_is_saved(qtbot, window, published, admin):
    dialog = open_editor(qtbot, window)
    type_cell(qtbot, dialog.bands_table, 1, 2, "nine")
    assert "band medium: From" in dialog.bands_note.text() and "whole number" in dialog.bands_note.text()
    before = published.scheme.versions(admin)
    answers = DialogAnswers().queue(lambda box: box.accept())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(answers.seen) == 1)
    assert "band medium: From" in answers.seen[0].text()
    assert published.scheme.versions(admin) == before
    assert dialog.bands_table.item(1, 2).text() == "nine"  # what was typed stays


def test_a_risk_owner_sees_the_scheme_but_cannot_save_one(qtbot, published, admin):
    published.registers.add_user(admin, "owner1", "Owner One", "risk_owner")
    dialog = SchemeEditorDialog(published, Actor("owner1"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isEnabled() and not dialog.size_combo.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(published.scheme.versions(admin)) == 1


def test_a_6x6_scheme_scores_6_by_6_through_the_window_and_a_5x5_refuses_a_6(qtbot, window, published, admin,
                                                                             corporate_id):
    from riskdesk.domain.direction import Direction
    from riskdesk.domain.errors import ValidationError
    from riskdesk.domain.risk_detail import AssessmentChange
    from riskdesk.domain.scoring import Score

    row = next(r for r in published.risks.list_risks(admin, corporate_id) if r.ref == "1.1")
    period = published.registers.current_period(admin)
    with pytest.raises(ValidationError, match="from 1 to 5 on this 5 × 5 matrix"):
        published.risks.save_assessment(admin, row.id, period, AssessmentChange(Score(6, 2), None, Direction.LEVEL,
                                                                                "six"),
                                        expected_version=row.assessment_version if row.period == period.code
                                        else None)

    dialog = open_editor(qtbot, window)
    dialog.size_combo.setFocus()
    QTest.keyClick(dialog.size_combo, Qt.Key.Key_Down)
    assert dialog.size_combo.currentData() == 6 and dialog.impact_table.rowCount() == 6
    assert dialog.bands_table.item(2, B_HIGH).text() == "36"  # the top band now reaches 6 × 6
    old = published.scheme.current(admin)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    new = published.scheme.current(admin)
    assert new.size == 6
    # The matrix's own axis wording is kept (not replaced by the criteria labels), with a sixth level added.
    assert old.impact_axis_labels and new.impact_axis_labels[:5] == old.impact_axis_labels
    assert new.impact_axis_labels[5] == "Level 6"
    dialog.close()

    from tests.ui.uihelpers import click_risk

    click_risk(qtbot, window, "1.1")
    editor = window.register_page.editor
    qtbot.mouseClick(editor.current_matrix.cell(6, 6), Qt.MouseButton.LeftButton)
    editor.update_edit.setFocus()
    QTest.keyClicks(editor.update_edit, "Scored on the council's 6 × 6 matrix.")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    saved = published.risks.get(admin, row.id)
    assert (saved.current.impact, saved.current.likelihood, saved.score) == (6, 6, 36)
