"""The SI log as a table: one row per SI, filtered and sorted on the Python row list.

100,000 SIs filter in a few milliseconds this way: the rows and their search text are kept in
the sort order, search text is lowered once per row when the rows arrive (repeated provider,
service and category text once per combination), a search walks the whole list in C (``map``,
``compress``), and a letter typed onto the search only searches the rows it already showed.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import IntEnum
from itertools import compress, repeat
from operator import contains, or_
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.incidents import ClockBand, Framework, IncidentRow, Status
from riskdesk.ui.kit.list_table_model import ListTableModel

Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
#: Rows whose cell texts are kept: a few screens' worth, cleared when it grows past this.
_CELL_CACHE = 4096

BAND_COLOURS = {
    ClockBand.OVERDUE: ("#f4c7c3", "#7a1010"),
    ClockBand.DUE_SOON: ("#fde9b8", "#5c4300"),
    ClockBand.ON_TRACK: ("#d4ecd4", "#1d4d1d"),
    ClockBand.MET: ("#e8e8e8", "#404040"),
}


class Col(IntEnum):
    REF = 0
    REPORTED = 1
    PROVIDER = 2
    SERVICE = 3
    CATEGORY = 4
    FRAMEWORK = 5
    STATUS = 6
    NEXT = 7
    DUE = 8
    LEFT = 9
    ACTIONS = 10
    DESCRIPTION = 11


_COLUMNS = len(Col)
_CLOCK_COLUMNS = frozenset((Col.NEXT, Col.DUE, Col.LEFT))
_CENTRED = frozenset((Col.LEFT, Col.ACTIONS, Col.DUE, Col.REPORTED))

HEADERS = {
    Col.REF: ("Ref", "SI reference"),
    Col.REPORTED: ("Reported", "Date reported into the Public Health SI inbox"),
    Col.PROVIDER: ("Provider", "Provider"),
    Col.SERVICE: ("Service", "Commissioned service"),
    Col.CATEGORY: ("Category", "Category"),
    Col.FRAMEWORK: ("Framework", "SIF 2015 or PSIRF"),
    Col.STATUS: ("Status", "Status"),
    Col.NEXT: ("Next deadline", "The open deadline with the fewest working days left"),
    Col.DUE: ("Due", "Due date of the next deadline"),
    Col.LEFT: ("Days left", "Working days left to the next deadline (negative: overdue)"),
    Col.ACTIONS: ("Actions", "Open actions (overdue)"),
    Col.DESCRIPTION: ("Description", "What happened"),
}


@dataclass(frozen=True)
class IncidentFilter:
    """What the SI list shows. ``None``/empty means "any"."""

    provider_id: int | None = None
    service_id: int | None = None
    framework: Framework | None = None
    status: Status | None = None
    open_only: bool = False
    from_month: tuple[int, int] | None = None
    to_month: tuple[int, int] | None = None
    overdue_only: bool = False
    text: str = ""


def _fmt(d: date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def sort_value(row: IncidentRow, col: Col) -> Any:
    nxt = row.next_clock
    match col:
        case Col.REF:
            return row.reference.lower()
        case Col.REPORTED:
            return row.reported_on
        case Col.PROVIDER:
            return row.provider_name.lower()
        case Col.SERVICE:
            return row.service_name.lower()
        case Col.CATEGORY:
            return row.category.lower()
        case Col.FRAMEWORK:
            return row.framework.value
        case Col.STATUS:
            return row.status.step
        case Col.NEXT:
            return nxt.label if nxt else "~"
        case Col.DUE:
            return nxt.due if nxt else date.max
        case Col.LEFT:
            return nxt.days_left if nxt else 10**6
        case Col.ACTIONS:
            return (row.overdue_actions, row.open_actions)
        case Col.DESCRIPTION:
            return row.description.lower()
    return None


@dataclass(frozen=True)
class IncidentIndex:
    """The SI rows with their search text, ready for the model (built once, on a worker thread).

    Provider, service and category repeat across a ten-year log (a few dozen combinations for
    100,000 SIs), so their lowered text is kept once per combination (``facet_hay``) and each row
    holds only its combination's number (``facets``); the row's own text (``hay``) is its
    reference, external reference and description.
    """

    rows: list[IncidentRow]
    hay: list[str]
    facets: array[int]
    facet_hay: list[str]
    overdue: bytearray


def index_incidents(rows: Sequence[IncidentRow]) -> IncidentIndex:
    """Build the search text for ``rows``; pure, so safe on a worker thread."""
    rows = rows if isinstance(rows, list) else list(rows)
    codes: dict[tuple[str, str, str], int] = {}
    code = codes.setdefault
    facets = array("l", (code((r.provider_name, r.service_name, r.category), len(codes)) for r in rows))
    hay = [f"{r.reference}\x1f{r.external_ref}\x1f{r.description}".lower() for r in rows]
    facet_hay = ["\x1f".join(k).lower() for k in codes]
    return IncidentIndex(rows, hay, facets, facet_hay, bytearray(r.overdue for r in rows))


@dataclass(frozen=True)
class _Found:
    """The last filter's result, kept so that typing one more letter searches only what it showed."""

    base: IncidentFilter  # the filter without its text
    words: tuple[str, ...]
    positions: range | list[int]  # positions in the sorted rows


