"""Undo and redo of register edits: each step writes through the services like any edit.

A command is pushed *after* its first edit succeeded (so a refused save never enters the
stack); its first ``redo()`` therefore does nothing. Each command remembers the version its
last write produced and passes it as ``expected_version`` when undoing or redoing, so undoing
over someone else's later save is refused as a stale edit, never silently overwritten. A step
that fails is reported and dropped from the stack (``setObsolete``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QUndoCommand

from riskdesk.domain.errors import RiskdeskError, ValidationError

if TYPE_CHECKING:
    from riskdesk.domain.quarters import Quarter
    from riskdesk.domain.register import Actor, RiskRow
    from riskdesk.domain.risk_detail import ActionChange, ActionRow, AssessmentChange, RiskChange
    from riskdesk.services import Services

UNDO_RATIONALE = "Undo of an earlier change made in riskdesk"


class VersionBook:
    """The versions this window's own writes produced, shared by every command.

    Commands must not keep their own copy: a later edit of the same risk (by this user) moves
    its version on, and undoing the earlier step must expect *that* version. Someone else's
    save is never noted here, so undoing over it is still refused as a stale edit.
    """

    def __init__(self) -> None:
        self.risks: dict[int, int] = {}
        self.assessments: dict[tuple[int, str], int | None] = {}
        self.actions: dict[int, int] = {}
        self._action_ids: dict[int, int] = {}

    def note_risk(self, row: RiskRow) -> None:
        self.risks[row.id] = row.version
        if row.period is not None:
            self.assessments[(row.id, row.period)] = row.assessment_version

    def risk(self, risk_id: int, default: int) -> int:
        return self.risks.get(risk_id, default)

    def assessment(self, risk_id: int, period: str, default: int | None) -> int | None:
        return self.assessments.get((risk_id, period), default)

    def note_action(self, old_id: int | None, row: ActionRow | None) -> None:
        if row is None:
            return
        if old_id is not None and old_id != row.id:
            self._action_ids[old_id] = row.id
        self.actions[row.id] = row.version

    def action_id(self, action_id: int) -> int:
        seen = set()
        while action_id in self._action_ids and action_id not in seen:
            seen.add(action_id)
            action_id = self._action_ids[action_id]
        return action_id

    def action_version(self, action_id: int, default: int) -> int:
        return self.actions.get(action_id, default)


class UndoHost(Protocol):
    """What commands tell the window: a risk changed, or a step failed."""

    services: Services
    actor: Actor
    versions: VersionBook

    def risk_updated(self, row: RiskRow) -> None: ...

    def actions_changed(self, risk_id: int) -> None: ...

    def undo_failed(self, text: str, exc: RiskdeskError, risk_id: int | None) -> None: ...


class ServiceCommand(QUndoCommand):
    def __init__(self, host: UndoHost, text: str, risk_id: int) -> None:
        super().__init__(text)
        self.host = host
        self.risk_id = risk_id
        self._first = True

    def redo(self) -> None:
        if self._first:  # the edit was already made before the command was pushed
            self._first = False
            return
        self._run(self.apply)

    def undo(self) -> None:
        self._run(self.revert)

    def _rv(self) -> int:
        """The risk's version as this window's last write left it."""
        return self.host.versions.risk(self.risk_id, getattr(self, "version", 0))

    def _run(self, step: Callable[[], None]) -> None:
        try:
            step()
        except RiskdeskError as exc:
            self.setObsolete(True)
            self.host.undo_failed(self.text(), exc, self.risk_id)

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class AssessCommand(ServiceCommand):
    """A period's scores and update; undo records the earlier values again (or withdraws a first one)."""

    def __init__(self, host: UndoHost, row: RiskRow, period: Quarter, before: AssessmentChange | None,
                 after: AssessmentChange, *, scores_changed: bool = True) -> None:
        # Edit ▸ Undo reads "Undo score change on C": the user sees what the key will change.
        text = f"score change on {row.ref}" if scores_changed else f"update of {row.ref} for {period.label}"
        super().__init__(host, text, row.id)
        self.period = period
        self.before = before
        self.after = after
        self.version: int | None = row.assessment_version

    def _done(self, row: RiskRow) -> None:
        version = row.assessment_version if row.period == self.period.code else None
        self.host.versions.assessments[(self.risk_id, self.period.code)] = version
        self.host.risk_updated(row)

    def _version(self) -> int | None:
        return self.host.versions.assessment(self.risk_id, self.period.code, self.version)

    def apply(self) -> None:
        s = self.host.services
        self._done(s.risks.record_assessment(self.host.actor, self.risk_id, self.period, self.after,
                                             expected_version=self._version()))

    def revert(self) -> None:
        s = self.host.services
        version = self._version()
        if self.before is None:
            if version is None:
                return
            row = s.risks.withdraw_assessment(self.host.actor, self.risk_id, self.period, expected_version=version)
        else:
            row = s.risks.record_assessment(self.host.actor, self.risk_id, self.period, self.before,
                                            expected_version=version)
        self._done(row)


