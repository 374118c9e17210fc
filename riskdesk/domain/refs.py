"""Risk refs ("1.10", "C", "CR-3") and their natural order."""

from __future__ import annotations

from typing import Any


def ref_sort_key(ref: str) -> tuple[Any, ...]:
    """Natural order for refs: C, 1.1, 1.2, 1.10, 2.1 (letters first, then numbers)."""
    parts: list[tuple[int, Any]] = []
    for piece in ref.replace("-", ".").split("."):
        parts.append((1, int(piece)) if piece.isdigit() else (0, piece.lower()))
    return tuple(parts)
