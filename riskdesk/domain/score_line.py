"""A risk's scoring line: its own module, so that listing the register needs none of the snapshot's."""

from __future__ import annotations

from dataclasses import dataclass

from riskdesk.domain.scoring import Score


@dataclass(frozen=True)
class ScoreLine:
    """One scoring line of a risk; most risks have one, some (7.2) several."""

    current: Score
    target: Score | None = None
    label: str = ""  # e.g. the department group the line is for; may be empty
    #: Printed under the current impact, e.g. "Decreased from 20".
    note: str = ""
