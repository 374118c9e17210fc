"""Undo on the Ombudsman page: each saved step becomes a command on the page's own stack.

Undo writes the earlier state back through ``services.ombudsman.restore_case`` (or removes a case
recorded by mistake), so it is permission-checked, audited, and refused when someone else has
changed the case since: the page never silently overwrites another person's work. Steps that
cannot be taken back (an approved payment, a presented self-assessment) are not pushed; the
version they produced is still noted so the user's earlier steps stay undoable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.ombudsman import CaseDetail, SelfAssessmentData, SelfAssessmentRow
from riskdesk.ui.kit.undo import FollowingCommand, page_undo_stack

if TYPE_CHECKING:
    from riskdesk.domain.register import Actor
    from riskdesk.services import Services


def _no_update(_id: int, _state: Any, _version: int) -> Any:
    raise ValidationError("step", "", "cannot be redone")  # creation steps only add or remove


class OmbudsmanUndo:
    """The page's undo stack and the commands its writes push."""

    def __init__(self, page: QWidget, services: Services, actor: Actor, done: Callable[[str | None], None]) -> None:
        self.stack = page_undo_stack(page)
        self._om, self._sa, self._actor, self._done = services.ombudsman, services.self_assessment, actor, done
        # Shared by every command: the version this page's last write left each record at, and the
        # new id of a record a redo recreated.
        self.versions: dict[tuple[str, int], int] = {}
        self.ids: dict[tuple[str, int], int] = {}

    def _push(self, text: str, kind: str, record_id: int, version: int, before: Any, after: Any, *,
              add: Callable[[Any], Any] | None = None, update: Callable[[int, Any, int], Any] = _no_update,
              delete: Callable[[int, int], None] | None = None) -> None:
        self.stack.push(FollowingCommand(text, ids=self.ids, kind=kind, record_id=record_id, version=version,
                                         before=before, after=after, add=add, update=update, delete=delete,
                                         done=self._done, versions=self.versions))

    def noted(self, d: CaseDetail) -> None:
        """A write that is not undoable: earlier steps must expect the version it produced."""
        self.versions[("case", d.row.id)] = d.row.version

    def case_created(self, d: CaseDetail) -> None:
        om, a = self._om, self._actor
        self._push(f"record case {d.row.reference}", "case", d.row.id, d.row.version, None, d,
                   add=lambda s: om.create_case(a, s.draft).row,
                   delete=lambda i, v: om.delete_case(a, i, expected_version=v))

    def case_changed(self, text: str, before: CaseDetail, after: CaseDetail) -> None:
        om, a = self._om, self._actor
        self._push(f"{text} on {after.row.reference}", "case", after.row.id, after.row.version, before, after,
                   update=lambda i, s, v: om.restore_case(a, i, s, expected_version=v).row)

    def row_saved(self, before: SelfAssessmentRow, after: SelfAssessmentData) -> None:
        sa, a = self._sa, self._actor
        row = next(r for r in after.rows if r.id == before.id)

        def write(i: int, r: SelfAssessmentRow, v: int) -> SelfAssessmentData:
            return sa.update_row(a, i, r.id, comply=r.comply, explanation=r.explanation, evidence=r.evidence,
                                 target_date=r.target_date, expected_version=v)

        self._push(f"edit self-assessment {before.code_ref}", "assessment", after.id, after.version, before, row,
                   update=write)
