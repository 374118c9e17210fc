"""Page by page, what a reader sees where a table breaks: no textless fragments, no header
mid-page, no label left alone, no sideways shift. Checked from the PDF's own text positions
and drawn rectangles (pdfplumber)."""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import pytest

pdfplumber = pytest.importorskip("pdfplumber")

from riskdesk.domain.snapshot import RegisterSnapshot  # noqa: E402
from riskdesk.reports import _common as c  # noqa: E402
from riskdesk.reports.appendix import MARGIN, PAGE, register_widths, write_appendix_pdf  # noqa: E402

HEADER_WORD = "CRR"


def _band_fills(snapshot: RegisterSnapshot) -> set[tuple[float, ...]]:
    fills = set()
    for band in snapshot.scheme.bands.bands:
        rgb = band.rgb.lstrip("#")
        fills.add(tuple(round(int(rgb[i:i + 2], 16) / 255, 2) for i in (0, 2, 4)))
    return fills


def _colour(rect: dict) -> tuple[float, ...] | None:
    value = rect.get("non_stroking_color")
    if not isinstance(value, list | tuple) or len(value) != 3:
        return None
    return tuple(round(float(v), 2) for v in value)


def register_problems(pdf_bytes: bytes, snapshot: RegisterSnapshot) -> list[str]:
    """Every pagination fault on the register pages, described; empty when the pages are right."""
    problems: list[str] = []
    fills = _band_fills(snapshot)
    codes = {code for code in c.department_codes(snapshot)}
    widths = register_widths(snapshot)
    update_x0 = MARGIN + sum(widths[:9])
    update_x1 = update_x0 + widths[9]
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            words = page.extract_words(keep_blank_chars=False, use_text_flow=True)
            if not any(w["text"] == HEADER_WORD for w in words):
                continue
            top_of_frame = MARGIN  # pdfplumber's "top" counts from the top of the page
            # 1. the header row only at the top of the page, once
            headers = [w for w in words if w["text"] == HEADER_WORD and w["x0"] < MARGIN + widths[0]]
            for w in headers:
                if w["top"] > top_of_frame + 80 and number > 1:
                    problems.append(f"page {number}: column header mid-page at y={w['top']:.0f}")
            if len(headers) > 1:
                problems.append(f"page {number}: {len(headers)} header rows")
            # 2. every coloured score cell holds its score (a strip without text is a fragment)
            for rect in page.rects:
                if _colour(rect) not in fills or rect["height"] < 2:
                    continue
                inside = [w for w in words if rect["x0"] - 1 <= (w["x0"] + w["x1"]) / 2 <= rect["x1"] + 1
                          and rect["top"] - 1 <= (w["top"] + w["bottom"]) / 2 <= rect["bottom"] + 1]
                if not inside:
                    problems.append(f"page {number}: coloured cell without text at x={rect['x0']:.0f} "
                                    f"y={rect['top']:.0f} (a row fragment)")
            # 3. the last line of the update column is not a department label alone
            update_words = [w for w in words if update_x0 <= w["x0"] < update_x1 and w["top"] > top_of_frame + 30
                            and w["bottom"] < PAGE[1] - MARGIN + 2]
            if update_words:
                last_top = max(w["top"] for w in update_words)
                last_line = " ".join(w["text"] for w in update_words if abs(w["top"] - last_top) < 2)
                if last_line.strip().lower() in codes:
                    problems.append(f"page {number}: department label {last_line!r} alone at the foot")
            # 4. the table never shifts sideways
            lefts = {round(r["x0"]) for r in page.rects if r["width"] > 5 and r["top"] > top_of_frame}
            lines = {round(line["x0"]) for line in page.lines}
            if lefts and min(lefts | lines) < MARGIN - 1:
                problems.append(f"page {number}: table starts at x={min(lefts | lines)} left of the margin")
    return problems


def test_published_register_pages(snapshot: RegisterSnapshot, published_pdf: bytes) -> None:
    problems = register_problems(published_pdf, snapshot)
    print(f"published register: {len(problems)} pagination faults", problems)
    assert problems == []


def test_thousand_risk_register_pages() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import bench_appendix

    snapshot = bench_appendix.generated(1000)
    buffer = io.BytesIO()
    write_appendix_pdf(snapshot, buffer)
    problems = register_problems(buffer.getvalue(), snapshot)
    print(f"1,000-risk register: {len(problems)} pagination faults", problems[:10])
    assert problems == []


