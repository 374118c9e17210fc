"""riskdesk in a benchmark's child process.

    app_child.py start [riskdesk options]        the window as a user starts it, then hold
    app_child.py incidents URL LOGIN TEXT N      list the SIs, hold (memory), type TEXT N times, hold
    app_child.py register URL LOGIN TEXT N       cold sorts by header clicks, typed search, opening risks

Times inside the child are from a real key or click to the table painted with the result.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from child import click_header, hold, mark, settle, time_until_painted, type_and_time, value


def wait_until(done, timeout: float = 300) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not done():
        if time.monotonic() > end:
            raise SystemExit("benchmark child: timed out waiting for the window")
        settle(10)


def start(argv: list[str]) -> int:
    import adapter

    code = adapter.run_window_as_user(argv)
    hold()
    return code


def _app():  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(sys.argv[:1])


def incidents(url: str, login: str, text: str, repeat: int) -> int:
    import adapter

    _app()
    window = adapter.open_window(url, login)
    page = adapter.incidents_page(window)
    wait_until(lambda: adapter.incidents_listed(page))
    table, model, search = adapter.incidents_view(page)
    table.viewport().repaint()
    settle(100)
    mark("rows-painted")
    value("rows", model.rowCount())
    hold()
    for _ in range(repeat):
        type_and_time(search, model, table.viewport(), text, "keystroke")
    hold()
    return 0


def register(url: str, login: str, text: str, repeat: int) -> int:
    import adapter

    _app()
    window = adapter.open_window(url, login)
    wait_until(lambda: adapter.register_rows(window) > 0)
    table, model, search = adapter.register_view(window)
    settle(100)
    mark("rows-painted")
    value("rows", model.rowCount())
    hold()
    names = list(adapter.REGISTER_SORTS)
    for _ in range(repeat):
        for name in names:
            # Fresh rows before each sort, read as Refresh reads them: no sort key is cached yet.
            wait_until(adapter.reload_register(window))
            settle(100)
            col = adapter.REGISTER_SORTS[name][0]
            ms = time_until_painted(click_header(table, col), model, table.viewport())
            if ms is not None:
                value(f"sort-{name.replace(' ', '-')}", ms)
            settle(50)
    for _ in range(repeat):
        type_and_time(search, model, table.viewport(), text, "keystroke")
    for risk_id in adapter.risk_ids(window, 3 * repeat):
        action, shown = adapter.open_risk(window, risk_id)
        t0 = time.perf_counter()
        action()
        shown.repaint()  # the editor painted with the risk: what the user waits for
        value("open-risk", (time.perf_counter() - t0) * 1000)
        settle(50)
    hold()
    return 0


def main() -> int:
    what, args = sys.argv[1], sys.argv[2:]
    if what == "start":
        return start(args)
    if what == "incidents":
        return incidents(args[0], args[1], args[2], int(args[3]))
    if what == "register":
        return register(args[0], args[1], args[2], int(args[3]))
    raise SystemExit(f"unknown scenario {what}")


if __name__ == "__main__":
    sys.exit(main())
