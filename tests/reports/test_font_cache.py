"""The report fonts' parse, kept between runs (``riskdesk.reports.font_cache``): a later run reads
it instead of parsing the font files again, and prints byte for byte what a parse prints; a cache
that is corrupt, stale or cannot be written costs nothing but the parse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from riskdesk.reports import font_cache
from riskdesk.reports.fonts import _FILES, FONT_DIR

HERE = Path(__file__).resolve().parent

#: A fresh process printing the published appendix, as ``riskdesk appendix`` would: it reports how
#: many font files ReportLab parsed, and writes the PDF.
CHILD = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from reportlab.pdfbase import ttfonts
parsed = []
original = ttfonts.TTFontFile.extractInfo
def counting(self, *args, **kwargs):
    parsed.append(self.filename)
    return original(self, *args, **kwargs)
ttfonts.TTFontFile.extractInfo = counting
from published import published_snapshot
from riskdesk.reports.appendix import write_appendix_pdf
write_appendix_pdf(published_snapshot(), sys.argv[2])
print(json.dumps(sorted(p.rsplit("/", 1)[-1] for p in parsed)))
"""
FACES = sorted(_FILES.values())


def _print(cache: Path, out: Path) -> list[str]:
    """Print the published appendix in a fresh process with ``cache`` as the cache folder; the font
    files it parsed."""
    env = dict(os.environ, RISKDESK_CACHE_DIR=str(cache))
    run = subprocess.run([sys.executable, "-c", CHILD, str(HERE), str(out)], env=env, capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


def _cached(cache: Path) -> list[Path]:
    return sorted(cache.glob("fonts/*/*.marshal"))


def test_a_later_run_reads_the_fonts_from_the_cache_and_prints_the_same_bytes(tmp_path):
    cache = tmp_path / "cache"
    first = _print(cache, tmp_path / "first.pdf")
    second = _print(cache, tmp_path / "second.pdf")
    print(f"font files parsed: first run {len(first)}, second run {len(second)}; cache files {len(_cached(cache))}")
    assert first == FACES  # the four faces, parsed once
    assert sorted(p.name.split(".ttf-")[0] + ".ttf" for p in _cached(cache)) == FACES
    assert second == []  # none parsed again
    assert (tmp_path / "second.pdf").read_bytes() == (tmp_path / "first.pdf").read_bytes()


def _flip_a_bit_midway(path: Path) -> None:
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2] ^= 0x01  # within the tables of numbers: a width or a glyph off by one, still readable
    path.write_bytes(bytes(raw))


@pytest.mark.parametrize("damage", [lambda p: p.write_bytes(p.read_bytes()[:1000]), _flip_a_bit_midway],
                         ids=["torn", "one-bit-changed"])
def test_a_damaged_cache_is_parsed_again_and_rewritten(tmp_path, damage):
    cache = tmp_path / "cache"
    _print(cache, tmp_path / "good.pdf")
    for path in _cached(cache):
        damage(path)
    parsed = _print(cache, tmp_path / "after.pdf")
    print(f"font files parsed over a damaged cache: {len(parsed)}")
    assert parsed == FACES
    assert (tmp_path / "after.pdf").read_bytes() == (tmp_path / "good.pdf").read_bytes()
    assert _print(cache, tmp_path / "again.pdf") == []  # rewritten whole


def test_a_cache_folder_that_cannot_be_made_costs_only_the_parse(tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    parsed = _print(blocked, tmp_path / "out.pdf")
    assert parsed == FACES
    assert (tmp_path / "out.pdf").read_bytes()[:5] == b"%PDF-"
    assert blocked.read_text() == "a file where the cache folder would be"


@pytest.mark.parametrize("filename", FACES)
def test_a_cached_face_equals_the_parse_value_for_value_and_type(tmp_path, monkeypatch, filename):
    from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

    monkeypatch.setenv("RISKDESK_CACHE_DIR", str(tmp_path))
    parsed = font_cache.load_font("Test-Parsed", FONT_DIR / filename)  # parses, and writes the cache
    monkeypatch.setattr(TTFontFile, "extractInfo", lambda *_a, **_k: pytest.fail("parsed, not read from the cache"))
    cached = font_cache.load_font("Test-Cached", FONT_DIR / filename)
    assert isinstance(cached, TTFont)

    def values(font: TTFont) -> dict[str, tuple[type, object]]:
        return {k: (type(v), v) for k, v in vars(font.face).items() if k != "_pdfScale"}

    assert values(cached) == values(parsed)
    assert cached.face._pdfScale(1234) == parsed.face._pdfScale(1234)
    assert (cached._asciiReadable, cached._shapable, vars(cached.encoding)) == (
        parsed._asciiReadable, parsed._shapable, vars(parsed.encoding))
    assert cached.stringWidth("Ŵŷ € ↔ risk", 7.5) == parsed.stringWidth("Ŵŷ € ↔ risk", 7.5)


def test_a_changed_font_file_is_parsed_again(tmp_path, monkeypatch):
    from reportlab.pdfbase.ttfonts import TTFontFile

    monkeypatch.setenv("RISKDESK_CACHE_DIR", str(tmp_path / "cache"))
    font = tmp_path / "Face.ttf"
    font.write_bytes((FONT_DIR / "DejaVuSans.ttf").read_bytes())
    font_cache.load_font("Test-Before", font)
    font.write_bytes((FONT_DIR / "DejaVuSans-Bold.ttf").read_bytes())  # another face under the same name
    parses = []
    original = TTFontFile.extractInfo
    monkeypatch.setattr(TTFontFile, "extractInfo", lambda self, *a, **k: parses.append(1) or original(self, *a, **k))
    after = font_cache.load_font("Test-After", font)
    assert parses == [1]
    assert after.face.name == b"DejaVuSans-Bold"
    kept = sorted(p.name.split(".ttf-")[0] for p in (tmp_path / "cache").glob("fonts/*/*.marshal"))
    assert kept == ["Face"]  # the earlier version's parse is gone, not left to pile up


def test_another_reportlab_versions_cache_is_removed_when_this_one_writes(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKDESK_CACHE_DIR", str(tmp_path))
    old = tmp_path / "fonts" / "reportlab-0.0-python-3.0-format-0"
    old.mkdir(parents=True)
    (old / "DejaVuSans.ttf-1-1.marshal").write_bytes(b"from another version")
    font_cache.load_font("Test-Pruning", FONT_DIR / "DejaVuSans.ttf")
    folders = [p.name for p in (tmp_path / "fonts").iterdir()]
    assert len(folders) == 1 and folders[0] != old.name
