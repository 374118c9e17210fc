"""Screenshots of every dialog of riskdesk over the demo council, at three screen sizes.

    .venv/bin/python tools/show_dialogs.py                 # all dialogs, 1100x700, 1280x800, 1920x1080
    .venv/bin/python tools/show_dialogs.py new-cycle move-risk --sizes 1100x700

The demo goes into a temporary database (``riskdesk demo``, with temporary HOME, XDG and riskdesk
folders, so nothing touches the user's own); it holds casework too (complaints, contacts, FOI
requests, Ombudsman cases). For each size a child process runs Qt's offscreen
platform with a screen of exactly that size, shows the main window filling it, opens each dialog
the way the application does (its page's method or button) and grabs it at its default size to
``docs/screenshots/dialogs/<name>-<W>x<H>.png``. A window manager's title bar is drawn above the
grab: the title is elided in the middle when it does not fit beside the bar's buttons, as KWin and
Mutter do, so a title too long for the dialog shows in the picture.

``DIALOGS`` and ``open_dialog`` are reused by ``tests/ui/test_dialog_sizes.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots" / "dialogs"
SIZES = ((1100, 700), (1280, 800), (1920, 1080))
#: Width a window manager's title bar keeps for its icon and buttons (close, maximise, minimise).
TITLE_BAR_BUTTONS = 120
TITLE_BAR_HEIGHT = 30


@dataclass
class Ctx:
    """What the openers need: the main window over the demo database."""

    window: Any

    def page(self, title: str) -> Any:
        w = self.window
        page = w.page(title)
        for i in range(w.tabs.count()):
            if w.tabs.tabText(i).replace("&", "") == title:
                w.tabs.setCurrentIndex(i)
        return page


@dataclass(frozen=True)
class Dialog:
    name: str  # the file name stem
    what: str  # what the user does to see it
    open: Callable[[Ctx], object]


# --- openers: each does what the user's click does (a page method or a button's click) ---------

def _register(ctx: Ctx) -> Any:
    w = ctx.window
    w.tabs.setCurrentWidget(w.register_page)
    page = w.register_page
    if page.editor.row is None:
        page.table.selectRow(0)
    return page


def _wait(cond: Callable[[], bool], timeout: float = 20.0) -> None:
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    end = time.monotonic() + timeout
    while not cond() and time.monotonic() < end:
        QThreadPool.globalInstance().waitForDone(50)
        QApplication.processEvents()


def _loaded(ctx: Ctx, title: str, table: str = "table") -> Any:
    page = ctx.page(title)
    _wait(lambda: getattr(page, table).model().rowCount() > 0)
    return page


def _select_first(table: Any) -> None:
    table.setCurrentIndex(table.model().index(0, 0))
    table.selectRow(0)


def _restore(ctx: Ctx) -> None:
    from PySide6.QtWidgets import QFileDialog

    ask = QFileDialog.getOpenFileName
    QFileDialog.getOpenFileName = lambda *a, **k: ("backups/riskdesk-2026-11-20.sqlite", "")  # type: ignore
    try:
        ctx.window.restore_backup()
    finally:
        QFileDialog.getOpenFileName = ask  # type: ignore[method-assign]


def _present(ctx: Ctx) -> None:
    page = ctx.page("Reports")
    rows = page.model.rows()
    draft = next((i for i, c in enumerate(rows) if c.presented_at is None), 0)
    page.select_cycle(rows[draft].id) if rows else None
    page.confirm_present()


def _incident(ctx: Ctx) -> None:
    page = _loaded(ctx, "Incidents")
    _select_first(page.table)
    page.open_selected()


def _foi(ctx: Ctx) -> Any:
    page = _loaded(ctx, "FOI/EIR")
    _select_first(page.table)
    page.open_selected()
    return page.editor


def _complaint(ctx: Ctx) -> None:
    page = _loaded(ctx, "Complaints")
    _select_first(page.table)
    page.open_selected()


def _contact(ctx: Ctx) -> None:
    page = _loaded(ctx, "Complaints", "contacts_table")
    _select_first(page.contacts_table)
    page.convert_selected()


DIALOGS: list[Dialog] = [
    # Register and its menus
    Dialog("new-risk", "Risk ▸ New risk…", lambda c: _register(c).add_risk()),
    Dialog("remove-risk", "Risk ▸ Remove risk… (the reason asked for)", lambda c: _register(c).remove_risk()),
    Dialog("move-risk", "Risk ▸ Escalate / de-escalate…", lambda c: _register(c).move_risk()),
    Dialog("add-action", "Risk ▸ Add action…", lambda c: _register(c).add_action()),
    Dialog("add-control", "Editor ▸ Controls ▸ Add control…",
           lambda c: _register(c).controls_panel.add_control_button.click()),
    Dialog("add-assurance", "Editor ▸ Controls ▸ Add source of assurance…",
           lambda c: _register(c).controls_panel.add_assurance_button.click()),
    Dialog("removed-risks", "Register ▸ Removed risks…", lambda c: _register(c).show_removed()),
    Dialog("categories", "Register ▸ Categories…", lambda c: c.window.manage_categories()),
    Dialog("departments", "Register ▸ Departments…", lambda c: c.window.manage_departments()),
    Dialog("owners", "Register ▸ Owners and users…", lambda c: c.window.manage_owners()),
    Dialog("scheme-editor", "Register ▸ Risk scheme…", lambda c: c.window.edit_scheme()),
    Dialog("close-quarter", "Register ▸ Close the quarter…", lambda c: c.window.close_quarter()),
    # File and Help
    Dialog("import-wizard", "File ▸ Import register…", lambda c: c.window.open_import()),
    Dialog("export", "File ▸ Export current list…", lambda c: c.window.open_export()),
    Dialog("restore-backup", "File ▸ Restore from backup… (after choosing the file)", _restore),
    Dialog("user-guide", "Help ▸ User guide", lambda c: c.window.show_guide()),
    Dialog("shortcuts", "Help ▸ Keyboard shortcuts", lambda c: c.window.show_shortcuts()),
    # Reports
    Dialog("new-cycle", "Reports ▸ New cycle…", lambda c: c.page("Reports").new_cycle()),
    Dialog("present-cycle", "Reports ▸ Present… (the draft cycle)", _present),
    Dialog("wording", "Reports ▸ Appendix wording…", lambda c: c.page("Reports").edit_wording()),
    # Incidents
    Dialog("incident-new", "Incidents ▸ New serious incident", lambda c: _loaded(c, "Incidents").new_incident()),
    Dialog("incident-edit", "Incidents ▸ open an SI", _incident),
    Dialog("providers", "Incidents ▸ Providers…", lambda c: _loaded(c, "Incidents").manage_providers()),
    Dialog("si-report", "Incidents ▸ Review ▸ SI report (PDF)…",
           lambda c: _loaded(c, "Incidents").report_button.click()),
    # Clinical governance
    Dialog("clinical-audit", "Clinical governance ▸ New audit",
           lambda c: c.page("Clinical governance").open_audit_editor()),
    Dialog("quality-visit", "Clinical governance ▸ New quality visit",
           lambda c: c.page("Clinical governance").open_visit_editor()),
    Dialog("pgd", "Clinical governance ▸ New PGD", lambda c: c.page("Clinical governance").open_pgd_editor()),
    Dialog("assurance-summary", "Clinical governance ▸ New assurance summary…",
           lambda c: c.page("Clinical governance").new_summary_button.click()),
    # Casework
    Dialog("complaint-new", "Complaints ▸ New complaint…", lambda c: _loaded(c, "Complaints").new_complaint()),
    Dialog("complaint-case", "Complaints ▸ open a case", _complaint),
    Dialog("contact-log", "Complaints ▸ Log contact…", lambda c: _loaded(c, "Complaints").log_contact()),
    Dialog("contact-convert", "Complaints ▸ Contacts ▸ Convert to complaint…", _contact),
    Dialog("ombudsman-case", "Ombudsman ▸ New case…", lambda c: c.page("Ombudsman").new_case()),
    Dialog("foi-request", "FOI/EIR ▸ open a request", _foi),
    Dialog("foi-review", "FOI/EIR ▸ request ▸ Add internal review…", lambda c: _foi(c).add_review_button.click()),
    Dialog("foi-ico", "FOI/EIR ▸ request ▸ Add ICO case…", lambda c: _foi(c).add_ico_button.click()),
]


# --- catching a dialog the application opens ---------------------------------------------------

def _dialogs() -> list[Any]:
    from PySide6.QtWidgets import QApplication, QDialog

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QDialog) and w.isVisible()]


def _opened(parent: Any, child: Any) -> bool:
    """Whether ``child`` was opened over ``parent`` (QWidget.isAncestorOf stops at window boundaries)."""
    w = child.parentWidget()
    while w is not None:
        if w is parent:
            return True
        w = w.parentWidget()
    return False


def open_dialog(ctx: Ctx, entry: Dialog, inspect: Callable[[Any], None], timeout: float = 30.0) -> bool:
    """Open ``entry`` as the user would, call ``inspect`` with the dialog once it is laid out, then
    close it with Cancel/Escape (nothing is saved). False when no dialog appeared."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from shiboken6 import isValid

    before = {id(w) for w in _dialogs()}
    done: list[bool] = []
    end = time.monotonic() + timeout

    def poll() -> None:
        new = [w for w in _dialogs() if id(w) not in before]
        if not new:
            if time.monotonic() < end:
                QTimer.singleShot(20, poll)
            else:
                done.append(False)
            return
        # the innermost: an editor's own sub-dialog (FOI request ▸ Add internal review) over the editor
        dialog = next(d for d in reversed(new) if not any(d is not o and _opened(d, o) for o in new))
        for _ in range(5):  # layouts settle over a few passes of the event loop
            QApplication.processEvents()
        try:
            inspect(dialog)
        finally:
            done.append(True)
            for d in [dialog, *reversed(new)]:  # the sub-dialog first, then what opened it
                if isValid(d) and d.isVisible():  # one that deletes itself on close may be gone
                    d.reject()
                    QApplication.processEvents()

    QTimer.singleShot(0, poll)
    entry.open(ctx)  # returns at once (open/show) or after poll() has closed it (exec)
    _wait(lambda: bool(done), timeout + 5)
    return bool(done and done[0])


