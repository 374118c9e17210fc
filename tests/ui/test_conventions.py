"""Conventions people expect: the caret stays where they were typing after Save; a damaged database says
what happened and how to restore the latest backup; the exported .xlsx has band colours, a frozen
header and filter buttons."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from riskdesk.db import Database, DatabaseError
from riskdesk.ui.main_window import MainWindow
from tests.ui.uihelpers import click_risk

TODAY = date(2026, 11, 20)


@pytest.fixture
def demo(services, admin):
    services.demo().load(admin, today=TODAY)
    return services


def test_the_caret_stays_where_the_user_was_typing_after_save(qtbot, demo, admin):
    w = MainWindow(demo, admin, background=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    page = w.register_page
    click_risk(qtbot, w, page.model.row_at(0).ref)
    edit = page.editor.update_edit
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, " First")
    qtbot.keyClick(edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save
    saved = not page.editor.is_dirty()
    if not saved:
        page.editor.revert_button.click()  # closing the window must not ask about it
    assert saved
    qtbot.keyClicks(edit, " second.")  # keeps typing, as if nothing happened
    text = edit.toPlainText()
    page.editor.revert_button.click()  # closing the window must not ask about the unsaved words
    lost = 0 if text.endswith(" First second.") else 1
    print(f"words typed after Save that landed elsewhere: {lost}")
    assert lost == 0, text[-60:]


def test_a_damaged_database_points_to_the_latest_backup(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKDESK_DATA_DIR", str(tmp_path / "data"))
    backups = tmp_path / "data" / "backups"
    backups.mkdir(parents=True)
    (backups / "riskdesk-20261130-0900-manual.sqlite").write_bytes(b"a backup")
    damaged = tmp_path / "riskdesk.sqlite"
    damaged.write_bytes(b"SQLite format 3\0" + bytes(range(256)) * 40)
    with pytest.raises(DatabaseError) as exc:
        Database.open(f"sqlite:///{damaged}")
    text = str(exc.value)
    print(text)
    assert "damaged" in text and "Nothing has been changed" in text
    assert "riskdesk-20261130-0900-manual.sqlite" in text and "riskdesk --database" in text and " restore " in text
    assert "sqlalche" not in text and "(sqlite3." not in text and "[SQL" not in text
    assert damaged.read_bytes().startswith(b"SQLite format 3")  # left as it was


def test_the_exported_workbook_has_band_colours_a_frozen_header_and_filters(demo, admin, tmp_path):
    from openpyxl import load_workbook

    reg = demo.registers.corporate_register(admin)
    out = tmp_path / "register.xlsx"
    demo.exporting.register(admin, out, register_id=reg.id)
    ws = load_workbook(out).active
    headings = [c.value for c in ws[1]]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(headings)).column_letter}{ws.max_row}"
    col = headings.index("Current score") + 1
    seen: dict[str, set[str]] = {"high": set(), "other": set()}
    uncoloured = 0
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row, col)
        if cell.value is None:
            continue
        rgb = (cell.fill.fgColor.rgb or "")[-6:] if cell.fill.fill_type == "solid" else ""
        if not rgb:
            uncoloured += 1
        seen["high" if cell.value >= 15 else "other"].add(rgb.upper())
    print(f"score cells without their band colour: {uncoloured}")
    assert uncoloured == 0
    assert len(seen["high"]) == 1 and not seen["high"] & seen["other"]  # one colour for high/red, its own
