"""The register as a table: one row per risk, sorted in Python (not through a proxy).

Sorting and filtering a Python list of 5,000 frozen rows takes milliseconds, whereas
QSortFilterProxyModel calling back into Python per comparison takes seconds at that size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from enum import IntEnum
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.register_filter import search_text
from riskdesk.ui.kit.contrast import readable_text
from riskdesk.ui.kit.list_table_model import ListTableModel

if TYPE_CHECKING:
    from riskdesk.domain.register import RiskRow
    from riskdesk.domain.scoring import Band, Bands

Index = QModelIndex | QPersistentModelIndex

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2


class Col(IntEnum):
    REF = 0
    DEPARTMENTS = 1
    DESCRIPTION = 2
    CURRENT_I = 3
    CURRENT_L = 4
    CURRENT = 5
    TARGET_I = 6
    TARGET_L = 7
    TARGET = 8
    DIRECTION = 9
    OWNER = 10
    CATEGORY = 11
    APPETITE = 12


HEADERS = {
    Col.REF: ("Ref", "Risk reference"),
    Col.DEPARTMENTS: ("Dept.", "Departments or functions"),
    Col.DESCRIPTION: ("Risk description", "Risk description (IF … THEN …)"),
    Col.CURRENT_I: ("I", "Current impact, 1–5"),
    Col.CURRENT_L: ("L", "Current likelihood, 1–5"),
    Col.CURRENT: ("Current", "Current risk score, impact × likelihood"),
    Col.TARGET_I: ("I", "Target impact, 1–5"),
    Col.TARGET_L: ("L", "Target likelihood, 1–5"),
    Col.TARGET: ("Target", "Target risk score after further mitigation"),
    Col.DIRECTION: ("Direction of travel", "Expected direction of the residual score over the next 12 months"),
    Col.OWNER: ("Owner", "Risk owner"),
    Col.CATEGORY: ("Category", "Register category"),
    Col.APPETITE: ("Appetite", "▲ when the current score is above the category's appetite (its maximum tolerable "
                               "score)"),
}

SCORE_COLUMNS = {Col.CURRENT_I, Col.CURRENT_L, Col.CURRENT, Col.TARGET_I, Col.TARGET_L, Col.TARGET}

_ROLE = Qt.ItemDataRole
#: The roles ``data`` answers. A view asks each visible cell for seven roles on every paint (font,
#: decoration and check state among them): those it does not answer are turned away first.
_ANSWERED = frozenset(int(r) for r in (
    _ROLE.DisplayRole, SORT_ROLE, ROW_ROLE, _ROLE.BackgroundRole, _ROLE.ForegroundRole, _ROLE.TextAlignmentRole,
    _ROLE.ToolTipRole, _ROLE.AccessibleTextRole))
#: Column number -> Col without building an enum member per cell (``Col(n)`` is a Python call).
_COLS = tuple(Col)
_COLUMNS = len(_COLS)
_ID = attrgetter("id")


def _first_line(text: str, limit: int = 220) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _score_part(side: str, part: str) -> Callable[[RiskRow], Any]:
    """The sort key of one score column: ``part`` of the latest line's ``side`` score (-1: none)."""

    def key(row: RiskRow) -> Any:
        score = getattr(row.lines[0], side) if row.lines else None
        return getattr(score, part) if score else -1

    return key


#: Each column's sort key, one function per column: a cold sort makes 5,000 of them at a click.
_SORT_KEYS: dict[Col, Callable[[RiskRow], Any]] = {
    Col.REF: attrgetter("register_order"),
    Col.DEPARTMENTS: lambda row: row.departments_text.lower(),
    Col.DESCRIPTION: lambda row: row.description.lower(),
    Col.CURRENT_I: _score_part("current", "impact"),
    Col.CURRENT_L: _score_part("current", "likelihood"),
    Col.CURRENT: _score_part("current", "score"),
    Col.TARGET_I: _score_part("target", "impact"),
    Col.TARGET_L: _score_part("target", "likelihood"),
    Col.TARGET: _score_part("target", "score"),
    Col.DIRECTION: lambda row: row.direction.value if row.direction else "",
    Col.OWNER: lambda row: row.owner_name.lower(),
    Col.CATEGORY: attrgetter("register_order"),
}


