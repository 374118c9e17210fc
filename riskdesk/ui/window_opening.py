"""Opening the window's database: off the GUI thread once the window has painted, with the first
look at a personal file on screen meanwhile (mixed into MainWindow)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal

from riskdesk.ui.kit.contrast import install_contrast_style
from riskdesk.ui.kit.jobs import AfterPaint, run_in_background
from riskdesk.ui.register.page import RegisterLoad, fetch_register
from riskdesk.ui.window_commands import _remembered

if TYPE_CHECKING:
    from riskdesk.domain.actor import Actor
    from riskdesk.domain.quarters import Quarter
    from riskdesk.domain.register import RegisterRow, UserRow
    from riskdesk.domain.scoring import ScoringScheme
    from riskdesk.services import Services
    from riskdesk.services.first_look import FirstLook

    #: Picks the register the window opens on (the one last shown, else the first).
    Chooser = Callable[[list[RegisterRow]], RegisterRow | None]

#: What the window shows before its database has opened.
OPENING = "Opening the database…"


class Startup(NamedTuple):
    """Everything the window needs from the database to show a register, read in one go off the GUI
    thread.
    (A NamedTuple: its class is made before the window's first paint, where a frozen dataclass costs 0.6 ms.)
    """

    services: Services
    scheme: ScoringScheme
    me: UserRow
    period: Quarter
    registers: list[RegisterRow]
    register_id: int | None
    load: RegisterLoad | None
    database: str
    #: The window's first look at the file, already on screen, showed exactly this.
    confirms_first_look: bool = False

    def shows_as(self, look: FirstLook) -> bool:
        """Whether ``look`` (read before the services opened) is what the services read now."""
        load = self.load
        return load is not None and (
            (self.scheme, self.me, self.period, self.registers, self.register_id, self.database, load.rows,
             load.departments, load.categories, load.users, load.council)
            == (look.scheme, look.me, look.period, look.registers, look.register_id, look.database, look.rows,
                look.departments, look.categories, look.users, look.council))

    @classmethod
    def read(cls, services: Services, actor: Actor, wanted_register: str) -> Startup:
        opening = services.registers.opening(actor)
        chosen = _remembered(opening.registers, wanted_register)
        return cls(
            services=services,
            scheme=opening.scheme,
            me=opening.me,
            period=opening.period,
            registers=opening.registers,
            register_id=chosen.id if chosen else None,
            load=fetch_register(services, actor, chosen.id) if chosen else None,
            database=services.info.location(),
        )


class WindowOpening:
    """``open_database`` and what it shows on the way (mixed into MainWindow)."""

    actor: Actor
    state: Any
    services: Services | None
    register_page: Any
    register_combo: Any
    db_label: Any
    openFailed: Any
    scheme: ScoringScheme
    _first_look: FirstLook | None
    # and MainWindow's attach, WindowCommands' _show_registers

    def open_database(self, opener: Callable[[Callable[[str], None]], Services],
                      first_look: Callable[[Chooser], FirstLook | None] | None = None) -> None:
        """Once the window has painted, run ``opener`` on a worker thread and then fill the window.

        ``opener(report)`` opens (and if need be upgrades) the database and returns its services;
        what it passes to ``report`` (from any thread) shows in the window while it works. The
        register is read on the same worker, so the window shows it as soon as it arrives. A
        failure is reported through ``openFailed``.

        ``first_look(choose)``, if given, is tried first on the same worker: the register read
        without the database layer (``riskdesk.services.first_look``), shown at once while the
        services open, read-only, then confirmed (or replaced) by what the services read.
        """
        actor, wanted = self.actor, self.state.text("register", "")
        relay = _Messages(self)
        relay.message.connect(self._opening)
        relay.look.connect(self._show_first_look)

        def work() -> Startup:
            look = None
            if first_look is not None:
                look = first_look(lambda registers: _remembered(registers, wanted))
                if look is not None:
                    shown = threading.Event()
                    relay.look.emit(look, shown)
                    # The services' imports hold the interpreter for half a second: let the rows
                    # reach the screen first.
                    shown.wait(2.0)
            start = Startup.read(opener(relay.message.emit), actor, wanted)
            return start._replace(confirms_first_look=look is not None and start.shows_as(look))

        def start() -> None:
            run_in_background(work, self.attach, self._open_failed)
            if first_look is None:
                install_contrast_style()  # see _contrast_once_shown; nothing comes sooner than the services

        # Should nothing paint (a minimised start), it opens anyway.
        self._first_paint = AfterPaint(self.register_page.table.viewport(), start, at_latest_ms=1000)

    def _opening(self, message: str) -> None:
        """What the database is doing while it opens (backing up, upgrading, creating)."""
        if self.services is None:
            self.register_page.title.setText(message)
            self.db_label.setText(message)

    def _show_first_look(self, look: FirstLook, shown: threading.Event) -> None:
        """The register as the first look read it, shown while the services open (nothing can be
        changed until they have: every action waits for ``attach``)."""
        if self.services is not None:  # cannot happen (the services open after it), but never go back
            shown.set()
            return
        self._first_look = look
        self.register_combo.setEnabled(False)  # another register is read by the services: once they are open
        self.scheme = look.scheme
        self.register_page.take_identity(look.scheme, look.me, look.period)
        viewport = self.register_page.table.viewport()
        if viewport.isVisible():
            self._after_look = AfterPaint(viewport, lambda: _contrast_once_shown(shown))
        else:  # nothing will paint (a minimised window): the services need not wait for it
            shown.set()
        self._show_registers(look.registers, look.register_id, RegisterLoad(
            rows=look.rows, departments=look.departments, categories=look.categories, users=look.users,
            council=look.council))

    def _open_failed(self, exc: BaseException) -> None:
        if self._first_look is not None:  # rows of a file that could not be opened: not shown as if it had
            self._first_look = None
            self.register_combo.clear()
            self.register_page.set_register(None, [])
        self.register_page.title.setText("The database could not be opened.")
        self.db_label.setText(f"Not connected: {exc}")
        self.openFailed.emit(exc)


class _Messages(QObject):
    """Carries progress text, and the first look, from the worker opening the database to the
    window (queued)."""

    message = Signal(str)
    look = Signal(object, object)  # FirstLook, and the event to set once it is painted


def _contrast_once_shown(shown: threading.Event) -> None:
    """The first look's rows are on screen: let the worker go on, then install the style that outlines
    check boxes on any palette. Not before the first paint, nor before these rows: a proxy style's
    first use builds Python types for ``QStyle`` and every ``QStyleOption`` (35 million instructions)
    that both would wait for. The filter bar's two boxes are repainted with their outline at once; ``attach``
    installs it in any case."""
    shown.set()
    QTimer.singleShot(0, install_contrast_style)  # after what this paint queued
