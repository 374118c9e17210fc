"""The appendix wording dialog, driven through its widgets from the Reports page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from riskdesk.domain.cycles import DEFAULT_FOOTNOTES
from riskdesk.domain.register import Actor
from riskdesk.domain.snapshot import Footnote
from riskdesk.reports._common import DEFAULT_COLUMNS
from riskdesk.ui.reports.page import ReportsPage


def _open(qtbot, services, actor):
    page = ReportsPage(services, actor)
    qtbot.addWidget(page)
    page.show()
    qtbot.mouseClick(page.view.wording_button, Qt.MouseButton.LeftButton)
    dialog = page.wording_dialog
    assert dialog is not None and dialog.isVisible()
    return page, dialog


def _type(qtbot, widget, text):
    """Type ``text``; QTest cannot send key events for non-Latin-1 characters, so those are inserted."""
    for ch in text:
        if ord(ch) < 128:
            qtbot.keyClicks(widget, ch)
        elif isinstance(widget, QLineEdit):
            widget.insert(ch)
        else:
            widget.insertPlainText(ch)


def _retype(qtbot, edit, text):
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    _type(qtbot, edit, text)


def _entries(services, admin):
    return [e for e in services.risks.audit_trail(admin, entity="setting") if e.action == "settings.appendix"]


def test_button_has_a_mnemonic_and_a_name(qtbot, published, admin):
    page = ReportsPage(published, admin)
    qtbot.addWidget(page)
    button = page.view.wording_button
    assert "&" in button.text() and button.accessibleName() == "Appendix wording"
    assert button.isEnabled() and button.toolTip()


def test_edit_heading_and_footnotes_then_save(qtbot, qtmodeltester, published, admin):
    page, dialog = _open(qtbot, published, admin)
    qtmodeltester.check(dialog.footnote_list.model())
    assert dialog.heading_edits["ref"].text() == "CRR Risk No."
    assert dialog.footnote_list.count() == 2
    assert "presented cycles keep the wording" in dialog.note_label.text().lower()

    _retype(qtbot, dialog.heading_edits["ref"], "Rhif <b> & ŵ")
    assert dialog.reset_buttons["ref"].isEnabled() and not dialog.reset_buttons["impact"].isEnabled()
    _retype(qtbot, dialog.heading_edits["impact"], "Effaith")
    dialog.reset_buttons["impact"].click()  # changed my mind: back to the default
    assert dialog.heading_edits["impact"].text() == "Impact"

    # Edit the first footnote, add a third with bullet points, move it to the top, drop the "**" one.
    dialog.footnote_list.setCurrentRow(0)
    dialog.text_edit.selectAll()
    _type(qtbot, dialog.text_edit, "Target score – R&D <b> “typed”")
    dialog.footnote_list.setCurrentRow(1)
    dialog.add_button.click()
    assert dialog.footnote_list.currentRow() == 2 and dialog.marker_edit.text() == "***"
    _retype(qtbot, dialog.marker_edit, "†")
    _type(qtbot, dialog.text_edit, "Dŵr note")
    dialog.items_edit.setPlainText("first <i>\n\nsecond & last")
    dialog.up_button.click()
    dialog.up_button.click()
    assert dialog.footnote_list.currentRow() == 0 and not dialog.up_button.isEnabled()
    dialog.footnote_list.setCurrentRow(2)
    assert dialog.marker_edit.text() == "**"
    dialog.remove_button.click()
    qtmodeltester.check(dialog.footnote_list.model())

    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    assert not dialog.isVisible()
    footnotes, columns = published.cycles.wording(admin)
    assert footnotes == (Footnote("†", "Dŵr note", ("first <i>", "second & last")),
                         Footnote("*", "Target score – R&D <b> “typed”"))
    assert columns == {**DEFAULT_COLUMNS, "ref": "Rhif <b> & ŵ"}
    assert "Appendix wording saved" in page.view.status_label.text()

    # Opening it again shows what was saved; Reset all puts every heading back.
    qtbot.mouseClick(page.view.wording_button, Qt.MouseButton.LeftButton)
    again = page.wording_dialog
    assert again is not dialog and again.heading_edits["ref"].text() == "Rhif <b> & ŵ"
    assert again.footnote_list.item(0).data(Qt.ItemDataRole.UserRole) == footnotes[0]
    again.reset_all_button.click()
    again.restore_button.click()
    with qtbot.waitSignal(again.saved):
        again.save_button.click()
    assert published.cycles.wording(admin) == (DEFAULT_FOOTNOTES, DEFAULT_COLUMNS)


@pytest.mark.parametrize("how", ["escape", "cancel"])
def test_cancel_or_escape_changes_nothing(qtbot, published, admin, how):
    _page, dialog = _open(qtbot, published, admin)
    _retype(qtbot, dialog.heading_edits["ref"], "Not saved")
    dialog.footnote_list.setCurrentRow(0)
    dialog.remove_button.click()
    with qtbot.waitSignal(dialog.rejected):
        if how == "escape":
            qtbot.keyClick(dialog.heading_edits["ref"], Qt.Key.Key_Escape)
        else:
            dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert not dialog.isVisible()
    assert published.cycles.wording(admin) == (DEFAULT_FOOTNOTES, DEFAULT_COLUMNS)
    assert _entries(published, admin) == []


def test_a_refused_save_names_the_field_and_keeps_everything_typed(qtbot, published, admin):
    _page, dialog = _open(qtbot, published, admin)
    dialog.footnote_list.setCurrentRow(0)
    qtbot.keyClicks(dialog.text_edit, " (typed, not lost)")
    dialog.heading_edits["ref"].clear()
    dialog.save_button.click()
    assert dialog.isVisible()
    assert dialog.error_label.isVisible()
    assert "Column heading “CRR Risk No.”" in dialog.error_label.text()
    assert "is empty" in dialog.error_label.text()
    assert dialog.focusWidget() is dialog.heading_edits["ref"]
    assert dialog.text_edit.toPlainText().endswith(" (typed, not lost)")
    assert published.cycles.wording(admin) == (DEFAULT_FOOTNOTES, DEFAULT_COLUMNS)

    # A new footnote left empty is refused next, and selected so it can be typed.
    dialog.reset_buttons["ref"].click()
    dialog.add_button.click()
    dialog.footnote_list.setCurrentRow(0)
    dialog.save_button.click()
    assert dialog.isVisible() and "Footnote 2 text" in dialog.error_label.text()
    assert dialog.footnote_list.currentRow() == 1 and dialog.focusWidget() is dialog.text_edit
    qtbot.keyClicks(dialog.text_edit, "Now it has text.")
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    footnotes = published.cycles.wording(admin)[0]
    assert footnotes[0].text.endswith(" (typed, not lost)")
    assert footnotes[1] == Footnote("***", "Now it has text.")


def test_someone_elses_save_is_not_overwritten(qtbot, published, admin):
    _page, dialog = _open(qtbot, published, admin)
    published.cycles.set_wording(admin, columns={"ref": "Theirs"})  # another user, meanwhile
    _retype(qtbot, dialog.heading_edits["ref"], "Mine")
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.reload_button.isVisible()
    assert "changed by someone else" in dialog.error_label.text()
    assert dialog.heading_edits["ref"].text() == "Mine"
    assert published.cycles.wording(admin)[1]["ref"] == "Theirs"
    dialog.reload_button.click()
    assert dialog.heading_edits["ref"].text() == "Theirs" and not dialog.error_label.isVisible()


def test_read_only_user_sees_the_wording_but_cannot_save(qtbot, published, admin):
    published.cycles.set_wording(admin, columns={"ref": "Risk No."})
    published.registers.add_user(admin, "audit", "Ann Auditor", role="auditor")
    _page, dialog = _open(qtbot, published, Actor("audit"))
    assert dialog.save_button is None
    assert "can read the wording but not change it" in dialog.note_label.text()
    edit = dialog.heading_edits["ref"]
    assert edit.text() == "Risk No." and edit.isReadOnly()
    qtbot.keyClicks(edit, "typed")
    assert edit.text() == "Risk No."
    assert dialog.text_edit.isReadOnly() and dialog.marker_edit.isReadOnly()
    for button in (dialog.add_button, dialog.remove_button, dialog.restore_button, dialog.reset_all_button,
                   dialog.reset_buttons["ref"]):
        assert not button.isEnabled()
    assert dialog.footnote_list.isEnabled()  # the footnotes can still be read one by one
    dialog.buttons.button(dialog.buttons.StandardButton.Close).click()
    assert not dialog.isVisible()
    assert published.cycles.wording(admin)[1]["ref"] == "Risk No."
    assert len(_entries(published, admin)) == 1