def sort_value(row: RiskRow, col: Col) -> Any:
    """The raw value a column sorts by (None sorts first)."""
    key = _SORT_KEYS.get(col)
    return key(row) if key else None


#: What the register knows of a risk's appetite: (out of appetite, tooltip), or None where none is set.
AppetiteOf = Callable[["RiskRow"], "tuple[bool, str] | None"]


class RiskTableModel(ListTableModel["RiskRow"]):
    HEADERS = HEADERS

    def __init__(self, bands: Bands | None, parent: Any = None) -> None:
        """``bands`` None: the scheme is not known yet, so no cell is coloured by band until ``set_bands``."""
        super().__init__(parent)
        self._bands = bands
        self._texts: dict[int, tuple[RiskRow, str]] = {}
        #: Sort keys per column, by risk id; computed once per load.
        self._keys: dict[Col, dict[int, Any]] = {}
        #: ``_all`` in the sort's order, and each of those rows' haystack for the free-text search
        #: (None: to be made). A keystroke in the search filters them, in order: nothing is sorted.
        self._ordered: list[RiskRow] | None = None
        self._ordered_texts: list[str] | None = None
        self._needle = ""
        self._current: int | None = None  # how many of ``_all`` are current risks (None: to be counted)
        self._filter: Callable[[RiskRow], bool] | None = None
        self._sort: tuple[Col, Qt.SortOrder] = (Col.REF, Qt.SortOrder.AscendingOrder)
        self._brushes = _brushes(bands) if bands is not None else {}
        self._appetite: AppetiteOf = lambda _row: None

    # -- data in -------------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[RiskRow]) -> None:
        """Show these rows."""
        self.beginResetModel()
        self._all = list(rows)
        self._keys = {}
        self._texts = {}
        self._given_changed()
        self._apply()
        self.endResetModel()

    def show(self, rows: Sequence[RiskRow], predicate: Callable[[RiskRow], bool] | None, needle: str = "") -> None:
        """Show these rows, those ``predicate`` passes (None: all) whose haystack holds ``needle``:
        filtered and sorted once, where ``set_rows`` and then ``set_filter`` would sort them twice
        (5,000 risks: some 5 ms as they load)."""
        self._filter = predicate
        self._needle = needle
        self.set_rows(rows)

    def add_texts(self, texts: Sequence[tuple[RiskRow, str]]) -> None:
        """Search haystacks made ahead (on a worker thread): (row, its ``search_text``). Each is used
        only for the very row object it was made from (``search_text`` checks), so a row changed
        meanwhile has its haystack made again."""
        for row, text in texts:
            self._texts.setdefault(row.id, (row, text))

    def search_text(self, row: RiskRow) -> str:
        """The free-text haystack of a row, cached while the row object stays the same."""
        hit = self._texts.get(row.id)
        if hit is not None and hit[0] is row:
            return hit[1]
        text = search_text(row)
        self._texts[row.id] = (row, text)
        return text

    def set_bands(self, bands: Bands) -> None:
        """Colour by these bands (the database's scheme may differ from the default)."""
        self._bands = bands
        self._brushes = _brushes(bands)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(Col) - 1))

    def set_appetite(self, appetite_of: AppetiteOf) -> None:
        """How to tell a row's appetite (from the scheme in use and the row's category)."""
        self._appetite = appetite_of
        self._keys.pop(Col.APPETITE, None)
        self._order_changed()
        if self._rows:
            self.dataChanged.emit(self.index(0, Col.APPETITE), self.index(len(self._rows) - 1, Col.APPETITE))

    def out_of_appetite(self, row: RiskRow) -> bool:
        hit = self._appetite(row)
        return hit is not None and hit[0]

    def set_filter(self, predicate: Callable[[RiskRow], bool] | None, needle: str = "") -> None:
        """Show the rows ``predicate`` passes (None: all) whose ``search_text`` holds ``needle``
        (already casefolded; "": any). The search is the model's own, over haystacks kept in the
        rows' order: one list comprehension on each keystroke, not two Python calls per row."""
        self._filter = predicate
        self._needle = needle
        self.relayout()

    def current_count(self) -> int:
        """How many of the rows given (filters ignored) are current risks; counted once per change
        of the rows, not on each keystroke of a search."""
        if self._current is None:
            self._current = sum(1 for r in self._all if r.status == "current")
        return self._current

    def _given_changed(self) -> None:
        """``_all`` changed: what is kept of it is made again when next asked for."""
        self._order_changed()
        self._current = None

    def _order_changed(self) -> None:
        """``_all``, the sort or its keys changed: ``_all`` is sorted again when next shown."""
        self._ordered = None
        self._ordered_texts = None

    def score_counts(self) -> Counter[int | None]:
        """How many rows shown have each current score (None: unscored), from the score column's
        sort keys (made once per row): the status bar counts them on every keystroke."""
        keys = self._sort_keys(Col.CURRENT, self._rows)
        counts = Counter(map(keys.__getitem__, map(_ID, self._rows)))
        if -1 in counts:
            counts[None] = counts.pop(-1)
        return counts

    def upsert(self, row: RiskRow) -> None:
        """Add or refresh one risk; it moves to where the sort puts it, or out of view if filtered."""
        for i, r in enumerate(self._all):
            if r.id == row.id:
                self._all[i] = row
                break
        else:
            self._all.append(row)
        for keys in self._keys.values():
            keys.pop(row.id, None)
        self._given_changed()
        self.relayout()

    def remove(self, risk_id: int) -> None:
        """Drop a risk that left this register (removed or moved)."""
        self._all = [r for r in self._all if r.id != risk_id]
        for keys in self._keys.values():
            keys.pop(risk_id, None)
        self._given_changed()
        self.relayout()

    def sort_state(self) -> tuple[Col, Qt.SortOrder]:
        return self._sort

    def _apply(self) -> None:
        if self._ordered is None:
            self._ordered, self._ordered_texts = self._sorted(self._all), None
        rows = self._ordered
        if self._needle:
            if self._ordered_texts is None:
                self._ordered_texts = list(map(self.search_text, rows))
            needle = self._needle
            rows = [r for r, text in zip(rows, self._ordered_texts, strict=True) if needle in text]
        if self._filter is not None:
            rows = [r for r in rows if self._filter(r)]
        # (Filtering the sorted rows keeps them in the order a stable sort of the rows left gives.)
        self._rows = list(rows) if rows is self._ordered else rows

    def _sorted(self, rows: list[RiskRow]) -> list[RiskRow]:
        """``rows`` in the sort's order, equal keys as given."""
        col, order = self._sort
        keys = self._sort_keys(col, rows)
        # The positions sorted by their rows' keys, looked up in a list: no Python call per row.
        ordered = list(map(keys.__getitem__, map(_ID, rows)))
        positions = sorted(range(len(rows)), key=ordered.__getitem__, reverse=order == Qt.SortOrder.DescendingOrder)
        return list(map(rows.__getitem__, positions))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED:
            return None
        n, c = index.row(), index.column()  # an invalid index is at (-1, -1)
        if not (0 <= n < len(self._rows) and 0 <= c < _COLUMNS):
            return None
        row = self._rows[n]
        col = _COLS[c]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, col)
        if role == SORT_ROLE:
            return self._sort_value(row, col)
        if role == ROW_ROLE:
            return row
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and col in SCORE_COLUMNS:
            score = row.score if col in (Col.CURRENT_I, Col.CURRENT_L, Col.CURRENT) else row.target_score
            if score is None:
                return None
            band = self._band(score)
            if band is None:
                return None
            fill, text = self._brushes[band.name]
            return fill if role == Qt.ItemDataRole.BackgroundRole else text
        if role == Qt.ItemDataRole.TextAlignmentRole and (col in SCORE_COLUMNS or col in (Col.REF, Col.APPETITE)):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == Col.DESCRIPTION:
                # Rich text, so the tooltip wraps instead of running off the screen as one line.
                from html import escape  # on hover only: html.entities is not the first paint's

                area = f"<b>{escape(row.service_area)}</b><br>" if row.service_area else ""
                return f"<p style='white-space:pre-wrap'>{area}{escape(row.description)}</p>"
            if col in (Col.CURRENT, Col.TARGET):
                score = row.score if col == Col.CURRENT else row.target_score
                band = self._band(score) if score is not None else None
                if band is not None:
                    return f"{score}: {band.label}"
            if col == Col.DIRECTION:
                return row.direction_text
            if col == Col.APPETITE:
                hit = self._appetite(row)
                return hit[1] if hit else "No appetite set for this risk's category"
        if role == Qt.ItemDataRole.ForegroundRole and col == Col.APPETITE and self.out_of_appetite(row):
            return QBrush(QColor("#a00000"), Qt.BrushStyle.SolidPattern)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(row, col)
            band = self._band(int(text)) if col in (Col.CURRENT, Col.TARGET) and text else None
            if band is not None:
                return f"{HEADERS[col][1]} {text}, {band.label}"
            return text
        return None

    def _sort_keys(self, col: Col, rows: Sequence[RiskRow]) -> dict[int, Any]:
        """Column ``col``'s sort keys by risk id, made for those of ``rows`` that have none yet.
        (The keys are only ever of rows given, each dropped as its row changes or goes: as many
        keys as rows given is all of them, and ``rows`` is not even looked through.)"""
        keys = self._keys.setdefault(col, {})
        if len(keys) < len(self._all):
            key = _SORT_KEYS.get(col) or (lambda row: self._sort_value(row, col))
            keys.update([(r.id, key(r)) for r in rows if r.id not in keys])
        return keys

    def _sort_value(self, row: RiskRow, col: Col) -> Any:
        if col == Col.APPETITE:
            hit = self._appetite(row)
            return (0 if hit is None else 2 if hit[0] else 1, row.score or 0)
        return sort_value(row, col)

    def _band(self, score: int) -> Band | None:
        if self._bands is None:  # the scheme is not known yet: nothing is coloured
            return None
        # A score given under an earlier, larger scheme may fall in no band of the current one.
        try:
            return self._bands.band_for(score)
        except ValidationError:
            return None

    def _display(self, row: RiskRow, col: Col) -> str:
        cur, tgt = row.current, row.target
        match col:
            case Col.REF:
                return row.ref
            case Col.DEPARTMENTS:
                return row.departments_text
            case Col.DESCRIPTION:
                prefix = f"{row.service_area}: " if row.service_area else ""
                return _first_line(prefix + row.description)
            case Col.CURRENT_I:
                return str(cur.impact) if cur else ""
            case Col.CURRENT_L:
                return str(cur.likelihood) if cur else ""
            case Col.CURRENT:
                return str(cur.score) if cur else ""
            case Col.TARGET_I:
                return str(tgt.impact) if tgt else ""
            case Col.TARGET_L:
                return str(tgt.likelihood) if tgt else ""
            case Col.TARGET:
                return str(tgt.score) if tgt else ""
            case Col.DIRECTION:
                return f"{row.direction.arrow} {row.direction_text}" if row.direction else ""
            case Col.OWNER:
                return row.owner_name
            case Col.CATEGORY:
                return row.category_heading
            case Col.APPETITE:
                hit = self._appetite(row)
                return "" if hit is None else "▲ Out" if hit[0] else "Within"
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(Col):
            return
        self._sort = (Col(column), order)
        self._order_changed()
        self.relayout()


def _brushes(bands: Bands) -> dict[str, tuple[QBrush, QBrush]]:
    """Fill and text brushes per band name: black text on light fills, white on dark."""
    out: dict[str, tuple[QBrush, QBrush]] = {}
    for band in bands.bands:
        fill = QColor(band.rgb)
        text = readable_text(fill)
        # With the style named, PySide matches the (QColor, BrushStyle) overload at once instead of
        # setting up QGradient to rule out QBrush(QGradient) first: some 3 ms of the first paint.
        out[band.name] = (QBrush(fill, Qt.BrushStyle.SolidPattern), QBrush(text, Qt.BrushStyle.SolidPattern))
    return out
