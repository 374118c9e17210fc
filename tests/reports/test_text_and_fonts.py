"""Escaping user text for ReportLab, and the shipped font."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from pdfcheck import extract

from riskdesk.reports.fonts import FONT_DIR, missing_glyphs, register_fonts
from riskdesk.reports.text import clean_text, para, paras, to_markup

MARKUP = 'R&D <b> 5<6 & "quotes" </para> <br> \'single\' &amp; <font size=40>'


def _render(flowables: list) -> str:
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, invariant=1).build(flowables)
    return extract(buffer.getvalue()).text


@pytest.fixture(scope="module")
def style():
    from reportlab.lib.styles import ParagraphStyle

    family = register_fonts()
    return ParagraphStyle("t", fontName=family, bulletFontName=family, fontSize=9, leading=11)


def test_markup_prints_exactly_as_typed(style) -> None:
    text = _render([para(MARKUP, style)])
    assert MARKUP in text


def test_bold_wrapper_keeps_the_text(style) -> None:
    assert MARKUP in _render([para(MARKUP, style, bold=True)])


@pytest.mark.parametrize(
    "value",
    [None, "", " ", "\n\n", "\x00\x01\x02\x07\x1b", "a\tb", "\ud800 lone", "\ufffe\uffff", 42, "<", "&", "</para>",
     "<b>", "]]>", "\r\n\r", "• ", "•", "x" * 5000],
)
def test_para_never_raises(style, value) -> None:
    _render([para(value, style), *paras(value, style, style)])


def test_clean_text_rules() -> None:
    assert clean_text(None) == ""
    assert clean_text("a\r\nb\rc\x0bd\x0ce\u2028f") == "a\nb\nc\nd\ne\nf"
    assert clean_text("a\tb") == "a    b"
    assert clean_text("be\x00l\x07l\x1b\x7f\x9f") == "bell"
    assert clean_text("x\ud800y") == "x\ufffdy"
    assert clean_text(12) == "12"


def test_runs_of_spaces_and_newlines_survive() -> None:
    # A breaking space then no-break spaces; a leading space is made no-break too.
    assert to_markup("a   b\n  c") == "a &#160;&#160;b<br/>&#160;&#160;c"


def test_bullets_become_hanging_paragraphs(style) -> None:
    out = paras("intro\n• one\n  • two", style, style)
    assert [p.bulletText for p in out] == [None, "•", "•"]
    assert _render(out).split() == ["intro", "•", "one", "•", "two"]


def test_font_covers_what_staff_type() -> None:
    typed = "ŵŷŴŶ €£ “”‘’ –— • ↑↔↓ éèêëàâçñöüßøåæ ÀÉÎÕÜ Łł Şş"
    assert missing_glyphs(typed) == set()


def test_missing_glyphs_reports_not_crashes() -> None:
    # DejaVu Sans has Arabic, Hebrew and some emoticons (😀) but no CJK and few pictographs.
    assert missing_glyphs("ok 🦄 漢 😀 שלום مرحبا") == {"🦄", "漢"}
    assert missing_glyphs("") == set() and missing_glyphs(None) == set()
    assert "\x07" in missing_glyphs("bell\x07")


def test_register_fonts_is_idempotent() -> None:
    assert register_fonts() == register_fonts()


def test_fonts_and_licence_ship_as_package_data() -> None:
    names = {p.name for p in FONT_DIR.iterdir()}
    assert {"DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "LICENSE-DejaVu.txt"} <= names
    assert (FONT_DIR.parent / "__init__.py").exists()


def test_reports_package_is_cheap_and_pure() -> None:
    """Importing riskdesk.reports must not import ReportLab; the writers never import Qt or the DB."""
    code = (
        "import sys, riskdesk.reports; assert 'reportlab' not in sys.modules, 'reportlab imported eagerly';"
        "import riskdesk.reports.appendix, riskdesk.reports.appendix_docx;"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')"
        " or m.startswith(('riskdesk.models', 'riskdesk.services', 'riskdesk.db'))];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("text", ["R&D <costs> > £1m", "&amp; already", "“quotes” 'and' \"these\"", "", "<<&&>>",
                                  "ŵ € \u00a0 tab\there"])
def test_escaping_is_the_standard_librarys_to_the_letter(text):
    """``riskdesk.reports.text.escape`` stands in for ``xml.sax.saxutils.escape`` (whose module
    imports the web's): the same markup for the same text, quotes included."""
    from xml.sax.saxutils import escape as standard

    from riskdesk.reports.text import _ESCAPES, escape

    assert escape(text, _ESCAPES) == standard(text, _ESCAPES)
    assert escape(text, {}) == standard(text)
