"""Short plain text in table cells drawn without a paragraph each (reports/plain_line.py): the page
looks the same to the pixel as with a paragraph per cell, reads back the same, and anything a plain
line cannot draw as a paragraph draws it (too wide, spaces kept, line breaks, other scripts) is
still a paragraph."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from riskdesk.reports.text import to_markup

#: Cell texts as the clinical appendix and PGD tables hold them, and some that must stay paragraphs.
TEXTS = ("1", "12", "Complete", "In progress", "Re-audit", "BASHH", "12/03/2024", "2 of 3 done", "",
         "R&D <urgent> \"quoted\" 'single'", "Audit of BASHH guideline 42 on partner notification",
         "A title long enough that it cannot fit on one line of the narrow column it is printed in",
         "two  spaces", " leading space", "line one\nline two", "Café in Ynys Môn", "Red")
WIDTHS = (10.0 * 2.835, 22.0 * 2.835, 118.0 * 2.835)


def _styles() -> list:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    from riskdesk.reports.fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=11.5)
    return [body, ParagraphStyle("bold", parent=body, fontName=BOLD),
            ParagraphStyle("alarm", parent=body, fontName=BOLD, textColor=colors.white),
            ParagraphStyle("centre", parent=body, alignment=TA_CENTER),
            ParagraphStyle("right", parent=body, alignment=TA_RIGHT, fontSize=8, leading=10)]


def _pdf(cells: str, tmp: Path, name: str) -> Path:
    """Tables of every text in every style and width, one text per cell (as the reports' tables)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from riskdesk.reports.plain_line import cell_text

    def make(text: str, style: object, width: float) -> object:
        return cell_text(text, style, width - 8) if cells == "plain" else Paragraph(to_markup(text), style)

    flowables = []
    for style in _styles():
        data = [[make(t, style, w) for w in WIDTHS] for t in TEXTS]
        flowables.append(Table(data, colWidths=list(WIDTHS), style=TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#ff0000"))])))
    pdf = tmp / f"{name}.pdf"
    SimpleDocTemplate(str(pdf), pagesize=landscape(A4), invariant=1).build(flowables)
    return pdf


def _pngs(pdf: Path) -> list[bytes]:
    subprocess.run(["pdftoppm", "-r", "150", "-png", str(pdf), str(pdf.with_suffix(""))], check=True)
    return [p.read_bytes() for p in sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))]


def test_plain_lines_print_exactly_as_paragraphs_printed_them(tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftoppm and pdftotext are not installed (Debian package poppler-utils)")
    before, after = _pdf("paragraph", tmp_path, "before"), _pdf("plain", tmp_path, "after")
    pages_before, pages_after = _pngs(before), _pngs(after)
    differing = sum(a != b for a, b in zip(pages_before, pages_after, strict=False))
    print(f"pages differing, plain lines against paragraphs: {differing} of {len(pages_before)}")
    assert len(pages_after) == len(pages_before) > 1
    assert differing == 0

    def text(pdf: Path) -> str:
        return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout

    assert text(after) == text(before)


def test_only_what_fits_plainly_skips_the_paragraph() -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from riskdesk.reports.plain_line import PlainLine, cell_text

    body = _styles()[0]
    narrow, wide = 22.0 * 2.835 - 8, 118.0 * 2.835 - 8
    for text in ("Complete", "12/03/2024", "R&D", ""):
        assert isinstance(cell_text(text, body, narrow), PlainLine), text
    assert isinstance(cell_text("R&D <urgent> \"quoted\"", body, wide), PlainLine)  # drawn as typed, not markup
    for text in ("two  spaces", " leading", "trailing ", "line\nbreak", "tab\there", "Café", "סיכון",
                 "Audit of BASHH guideline 42 on partner notification", None, 42):
        assert isinstance(cell_text(text, body, narrow), Paragraph), text
    assert isinstance(cell_text("Audit of BASHH guideline 42 on partner notification", body, wide), PlainLine)
    # A style a plain line does not draw (space above, a first-line indent, a change of case): a paragraph.
    for odd in (ParagraphStyle("a", parent=body, spaceBefore=3), ParagraphStyle("b", parent=body, firstLineIndent=6),
                ParagraphStyle("c", parent=body, textTransform="uppercase")):
        assert isinstance(cell_text("Complete", odd, wide), Paragraph), odd.name
