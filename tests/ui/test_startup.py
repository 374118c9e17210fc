"""Start-up: the window paints before its database opens, then fills itself from a worker thread."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtGui import QColor

from riskdesk.cli import window_args
from riskdesk.domain.errors import RiskdeskError
from riskdesk.domain.risk_detail import RiskChange
from riskdesk.domain.scoring import Band, Bands, default_scheme
from riskdesk.models import SchemeVersion
from riskdesk.ui.main_window import MainWindow
from riskdesk.ui.register.table_model import Col
from tests.ui.uihelpers import (
    click_risk,
    press_key,
)


def _start(qtbot, opener, actor) -> MainWindow:
    window = MainWindow(None, actor)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.attached, timeout=20000):
        window.open_database(opener)
    return window


def test_window_shows_before_the_database_opens_then_fills_from_a_worker(qtbot, published, admin):
    window = MainWindow(None, admin)
    qtbot.addWidget(window)
    # Before the database is open: the window says so, and nothing that needs the data can be used.
    assert window.services is None
    assert window.register_page.title.text() == "Opening the database…"
    assert window.db_label.text() == "Opening the database…"
    for action in (window.new_action, window.save_action, window.remove_action, window.backup_action,
                   window.close_quarter_action, window.import_action, window.export_action):
        assert not action.isEnabled(), action.text()

    threads: list[bool] = []

    def opener(report):
        threads.append(threading.current_thread() is threading.main_thread())
        return published

    window.show()
    with qtbot.waitSignal(window.attached, timeout=20000):
        window.open_database(opener)
    assert threads == [False]  # the database was opened off the GUI thread
    assert window.model.rowCount() == 29
    assert window.register_page.title.text() == (
        "Leicestershire County Council – Corporate Risk Register · 23/24 Q3")
    assert window.db_label.text().startswith("Test Administrator (Administrator) · ")
    assert all(a.isEnabled() for a in (window.new_action, window.save_action, window.close_quarter_action,
                                       window.import_action))
    assert "29 risks" in window.band_label.text()


def test_what_a_slow_open_is_doing_shows_in_the_window(qtbot, published, admin):
    """Backing up and upgrading after an update can take a while: the window says so meanwhile."""
    go_on = threading.Event()

    def opener(report):
        report("Upgrading SQLite file x.sqlite to this version of riskdesk…")
        go_on.wait(20)
        return published

    window = MainWindow(None, admin)
    qtbot.addWidget(window)
    window.show()
    window.open_database(opener)
    try:
        qtbot.waitUntil(lambda: "Upgrading SQLite file x.sqlite" in window.register_page.title.text(), timeout=20000)
        assert "Upgrading" in window.db_label.text()
    finally:
        go_on.set()
    qtbot.waitSignal(window.attached, timeout=20000).wait()
    qtbot.waitUntil(lambda: window.model.rowCount() == 29)
    assert "Upgrading" not in window.register_page.title.text()


def test_risk_editor_and_dashboard_work_when_first_wanted_after_start_up(qtbot, published, admin):
    window = _start(qtbot, lambda report: published, admin)
    click_risk(qtbot, window, "1.1")
    editor = window.register_page.editor
    qtbot.waitUntil(lambda: editor.row is not None and editor.row.ref == "1.1")
    # The editor was built after the register loaded: its pick lists hold the register's choices.
    offered = {editor.category_combo.itemText(i) for i in range(editor.category_combo.count())}
    register = published.registers.corporate_register(admin)
    assert {c.heading for c in published.registers.list_categories(admin, register.id)} <= offered
    assert editor.category_combo.currentText() == next(
        r.category_heading for r in window.model.all_rows() if r.ref == "1.1")
    press_key(qtbot, window, "Ctrl+2")
    assert window.tabs.currentWidget() is window.dashboard_holder
    assert window.dashboard.total_label.text() == "29 risks · 1 without a target"  # 9.5 has no target


def test_start_up_remembers_the_register_last_shown(qtbot, published, admin):
    departmental = published.registers.create_register(admin, "Adults and Communities Risk Register")
    first = _start(qtbot, lambda report: published, admin)
    first.register_combo.setCurrentIndex(first.register_combo.findData(departmental.id))
    first.close()
    second = _start(qtbot, lambda report: published, admin)
    assert second.current_register_id() == departmental.id
    assert second.model.rowCount() == 0


def test_a_database_that_cannot_open_is_reported_and_the_window_stays_empty(qtbot, admin):
    def opener(report):
        raise RiskdeskError("The database at /nowhere/riskdesk.sqlite cannot be reached.")

    window = MainWindow(None, admin)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.openFailed, timeout=20000) as failed:
        window.open_database(opener)
    assert "cannot be reached" in str(failed.args[0])
    assert window.services is None
    assert window.register_page.title.text() == "The database could not be opened."
    assert "cannot be reached" in window.db_label.text()
    assert not window.new_action.isEnabled() and not window.import_action.isEnabled()


@pytest.mark.parametrize("opens", [True, False], ids=["opened", "failed"])
def test_the_garbage_collector_is_back_on_once_the_register_is_shown(qtbot, published, admin, opens):
    """``riskdesk`` starts with Python's cyclic collector off (start-up builds a large heap and
    frees almost nothing in cycles). It must come back on, with what start-up built frozen, once
    the register is on screen, and also when the database could not be opened: left off, every
    reference cycle the session makes afterwards would never be freed."""
    from riskdesk.app import _collector_back_once_shown

    frozen_before = gc.get_freeze_count()
    window = MainWindow(None, admin)
    qtbot.addWidget(window)
    gc.disable()
    try:
        _collector_back_once_shown(window)
        window.show()

        def opener(report):
            if not opens:
                raise RiskdeskError("The database at /nowhere/riskdesk.sqlite cannot be reached.")
            return published

        with qtbot.waitSignal(window.attached if opens else window.openFailed, timeout=20000):
            window.open_database(opener)
        if opens:
            assert window.model.rowCount() == 29
        qtbot.waitUntil(gc.isenabled, timeout=5000)
        print(f"objects frozen when the collector came back on: {gc.get_freeze_count() - frozen_before:,}")
        assert gc.get_freeze_count() > frozen_before
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_databases_own_bands_replace_the_default_ones(qtbot, published, admin, db):
    """A council with four bands sees its four bands in the filter and its colours in the table."""
    severe = Band("severe", "purple", 20, 25, "#6a1b9a")
    bands = Bands((Band("low", "green", 1, 4, "#2e7d32"), Band("medium", "amber", 5, 10, "#ffbf00"),
                   Band("high", "red", 12, 16, "#e6001f"), severe))
    base = default_scheme()
    scheme = type(base)(**{**{f: getattr(base, f) for f in base.__dataclass_fields__}, "version": 2,
                           "name": "Four bands", "bands": bands})
    with db.sessions.begin() as s:
        s.add(SchemeVersion(version=2, name=scheme.name, data=scheme.to_dict()))

    window = _start(qtbot, lambda report: published, admin)
    combo = window.register_page.filters.band
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Any band", "Severe/purple", "High/red", "Medium/amber", "Low/green", "Not scored"]
    row = next(i for i, r in enumerate(window.model.rows()) if r.score is not None and r.score >= 20)
    fill = window.model.index(row, Col.CURRENT).data(8)  # BackgroundRole
    assert fill.color() == QColor("#6a1b9a")


@pytest.mark.parametrize(("argv", "window"), [
    ([], True), (["--as", "j.bloggs"], True), (["--database", "x.sqlite"], True),
    (["info"], False), (["--help"], False), (["--as"], False), (["--database", "x.sqlite", "backup"], False),
])
def test_only_window_options_skip_loading_the_commands(argv, window):
    args = window_args(argv)
    assert (args is not None) is window
    if window:
        assert args.command is None


def test_riskdesk_opens_a_register_window_from_the_command_line(tmp_path: Path, published, db):
    """The real start: ``riskdesk --database URL`` paints, opens the database and paints its rows
    (``--as`` and a shared server: no first look, the rows come from the services)."""
    url = db.engine.url.render_as_string(hide_password=False)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RISKDESK_EXIT_AFTER_FIRST_PAINT="1",
               RISKDESK_CONFIG_DIR=str(tmp_path / "config"), RISKDESK_DATA_DIR=str(tmp_path / "data"))
    argv = ["--database", url]
    if db.is_sqlite:
        argv += ["--as", "tester"]
    else:  # --as is refused on PostgreSQL: the window runs as this OS login, made an administrator here
        from riskdesk.domain.actor import os_login
        from riskdesk.domain.register import Actor

        published.registers.add_user(Actor("tester"), os_login(), "Window user", role="admin")
    out = subprocess.run([sys.executable, "-m", "riskdesk", *argv], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["first-paint", "rows-painted", "from-services"]


def test_riskdesk_on_a_personal_file_paints_its_rows_from_the_first_look(tmp_path: Path, admin):
    """The real start on one's own SQLite file: the rows are painted before the services open."""
    path = _personal_file(tmp_path, admin)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RISKDESK_EXIT_AFTER_FIRST_PAINT="1", LOGNAME=admin.login,
               RISKDESK_CONFIG_DIR=str(tmp_path / "config"), RISKDESK_DATA_DIR=str(tmp_path / "data"))
    env.pop("RISKDESK_DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-m", "riskdesk", "--database", str(path)], env=env,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["first-paint", "rows-painted", "from-first-look"]