def test_assurance_table_pages(tmp_path: Path) -> None:
    from riskdesk.domain.clinical import AssuranceLine, AssuranceSummaryRow
    from riskdesk.reports.clinical_report import write_assurance_summary

    long = "\n".join(f"Feedback paragraph {n}: " + "patients told us about waiting times and care. " * 9
                     for n in range(14))
    lines = (AssuranceLine("Safeguarding", "All services", "Assurance text for safeguarding. " * 30),
             AssuranceLine("Patient Feedback", "All services", long),
             *(AssuranceLine(f"Heading {n}", f"Area {n}", f"Assurance text {n}. " * 25) for n in range(6)))
    summary = AssuranceSummaryRow(1, "2023/24", date(2023, 4, 1), date(2024, 3, 31), "Summary 2023/24", lines, 1)
    out = write_assurance_summary(tmp_path / "table1.pdf", summary)
    problems: list[str] = []
    with pdfplumber.open(out) as pdf:
        assert len(pdf.pages) >= 3
        lefts_all = set()
        for number, page in enumerate(pdf.pages, start=1):
            words = page.extract_words()
            heads = [w for w in words if w["text"] == "Heading" and w["x0"] < 100 and
                     any(v["text"] == "(2023/24)" and abs(v["top"] - w["top"]) < 2 for v in words)]
            frame_top = min((w["top"] for w in words), default=0)
            for w in heads:
                if w["top"] > frame_top + 60:
                    problems.append(f"page {number}: header row mid-page at y={w['top']:.0f}")
            filled = [r for r in page.rects if r["width"] > 50]
            # the table's left edge: its leftmost drawn line or rectangle on this page
            edges = [r["x0"] for r in page.rects] + [line["x0"] for line in page.lines]
            if edges:
                lefts_all.add(round(min(edges)))
            # the first row piece on the page has text in it
            body = [r for r in filled if r["height"] > 3]
            if number > 1 and body:
                first = min(body, key=lambda r: r["top"])
                inside = [w for w in words if first["top"] - 1 <= w["top"] <= first["bottom"]]
                if not inside:
                    problems.append(f"page {number}: starts with an empty piece of a row")
        if len(lefts_all) > 1:
            problems.append(f"table left edges differ between pages: {sorted(lefts_all)}")
    print(f"assurance table: {len(problems)} pagination faults", problems)
    assert problems == []


def test_a_row_a_point_too_tall_moves_whole_to_the_next_page() -> None:
    """A PGD row (status with its expiry warning: four lines) that overflows the page by 1.3 pt.
    Split inside, its text would all fit above the break and leave an empty strip below, so that
    split is refused; the row must then move whole to the next page. Before, the table refused
    every split, and a full page of the clinical audits appendix (5,000 audits, benchmarks)
    stopped with ReportLab's LayoutError."""
    from reportlab.lib.units import mm

    from riskdesk.domain.clinical import PgdRow, PgdStatus
    from riskdesk.reports.clinical_report import _Kit, _pgd_table

    today = date(2024, 6, 1)

    def pgd(i: int) -> PgdRow:
        expiry = date(2024, 6, 29) if i % 5 == 4 else date(2026, 1, 1)  # 28 days: a warning line
        return PgdRow(i, 1, "Service 3.0", 1, "Provider", "P", f"PGD {i}", "", "", None, None, expiry,
                      PgdStatus.IN_USE, 1)

    table = _pgd_table(_Kit(), [pgd(i) for i in range(40)], today)
    width = 267 * mm - 12
    table.wrap(width, 10_000)
    heights = table._rowHeights
    tall = next(i for i in range(2, len(heights)) if heights[i] > heights[1] * 2)
    parts = table.split(width, sum(heights[:tall + 1]) - 1.3)
    print("rows in each piece:", [len(p._cellvalues) for p in parts], "; the tall row is row", tall)
    assert len(parts) == 2
    first, rest = parts
    assert len(first._cellvalues) == tall  # the header and every row above the tall one
    cell = rest._cellvalues[1][1]
    text = cell.text if hasattr(cell, "text") else cell[0].text
    assert text == f"PGD {tall - 1}"  # then, under the header, the tall row whole
