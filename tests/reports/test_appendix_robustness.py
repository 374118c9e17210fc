"""Adversarial text, huge cells, determinism, Part A/B, cancel."""

from __future__ import annotations

import dataclasses
import io
import unicodedata
from pathlib import Path

import pytest
from pdfcheck import PdfText, extract, find_in_order, squash

from riskdesk.domain.direction import Direction
from riskdesk.domain.scoring import Score
from riskdesk.domain.snapshot import (
    AmendedRisk,
    Movements,
    RegisterSnapshot,
    ScoreChange,
    ScoreLine,
    SnapshotCategory,
    SnapshotRisk,
)
from riskdesk.reports.appendix import MARGIN, PAGE, ReportCancelled, write_appendix_pdf
from riskdesk.reports.fonts import missing_glyphs, needs_no_glyph, unprintable

WORDS = ("council", "budget", "placement", "recruitment", "assessment", "Harborough", "S106", "EHCP", "£1.2m",
         "(UASC)", "Leicestershire", "resilience", "mitigation", "workstream", "2023/24")


def long_text(chars: int, seed: int = 0) -> str:
    """Deterministic prose of about ``chars`` characters with numbered words (so order is checkable)."""
    out: list[str] = []
    n = 0
    while sum(len(w) + 1 for w in out) < chars:
        out.append(f"{WORDS[(n * 7 + seed) % len(WORDS)]}{n}")
        n += 1
        if n % 40 == 0:
            out[-1] += "\n•"
    return " ".join(out)


ADVERSARIAL = {
    "markup": 'R&D <b> 5<6 & "quotes" </para> <br> <i>unclosed &amp; &lt; &#169; <font color=red>',
    "welsh": "Cyngor Sir: ŵ ŷ Ŵ Ŷ â ê î ô û – Ymddiriedolaeth Gofal Iechyd",
    "money": "€1,200 £3.5m ¥ ¢ ½ ¼ ¾ ±5% 10°C × ÷",
    "quotes": "“developing our own” ‘internal’ „German“ «French» – en — em … ellipsis",
    "bullets": "• first\n• second ◦ sub ▪ square → ← ↑ ↔ ↓ ✓ ✗",
    "emoji": "Staff morale 😀👍🏽🦄🇬🇧 ❤️ (emoji)",
    "rtl": "Arabic مرحبا بالعالم and Hebrew שלום עולם mixed 123",
    "cjk": "中文 日本語 한국어",
    "controls": "bell\x07 nul\x00 esc\x1b del\x7f c1\x85\x9f tab\tend\r\nCR\rVT\x0bFF\x0c",
    "spaces": "a    b\n\n\n   indented\n\n",
    "long_word": "https://www.leicestershire.gov.uk/" + "x" * 400 + "/end",
    "surrogate": "broken \ud83d half",
}


def _risk(i: int, ref: str, description: str, update: str, **kw: object) -> SnapshotRisk:
    return SnapshotRisk(
        risk_id=1000 + i, ref=ref, departments=("CR",), departments_text=kw.pop("departments_text", "CR"),  # type: ignore[arg-type]
        description=description, lines=(ScoreLine(Score(4, 4), Score(3, 3)),), update=update,
        direction=Direction.DOWN, direction_text="Expected to move to medium/amber", **kw,  # type: ignore[arg-type]
    )


def _with_category(snapshot: RegisterSnapshot, risks: tuple[SnapshotRisk, ...], **kw: object) -> RegisterSnapshot:
    cat = SnapshotCategory(number=99, name="Test", retired=False, heading="99. Test & <Adversarial>", risks=risks)
    return dataclasses.replace(snapshot, categories=(*snapshot.categories, cat), **kw)  # type: ignore[arg-type]


def _pdf(snapshot: RegisterSnapshot, **kw: object) -> bytes:
    buffer = io.BytesIO()
    write_appendix_pdf(snapshot, buffer, **kw)  # type: ignore[arg-type]
    return buffer.getvalue()


@pytest.fixture(scope="module")
def adversarial_text(snapshot: RegisterSnapshot) -> tuple[RegisterSnapshot, PdfText]:
    risks = tuple(
        _risk(i, f"X{i}", description=value, update=value, service_area=value if key == "welsh" else "",
              owner=value)
        for i, (key, value) in enumerate(ADVERSARIAL.items())
    )
    risks += (_risk(99, "X-empty", description="", update=""),)
    moves = Movements(
        since=None,
        amended=(AmendedRisk("X1", "C&FS <SEN>", ADVERSARIAL["markup"], ADVERSARIAL["quotes"], ADVERSARIAL["welsh"]),),
        score_changes=(ScoreChange("X2", 20, 15),),
    )
    snap = _with_category(snapshot, risks, movements=moves,
                          department_key=(*snapshot.department_key, ("R&D", "Research <& Development>")))
    return snap, extract(_pdf(snap, include_movements=True))