def _answer_when_asked(qtbot, answer, asked: list[str]) -> None:
    """Once the window's question is up, note what it says and answer it with ``answer(box)``
    (a real click or key press). Asked nothing within 20 s, it closes the window, so that the
    test fails rather than waits."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    give_up = time.monotonic() + 20

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            if time.monotonic() > give_up:
                for window in QApplication.topLevelWidgets():
                    if isinstance(window, MainWindow):
                        window.close()  # the last window closed ends the application
            else:
                QTimer.singleShot(20, look)
            return
        asked.append(f"{box.text()}\n{box.informativeText()}")
        answer(box)
        chosen = box.clickedButton()
        asked.append(f"answered: {chosen.objectName() if chosen is not None else 'nothing'}")

    QTimer.singleShot(0, look)


def _click(qtbot, name: str):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    return lambda box: qtbot.mouseClick(box.findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def _press(qtbot, key):
    from PySide6.QtCore import Qt

    return lambda box: qtbot.keyClick(box, getattr(Qt.Key, key))


def _run_window(argv: list[str]) -> int:
    """``riskdesk ARGV`` in this process, as ``riskdesk.__main__`` starts the window; the collector
    as it was before (the window freezes what start-up built once its register is shown)."""
    from riskdesk.app import run_gui

    try:
        return run_gui(window_args(argv))
    finally:
        gc.unfreeze()
        gc.enable()
        from PySide6.QtWidgets import QApplication

        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()
                widget.deleteLater()


@pytest.mark.parametrize("answer", ["click Quit", "Escape", "Enter"])
def test_the_window_makes_no_database_at_a_mistyped_path_unless_asked_to(qtbot, qapp, tmp_path: Path, answer):
    """``riskdesk --database PATH`` with no file at PATH asks before making anything; Quit (also
    Escape, and Enter: it is the default) ends the start with nothing created, not even the folder."""
    typo = tmp_path / "Risk Register" / "risks.sqlite"
    asked: list[str] = []
    how = {"click Quit": _click(qtbot, "quit"), "Escape": _press(qtbot, "Key_Escape"),
           "Enter": _press(qtbot, "Key_Return")}[answer]
    _answer_when_asked(qtbot, how, asked)
    code = _run_window(["--database", str(typo)])
    config = Path(os.environ["RISKDESK_CONFIG_DIR"])  # the window's remembered size may be written there
    created = sorted(p.name for p in tmp_path.rglob("*") if p != config and config not in p.parents)
    print(f"{answer}: exit status {code}; files and folders created beside the settings: {len(created)} {created}")
    assert len(asked) == 2 and str(typo) in asked[0] and "--database" in asked[0]
    assert asked[1] == "answered: quit"
    assert code == 4
    assert created == []


def test_the_window_asks_too_when_the_environment_names_a_missing_file(qtbot, qapp, tmp_path: Path, monkeypatch):
    typo = tmp_path / "shared-drive" / "riskdesk.sqlite"
    monkeypatch.setenv("RISKDESK_DATABASE_URL", f"sqlite:///{typo}")
    asked: list[str] = []
    _answer_when_asked(qtbot, _click(qtbot, "quit"), asked)
    assert _run_window([]) == 4
    assert asked[1:] == ["answered: quit"] and "RISKDESK_DATABASE_URL" in asked[0]
    assert not typo.parent.exists()


@pytest.mark.parametrize("named_by", ["--database", "RISKDESK_DATABASE_URL"])
def test_the_window_creates_an_empty_database_when_asked_to(qtbot, qapp, tmp_path: Path, monkeypatch, named_by):
    """Create makes the database there and opens it: empty (no demo council, even with the demo on:
    only the data folder's own database is filled with it), and its maker is its administrator."""
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from riskdesk.db import Database
    from riskdesk.domain.actor import default_actor
    from riskdesk.services import Services

    monkeypatch.delenv("RISKDESK_NO_DEMO")  # a file named by --database is never filled with the demo
    new = tmp_path / "new.sqlite"
    asked: list[str] = []
    _answer_when_asked(qtbot, _click(qtbot, "createDatabase"), asked)
    opened: list[MainWindow] = []
    give_up = time.monotonic() + 60

    def close_once_open() -> None:
        window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)
        if window is not None and window.services is not None:
            opened.append(window)
        elif time.monotonic() > give_up:  # never opened (say, a message about why): fail, do not wait
            modal = QApplication.activeModalWidget()
            if modal is not None:
                modal.close()
        else:
            QTimer.singleShot(20, close_once_open)
            return
        if window is not None:
            window.close()  # as its user ends it: the last window closed ends the application

    QTimer.singleShot(0, close_once_open)
    if named_by == "--database":
        argv = ["--database", str(new)]
    else:
        monkeypatch.setenv("RISKDESK_DATABASE_URL", f"sqlite:///{new}")
        argv = []
    assert _run_window(argv) == 0
    assert asked[1:] == ["answered: createDatabase"] and named_by in asked[0] and opened
    services = Services(Database.open(f"sqlite:///{new}", backup=False))
    try:
        me = default_actor()
        assert services.registers.me(me).role == "admin"
        assert sum(len(services.risks.list_risks(me, r.id)) for r in services.registers.list_registers(me)) == 0
    finally:
        services.db.dispose()


