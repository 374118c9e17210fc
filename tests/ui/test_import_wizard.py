"""The import wizard driven through its pages on the Fenland register; File menu import and export."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QWizard

from riskdesk.domain.scoring import Score
from riskdesk.io.mapping import FIELDS
from riskdesk.ui.importing.models import PreviewModel
from riskdesk.ui.importing.wizard import ImportWizard
from riskdesk.ui.main_window import MainWindow

FENLAND = Path(__file__).resolve().parents[1] / "fixtures" / "fenland_dc_corporate_risk_register_2019.csv"

from tests.ui.uihelpers import press_key  # noqa: E402


def _click(qtbot, wizard: ImportWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    qtbot.waitUntil(button.isEnabled, timeout=10_000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _to_preview(qtbot, wizard: ImportWizard) -> None:
    while wizard.currentPage() is not wizard.preview_page:
        _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: wizard.preview_page.summary.text() != "Checking every row…", timeout=10_000)


def test_wizard_imports_fenland_with_inherent_scores_as_inherent(qtbot, qtmodeltester, services, admin) -> None:
    register = services.registers.create_register(admin, "Fenland Corporate Risk Register", "corporate")
    wizard = ImportWizard(services, admin, register.id)
    qtbot.addWidget(wizard)
    wizard.show()

    # 1. The file, its sheet and header row.
    page = wizard.file_page
    page.path_edit.setText(str(FENLAND))
    qtbot.keyClick(page.path_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=10_000)
    assert page.sheet_combo.currentText() == "fenland_dc_corporate_risk_register_2019"
    assert (page.header_row_spin.value(), page.header_count_spin.value()) == (1, 1)
    qtmodeltester.check(page.grid_model)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)

    # 2. The columns, pre-filled by the guess; break one to show Back fixes it later.
    combos = wizard.columns_page.combos
    assert combos["Risk if no action - Impact"].currentData() == "inherent_impact"
    assert combos["Current risk - Likelihood"].currentData() == "current_likelihood"
    assert combos["Comments and progress of actions"].currentData() == "update"
    combos["Current risk - Impact"].setCurrentIndex(FIELDS.index("ignore"))
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)

    # 3. Scores: the inherent set is the risks' inherent score, never a past quarter.
    roles = wizard.scores_page.role_combos
    assert roles["current"].currentData() == "current" and roles["inherent"].currentData() == "inherent"
    assert wizard.scores_page.impact_first_check.isChecked()

    _to_preview(qtbot, wizard)
    preview = wizard.preview_page
    assert "error" in preview.summary.text()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    # Twenty rows with the same error are one line with its count, not twenty lines.
    lines = [preview.problems_list.item(i).text() for i in range(preview.problems_list.count())]
    print("problem lines:", len(lines), lines[:3])
    assert any("20 rows" in line for line in lines)
    assert len(lines) < 20
    # The dry run says how each score column is read, and why.
    assert "Risk if no action - Impact" in preview.reading.text() and "because" in preview.reading.text()
    qtmodeltester.check(preview.model)
    first = preview.model.index(0, PreviewModel.CURRENT)
    assert first.data(Qt.ItemDataRole.BackgroundRole) is not None  # highlighted as a problem

    # Back to the columns page and fix the mapping.
    while wizard.currentPage() is not wizard.columns_page:
        _click(qtbot, wizard, QWizard.WizardButton.BackButton)
    wizard.columns_page.combos["Current risk - Impact"].setCurrentIndex(FIELDS.index("current_impact"))
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    # 4. People: four owners new to riskdesk, to be added.
    qtbot.waitUntil(wizard.people_page.isComplete, timeout=10_000)
    assert set(wizard.people_page.owner_combos) == {"Carol Pilson", "Peter Catchpole", "CMT", "Paul Medd"}
    _to_preview(qtbot, wizard)
    assert "Ready to import" in preview.summary.text()
    qtmodeltester.check(preview.model)
    model = preview.model
    assert model.rowCount() == 20
    row_20 = model.index(model.row_index(21), PreviewModel.IMPORT)
    assert row_20.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert model.index(0, PreviewModel.HISTORY).data() == "5 × 5 = 25"

    # Skip the last row (ref 20) with its checkbox.
    assert model.setData(row_20, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(lambda: wizard.prepared is not None and wizard.prepared.skipped_rows == {21}, timeout=10_000)
    qtbot.waitUntil(preview.isComplete, timeout=10_000)
    assert "19 risk(s)" in preview.summary.text()

    preview.mapping_name_edit.setText("Fenland CRR")
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as blocker:
        _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    result = blocker.args[0]
    assert result.risks == 19 and result.skipped_rows == (21,)

    rows = {r.ref: r for r in services.risks.list_risks(admin, register.id)}
    assert sorted(rows, key=int) == [str(n) for n in range(1, 20)]
    # The file is the register as it stood (the wizard's default): scored for the quarter before, so
    # every imported risk reads "not updated" until its owner saves this quarter's update.
    current = services.registers.current_period(admin)
    assert result.period == current.previous().code
    assert {r.period for r in rows.values()} == {current.previous().code}
    assert len([ref for name, ref in services.registers.not_updated(admin, current) if name == register.name]) == 19
    assert rows["9"].current == Score(4, 4)
    # The inherent 25 is the risk's inherent score, not a past quarter: no "decreased from 25" (issue 12).
    assert [score for _, score, _ in rows["1"].history] == [10]
    assert services.importing.imported_scores(admin, rows["1"].id).inherent == Score(5, 5)
    assert rows["2"].owner_name == "Peter Catchpole"
    assert rows["1"].description.startswith("Risk:-\nLegislative changes\n\nEffects:-\n")
    assert "\n\nMitigation:\n• Monitoring Officer\n" in rows["1"].update_text
    saved = services.importing.get_mapping(admin, "Fenland CRR")
    assert saved.mapping.field_of("Risk if no action - Score") == "inherent_score"
    assert {u.display_name for u in services.registers.list_users(admin)} >= {"Carol Pilson", "Paul Medd"}

    # Next quarter: the saved mapping is offered and fills the columns.
    other = services.registers.create_register(admin, "Fenland departmental register")
    again = ImportWizard(services, admin, other.id)
    qtbot.addWidget(again)
    again.show()
    combo = again.file_page.saved_combo
    combo.setCurrentIndex(combo.findData("Fenland CRR"))
    again.file_page.path_edit.setText(str(FENLAND))
    qtbot.keyClick(again.file_page.path_edit, Qt.Key.Key_Return)
    _click(qtbot, again, QWizard.WizardButton.NextButton)
    assert again.column_mapping.name == "Fenland CRR"
    assert again.columns_page.combos["Risk if no action - Score"].currentData() == "inherent_score"
    again.reject()


@pytest.fixture
def window(qtbot, published, admin):
    w = MainWindow(published, admin, background=False)
    qtbot.addWidget(w)
    w.show()
    return w


def test_file_menu_has_import_and_export(window) -> None:
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    texts = [a.text() for a in file_menu.actions()]
    assert texts[:2] == ["&Import register…", "&Export current list…"]
    assert window.import_action.shortcut() == QKeySequence("Ctrl+I")
    assert window.export_action.shortcut() == QKeySequence("Ctrl+E")


def test_import_action_opens_the_wizard_on_the_current_register(qtbot, window) -> None:
    press_key(qtbot, window, "Ctrl+I")
    wizard = window.import_wizard
    qtbot.waitUntil(wizard.isVisible)
    assert wizard.register_id == window.current_register_id()
    assert wizard.file_page.register_combo.currentData() == window.current_register_id()
    wizard.reject()


def test_export_register_as_shown(qtbot, window, tmp_path) -> None:
    window.model.set_filter(lambda r: r.score is not None and r.score >= 20)
    shown = [r.ref for r in window.model.rows()]
    assert 0 < len(shown) < 29
    press_key(qtbot, window, "Ctrl+E")
    dialog = window.export_dialog
    out = tmp_path / "shown.csv"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=10_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    with out.open(encoding="utf-8-sig", newline="") as fh:
        assert [r["Ref"] for r in csv.DictReader(fh)] == shown
    assert "Exported" in window.statusBar().currentMessage()


def test_export_audit_trail(qtbot, window, tmp_path) -> None:
    press_key(qtbot, window, "Ctrl+E")
    dialog = window.export_dialog
    dialog.audit_radio.click()  # the radio button, as a keyboard or mouse user would choose it
    assert dialog.path_edit.text().endswith("audit-trail.xlsx")
    out = tmp_path / "audit.xlsx"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].rows > 29 and out.exists()


def test_every_mapping_field_has_a_label_in_the_wizard() -> None:
    from riskdesk.io.mapping import FIELDS
    from riskdesk.ui.importing.common import FIELD_LABELS

    assert set(FIELDS) <= set(FIELD_LABELS)


CORPUS = Path(__file__).resolve().parents[1] / "io" / "corpus"


def _open_file(qtbot, wizard: ImportWizard, path: Path) -> None:
    page = wizard.file_page
    page.path_edit.setText(str(path))
    qtbot.keyClick(page.path_edit, Qt.Key.Key_Return)


def test_wizard_names_a_mistyped_scale_value_and_never_rescales(qtbot, services, admin) -> None:
    """One impact typed as 7 in a 1-5 register is an error naming row, column and value; the
    scale stays 1 to 5 until the user changes it, and then the preview says it was their choice."""
    register = services.registers.create_register(admin, "Corporate Risk Register", "corporate")
    wizard = ImportWizard(services, admin, register.id)
    qtbot.addWidget(wizard)
    wizard.show()
    _open_file(qtbot, wizard, CORPUS / "mistyped_impact_7.csv")
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=10_000)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.scores_page.scale_widgets["impact"][0].value() == 5
    _to_preview(qtbot, wizard)
    preview = wizard.preview_page
    lines = [preview.problems_list.item(i).text() for i in range(preview.problems_list.count())]
    print("problems:", lines)
    assert any("Row 4" in line and "Current Impact" in line and "7" in line for line in lines)
    assert "1 to 5" in preview.reading.text()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    # The user says the whole column is 1 to 10: the preview names it as their choice.
    while wizard.currentPage() is not wizard.scores_page:
        _click(qtbot, wizard, QWizard.WizardButton.BackButton)
    spin = wizard.scores_page.scale_widgets["impact"][0]
    spin.selectAll()
    qtbot.keyClicks(spin, "10")
    assert "you chose 1 to 10" in wizard.scores_page.why_labels["impact"].text()
    _to_preview(qtbot, wizard)
    assert "you chose 1 to 10" in preview.reading.text()
    assert services.risks.list_risks(admin, register.id) == []  # nothing written by a dry run


def test_wizard_refuses_a_mixed_encoding_then_reads_the_encoding_chosen(qtbot, services, admin) -> None:
    register = services.registers.create_register(admin, "Corporate Risk Register", "corporate")
    wizard = ImportWizard(services, admin, register.id)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.file_page
    _open_file(qtbot, wizard, CORPUS / "utf8_with_stray_cp1252_byte.csv")
    qtbot.waitUntil(lambda: "cannot be imported" in page.status.text(), timeout=10_000)
    print("status:", page.status.text())
    assert "row 4" in page.status.text().lower() and "mixture" in page.status.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.encoding_combo.setCurrentIndex(page.encoding_combo.findData("cp1252"))
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=10_000)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    _to_preview(qtbot, wizard)
    assert "cp1252 (chosen by you)" in wizard.preview_page.reading.text()


def test_wizard_imports_into_a_new_register_as_this_quarters_update(qtbot, services, admin) -> None:
    services.registers.create_register(admin, "Corporate Risk Register", "corporate")
    wizard = ImportWizard(services, admin, None)
    qtbot.addWidget(wizard)
    wizard.show()
    page = wizard.file_page
    page.register_combo.setCurrentIndex(page.register_combo.findData(-1))
    assert page.new_register_edit.isVisible()
    page.new_register_edit.setText("Fenland register")
    current = services.registers.current_period(admin)
    page.period_combo.setCurrentIndex(page.period_combo.findData(current.code))
    assert "update" in page.period_note.text()
    _open_file(qtbot, wizard, FENLAND)
    _to_preview(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10_000)
    assert "Fenland register (new)" in wizard.preview_page.summary.text()
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as blocker:
        _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    result = blocker.args[0]
    assert result.register_created and result.period == current.code
    registers = {r.name: r for r in services.registers.list_registers(admin)}
    assert registers["Fenland register"].kind == "departmental"
    assert registers["Fenland register"].current_risks == 20


def test_export_says_which_cells_had_control_characters_replaced(qtbot, window, db, tmp_path) -> None:
    """Text stored before imports refused control characters still exports; the user is told which
    cells differ from the stored text (a box with the list), never a silent change."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from sqlalchemy import text

    with db.engine.begin() as conn:  # an ESC stored by an older riskdesk
        conn.execute(text("UPDATE risk SET description = description || :esc WHERE ref = '1.7'"),
                     {"esc": "\x1b[31m"})
    window.reload()  # the register as now stored
    press_key(qtbot, window, "Ctrl+E")
    dialog = window.export_dialog
    out = tmp_path / "register.xlsx"
    dialog.path_edit.setText(str(out))
    seen: list[str] = []

    def answer() -> None:  # the message box that follows the export (the export dialog is modal too)
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.objectName())
            box.button(QMessageBox.StandardButton.Ok).click()
        else:
            QTimer.singleShot(10, answer)

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(dialog.exported, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == ["exportReplacedMessage"]
    print("cells replaced:", len(blocker.args[0].replaced))
    assert len(blocker.args[0].replaced) == 1 and "ESC" in blocker.args[0].replaced[0]


def test_an_export_failure_shown_as_the_window_closes_does_not_crash(qtbot, published, admin, tmp_path) -> None:
    """The export's error arrives from its worker and is shown; the window is closed and deleted
    while the message is up (the user quit, or the session ends). riskdesk must not abort: the
    message box dies with its parent instead of being deleted twice."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    w = MainWindow(published, admin, background=False)
    w.show()
    press_key(qtbot, w, "Ctrl+E")
    dialog = w.export_dialog
    gone: list[bool] = []
    w.destroyed.connect(lambda *_: gone.append(True))
    seen: list[str] = []

    def close_the_window() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, close_the_window)
            return
        seen.append(box.text())
        w.close()
        w.deleteLater()  # deleted inside the message box's own event loop

    QTimer.singleShot(0, close_the_window)
    dialog._failed(OSError(28, "No space left on device"))  # the worker's error, as delivered
    qtbot.waitUntil(lambda: bool(gone), timeout=10_000)
    print("message shown before the window closed:", seen)
    assert seen and "Nothing was exported" in seen[0] and "No space left on device" in seen[0]
    assert "unexpected" not in seen[0]  # a full disk is the disk's fault, said plainly
