"""The one place the benchmarks reach into riskdesk beyond its command line.

Everything here uses the public service API or the window's public widgets. When the window,
identity or services move, update this module and the benchmarks follow.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
APP_CHILD = HERE / "app_child.py"

#: Register columns the sort benchmark clicks: name -> (riskdesk column, floor column).
REGISTER_SORTS = {"ref": (0, 0), "current score": (5, 5), "description": (2, 2), "owner": (10, 10)}
INCIDENTS_TAB = "Incidents"


def as_login(env: dict[str, str], login: str) -> dict[str, str]:
    """Make ``login`` the operating-system login riskdesk sees (SQLite identity) in a child."""
    env = dict(env)
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        env[name] = login
    return env


def window_start_command(database: str | None) -> list[str]:
    """The window as a user starts it (``riskdesk [--database FILE]``), printing ``first-paint`` and
    ``rows-painted`` and then holding for the memory read."""
    return [sys.executable, str(APP_CHILD), "start", *(["--database", database] if database else [])]


def window_start_env(env: dict[str, str]) -> dict[str, str]:
    return dict(env, RISKDESK_EXIT_AFTER_FIRST_PAINT="1")


def run_window_as_user(argv: list[str]) -> int:
    """In the child: run riskdesk's own entry point exactly as ``riskdesk ARGS`` would."""
    sys.argv = ["riskdesk", *argv]
    from riskdesk.__main__ import main

    return int(main() or 0)


# --- in a child process: the real window over a database ----------------------------------------

def open_window(url: str, login: str) -> Any:
    """The main window over ``url`` acting as ``login``, shown, loading in the background as it does
    for a user; returns once the register's rows are in the table."""
    # As riskdesk.app.run_gui does before importing riskdesk's modules: without it PySide's import
    # hook reads every later module's source into linecache (some 20 MB the user never pays).
    from riskdesk.ui.feature_scan import use_cheap_feature_scan

    use_cheap_feature_scan()
    # As run_gui does too: the cyclic collector is off until the register is shown, then what
    # start-up built is frozen (later collections skip it) and the collector is back on.
    gc.disable()

    from PySide6.QtCore import QTimer

    from riskdesk.db import Database
    from riskdesk.domain.actor import Actor
    from riskdesk.services import Services
    from riskdesk.ui.main_window import MainWindow

    services = Services(Database.open(url, backup=False))
    window = MainWindow(services, Actor(login))
    resumed = []

    def resume() -> None:
        if not resumed:
            resumed.append(True)
            gc.freeze()
            gc.enable()

    window.register_page.loaded.connect(lambda: QTimer.singleShot(0, resume))
    window.resize(1280, 800)
    window.show()
    return window


def register_view(window: Any) -> tuple[Any, Any, Any]:
    """(table view, its model, the search box) of the register page."""
    page = window.register_page
    return page.table, page.table.model(), page.filters.search


def register_rows(window: Any) -> int:
    return window.register_page.table.model().rowCount()


def reload_register(window: Any) -> Callable[[], bool]:
    """Read the register again (View ▸ Refresh: fresh rows, nothing cached); returns 'done yet?'."""
    page = window.register_page
    done = {"v": False}

    def loaded() -> None:
        done["v"] = True

    page.loaded.connect(loaded)
    window.refresh_action.trigger()  # the refresh is not what is timed; the sort after it is
    return lambda: done["v"]


def risk_ids(window: Any, count: int) -> list[int]:
    rows = window.register_page.model.rows()
    step = max(1, len(rows) // count)
    return [r.id for r in rows[::step]][:count]


def open_risk(window: Any, risk_id: int) -> tuple[Callable[[], None], Any]:
    """The action that opens a risk in the editor (as a double-click does) and the widget to watch."""
    page = window.register_page
    return (lambda: page.open_risk(risk_id)), page.editor_stack


def incidents_page(window: Any) -> Any:
    """Show the Incidents tab (built on first show, loading its list in the background)."""
    for i in range(window.tabs.count()):
        if window.tabs.tabText(i).replace("&", "") == INCIDENTS_TAB:
            window.tabs.setCurrentIndex(i)
            break
    return window.page(INCIDENTS_TAB)


def incidents_view(page: Any) -> tuple[Any, Any, Any]:
    return page.table, page.table.model(), page.search_edit


def incidents_listed(page: Any) -> bool:
    loading = page.loading
    busy = loading() if callable(loading) else loading
    return not busy and page.table.model().rowCount() > 0


# --- the window's main operations through the public services (network benchmark) ------------

def services_for(url: str) -> Any:
    from riskdesk.db import Database
    from riskdesk.services import Services

    return Services(Database.open(url, backup=False))


def engine_of(services: Any) -> Any:
    return services.db.engine


def actor(login: str) -> Any:
    from riskdesk.domain.actor import Actor

    return Actor(login)


def op_open_register(services: Any, who: Any) -> int:
    """What the window reads to show the register (``Startup.read`` and ``fetch_register``): who,
    scheme, period, registers, rows, and the page's choices (departments, categories, people,
    the council's name)."""
    registers = services.registers.opening(who).registers
    rows, _choices = services.risks.open_register(who, registers[0].id)
    return len(rows)


def op_open_risk(services: Any, who: Any, risk_id: int) -> None:
    """What the register page reads to open a risk in the editor (RegisterPage.open_risk)."""
    services.risks.open_in_editor(who, risk_id)


def prepare_save_score(services: Any, who: Any, risk_id: int, impact: int) -> Callable[[], None]:
    """The editor's Save of a new current impact for this period (what is timed), after the reads
    the editor did when the risk was opened (not timed)."""
    from riskdesk.domain.risk_detail import AssessmentChange
    from riskdesk.domain.scoring import Score

    period = services.registers.current_period(who)
    current = next(h for h in services.risks.history(who, risk_id) if h.period == period.code)
    change = AssessmentChange(current=Score(impact, current.current.likelihood), target=current.target,
                              direction=current.direction, update_text=current.update_text)
    # save_assessment is what the register page's Save calls: it returns what the page redraws from.
    return lambda: services.risks.save_assessment(who, risk_id, period, change, expected_version=current.version)


def op_open_incidents(services: Any, who: Any) -> int:
    """What the Incidents page reads when it opens: the SI list with clocks, providers, the review."""
    from datetime import date

    today = date.today()
    return len(services.incidents.open_list(who, (today.year, today.month), today=today).rows)


def environ_login() -> str:
    return os.environ.get("LOGNAME", "")