def test_remembered_department_and_category_filters_survive_a_restart(qtbot, published, admin):
    first = _start(qtbot, lambda report: published, admin)
    filters = first.register_page.filters
    filters.department.setCurrentIndex(filters.department.findData("C&FS"))
    category = next(r.category_id for r in first.model.rows())
    filters.category.setCurrentIndex(filters.category.findData(category))
    shown = sorted(r.ref for r in first.model.rows())
    assert 0 < len(shown) < 29 and all(r.category_id == category for r in first.model.rows())
    first.close()

    # The filter is restored before the database has opened (its choices are not there yet) …
    second = _start(qtbot, lambda report: published, admin)
    # … and applied once they are.
    assert second.register_page.filters.department.currentData() == "C&FS"
    assert second.register_page.filters.category.currentData() == category
    assert sorted(r.ref for r in second.model.rows()) == shown


def test_a_remembered_band_filter_waits_for_the_databases_scheme(qtbot, published, admin):
    """The window offers no bands until its database has said which scheme it uses: a band chosen
    last time is applied once it has, not dropped."""
    first = _start(qtbot, lambda report: published, admin)
    filters = first.register_page.filters
    bands = [filters.band.itemData(i) for i in range(filters.band.count())]
    filters.band.setCurrentIndex(bands.index("medium"))  # every risk of the published register is high/red
    assert first.model.rowCount() == 0 and len(first.model.all_rows()) == 29
    first.close()

    second = MainWindow(None, admin)
    qtbot.addWidget(second)
    band = second.register_page.filters.band
    assert [band.itemText(i) for i in range(band.count())] == ["Any band"]  # no scheme yet: no bands offered
    second.show()
    with qtbot.waitSignal(second.attached, timeout=20000):
        second.open_database(lambda report: published)
    assert second.register_page.filters.band.currentData() == "medium"
    assert second.model.rowCount() == 0 and len(second.model.all_rows()) == 29


