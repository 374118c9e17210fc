"""The Word appendix lays out the same in any word processor, and reprints byte for byte."""

from __future__ import annotations

import dataclasses
import io
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from riskdesk.domain.snapshot import RegisterSnapshot
from riskdesk.reports.appendix_docx import write_appendix_docx, write_movements_docx

PRESENTED = datetime(2023, 11, 17, 14, 5, 0, tzinfo=UTC)


def _bytes(snapshot: RegisterSnapshot, **kw: object) -> bytes:
    buffer = io.BytesIO()
    write_appendix_docx(snapshot, buffer, **kw)  # type: ignore[arg-type]
    return buffer.getvalue()


def test_every_table_grid_matches_its_cell_widths(snapshot: RegisterSnapshot) -> None:
    doc = Document(io.BytesIO(_bytes(snapshot)))
    mismatches = 0
    for table in doc.tables:
        grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        for row in table.rows:
            col = 0
            for tc in row._tr.tc_lst:
                width = int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w")))
                if width != sum(grid[col:col + tc.grid_span]):
                    mismatches += 1
                col += tc.grid_span
    print(f"cells whose width disagrees with the grid: {mismatches}")
    assert mismatches == 0
    register = next(t for t in doc.tables if "CRR Risk No." in t.rows[0].cells[0].text)
    grid = [int(col.get(qn("w:w"))) for col in register._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(set(grid)) > 3, "the register grid is not 11 equal columns"
    assert grid[9] == max(grid), "the update column is the widest"


def test_rows_may_break_across_pages_and_headers_repeat(snapshot: RegisterSnapshot) -> None:
    doc = Document(io.BytesIO(_bytes(snapshot)))
    register = next(t for t in doc.tables if "CRR Risk No." in t.rows[0].cells[0].text)
    cant_split = sum(1 for row in register.rows if row._tr.trPr is not None
                     and row._tr.trPr.find(qn("w:cantSplit")) is not None)
    assert cant_split == 0
    assert all(row._tr.trPr.find(qn("w:tblHeader")) is not None for row in register.rows[:2])


def test_ref_column_fits_the_longest_ref(snapshot: RegisterSnapshot) -> None:
    risks = snapshot.categories[0].risks
    long_ref = dataclasses.replace(risks[0], ref="ICT-001")
    cat = dataclasses.replace(snapshot.categories[0], risks=(long_ref, *risks[1:]))
    wide = dataclasses.replace(snapshot, categories=(cat, *snapshot.categories[1:]))
    narrow_grid, wide_grid = (
        [int(c.get(qn("w:w"))) for c in next(t for t in Document(io.BytesIO(_bytes(s))).tables
                                             if "CRR Risk No." in t.rows[0].cells[0].text)
         ._tbl.tblGrid.findall(qn("w:gridCol"))]
        for s in (snapshot, wide))
    assert wide_grid[0] > narrow_grid[0]
    assert sum(wide_grid) == sum(narrow_grid)  # the update column gave the room


def test_reprint_is_byte_identical(snapshot: RegisterSnapshot) -> None:
    first = _bytes(snapshot, created=PRESENTED)
    second = _bytes(snapshot, created=PRESENTED)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as z:
        assert z.namelist()[0] == "[Content_Types].xml"
        assert {info.date_time for info in z.infolist()} == {(2023, 11, 17, 14, 5, 0)}
    props = Document(io.BytesIO(first)).core_properties
    assert props.created == datetime(2023, 11, 17, 14, 5, 0) or props.created.replace(tzinfo=None) == \
        datetime(2023, 11, 17, 14, 5, 0)


def test_movements_only_when_asked(snapshot: RegisterSnapshot) -> None:
    def body(data: bytes) -> str:
        return "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)

    assert "Movements since the CRR was last presented" not in body(_bytes(snapshot))
    assert "Movements since the CRR was last presented" in body(_bytes(snapshot, include_movements=True))
    buffer = io.BytesIO()
    write_movements_docx(snapshot, buffer)
    text = body(buffer.getvalue())
    assert "Movements since the CRR was last presented" in text
    assert not any("CRR Risk No." in t.rows[0].cells[0].text for t in Document(io.BytesIO(buffer.getvalue())).tables)


def test_no_bands_line_and_no_dangling_dash(snapshot: RegisterSnapshot) -> None:
    nameless = dataclasses.replace(snapshot, council="")
    paras = [p.text for p in Document(io.BytesIO(_bytes(nameless))).paragraphs]
    assert not any(p.startswith("Bands:") for p in paras)
    assert paras[1] == "Corporate Governance Committee, 17 November 2023"


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_pages(docx: bytes, tmp: Path) -> int:
    """Render a .docx with LibreOffice headless and count its PDF pages."""
    src = tmp / "appendix.docx"
    src.write_bytes(docx)
    profile = tmp / "lo-profile"
    subprocess.run([_soffice() or "soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp), str(src)],
                   check=True, capture_output=True, timeout=240)
    return len(PdfReader(str(tmp / "appendix.pdf")).pages)


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed here (CI installs it)")
def test_libreoffice_page_count_matches_the_pdf(snapshot: RegisterSnapshot, published_pdf: bytes,
                                               tmp_path: Path) -> None:
    pdf_pages = len(PdfReader(io.BytesIO(published_pdf)).pages)
    lo_pages = libreoffice_pages(_bytes(snapshot), tmp_path)
    print(f"published appendix: PDF {pdf_pages} pages, Word file in LibreOffice {lo_pages} pages")
    assert abs(lo_pages - pdf_pages) <= 1


def test_header_rows_are_at_least_as_tall_as_their_headings(snapshot: RegisterSnapshot) -> None:
    """The merged headings (ref … direction) fit the two header rows' own heights: a word processor
    that repeats the header without growing it (LibreOffice) still shows every line."""
    table = Document(io.BytesIO(_bytes(snapshot))).tables[0]
    heights = []
    for row in table.rows[:2]:
        tr_height = row._tr.trPr.find(qn("w:trHeight"))
        assert tr_height is not None and tr_height.get(qn("w:hRule")) == "atLeast"  # never "exact": that clips
        heights.append(int(tr_height.get(qn("w:val"))) / 20)
    # "** Direction of Travel (Residual Risk Score over the next 12 months)": four lines of 8 pt.
    print(f"header rows at least {heights[0]:.1f} + {heights[1]:.1f} pt")
    assert sum(heights) >= 4 * 8 * 1.15


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice is not installed here (CI installs it)")
def test_repeated_header_shows_every_line_in_libreoffice(snapshot: RegisterSnapshot, tmp_path: Path) -> None:
    """On every page the register's header repeats, no heading line is missing or cut by a rule."""
    import pdfplumber

    libreoffice_pages(_bytes(snapshot), tmp_path)
    cut = 0
    pages = 0
    with pdfplumber.open(tmp_path / "appendix.pdf") as pdf:
        for number, page in enumerate(pdf.pages, 1):
            words = page.extract_words()
            travel = next((w for w in words if w["text"] == "Travel"), None)
            if travel is None:
                continue
            pages += 1
            heading = [w for w in words if w["top"] < travel["top"] + 40 and w["text"] in ("No.", "months)")]
            if {w["text"] for w in heading} != {"No.", "months)"}:
                cut += 1
                print(f"page {number}: heading lines missing ({[w['text'] for w in heading]})")
                continue
            for w in heading:  # a rule across the word's column between the heading's top and its last line
                rules = [e for e in page.horizontal_edges if e["x0"] <= w["x0"] and e["x1"] >= w["x1"]
                         and travel["bottom"] < e["top"] < w["bottom"]]
                if rules:
                    cut += 1
                    print(f"page {number}: {w['text']!r} cut by the header's bottom rule")
    print(f"{pages} pages with the register header, {cut} headings cut")
    assert pages >= 5 and cut == 0
