"""Opening a risk in the editor is one read: one transaction, one identity check, one scheme read.

The issue counted 31 round trips to open a risk on a shared server: the page asked for the row,
its history, its actions and its audit trail in four transactions, each checking who the user is
and two of them reading the scoring scheme again.
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from riskdesk.domain.quarters import Quarter
from riskdesk.ui.main_window import MainWindow
from tests.ui.test_save_round_trip import counted
from tests.ui.uihelpers import click_risk


@pytest.fixture
def window(qtbot, published, admin):
    published.registers.set_current_period(admin, Quarter(2023, 4))
    w = MainWindow(published, admin, background=False)
    qtbot.addWidget(w)
    w.show()
    return w


def test_clicking_a_risk_reads_it_in_one_transaction(qtbot, window, published):
    sent: list[str] = []  # whole statements: on PostgreSQL the reads go as one, joined by ";\n"

    def on_execute(conn, cursor, statement, *_args):
        sent.append(statement)

    event.listen(published.db.engine, "before_cursor_execute", on_execute)
    try:
        with counted(published.db.engine) as counts:
            click_risk(qtbot, window, "C")
    finally:
        event.remove(published.db.engine, "before_cursor_execute", on_execute)
    parts = [part.strip() for sql in sent for part in sql.split(";\n")]
    identity = sum(1 for sql in parts if sql.startswith("SELECT app_user."))
    schemes = sum(1 for sql in parts if sql.startswith("SELECT scheme_version."))
    print(f"open a risk: {counts['transactions']} transaction(s), {counts['statements']} statements sent "
          f"({len(parts)} reads), {identity} identity check(s), {schemes} scheme read(s)")
    for line in parts:
        print("  ", line.split("\n")[0][:80])
    editor = window.register_page.editor
    assert editor.row.ref == "C"
    assert editor.audit_model.rowCount() >= 1  # the trail shows the risk's entries
    assert counts["transactions"] == 1 and identity <= 1 and schemes == 1  # were 4, 4 and 2
    assert counts["statements"] <= 12 and len(parts) <= 12  # was 19 (on PostgreSQL now 1 statement sent)