def _narrower(old: tuple[str, ...], new: tuple[str, ...]) -> bool:
    """Whether every row matching ``new`` also matches ``old`` (each old word inside a new one)."""
    return all(any(o in n for n in new) for o in old)


class IncidentTableModel(ListTableModel[IncidentRow]):
    HEADERS = HEADERS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._index = index_incidents([])
        # The rows, their search text, combination numbers and overdue flags in the sort order,
        # so that a filter is one pass in that order (C-level where it can be: map and compress).
        self._srows: list[IncidentRow] = []
        self._shay: list[str] = []
        self._sfacets: array[int] = array("l")
        self._soverdue = bytearray()
        self._found: _Found | None = None
        self._cells: dict[int, tuple[Any, ...]] = {}  # row id → (row, its cell texts)
        self._filter = IncidentFilter()
        self._sort: tuple[Col, Qt.SortOrder] = (Col.REPORTED, Qt.SortOrder.DescendingOrder)
        self._brushes = {band: (QBrush(QColor(bg)), QBrush(QColor(fg))) for band, (bg, fg) in BAND_COLOURS.items()}

    # -- data in -------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[IncidentRow], index: IncidentIndex | None = None) -> None:
        """Show these rows. ``index`` (from :func:`index_incidents`) may be built on a worker thread,
        which keeps the window responsive when the log holds 100,000 SIs."""
        if index is None or index.rows is not rows:
            index = index_incidents(rows)
        self.beginResetModel()
        self._cells.clear()
        self._index = index
        self._all = index.rows
        self._resort()
        self._rows = self._filtered()
        self.endResetModel()

    def set_filter(self, flt: IncidentFilter) -> None:
        self._filter = flt
        self.relayout()

    def _apply(self) -> None:
        self._rows = self._filtered()

    def current_filter(self) -> IncidentFilter:
        return self._filter

    def _resort(self) -> None:
        """Put the rows and their search data in the sort order (stable: ties keep the service's order)."""
        col, order = self._sort
        ix = self._index
        rows = ix.rows
        positions = sorted(range(len(rows)), key=lambda i: sort_value(rows[i], col),
                           reverse=order == Qt.SortOrder.DescendingOrder)
        self._srows = list(map(rows.__getitem__, positions))
        self._shay = list(map(ix.hay.__getitem__, positions))
        self._sfacets = array("l", map(ix.facets.__getitem__, positions))
        self._soverdue = bytearray(map(ix.overdue.__getitem__, positions))
        self._found = None

    def _base_positions(self, f: IncidentFilter) -> range | list[int]:
        """Positions (in sort order) that pass every filter but the search text."""
        n = len(self._srows)
        tests: list[Callable[[IncidentRow], bool]] = []
        provider, service = f.provider_id, f.service_id
        framework = Framework(f.framework) if f.framework is not None else None
        status = Status(f.status) if f.status is not None else None
        if provider is not None:
            tests.append(lambda r: r.provider_id == provider)
        if service is not None:
            tests.append(lambda r: r.service_id == service)
        if framework is not None:
            tests.append(lambda r: r.framework is framework)
        if status is not None:
            tests.append(lambda r: r.status is status)
        elif f.open_only:
            tests.append(lambda r: r.status is not Status.CLOSED)
        if f.from_month is not None:
            first = date(f.from_month[0], f.from_month[1], 1)
            tests.append(lambda r: r.reported_on >= first)
        if f.to_month is not None:
            y, m = f.to_month
            after = date(y + (m == 12), m % 12 + 1, 1)
            tests.append(lambda r: r.reported_on < after)
        if not tests and not f.overdue_only:
            return range(n)
        candidates: Iterable[int] = compress(range(n), self._soverdue) if f.overdue_only else range(n)
        rows = self._srows
        return [i for i in candidates if all(t(rows[i]) for t in tests)]

    def _filtered(self) -> list[IncidentRow]:
        f = self._filter
        words = tuple(f.text.lower().split())
        base = replace(f, text="")
        found = self._found
        if found is not None and found.base == base and _narrower(found.words, words):
            positions = found.positions  # one more letter typed: search only what was shown
            done = found.words
        else:
            positions = self._base_positions(base)
            done = ()
        for w in words:
            if w not in done:
                positions = self._with_word(positions, w)
        self._found = _Found(base, words, positions)
        if isinstance(positions, range) and len(positions) == len(self._srows):
            return self._srows
        return list(map(self._srows.__getitem__, positions))

    def _with_word(self, positions: range | list[int], word: str) -> list[int]:
        """The positions whose search text holds ``word``."""
        hay = self._shay
        in_facet = [word in h for h in self._index.facet_hay]
        if isinstance(positions, range) and len(positions) == len(hay):
            hits: Iterable[bool] = map(contains, hay, repeat(word))
            if any(in_facet):
                hits = map(or_, hits, map(in_facet.__getitem__, self._sfacets))
            return list(compress(positions, hits))
        hits = map(contains, map(hay.__getitem__, positions), repeat(word))
        if any(in_facet):
            hits = map(or_, hits, map(in_facet.__getitem__, map(self._sfacets.__getitem__, positions)))
        return list(compress(positions, hits))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Asked some ten times per cell on every paint: plain int comparisons, no enum calls, and
        # each row's cell texts made once (the paint after a keystroke is what the user waits for).
        r = index.row()
        rows = self._rows
        if not 0 <= r < len(rows) or not index.isValid():
            return None
        c = index.column()
        if not 0 <= c < _COLUMNS:
            return None
        row = rows[r]
        if role in (_DISPLAY, _ACCESSIBLE):
            cells = self._cells.get(row.id)
            if cells is None or cells[0] is not row:
                if len(self._cells) > _CELL_CACHE:
                    self._cells.clear()
                cells = self._cells[row.id] = (row, *(self._display(row, col) for col in Col))
            return cells[c + 1]
        if role in (_BACKGROUND, _FOREGROUND):
            band = None
            if c in _CLOCK_COLUMNS:
                nxt = row.next_clock
                band = nxt.band if nxt is not None else None
            elif c == Col.ACTIONS and row.overdue_actions:
                band = ClockBand.OVERDUE
            elif c == Col.STATUS and row.status is Status.CLOSED:
                band = ClockBand.MET
            if band is None:
                return None
            bg, fg = self._brushes[band]
            return bg if role == _BACKGROUND else fg
        if role == _ALIGNMENT:
            return _CENTRE if c in _CENTRED else None
        if role == SORT_ROLE:
            return sort_value(row, Col(c))
        if role == ROW_ROLE:
            return row
        if role == _TOOLTIP:
            if c == Col.DESCRIPTION:
                return row.description
            if c in _CLOCK_COLUMNS:
                return "\n".join(f"{k.label}: {k.summary}" for k in row.clocks) or "No deadlines"
        return None

    def _display(self, row: IncidentRow, col: Col) -> str:
        nxt = row.next_clock
        match col:
            case Col.REF:
                return row.reference
            case Col.REPORTED:
                return _fmt(row.reported_on)
            case Col.PROVIDER:
                return row.provider_name
            case Col.SERVICE:
                return row.service_name
            case Col.CATEGORY:
                return row.category
            case Col.FRAMEWORK:
                return row.framework.label
            case Col.STATUS:
                return row.status.label
            case Col.NEXT:
                if nxt is None:
                    return "–" if row.status is Status.CLOSED or row.clocks else "Timescale not agreed"
                return nxt.label + (" (extended)" if nxt.extended else "")
            case Col.DUE:
                return _fmt(nxt.due) if nxt else ""
            case Col.LEFT:
                return str(nxt.days_left) if nxt else ""
            case Col.ACTIONS:
                if not row.open_actions:
                    return ""
                return f"{row.open_actions} ({row.overdue_actions} overdue)" if row.overdue_actions else str(
                    row.open_actions)
            case Col.DESCRIPTION:
                text = " ".join(row.description.split())
                return text if len(text) <= 160 else text[:159] + "…"
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Col):
            return
        self._sort = (Col(column), order)
        self._resort()
        self.relayout()