def test_the_window_paints_without_the_scoring_modules(tmp_path: Path):
    """Built and painted before its database is open, the window makes nothing from the default scheme:
    ``riskdesk.domain.scoring`` and ``riskdesk.domain.appetite`` (seven frozen dataclasses) are the
    worker's to import, with the rows."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from riskdesk.domain.actor import Actor\n"
        "from riskdesk.ui.main_window import MainWindow\n"
        "app = QApplication([])\n"
        "window = MainWindow(None, Actor('tester'))\n"
        "window.show()\n"
        "window.register_page.table.viewport().repaint()\n"
        "app.processEvents()\n"
        "print(sorted(m for m in sys.modules if m in ('riskdesk.domain.scoring', 'riskdesk.domain.appetite')))\n"
        "print(window.register_page.filters.band.count(), window.scheme.bands.bands[0].name)\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", RISKDESK_CONFIG_DIR=str(tmp_path / "config"),
               RISKDESK_DATA_DIR=str(tmp_path / "data"))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    modules, bands = out.stdout.splitlines()
    assert modules == "[]"
    # Asked for, the window's scheme is the default until the database's arrives.
    assert bands == f"1 {default_scheme().bands.bands[0].name}"


# -- the first look: a personal file's register on screen before the services have opened --------

def _personal_file(tmp_path: Path, admin) -> Path:
    from riskdesk.db import Database
    from riskdesk.services import Services
    from tests.conftest import FIXTURES

    path = tmp_path / "riskdesk.sqlite"
    services = Services(Database.open(f"sqlite:///{path}", backup=False))
    try:
        services.published.load(admin, FIXTURES / "crr-2023-11.json")
    finally:
        services.db.dispose()
    return path


def _open_with_first_look(qtbot, path: Path, admin, before_services=None):
    """A window opening ``path`` as ``riskdesk`` does: first look, then the services, which wait
    for ``gate`` (and then run ``before_services``, e.g. someone else's change to the file)."""
    from riskdesk.db import Database
    from riskdesk.services import Services
    from riskdesk.services.first_look import first_look

    gate = threading.Event()
    opened: list[Services] = []

    def opener(report):
        gate.wait(30)
        services = Services(Database.open(f"sqlite:///{path}", backup=False))
        opened.append(services)
        if before_services is not None:
            before_services(services)
        return services

    window = MainWindow(None, admin)
    qtbot.addWidget(window)
    window.show()
    window.open_database(opener, lambda choose: first_look(path, admin, choose))
    return window, gate, opened


def test_check_boxes_are_outlined_once_the_first_looks_rows_are_on_screen(qtbot, tmp_path, admin, plain_style):
    """The style that outlines check boxes on any palette is installed after the first look's rows
    have painted (it would delay them), and before the services open: a box is not left in the
    platform's faint outline for the second the services take."""
    from riskdesk.ui.kit.contrast_style import ContrastStyle

    app = plain_style
    path = _personal_file(tmp_path, admin)
    window, gate, opened = _open_with_first_look(qtbot, path, admin)
    try:
        assert not isinstance(app.style(), ContrastStyle)  # not before the first paint
        qtbot.waitUntil(lambda: window.model.rowCount() == 29, timeout=20000)
        qtbot.waitUntil(lambda: isinstance(app.style(), ContrastStyle), timeout=5000)
        assert window.services is None  # the services are still waiting at the gate
        with qtbot.waitSignal(window.attached, timeout=20000):
            gate.set()
        assert isinstance(app.style(), ContrastStyle)
    finally:
        gate.set()
        for services in opened:
            services.db.dispose()


def test_a_personal_files_register_shows_before_its_services_open_and_is_then_kept(qtbot, tmp_path, admin):
    path = _personal_file(tmp_path, admin)
    window, gate, opened = _open_with_first_look(qtbot, path, admin)
    try:
        qtbot.waitUntil(lambda: window.model.rowCount() == 29, timeout=20000)
        # The register is on screen; the services are not open yet, so nothing can change it.
        assert window.services is None
        assert window.register_page.title.text() == (
            "Leicestershire County Council – Corporate Risk Register · 23/24 Q3")
        assert window.register_combo.currentText() == "Corporate Risk Register (29)"
        assert "29 risks" in window.band_label.text()
        for action in (window.new_action, window.save_action, window.remove_action, window.import_action):
            assert not action.isEnabled(), action.text()
        assert not window.register_combo.isEnabled()  # another register waits for the services
        shown = list(window.model.all_rows())
        # A risk clicked meanwhile (a real click) is selected; it opens once the services are there.
        row = next(i for i in range(window.model.rowCount()) if window.model.row_at(i).ref == "1.1")
        from tests.ui.uihelpers import click_row

        click_row(qtbot, window.register_page.table, row)
        assert window.register_page.current_id() == window.model.row_at(row).id
        assert window.register_page.editor_stack.currentWidget() is window.register_page.placeholder

        with qtbot.waitSignal(window.attached, timeout=20000):
            gate.set()
        # The services read the same register: the rows on screen are kept, not read in again.
        replaced = sum(1 for a, b in zip(window.model.all_rows(), shown, strict=True) if a is not b)
        print(f"rows replaced once the services confirmed the first look: {replaced} of {len(shown)}")
        assert replaced == 0
        qtbot.waitUntil(lambda: window.register_page.editor_stack.currentWidget() is window.register_page.editor)
        assert window.register_page.editor.row.ref == "1.1"
        assert window.new_action.isEnabled() and window.save_action.isEnabled()
        assert window.register_combo.isEnabled()
        assert window.db_label.text().startswith("Test Administrator (Administrator) · SQLite file ")
    finally:
        gate.set()
        for services in opened:
            services.db.dispose()


def test_a_change_made_after_the_first_look_is_what_the_window_ends_with(qtbot, tmp_path, admin):
    """Someone (another riskdesk on the same file) changes a risk between the first look and the
    services' read: the window shows the change, and the risk the user picked stays picked."""
    path = _personal_file(tmp_path, admin)

    def someone_else_changes_a_risk(services):
        register = services.registers.corporate_register(admin)
        risk = next(r for r in services.risks.list_risks(admin, register.id) if r.ref == "4.2")
        services.risks.amend_risk(admin, risk.id, RiskChange(service_area="Changed meanwhile"),
                                  expected_version=risk.version)

    window, gate, opened = _open_with_first_look(qtbot, path, admin, someone_else_changes_a_risk)
    try:
        qtbot.waitUntil(lambda: window.model.rowCount() == 29, timeout=20000)
        assert window.services is None
        from tests.ui.uihelpers import click_row

        row = next(i for i in range(window.model.rowCount()) if window.model.row_at(i).ref == "1.1")
        click_row(qtbot, window.register_page.table, row)
        with qtbot.waitSignal(window.attached, timeout=20000):
            gate.set()
        changed = next(r for r in window.model.all_rows() if r.ref == "4.2")
        assert changed.service_area == "Changed meanwhile"
        qtbot.waitUntil(lambda: window.register_page.editor_stack.currentWidget() is window.register_page.editor)
        assert window.register_page.editor.row.ref == "1.1"
        assert window.register_page.current_id() == window.register_page.editor.row.id
    finally:
        gate.set()
        for services in opened:
            services.db.dispose()


def test_the_reads_begun_at_start_are_for_the_register_the_window_remembers(tmp_path, monkeypatch):
    """Before Qt is imported, riskdesk reads the id of the register last shown from the settings file
    as QSettings wrote it, among the window's other state (byte arrays, quoted JSON, other groups),
    and begins the long reads for that register."""
    from PySide6.QtCore import QByteArray

    from riskdesk.app import _register_last_shown
    from riskdesk.ui.kit.settings import WindowState, qsettings

    monkeypatch.setenv("RISKDESK_CONFIG_DIR", str(tmp_path / "config"))
    assert _register_last_shown() == ""  # no settings yet: the first register
    store = qsettings()
    WindowState("Another", store).set_text("register", "5")
    state = WindowState("MainWindow", store)
    state.set_blob("geometry", QByteArray(b"\x01\n[MainWindow]\nregister=9\x00"))
    state.set_text("filter", '{"text": "register=8"}')
    state.set_text("register", "12")
    state.sync()
    print((tmp_path / "config" / "riskdesk.ini").read_text())
    assert _register_last_shown() == "12"
    state.set_text("register", "not a number")
    state.sync()
    assert _register_last_shown() == ""
