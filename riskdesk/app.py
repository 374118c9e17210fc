"""Composition root for the window: settings, database (upgraded to head), services, main window."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from PySide6.QtWidgets import QWidget

    from riskdesk.domain.actor import Actor
    from riskdesk.domain.register import RegisterRow
    from riskdesk.services import Services
    from riskdesk.services.early_reads import Begun
    from riskdesk.services.first_look import FirstLook
    from riskdesk.ui.main_window import MainWindow

NO_DISPLAY_MESSAGE = (
    "riskdesk: no display found, so the window cannot open.\n"
    "  On a desktop, run it from a graphical session.\n"
    "  On a server or in a container, run it under a virtual display:  xvfb-run -a make run\n"
    "  Headless commands work without a display:  riskdesk --help  (e.g. riskdesk info, riskdesk backup)"
)


def has_display() -> bool:
    """Whether Qt can open a window here (offscreen/minimal platforms count as yes)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run_gui(args: argparse.Namespace) -> int:
    """Open the window: it paints first, then the database opens (and is upgraded) on a worker thread."""
    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2

    gc.disable()  # until the register is on screen: see _collector_back_once_shown

    from riskdesk.domain.actor import Actor, default_actor

    actor = Actor(args.login) if getattr(args, "login", None) else default_actor()
    database = getattr(args, "database", None)
    acting_as = getattr(args, "login", None)
    early = None if acting_as else _early_reads(database, actor)  # before Qt is even imported

    from PySide6.QtCore import QThreadPool

    from riskdesk.ui.feature_scan import use_cheap_feature_scan

    use_cheap_feature_scan()  # before riskdesk's own modules: every later import is cheaper

    from PySide6.QtWidgets import QApplication, QMessageBox

    from riskdesk.domain.errors import RiskdeskError
    from riskdesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("riskdesk")
    app.setOrganizationName("riskdesk")
    app.setApplicationDisplayName("riskdesk")

    window = MainWindow(None, actor)

    def cannot_open(exc: BaseException) -> None:
        if not isinstance(exc, RiskdeskError):
            import traceback

            traceback.print_exception(exc)
        QMessageBox.critical(window, "riskdesk cannot open its database", str(exc))
        app.exit(1)

    window.openFailed.connect(cannot_open)
    _collector_back_once_shown(window)
    window.show()
    from riskdesk.cli import database_not_there  # imported already: the command line was read with it

    missing = database_not_there(database)
    if missing is not None and not may_create_database(window, *missing):
        window.close()
        gc.enable()
        return 4  # riskdesk.cli.errors.DATABASE, as the commands say it: no database there, none made
    if os.environ.get("RISKDESK_EXIT_AFTER_FIRST_PAINT"):
        _exit_after_first_paint(app, window)
    window.open_database(lambda report: open_services(database, actor, report, acting_as=acting_as),
                         None if acting_as else lambda choose: first_look(database, actor, choose, early))
    code = app.exec()
    QThreadPool.globalInstance().waitForDone()  # an open still under way finishes before the interpreter goes
    if window.services is not None:
        window.services.db.dispose()
    if early is not None:
        from riskdesk.services.kept_reads import keep

        keep(early.path, early.login, _choose_last_shown(), early)  # for the next start (see _early_reads)
    return int(code)


def may_create_database(parent: QWidget, path: Path, named_by: str) -> bool:
    """Asked when ``--database`` (or ``RISKDESK_DATABASE_URL``) names a SQLite file that does not
    exist: make a new, empty database there, or quit having made nothing. A mistyped path must
    not quietly become an empty register while the user's own database is left as it was; the
    commands refuse it outright (``riskdesk.cli.missing_database``). Quit is the default."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Question, "riskdesk: no database there",
                      f"There is no riskdesk database at:\n{path}", parent=parent)
    box.setInformativeText(
        f"It was named by {named_by}. If the path is mistyped, choose Quit: nothing is created, and "
        "you can start riskdesk again with the right one.\n\n"
        "Create makes a new, empty database there (no risks, no demo council); you become its "
        "administrator.")
    create = box.addButton("&Create an empty database", QMessageBox.ButtonRole.AcceptRole)
    create.setObjectName("createDatabase")
    quit_button = box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    quit_button.setObjectName("quit")
    box.setDefaultButton(quit_button)
    box.setEscapeButton(quit_button)
    box.exec()
    return box.clickedButton() is create


def open_services(database: str | None, actor: Actor, report: Callable[[str], None] | None = None, *,
                  acting_as: str | None = None) -> Services:
    """Open the database (upgrading it, with a backup first, if it is older than this riskdesk) and
    its services; seed a brand-new personal database with the demo council. Runs on a worker thread;
    ``report`` hears what a slow step is doing."""
    from riskdesk.db import Database, database_url
    from riskdesk.services import Services

    report = report or (lambda _message: None)
    db = Database.open(database_url(database), progress=report)
    from riskdesk.cli import refuse_acting_as

    try:
        refuse_acting_as(db, acting_as)  # --as names someone else: a personal SQLite file only
    except Exception:
        db.dispose()
        raise
    services = Services(db)
    seed_demo_on_first_run(services, actor, explicit=bool(database or os.environ.get("RISKDESK_DATABASE_URL")),
                           report=report)
    return services


def first_look(database: str | None, actor: Actor, choose: Callable[[list[RegisterRow]], RegisterRow | None],
               early: Begun | None = None) -> FirstLook | None:
    """The register the window opens on, read from a personal SQLite file before the database
    layer is imported (``riskdesk.services.first_look``); None for a shared server, or whenever
    only the services can answer. Runs on the worker thread, before ``open_services``, going on
    from what ``early`` (``_early_reads``) has read meanwhile."""
    from riskdesk.services.first_look import first_look as look
    from riskdesk.services.first_look import sqlite_file

    path = sqlite_file(database)
    return look(path, actor, choose, early) if path is not None else None


def _early_reads(database: str | None, actor: Actor) -> Begun | None:
    """The first look's long reads for the register the window last showed: begun now on a thread
    of their own (``riskdesk.services.early_reads``), so that they are done by the first paint, or,
    when the file is as riskdesk last closed it, what they read then, read once the window has
    painted (``riskdesk.services.kept_reads``). None for a shared server."""
    from riskdesk.services.early_reads import sqlite_file
    from riskdesk.services.kept_reads import begin

    path = sqlite_file(database)
    if path is None:
        return None
    return begin(path, actor.login, _choose_last_shown())


def _choose_last_shown() -> Callable[[list[int]], int | None]:
    """Of the registers' ids in the order listed: the register the window last showed, else the first."""
    wanted = _register_last_shown()
    return lambda ids: next((i for i in ids if str(i) == wanted), ids[0] if ids else None)


