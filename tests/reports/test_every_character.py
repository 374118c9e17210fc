"""Every character a council's staff write prints: the adversarial corpus counts characters lost."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import unicodedata

import pytest
from pdfcheck import extract

from riskdesk.domain.snapshot import RegisterSnapshot
from riskdesk.reports.appendix import write_appendix_pdf
from riskdesk.reports.fonts import (
    describe,
    fallback_font_files,
    needs_no_glyph,
    unprintable,
    unprintable_in_snapshot,
)
from tests.conftest import requires_pdftotext

#: One sample per script the council's users write, plus symbols. Repeated to a corpus of
#: about 20,000 characters so a rare loss still shows as a count.
SCRIPTS = {
    "latin_welsh": "Cyngor Sir Gâr: ŵ ŷ Ŵ Ŷ â ê î ô û ï ë – Ymddiriedolaeth Gofal Iechyd; café, naïve, Łódź, Ærø",
    "greek": "Ελληνικά: κίνδυνος υψηλός, Ωμέγα ΣΊΓΜΑ ς",
    "cyrillic": "Кириллица: риск высокий, Україна їжак ґанок, Ђорђе",
    "arabic": "العربية: خطر كبير جدا ١٢٣",
    "hebrew": "עברית: סיכון גבוה מאוד",
    "devanagari": "हिन्दी: जोखिम बहुत अधिक है, मराठी",
    "chinese": "中文：风险很高，需要立即处理。繁體中文：風險",
    "emoji": "Staff morale 😀👍🏽🦄🇬🇧 ❤️ ✅ ⚠️ 📈 🔥 ☎ ✂",
    "symbols": "€ £ ¥ ½ ± ° × ÷ → ← ↑ ↔ ↓ ✓ ✗ • ◦ ▪ ∑ ≤ ≥ ≠ ∞",
}


def _visible(text: str) -> list[str]:
    return [ch for ch in text if not needs_no_glyph(ch)]


def _snapshot(snapshot: RegisterSnapshot, repeat: int) -> RegisterSnapshot:
    base = snapshot.categories[0].risks[0]
    risks = tuple(
        dataclasses.replace(base, risk_id=9000 + i, ref=f"S{i}", description=SCRIPTS[key],
                            update="\n".join([SCRIPTS[key]] * repeat), service_area="")
        for i, key in enumerate(SCRIPTS))
    cat = dataclasses.replace(snapshot.categories[0], heading="Scripts", risks=risks)
    return dataclasses.replace(snapshot, categories=(cat,))


@pytest.mark.skipif(not fallback_font_files(), reason="no fallback fonts on this machine (CI installs them)")
def test_adversarial_corpus_loses_no_character(snapshot: RegisterSnapshot) -> None:
    repeat = 70
    snap = _snapshot(snapshot, repeat)
    buffer = io.BytesIO()
    write_appendix_pdf(snap, buffer)
    printed = unicodedata.normalize("NFKC", extract(buffer.getvalue()).text)
    corpus_size = 0
    lost: dict[str, int] = {}
    for key, text in SCRIPTS.items():
        chars = _visible(text)
        corpus_size += len(chars) * (repeat + 1)
        # A character is lost when no font draws it, or when it is not in the PDF's text.
        missing = [ch for ch in chars if unprintable(ch)
                   or unicodedata.normalize("NFKC", ch).strip() not in printed]
        lost[key] = len(missing) * (repeat + 1)
        if missing:
            print(key, [describe(ch) for ch in missing])
    print(f"corpus {corpus_size} characters; lost per script: {lost}; total lost {sum(lost.values())}")
    assert corpus_size > 15_000
    assert sum(lost.values()) == 0
    assert unprintable_in_snapshot(snap) == {}


@requires_pdftotext
def test_right_to_left_reads_in_order(snapshot: RegisterSnapshot, tmp_path) -> None:
    snap = _snapshot(snapshot, 1)
    out = tmp_path / "rtl.pdf"
    write_appendix_pdf(snap, out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    # pdftotext reads a visual-order RTL line back in logical order; a reversed word would not match.
    assert "סיכון גבוה מאוד" in text
    assert "ןוכיס" not in text
    assert "خطر كبير جدا" in unicodedata.normalize("NFKC", text)


def test_unprintable_character_is_named_before_saving(snapshot: RegisterSnapshot) -> None:
    private_use = "\ue000"  # no font has a glyph for a private-use code point
    risk = dataclasses.replace(snapshot.categories[0].risks[0], update=f"logo {private_use} here")
    cat = dataclasses.replace(snapshot.categories[0], risks=(risk,))
    found = unprintable_in_snapshot(dataclasses.replace(snapshot, categories=(cat,)))
    assert found == {describe(private_use): [risk.ref]}
    assert describe(private_use).startswith("U+E000")
