"""riskdesk's own register layout: the columns it exports and how an imported risk fills them.

An export in this layout imports back through :func:`~riskdesk.io.mapping.guess_mapping`
without the user changing anything (see tests/io/test_round_trip.py).
"""

from __future__ import annotations

from riskdesk.domain.scoring import Score
from riskdesk.io.export import Column
from riskdesk.io.lines import format_lines
from riskdesk.io.prepare import ImportedRisk

REGISTER_COLUMNS: tuple[Column, ...] = (
    Column("Ref", 8),
    Column("Description", 60),
    Column("Category", 20),
    Column("Departments", 14),
    Column("Owners", 24),
    Column("Current impact", 9),
    Column("Current likelihood", 11),
    Column("Current score", 9, banded=True),
    Column("Target impact", 9),
    Column("Target likelihood", 11),
    Column("Target score", 9, banded=True),
    Column("Inherent impact", 9),
    Column("Inherent likelihood", 11),
    Column("Inherent score", 9, banded=True),
    Column("Score note", 16),
    Column("Other scoring lines", 30),
    Column("Direction of travel", 11),
    Column("Direction words", 24),
    Column("Update", 60),
    Column("Mitigation", 40),
    Column("Actions", 40),
    Column("Comments", 40),
)


def _score_cells(score: Score | None, stated: int | float | None) -> list[object]:
    if score is None:
        return [None, None, stated]
    return [score.impact, score.likelihood, stated if stated is not None else score.score]


def register_row(risk: ImportedRisk) -> list[object]:
    """The cells of one risk under :data:`REGISTER_COLUMNS`.

    Departments are joined with ", " and owners with " / ", which the importer splits on. The
    score column carries the stated score when there is one, else impact × likelihood.

    Besides the headline scores: "Score note" is the note printed under the current score,
    "Other scoring lines" holds a risk's extra scoring lines one per line in the form described
    in :mod:`riskdesk.io.lines` ("E&T: 5×4 → 3×3 (note: …)"), and "Direction words" the words
    printed beside the arrow when they are not the ones riskdesk derives (empty otherwise).
    Files exported before these columns existed still import: the columns are simply absent.
    """
    return [
        risk.ref,
        risk.description,
        risk.category or None,
        ", ".join(risk.departments) or None,
        " / ".join(risk.owners) or None,
        *_score_cells(risk.current, risk.current_stated_score),
        *_score_cells(risk.target, risk.target_stated_score),
        *_score_cells(risk.inherent, risk.inherent_stated_score),
        risk.note or None,
        format_lines(risk.lines) or None,
        risk.direction.value if risk.direction else None,
        risk.direction_text or None,
        risk.update or None,
        risk.mitigation or None,
        risk.actions or None,
        risk.comments or None,
    ]