@pytest.mark.parametrize("key", list(ADVERSARIAL))
def test_every_character_printed_or_reported(adversarial_text: tuple[RegisterSnapshot, PdfText], key: str) -> None:
    _, text = adversarial_text
    value = ADVERSARIAL[key]
    # Arabic prints in its joined (presentation) forms; NFKC maps them back to the letters.
    printed = set(text.text) | set(unicodedata.normalize("NFKC", text.text))
    unaccounted = {ch for ch in value if not needs_no_glyph(ch)} - printed - unprintable(value) - {
        ch for ch in value if unicodedata.category(ch) == "Cc"}
    assert unaccounted == set(), f"{key}: {sorted(unaccounted)} neither printed nor reported missing"


def test_markup_is_literal(adversarial_text: tuple[RegisterSnapshot, PdfText]) -> None:
    _, text = adversarial_text
    assert squash(ADVERSARIAL["markup"]) in squash(text.text)
    assert "99. Test & <Adversarial>" in text.text
    assert "R&D = Research <& Development>" in text.text
    assert "Risk score decreased from 20 to 15." in text.text


def test_emoji_and_rtl_are_reported_not_fatal() -> None:
    assert missing_glyphs(ADVERSARIAL["emoji"])  # some pictographs are not in DejaVu Sans
    assert missing_glyphs(ADVERSARIAL["cjk"])
    assert missing_glyphs(ADVERSARIAL["welsh"] + ADVERSARIAL["money"] + ADVERSARIAL["quotes"]) == set()


def _assert_inside_frame(text: PdfText) -> None:
    for page, y, run in text.runs:
        assert y >= MARGIN - 2 or y < 20, ("below the frame", page, y, run)
        assert y <= PAGE[1] - MARGIN + 2, ("above the frame", page, y, run)


@pytest.mark.parametrize("where", ["update", "description", "both"])
def test_ten_thousand_characters_split_across_pages(snapshot: RegisterSnapshot, where: str) -> None:
    big = long_text(10_000)
    desc = big if where in ("description", "both") else "Short description."
    upd = big if where in ("update", "both") else "Short update."
    risks = (_risk(1, "L1", desc, upd), _risk(2, "L2", "After the long one.", "Still printed."))
    text = extract(_pdf(_with_category(snapshot, risks)))
    start = text.page_of("99. Test")
    hay = text.tokens(start)
    end = find_in_order(hay, big.split(), what=where)[1]
    find_in_order(hay, ["L2", "CR", "After", "the", "long", "one."], end, what="next risk")
    pages_spanned = text.page_of("After the long one.") - start
    assert pages_spanned >= 2
    for page in text.pages[start:start + pages_spanned + 1]:
        assert "CRRRiskNo." in squash(page), "header row not repeated"
    _assert_inside_frame(text)


def test_unbroken_ten_thousand_character_token(snapshot: RegisterSnapshot) -> None:
    token = "".join(f"{n % 10}" for n in range(10_000))
    text = extract(_pdf(_with_category(snapshot, (_risk(1, "T1", token, token),))))
    squashed = squash("".join(text.pages[text.page_of("99. Test"):]))
    assert squashed.count(token[:50]) >= 2 and token[-50:] in squashed
    _assert_inside_frame(text)


def test_byte_identical(snapshot: RegisterSnapshot, published_pdf: bytes, tmp_path: Path) -> None:
    again = _pdf(snapshot)
    assert again == published_pdf
    write_appendix_pdf(snapshot, tmp_path / "a.pdf")
    write_appendix_pdf(snapshot, str(tmp_path / "b.pdf"))
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes() == published_pdf


def test_json_round_trip_prints_the_same(snapshot: RegisterSnapshot, published_pdf: bytes) -> None:
    """A presented cycle is stored as JSON; reprinting it must give the same bytes."""
    assert _pdf(RegisterSnapshot.from_json(snapshot.to_json())) == published_pdf


def _mark_exempt(snapshot: RegisterSnapshot, refs: set[str]) -> RegisterSnapshot:
    cats = tuple(
        dataclasses.replace(cat, risks=tuple(dataclasses.replace(r, exempt=r.ref in refs) for r in cat.risks))
        for cat in snapshot.categories
    )
    return dataclasses.replace(snapshot, categories=cats)


