"""Undo and redo of the Controls tab's writes: controls, sources of assurance, the response and review date.

Like the register's own commands (``edits.py``), each is pushed after its first write succeeded
and each undo or redo is another service call with the version the panel's own last write left.
Removing a control and undoing it adds the control again under a new id: the book maps old ids
to new, so a later step on the same control still finds it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtGui import QUndoCommand

from riskdesk.domain.errors import RiskdeskError

if TYPE_CHECKING:
    from riskdesk.domain.controls import AssuranceRow, ControlRow
    from riskdesk.domain.register import Actor
    from riskdesk.services import Services


class RowBook:
    """Ids and versions of rows this window's own writes produced (per kind: control, assurance)."""

    def __init__(self) -> None:
        self._ids: dict[int, int] = {}
        self._versions: dict[int, int] = {}

    def note(self, old_id: int | None, row: Any) -> None:
        if row is None:
            return
        if old_id is not None and old_id != row.id:
            self._ids[old_id] = row.id
        self._versions[row.id] = row.version

    def id(self, ident: int) -> int:
        seen: set[int] = set()
        while ident in self._ids and ident not in seen:
            seen.add(ident)
            ident = self._ids[ident]
        return ident

    def version(self, ident: int, default: int) -> int:
        return self._versions.get(ident, default)


class GovernanceHost(Protocol):
    services: Services
    actor: Actor
    controls_book: RowBook
    assurance_book: RowBook

    def governance_changed(self, risk_id: int) -> None: ...

    def governance_failed(self, text: str, exc: RiskdeskError) -> None: ...


class _Command(QUndoCommand):
    def __init__(self, host: GovernanceHost, text: str, risk_id: int) -> None:
        super().__init__(text)
        self.host = host
        self.risk_id = risk_id
        self._first = True

    def redo(self) -> None:
        if self._first:  # the write was made before the command was pushed
            self._first = False
            return
        self._run(self.apply)

    def undo(self) -> None:
        self._run(self.revert)

    def _run(self, step: Callable[[], None]) -> None:
        try:
            step()
        except RiskdeskError as exc:
            self.setObsolete(True)
            self.host.governance_failed(self.text(), exc)
        self.host.governance_changed(self.risk_id)

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class ControlCommand(_Command):
    """Add, edit or remove an existing control; undo does the opposite."""

    def __init__(self, host: GovernanceHost, text: str, risk_id: int, before: ControlRow | None,
                 after: ControlRow | None) -> None:
        super().__init__(host, text, risk_id)
        self.before, self.after = before, after
        host.controls_book.note(None, after)

    @staticmethod
    def _fields(row: ControlRow) -> dict[str, Any]:
        return {"owner": row.owner, "line": row.line, "effectiveness": row.effectiveness,
                "last_tested_on": row.last_tested_on}

    def _move(self, have: ControlRow | None, want: ControlRow | None) -> ControlRow | None:
        gov, actor, book = self.host.services.governance, self.host.actor, self.host.controls_book
        if want is None:
            assert have is not None
            ident = book.id(have.id)
            gov.delete_control(actor, ident, expected_version=book.version(ident, have.version))
            return None
        if have is None:
            row = gov.add_control(actor, self.risk_id, want.description, **self._fields(want))
            book.note(want.id, row)
            return row
        ident = book.id(have.id)
        row = gov.update_control(actor, ident, want.description, **self._fields(want),
                                 expected_version=book.version(ident, have.version))
        book.note(have.id, row)
        return row

    def apply(self) -> None:
        self.after = self._move(self.before, self.after)

    def revert(self) -> None:
        self.before = self._move(self.after, self.before)


class AssuranceCommand(_Command):
    """Add, edit or remove a source of assurance; undo does the opposite."""

    def __init__(self, host: GovernanceHost, text: str, risk_id: int, before: AssuranceRow | None,
                 after: AssuranceRow | None) -> None:
        super().__init__(host, text, risk_id)
        self.before, self.after = before, after
        host.assurance_book.note(None, after)

    def _move(self, have: AssuranceRow | None, want: AssuranceRow | None) -> AssuranceRow | None:
        gov, actor, book = self.host.services.governance, self.host.actor, self.host.assurance_book
        if want is None:
            assert have is not None
            ident = book.id(have.id)
            gov.delete_assurance(actor, ident, expected_version=book.version(ident, have.version))
            return None
        if have is None:
            row = gov.add_assurance(actor, self.risk_id, want.source, line=want.line,
                                    last_received_on=want.last_received_on)
            book.note(want.id, row)
            return row
        ident = book.id(have.id)
        row = gov.update_assurance(actor, ident, want.source, line=want.line, last_received_on=want.last_received_on,
                                   expected_version=book.version(ident, have.version))
        book.note(have.id, row)
        return row

    def apply(self) -> None:
        self.after = self._move(self.before, self.after)

    def revert(self) -> None:
        self.before = self._move(self.after, self.before)


class ResponseCommand(_Command):
    """The 4T(+1) response and the review date set on the latest assessment; undo sets the earlier ones."""

    def __init__(self, host: GovernanceHost, text: str, risk_id: int,
                 before: tuple[str | None, date | None], after: tuple[str | None, date | None]) -> None:
        super().__init__(host, text, risk_id)
        self.before, self.after = before, after

    def _set(self, value: tuple[str | None, date | None]) -> None:
        self.host.services.governance.set_response(self.host.actor, self.risk_id, value[0], next_review_on=value[1])

    def apply(self) -> None:
        self._set(self.after)

    def revert(self) -> None:
        self._set(self.before)
