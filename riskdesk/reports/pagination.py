"""Tables that break across pages the way a reader expects.

ReportLab splits a table row inside its cells when it does not fit; left to itself it may
leave a piece of a row that holds no text at all (a strip of coloured score cells at the top
of the next page, or an empty bordered strip at the bottom of this one). The classes here
refuse such splits, so the row moves whole to the next page instead.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, LongTable, Table


def _has_text(cell: Any) -> bool:
    """True when a cell value prints something a reader would see as content."""
    if cell is None:
        return False
    if isinstance(cell, str):
        return bool(cell.strip())
    if isinstance(cell, list | tuple):
        return any(_has_text(item) for item in cell)
    if isinstance(cell, Flowable):
        # Zero-size markers (progress) and spacers are not content.
        text = getattr(cell, "text", None)
        if text is not None:
            return bool(str(text).strip())
        return not getattr(cell, "_ZEROSIZE", False) and type(cell).__name__ not in ("Spacer", "_RowMarker")
    return True


def _row_has_text(table: Table, row: int) -> bool:
    values = table._cellvalues[row]
    return any(_has_text(v) for v in values)


class Unsplittable(Table):
    """A small table (several scoring lines in one cell) that moves whole, never split."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []


class RegisterChunk(LongTable):
    """A piece of the register: splits between rows first, and inside a row only when both
    halves of that row keep some text.

    ``lead`` is the number of rows at its top (a category heading and its note) that must
    not end a page alone: they stay with at least part of the first risk.
    """

    lead = 0

    def _acceptable(self, parts: list[Flowable]) -> bool:
        first, rest = parts
        rows_first = len(first._cellvalues)
        if rows_first <= self.lead:
            return False
        first_row = self.repeatRows if isinstance(self.repeatRows, int) else len(self.repeatRows)
        if len(rest._cellvalues) <= first_row:
            return True
        return _row_has_text(first, rows_first - 1) and _row_has_text(rest, first_row)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = super().split(availWidth, availHeight)
        if len(parts) != 2 or self._acceptable(parts):
            return _unfill_empty_continuation(parts)
        # ReportLab tried ``doInRowSplit = not splitByRow`` first; try the other way once. Between
        # rows was wrong (a heading left alone): try inside the row. Inside the row was wrong (one
        # piece would print nothing, e.g. a row 1 pt too tall leaving an empty strip): try between
        # rows, so the row moves whole to the next page. Only when neither will do does the whole
        # table move on (and on a fresh page, ReportLab gives up).
        in_row = bool(self.splitByRow)
        if in_row and not self.splitInRow:
            return []
        parts = self._splitRows(availHeight, doInRowSplit=in_row)
        if len(parts) == 2 and self._acceptable(parts):
            return _unfill_empty_continuation(parts)
        return []


class ContinuedTable(RegisterChunk):
    """A report table with a repeated header row that fills each page before it breaks.

    ReportLab's default (between rows first) leaves the rest of the table to be tried again in
    the space left on the same page, where it is split inside a row under a *second* copy of
    the header: a header mid-page and a shifted piece of table. Splitting inside the row that
    does not fit first avoids that; a split leaving a piece of row without text is refused.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("splitByRow", 0)
        kwargs.setdefault("splitInRow", 24)
        super().__init__(*args, **kwargs)


def _unfill_empty_continuation(parts: list[Flowable]) -> list[Flowable]:
    """The continued piece of a split row keeps no band colour in cells that have nothing left
    to print there (the score stays, coloured, with the first piece)."""
    if len(parts) != 2:
        return parts
    rest = parts[1]
    if not rest._cellvalues:
        return parts
    row = rest._cellvalues[0]
    empty = {col for col, value in enumerate(row) if not _has_text(value)}
    if empty:
        rest._bkgrndcmds = [cmd for cmd in rest._bkgrndcmds
                            if not (cmd[1][1] == 0 and cmd[2][1] == 0 and cmd[1][0] == cmd[2][0]
                                    and cmd[1][0] in empty)]
    return parts


class KeepWithNext(Flowable):
    """A heading line and the flowable after it, kept on the same page ("C&FS" + its text).

    Inside a table cell ReportLab ignores ``keepWithNext``; this pair moves as one unless
    the second part is long, in which case the heading stays with the first lines of it.
    """

    def __init__(self, head: Flowable, body: Flowable) -> None:
        super().__init__()
        self.head = head
        self.body = body
        self._sizes: tuple[float, float] = (0.0, 0.0)

    def _gap(self) -> float:
        return max(self.head.getSpaceAfter(), self.body.getSpaceBefore())

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _, h1 = self.head.wrap(availWidth, availHeight)
        _, h2 = self.body.wrap(availWidth, availHeight)
        self._sizes = (h1, h2)
        self.width, self.height = availWidth, h1 + self._gap() + h2
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return self.head.getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self.body.getSpaceAfter()

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        h1, _ = self.head.wrap(availWidth, availHeight)
        room = availHeight - h1 - self._gap()
        if room <= 0:
            return []
        parts = self.body.split(availWidth, room)
        if len(parts) != 2:
            return []
        return [KeepWithNext(self.head, parts[0]), parts[1]]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        _, h2 = self._sizes
        # Heading first: text extraction and screen readers follow drawing order.
        self.head.drawOn(canvas, x, y + h2 + self._gap(), _sW)
        self.body.drawOn(canvas, x, y, _sW)

    def draw(self) -> None:  # drawOn does the work
        pass
