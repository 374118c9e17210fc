"""Fields of the incident editor: clock colours, and the undo command a field edit makes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from riskdesk.domain.incidents import (
    ClockBand,
)
from riskdesk.ui.kit.fields import fmt_date, to_date, to_qdate

if TYPE_CHECKING:
    pass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riskdesk.ui.incidents.dialog import IncidentDialog


BAND_STYLE = {
    ClockBand.OVERDUE: "background:#f4c7c3; color:#7a1010;",
    ClockBand.DUE_SOON: "background:#fde9b8; color:#5c4300;",
    ClockBand.ON_TRACK: "background:#d4ecd4; color:#1d4d1d;",
    ClockBand.MET: "background:#e8e8e8; color:#404040;",
}


# The window's one date field and its helpers (kit/fields), under the names this folder uses.
_qdate, _pydate, _fmt = to_qdate, to_date, fmt_date


class FieldCommand(QUndoCommand):
    """A change of one editor field; consecutive typing in one field merges into one step."""

    def __init__(self, dialog: IncidentDialog, name: str, old: Any, new: Any, merge: bool) -> None:
        super().__init__(f"Edit {name.replace('_', ' ')}")
        self.dialog, self.name, self.old, self.new, self.merge = dialog, name, old, new, merge

    def id(self) -> int:
        return (hash(self.name) & 0x7FFFFFF) if self.merge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FieldCommand) or other.name != self.name:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.dialog._put(self.name, self.new)

    def undo(self) -> None:
        self.dialog._put(self.name, self.old)


@dataclass
class _Field:
    get: Callable[[], Any]
    set: Callable[[Any], None]
    merge: bool = False
