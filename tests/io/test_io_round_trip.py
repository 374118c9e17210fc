"""A riskdesk export imports back to the same risks, long and formula-like text included."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from iohelpers import FENLAND, FENLAND_OWNERS, import_file

from riskdesk.domain.direction import Direction
from riskdesk.domain.scoring import Score
from riskdesk.domain.snapshot import ScoreLine
from riskdesk.io.export import export_rows
from riskdesk.io.prepare import ImportedRisk
from riskdesk.io.register import REGISTER_COLUMNS, register_row

DEPTS = ("CR", "A&C", "C&FS")


def _risks() -> list[ImportedRisk]:
    fenland = import_file(FENLAND, known_owners=FENLAND_OWNERS).rows
    update = "\n\n".join(f"Paragraph {n}: " + "progress noted, " * 40 + "done." for n in range(70))[:40_000].strip()
    assert len(update) >= 39_990
    extra = [
        ImportedRisk(
            row=22, ref="7.2", description="=HYPERLINK(\"http://evil\",\"click\")", category="Finance",
            departments=("A&C", "C&FS"), owners=("Jane Doe",), current=Score(5, 3), target=Score(3, 3),
            inherent=Score(5, 5), current_stated_score=15, target_stated_score=9, inherent_stated_score=25,
            direction=Direction.DOWN, update=update, mitigation="-5% budget\n+ new staff", actions="@team",
            comments="'=already quoted", note="Decreased from 20",
            lines=(ScoreLine(Score(5, 4), Score(3, 3), "=E&T: (north)", "Decreased from 20"),
                   ScoreLine(Score(4, 5), None, "", "two\nlines"), ScoreLine(Score(2, 2))),
            direction_text="Expected to move to amber by March",
        ),
        ImportedRisk(row=23, ref="C", description="Cost of living", departments=("CR",), owners=("Jane Doe",),
                     current=Score(4, 4), current_stated_score=16, direction=Direction.LEVEL),
    ]
    return [*fenland, *extra]


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_export_then_import_gives_identical_risks(tmp_path: Path, ext: str) -> None:
    risks = _risks()
    path = export_rows(tmp_path / f"register.{ext}", REGISTER_COLUMNS, [register_row(r) for r in risks])
    prepared = import_file(path, known_owners=(*FENLAND_OWNERS, "Jane Doe"), known_departments=DEPTS)
    assert prepared.headers.count("Update (continued 2)") == 1
    assert prepared.ok and prepared.problems == ()
    assert list(prepared.rows) == risks
    assert len(prepared.rows[-2].update) >= 39_990
    assert prepared.rows[-2].description.startswith("=HYPERLINK")
    assert prepared.rows[-2].lines[0].label == "=E&T: (north)" and len(prepared.rows[-2].lines) == 3


def test_an_export_without_the_newer_columns_still_imports(tmp_path: Path) -> None:
    # Exports written before "Score note", "Other scoring lines" and "Direction words" existed.
    risks = _risks()
    old = [j for j, c in enumerate(REGISTER_COLUMNS)
           if c.heading not in ("Score note", "Other scoring lines", "Direction words")]
    path = export_rows(tmp_path / "old.csv", [REGISTER_COLUMNS[j] for j in old],
                       [[register_row(r)[j] for j in old] for r in risks])
    prepared = import_file(path, known_owners=(*FENLAND_OWNERS, "Jane Doe"), known_departments=DEPTS)
    assert prepared.ok and prepared.problems == ()
    assert list(prepared.rows) == [replace(r, note="", lines=(), direction_text="") for r in risks]
    assert prepared.rows[-2].current == Score(5, 3) and len(prepared.rows[-2].update) >= 39_990


def test_fenland_whole_text_survives_the_round_trip(tmp_path: Path) -> None:
    risks = import_file(FENLAND, known_owners=FENLAND_OWNERS).rows
    doubled = [replace(r, update=r.update + "\n\n" + r.mitigation) for r in risks]
    path = export_rows(tmp_path / "f.xlsx", REGISTER_COLUMNS, [register_row(r) for r in doubled])
    assert list(import_file(path, known_owners=FENLAND_OWNERS).rows) == doubled
