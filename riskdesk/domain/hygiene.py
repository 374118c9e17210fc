"""Register hygiene: the lists a committee asks for, computed from each risk's history.

Pure rules over ``RiskRow.history`` (``((period, current score, target score or None), …)``,
oldest first), so they are cheap on thousands of risks and testable without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from riskdesk.domain.direction import contradicted
from riskdesk.domain.register import RiskRow
from riskdesk.domain.scoring import Bands

History = Sequence[tuple[str, int, int | None]]

#: How many periods in a row before a risk is listed.
TARGET_MET_PERIODS = 2
RED_PERIODS = 4


def not_updated(row: RiskRow, current_period: str) -> bool:
    """True when the risk has no assessment for ``current_period`` (a ``Quarter.code``)."""
    return not any(period == current_period for period, _, _ in row.history)


def trailing_run(history: History, test: object) -> int:
    """How many of the latest periods, counting back from the newest, pass ``test``."""
    run = 0
    for entry in reversed(history):
        if not test(entry):  # type: ignore[operator]
            break
        run += 1
    return run


def target_equals_current_run(history: History) -> int:
    """Latest periods in a row in which the target score equalled the current score."""
    return trailing_run(history, lambda e: e[2] is not None and e[2] == e[1])


def red_run(history: History, bands: Bands) -> int:
    """Latest periods in a row in which the current score sat in the highest band."""
    top = bands.bands[-1]
    return trailing_run(history, lambda e: top.contains(e[1]))


def direction_contradicted(row: RiskRow) -> bool:
    """The declared direction went against the last two periods' actual movement."""
    if row.direction is None:
        return False
    return contradicted(row.direction, [score for _, score, _ in row.history])


@dataclass(frozen=True)
class HygieneReport:
    """Risks (as rows) on each of the committee's hygiene lists, in register order."""

    not_updated: tuple[RiskRow, ...]
    target_met: tuple[RiskRow, ...]
    long_red: tuple[RiskRow, ...]
    contradicted: tuple[RiskRow, ...]

    def sections(self) -> tuple[tuple[str, str, tuple[RiskRow, ...]], ...]:
        """(key, title, rows) for display, in the order a committee reads them."""
        return (
            ("not_updated", "Not updated this period", self.not_updated),
            ("target_met", f"Target = current for {TARGET_MET_PERIODS}+ periods", self.target_met),
            ("long_red", f"Red for {RED_PERIODS}+ periods", self.long_red),
            ("contradicted", "Direction contradicted by the last two movements", self.contradicted),
        )


def hygiene(rows: Iterable[RiskRow], current_period: str, bands: Bands) -> HygieneReport:
    """Sort current risks onto the hygiene lists."""
    stale, met, red, contra = [], [], [], []
    for row in rows:
        if row.status != "current":
            continue
        if not_updated(row, current_period):
            stale.append(row)
        if target_equals_current_run(row.history) >= TARGET_MET_PERIODS:
            met.append(row)
        if red_run(row.history, bands) >= RED_PERIODS:
            red.append(row)
        if direction_contradicted(row):
            contra.append(row)
    return HygieneReport(tuple(stale), tuple(met), tuple(red), tuple(contra))
