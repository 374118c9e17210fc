"""The appendix's score digits: drawn without a paragraph each, and printed exactly as a paragraph
printed them (the same pixels), on white and on every band's fill, in every cell width the
appendix uses, in a single-line table cell and in the stacked cells of a risk with several lines."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

from riskdesk.domain.scoring import default_scheme
from riskdesk.reports import appendix as a

SCHEME = default_scheme()


def _page(cells: str, tmp: Path, name: str) -> bytes:
    """One page of score tables, rendered by poppler at 200 dpi (PNG bytes)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    st = a._Styles()
    make = {"paragraph": a.Paragraph, "score text": a.PlainLine}[cells]
    flowables = []
    for width in (a.SCORE_W, a.SCORE_W - 2, 40.0):
        data, style = [], [("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.5, a.GRID)]
        for row, score in enumerate((1, 4, 9, 12, 16, 25)):
            rgb = a._band_rgb(SCHEME, score)
            data.append([[make(str(score), st.score)], [make(str(score), st.on_fill(st.score, rgb))],
                         [make(str(score), st.score), make(str(score % 5 + 1), st.score)]])
            style.append(("BACKGROUND", (1, row), (1, row), a._band_colour(SCHEME, score)))
        flowables.append(Table(data, colWidths=[width] * 3, style=TableStyle(style)))
    pdf = tmp / f"{name}.pdf"
    SimpleDocTemplate(str(pdf), pagesize=landscape(A4), invariant=1).build(flowables)
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-singlefile", str(pdf), str(tmp / name)], check=True)
    return (tmp / f"{name}.png").read_bytes()


def test_score_digits_print_exactly_as_a_paragraph_printed_them(tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler's pdftoppm is not installed (Debian package poppler-utils)")
    before, after = _page("paragraph", tmp_path, "before"), _page("score text", tmp_path, "after")
    print(f"pages differing, score text against paragraphs: {int(before != after)} of 1")
    assert after == before


def test_only_plain_digits_skip_the_paragraph() -> None:
    st = a._Styles()
    assert isinstance(a._score("16", st.score), a.PlainLine)
    marked = a._score(a._score_text(16, True), st.score)  # the appetite mark is markup: a paragraph
    assert isinstance(marked, a.Paragraph)
    buffer = io.BytesIO()
    from reportlab.platypus import SimpleDocTemplate

    SimpleDocTemplate(buffer, invariant=1).build([marked])
    assert buffer.getvalue().startswith(b"%PDF")