def grab_with_title(dialog: Any) -> Any:
    """The dialog's picture under a title bar drawn as a window manager would."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter

    body = dialog.grab().toImage()
    width, height = body.width(), body.height() + TITLE_BAR_HEIGHT
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#2f343f"))
    p = QPainter(image)
    p.drawImage(0, TITLE_BAR_HEIGHT, body)
    font = QFont(dialog.font())
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#ffffff"))
    room = max(0, width - TITLE_BAR_BUTTONS)
    title = QFontMetrics(font).elidedText(dialog.windowTitle(), Qt.TextElideMode.ElideMiddle, room)
    p.drawText(QRect(12, 0, room, TITLE_BAR_HEIGHT), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
               title)
    p.setBrush(QColor("#8a8f9a"))
    p.setPen(Qt.PenStyle.NoPen)
    for i in range(3):
        p.drawEllipse(width - 26 - i * 26, 9, 12, 12)
    p.end()
    return image


# --- the two processes ---------------------------------------------------------------------------

def _child(db: str, size: str, names: list[str]) -> int:
    from PySide6.QtWidgets import QApplication

    from riskdesk.db import Database
    from riskdesk.services import Services, default_actor
    from riskdesk.ui.main_window import MainWindow

    width, height = (int(x) for x in size.split("x"))
    app = QApplication(sys.argv[:1])
    window = MainWindow(Services(Database.open(db)), default_actor(), background=False)
    window.setGeometry(0, 0, width, height)
    window.show()
    app.processEvents()
    ctx = Ctx(window)
    missing = []
    for entry in DIALOGS:
        if names and entry.name not in names:
            continue

        def save(dialog: Any, entry: Dialog = entry) -> None:
            out = OUT / f"{entry.name}-{size}.png"
            grab_with_title(dialog).save(str(out), "PNG")
            frame = dialog.frameGeometry()
            print(f"{out.name}: {dialog.width()}x{dialog.height()} “{dialog.windowTitle()}” "
                  f"frame {frame.x()},{frame.y()} {frame.width()}x{frame.height()}", flush=True)

        if not open_dialog(ctx, entry, save):
            missing.append(entry.name)
            print(f"{entry.name}: no dialog appeared", flush=True)
    window.register_page.undo_stack.setClean()
    window.close()
    return 1 if missing else 0


def main() -> int:
    args = sys.argv[1:]
    if args and args[0] == "--child":
        return _child(args[1], args[2], json.loads(args[3]))
    sizes = [f"{w}x{h}" for w, h in SIZES]
    if "--sizes" in args:
        i = args.index("--sizes")
        sizes = args[i + 1].split(",")
        del args[i:i + 2]
    names = args
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="riskdesk-dialogs-") as tmp:
        home = Path(tmp)
        env = dict(os.environ, HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
                   XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"),
                   RISKDESK_CONFIG_DIR=str(home / "riskdesk-config"), RISKDESK_DATA_DIR=str(home / "riskdesk-data"),
                   USER="risk.officer", LOGNAME="risk.officer")
        env.pop("RISKDESK_DATABASE_URL", None)
        db = f"sqlite:///{home / 'demo.sqlite'}"
        subprocess.run([sys.executable, "-m", "riskdesk", "--database", db, "demo"], env=env, check=True, cwd=ROOT)
        status = 0
        for size in sizes:
            width, height = size.split("x")
            config = home / f"screen-{size}.json"
            config.write_text(json.dumps({"screens": [{"name": "screen", "x": 0, "y": 0, "width": int(width),
                                                       "height": int(height), "logicalDpi": 96,
                                                       "logicalBaseDpi": 96, "dpr": 1}]}))
            child_env = dict(env, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
            status |= subprocess.run([sys.executable, __file__, "--child", db, size, json.dumps(names)], env=child_env, cwd=ROOT).returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
