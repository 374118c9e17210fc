"""The appendix parts a cycle prints."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


PARTS = (("A", "Part A (public)"), ("B", "Part B (exempt risks)"))