def test_part_a_excludes_and_part_b_contains_only_exempt(snapshot: RegisterSnapshot) -> None:
    exempt = _mark_exempt(snapshot, {"1.7", "2.4"})
    r17 = next(r for r in snapshot.risks() if r.ref == "1.7")
    r24 = next(r for r in snapshot.risks() if r.ref == "2.4")
    a = extract(_pdf(exempt, part="A"))
    b = extract(_pdf(exempt, part="B"))
    sa, sb = squash(a.text), squash(b.text)
    for risk in (r17, r24):
        assert squash(risk.description) not in sa
        assert squash(max(risk.update.split("\n"), key=len)) not in sa
        assert squash(risk.description) in sb
    # Category 2 has only 2.4: Part A keeps its heading and points to Part B.
    assert "2. Health & Social Care Integration" in a.text
    assert "reported in Part B (exempt)" in a.text
    # Part B: only the exempt risks, the title says so, no public sections repeated.
    for risk in snapshot.risks():
        if risk.ref not in {"1.7", "2.4"}:
            assert squash(risk.description) not in sb, risk.ref
    assert "Part B – exempt" in b.pages[0] and "NOT FOR PUBLICATION" in b.pages[0]
    assert "Risks removed since" not in b.text and "Risk Scoring Matrix" not in b.text
    assert "Movements since" not in b.text
    assert "Cost of Living Crisis" not in b.text and "1. Medium Term Financial Strategy" in b.text


def test_bad_part_is_rejected(snapshot: RegisterSnapshot) -> None:
    with pytest.raises(ValueError):
        _pdf(snapshot, part="C")


def test_cancel_raises_and_writes_nothing(snapshot: RegisterSnapshot, tmp_path: Path) -> None:
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 5

    out = tmp_path / "cancelled.pdf"
    with pytest.raises(ReportCancelled):
        write_appendix_pdf(snapshot, out, cancelled=cancelled)
    assert not out.exists()
    with pytest.raises(ReportCancelled):
        write_appendix_pdf(snapshot, io.BytesIO(), cancelled=lambda: True)


def test_empty_register_still_prints(snapshot: RegisterSnapshot) -> None:
    empty = dataclasses.replace(snapshot, categories=(), removed=(), movements=None, footnotes=(), department_key=())
    text = extract(_pdf(empty))
    assert "Appendix A" in text.pages[0] and "CRR" in text.text
    assert "Risks removed since November 2021" in text.text and "None." in text.text


def test_score_ink_contrasts_with_every_band_fill() -> None:
    from reportlab.lib import colors

    from riskdesk.domain.scoring import DEFAULT_BANDS
    from riskdesk.reports._common import contrast, score_ink
    from riskdesk.reports.appendix import _Styles

    st = _Styles()
    inks = {band.colour: st.on_fill(st.score, band.rgb).textColor for band in DEFAULT_BANDS.bands}
    assert inks == {"red": colors.white, "amber": colors.black, "green": colors.black}
    for band in DEFAULT_BANDS.bands:
        assert contrast(score_ink(band.rgb), band.rgb) >= 3.9
        assert st.on_fill(st.score, band.rgb).fontName == st.score.fontName  # bold everywhere


def test_department_codes_and_group_headings_in_updates_print_bold() -> None:
    """Risk 7.2 and 2.4: a line that is only "CR", "E&T", … or "Risks currently scoring …" is bold."""
    import io

    from published import published_snapshot
    from pypdf import PdfReader

    from riskdesk.reports.appendix import write_appendix_pdf

    buffer = io.BytesIO()
    write_appendix_pdf(published_snapshot(), buffer)
    fonts: dict[str, set[str]] = {}

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip() and font is not None:
            fonts.setdefault(text.strip(), set()).add(str(font.get("/BaseFont", "")))

    for page in PdfReader(io.BytesIO(buffer.getvalue())).pages:
        page.extract_text(visitor_text=visit)
    for line in ("Risks currently scoring 15 and above", "Risks currently scoring below 15", "E&T", "A&C", "PH"):
        assert any("Bold" in f for f in fonts[line]), (line, fonts[line])
    # An ordinary update sentence stays regular.
    regular = next(t for t in fonts if t.startswith("Increasing pressure on system impacts"))
    assert not any("Bold" in f for f in fonts[regular])


def test_word_update_headings_bold_and_scores_inked() -> None:
    import io

    from docx import Document
    from published import published_snapshot

    from riskdesk.reports.appendix_docx import write_appendix_docx

    buffer = io.BytesIO()
    write_appendix_docx(published_snapshot(), buffer)
    doc = Document(io.BytesIO(buffer.getvalue()))
    runs = [run for table in doc.tables for row in table.rows for cell in row.cells for p in cell.paragraphs
            for run in p.runs]
    heading = [r for r in runs if r.text == "Risks currently scoring below 15"]
    assert heading and all(r.bold for r in heading)
    red = [r for r in runs if r.text == "25" and r.font.color.rgb is not None]
    assert red and all(str(r.font.color.rgb) == "FFFFFF" for r in red)
