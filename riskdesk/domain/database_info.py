"""What a database holds, as `riskdesk info` and the About box show it.

A module of its own so that `riskdesk info` need not import the register's DTOs (and the scoring,
direction and snapshot modules behind them) to print a few counts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DatabaseInfo:
    database: str
    schema_revision: str | None
    registers: tuple[tuple[str, str, int, int], ...]  # (name, kind, current, removed)
    periods: tuple[str, ...]
    cycles: int
    users: int
    audit_entries: int
