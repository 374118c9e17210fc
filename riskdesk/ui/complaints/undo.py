"""Undo on the Complaints page: each saved step becomes a command on the page's own stack.

Undo goes back through ``services.complaints`` (``restore_stages`` for a response or an
escalation, ``remove_complaint``/``remove_contact`` for something logged by mistake), so it is
permission-checked, audited, and refused when someone else has changed the record since: the
page never silently overwrites another person's work. An extension is never undone: the
complainant has been told the new date, and the service keeps every extension it recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from riskdesk.domain.complaints import ComplaintDetail, ComplaintDraft, ContactDraft, ContactRow
from riskdesk.domain.errors import ValidationError
from riskdesk.ui.kit.undo import FollowingCommand, page_undo_stack

if TYPE_CHECKING:
    from riskdesk.domain.register import Actor
    from riskdesk.services import Services


def _no_update(_id: int, _state: Any, _version: int) -> Any:
    raise ValidationError("step", "", "cannot be redone")  # logging steps only add or remove


class ComplaintsUndo:
    """The page's undo stack and the commands its writes push."""

    def __init__(self, page: QWidget, services: Services, actor: Actor, today: date,
                 done: Callable[[str | None], None]) -> None:
        self.stack = page_undo_stack(page)
        self._c, self._actor, self._today, self._done = services.complaints, actor, today, done
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

    def noted(self, d: ComplaintDetail) -> None:
        """A write that is not undoable: earlier steps must expect the version it produced."""
        self.versions[("complaint", d.row.id)] = d.row.version

    def complaint_logged(self, d: ComplaintDetail, draft: ComplaintDraft) -> None:
        c, a, today = self._c, self._actor, self._today
        self._push(f"log complaint {d.row.reference}", "complaint", d.row.id, d.row.version, None, d,
                   add=lambda _s: c.log_complaint(a, draft, today=today).row,
                   delete=lambda i, v: c.remove_complaint(a, i, expected_version=v))

    def converted(self, d: ComplaintDetail, contact: ContactRow, dissatisfied_on: date, handler: str) -> None:
        c, a, today = self._c, self._actor, self._today
        self._push(f"convert {contact.reference} to a complaint", "complaint", d.row.id, d.row.version, None, d,
                   add=lambda _s: c.convert_to_complaint(a, contact.id, dissatisfied_on=dissatisfied_on,
                                                         expected_version=contact.version, handler=handler,
                                                         today=today).row,
                   delete=lambda i, v: c.remove_complaint(a, i, expected_version=v))

    def contact_logged(self, row: ContactRow, draft: ContactDraft) -> None:
        c, a = self._c, self._actor
        self._push(f"log contact {row.reference}", "contact", row.id, row.version, None, row,
                   add=lambda _s: c.log_contact(a, draft),
                   delete=lambda i, v: c.remove_contact(a, i, expected_version=v))

    def stage_changed(self, text: str, before: ComplaintDetail, after: ComplaintDetail) -> None:
        c, a, today = self._c, self._actor, self._today
        self._push(f"{text} on {after.row.reference}", "complaint", after.row.id, after.row.version, before, after,
                   update=lambda i, s, v: c.restore_stages(a, i, s, expected_version=v, today=today).row)