def _register_last_shown() -> str:
    """The id of the register the window last showed, read from the settings file without Qt (not
    imported yet): "register" under [MainWindow], as QSettings writes a plain number; else "".
    Only a guess for the early reads: should the window choose otherwise, the first look reads that
    register itself."""
    from riskdesk.paths import settings_file

    try:
        text = settings_file().read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    group = ""
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("["):
            group = line
        elif group == "[MainWindow]" and line.startswith("register="):
            value = line.removeprefix("register=").strip()
            return value if value.isdigit() else ""
    return ""


def seed_demo_on_first_run(services: Services, actor: Actor, *, explicit: bool,
                           report: Callable[[str], None] | None = None) -> bool:
    """Fill a brand-new personal database with the demo council, so a first look shows something.

    Only the embedded SQLite database in the user data folder is seeded: never a shared
    PostgreSQL one, never a file named with ``--database`` or ``RISKDESK_DATABASE_URL``, and
    only when it holds no register. ``RISKDESK_NO_DEMO=1`` turns this off.
    """
    if explicit or os.environ.get("RISKDESK_NO_DEMO") or not services.db.is_sqlite:
        return False
    loader = services.demo()
    if not loader.is_empty():
        return False
    if report is not None:
        report("Creating your database with the demo council (Marlow Vale County Council)…")
    loader.load(actor)
    return True


def _collector_back_once_shown(window: MainWindow) -> None:
    """Switch Python's cyclic garbage collector back on once the window holds its register.

    Start-up builds about a million long-lived objects (the database layer's modules, the models'
    mappers, the window, 5,000 rows) and frees almost none in cycles, so every collection while
    the user waits for the rows walks that growing heap for nothing: on a 2-core machine, opening
    the database (importing SQLAlchemy and the models, the first query) took 1.1–1.25 s with the
    collector on and 0.75 s with it off, and 5,000 rows were painted 2.8 s after start against 2.05 s.
    ``run_gui`` turns it off before importing riskdesk's modules. Once the register has been shown
    (or the open has failed) what start-up built is frozen (``gc.freeze``: later collections skip
    it; reference counting still frees it) and the collector is back on. A collection there instead
    would find some 750 objects of garbage and hold the window for 0.2 s just as its rows appear.
    """
    from PySide6.QtCore import QTimer

    resumed = False

    def resume() -> None:
        nonlocal resumed
        if not resumed:
            resumed = True
            gc.freeze()
            gc.enable()

    window.attached.connect(lambda: QTimer.singleShot(0, resume))  # after the rows' paint is queued
    window.openFailed.connect(lambda _exc: resume())


def _exit_after_first_paint(app: object, window: MainWindow) -> None:
    """For benchmarks: print "first-paint" at the window's first paint and "rows-painted" once
    the register's rows have been painted, then where those rows came from ("from-first-look"
    while the services were still opening, else "from-services"), then quit."""
    viewport = window.register_page.table.viewport()
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _Watcher(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                if not self.property("painted"):
                    self.setProperty("painted", True)
                    print("first-paint", flush=True)
                rows = obj.parent().model().rowCount()  # type: ignore[attr-defined]
                if rows and not self.property("done"):
                    self.setProperty("done", True)
                    QTimer.singleShot(0, self._finish)
            return False

        def _finish(self) -> None:
            print("rows-painted", flush=True)
            print("from-services" if window.services is not None else "from-first-look", flush=True)
            app.quit()  # type: ignore[attr-defined]

    watcher = _Watcher(viewport)  # type: ignore[arg-type]
    viewport.installEventFilter(watcher)  # type: ignore[attr-defined]
