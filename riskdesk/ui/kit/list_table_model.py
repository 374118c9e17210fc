"""What the big list models share: rows held as a Python list, headers declared once, and the
selection kept on the same record (by id) when the list is re-sorted or re-filtered.

Subclasses keep ``_all`` (every row given) and ``_rows`` (as shown), fill ``_rows`` in their own
``_apply()``, and call :meth:`relayout` after changing the sort or the filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex

#: Every row's flags: built once, not per cell on every paint (``|`` on Qt's flags is a Python call).
_ENABLED_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class HasId(Protocol):
    @property
    def id(self) -> int: ...


R = TypeVar("R", bound=HasId)


class ListTableModel(QAbstractTableModel, Generic[R]):
    #: column number → (short header, long description for tooltips and screen readers)
    HEADERS: Mapping[int, tuple[str, str]] = {}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[R] = []
        self._rows: list[R] = []

    def _apply(self) -> None:
        """Rebuild ``_rows`` from ``_all`` with the current filter and sort."""
        raise NotImplementedError

    def relayout(self) -> None:
        """Re-apply filter and sort; persistent indexes (the selection) follow their record."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        ids = [(self._rows[i.row()].id, i.column()) if 0 <= i.row() < len(self._rows) else None for i in old]
        self._apply()
        if old:
            # Look up only the records the selection is on (a few), not every row shown: a map of
            # 100,000 ids on every keystroke in a search costs more than the search itself.
            wanted = {k[0] for k in ids if k is not None}
            where: dict[int, int] = {}
            for n, r in enumerate(self._rows):
                if r.id in wanted:
                    where[r.id] = n
                    if len(where) == len(wanted):
                        break
            new = [self.index(where[k[0]], k[1]) if k is not None and k[0] in where else QModelIndex() for k in ids]
            self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    # -- rows out ------------------------------------------------------------------------------

    def rows(self) -> list[R]:
        """The rows as shown (filtered and sorted)."""
        return list(self._rows)

    def all_rows(self) -> list[R]:
        """Every row given, filters ignored."""
        return list(self._all)

    def total(self) -> int:
        """How many rows were given, filters ignored (without copying them as :meth:`all_rows` does)."""
        return len(self._all)

    def row_at(self, row: int) -> R:
        return self._rows[row]

    def row_of(self, ident: int) -> int | None:
        """Where the record with this id is shown, or None when filtered out."""
        for i, r in enumerate(self._rows):
            if r.id == ident:
                return i
        return None

    # -- Qt ------------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or section not in self.HEADERS:
            return None
        short, long = self.HEADERS[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return short
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return long
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ENABLED_SELECTABLE

    def valid(self, index: Index) -> bool:
        return index.isValid() and 0 <= index.row() < len(self._rows) and 0 <= index.column() < len(self.HEADERS)