class AmendCommand(ServiceCommand):
    """Wording, category, departments, owner; undo puts the old values back."""

    def __init__(self, host: UndoHost, row: RiskRow, before: RiskChange, after: RiskChange, text: str = "") -> None:
        super().__init__(host, text or f"amendment of {row.ref}", row.id)
        self.before = before
        self.after = after
        self.version = row.version

    def _write(self, change: RiskChange) -> None:
        s = self.host.services
        try:
            row = s.risks.amend_risk(self.host.actor, self.risk_id, change, expected_version=self._rv())
        except ValidationError as exc:
            if exc.field != "rationale":
                raise
            # Going back to wording already agreed: say so, rather than ask again.
            change = RiskChange(**{**change.__dict__, "rationale": UNDO_RATIONALE})
            row = s.risks.amend_risk(self.host.actor, self.risk_id, change, expected_version=self._rv())
        self.version = row.version
        self.host.risk_updated(row)

    def apply(self) -> None:
        self._write(self.after)

    def revert(self) -> None:
        self._write(self.before)


class RemoveCommand(ServiceCommand):
    """Remove with a reason; undo restores the risk under its old ref."""

    def __init__(self, host: UndoHost, before: RiskRow, after: RiskRow, reason: str) -> None:
        super().__init__(host, f"removal of {before.ref}", before.id)
        self.reason = reason
        self.version = after.version

    def apply(self) -> None:
        row = self.host.services.risks.remove_risk(self.host.actor, self.risk_id, self.reason,
                                                   expected_version=self._rv())
        self.version = row.version
        self.host.risk_updated(row)

    def revert(self) -> None:
        row = self.host.services.risks.restore_risk(self.host.actor, self.risk_id, expected_version=self._rv(),
                                                    reason="Undo of removal")
        self.version = row.version
        self.host.risk_updated(row)


class RestoreCommand(ServiceCommand):
    """Restore a removed risk; undo removes it again with its original reason."""

    def __init__(self, host: UndoHost, after: RiskRow, reason: str, new_ref: str | None) -> None:
        super().__init__(host, f"restoring {after.ref}", after.id)
        self.reason = reason
        self.new_ref = new_ref
        self.version = after.version

    def apply(self) -> None:
        row = self.host.services.risks.restore_risk(self.host.actor, self.risk_id, expected_version=self._rv(),
                                                    new_ref=self.new_ref)
        self.version = row.version
        self.host.risk_updated(row)

    def revert(self) -> None:
        row = self.host.services.risks.remove_risk(self.host.actor, self.risk_id, self.reason or "Undo of restore",
                                                   expected_version=self._rv())
        self.version = row.version
        self.host.risk_updated(row)


class AddRiskCommand(ServiceCommand):
    """A new risk; undo removes it (with a reason that says so), redo restores it."""

    def __init__(self, host: UndoHost, row: RiskRow) -> None:
        super().__init__(host, f"new risk {row.ref}", row.id)
        self.version = row.version

    def apply(self) -> None:
        row = self.host.services.risks.restore_risk(self.host.actor, self.risk_id, expected_version=self._rv(),
                                                    reason="Redo of adding")
        self.version = row.version
        self.host.risk_updated(row)

    def revert(self) -> None:
        row = self.host.services.risks.remove_risk(self.host.actor, self.risk_id, "Added in error (undone)",
                                                   expected_version=self._rv())
        self.version = row.version
        self.host.risk_updated(row)


class MoveCommand(ServiceCommand):
    """Escalate or de-escalate; undo moves it back under its old ref and category."""

    def __init__(self, host: UndoHost, before: RiskRow, after: RiskRow, reason: str) -> None:
        super().__init__(host, f"move of {before.ref} to another register", before.id)
        self.before = before
        self.after = after
        self.reason = reason
        self.version = after.version

    def apply(self) -> None:
        row = self.host.services.risks.move_register(
            self.host.actor, self.risk_id, self.after.register_id, self.reason, expected_version=self._rv(),
            new_ref=self.after.ref, category_id=self.after.category_id)
        self.version = row.version
        self.host.risk_updated(row)

    def revert(self) -> None:
        row = self.host.services.risks.move_register(
            self.host.actor, self.risk_id, self.before.register_id, f"Undo: {self.reason}",
            expected_version=self._rv(), new_ref=self.before.ref, category_id=self.before.category_id)
        self.version = row.version
        self.host.risk_updated(row)


class ActionCommand(ServiceCommand):
    """Add, change, complete or delete a mitigating action; undo does the opposite."""

    def __init__(self, host: UndoHost, text: str, risk_id: int, before: ActionRow | None,
                 after: ActionRow | None) -> None:
        super().__init__(host, text, risk_id)
        self.before = before
        self.after = after
        host.versions.note_action(None, after)

    @staticmethod
    def _change(row: ActionRow) -> ActionChange:
        from riskdesk.domain.risk_detail import ActionChange

        return ActionChange(row.description, row.owner_id, row.due_on, row.completed_on)

    def _move(self, have: ActionRow | None, want: ActionRow | None) -> ActionRow | None:
        risks, actor, book = self.host.services.risks, self.host.actor, self.host.versions
        if want is None:
            assert have is not None
            action_id = book.action_id(have.id)
            risks.delete_action(actor, action_id, expected_version=book.action_version(action_id, have.version))
            return None
        if have is None:
            row = risks.add_action(actor, self.risk_id, self._change(want))
            book.note_action(want.id, row)
            return row
        action_id = book.action_id(have.id)
        row = risks.update_action(actor, action_id, self._change(want),
                                  expected_version=book.action_version(action_id, have.version))
        book.note_action(have.id, row)
        return row

    def apply(self) -> None:
        # After an undo the "before" row is what the database holds now.
        self.after = self._move(self.before, self.after)
        self.host.actions_changed(self.risk_id)

    def revert(self) -> None:
        self.before = self._move(self.after, self.before)
        self.host.actions_changed(self.risk_id)
