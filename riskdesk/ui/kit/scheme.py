"""The scoring scheme a window shows risks by until its database says which one it uses."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from riskdesk.domain.scoring import ScoringScheme


@cache
def default_scheme() -> ScoringScheme:
    """riskdesk's default scheme, made the first time something asks for it.

    The window is built, and painted, before its database has said which scheme it uses, and it
    builds nothing from the default: ``riskdesk.domain.scoring`` (six frozen dataclasses, with
    ``riskdesk.domain.appetite`` some 30 million instructions) is imported on the worker that reads
    the register, not on the GUI thread before the first paint.
    """
    from riskdesk.domain.scoring import default_scheme as make

    return make()
