"""The printed clinical audits appendix, assurance summary and PGD schedule (PDF text via pypdf)."""

import csv
import json
import re
from datetime import date
from pathlib import Path

from pypdf import PdfReader

from riskdesk.cli import run
from riskdesk.domain.clinical import AssuranceLine, AssuranceSummaryRow, PgdRow, PgdStatus
from riskdesk.reports.clinical_report import pgd_schedule_order, write_assurance_summary, write_pgd_schedule

FIXTURES = Path(__file__).parent.parent / "fixtures"


def _text(path: Path) -> str:
    """All pages' text with runs of whitespace made single spaces (wrapped cells rejoin)."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages)


def _in_order(text: str, needles: list[str]) -> list[int]:
    at, out = 0, []
    for needle in needles:
        found = text.find(" ".join(needle.split()), at)
        assert found >= 0, f"{needle!r} missing or out of order"
        out.append(found)
        at = found + 1
    return out


def test_appendix_lists_every_published_audit_under_provider_and_quarter_in_order(db_url, tmp_path, capsys):
    assert run(["--database", db_url, "load-clinical", str(FIXTURES), "--pgd-dates-from-table1"]) == 0
    out = tmp_path / "audits.pdf"
    assert run(["--database", db_url, "audit-report", "--from", "22/23 Q3", "--to", "23/24 Q2",
                "--out", str(out)]) == 0
    assert "8 audits in 3 groups" in capsys.readouterr().out
    text = _text(out)
    rows = list(csv.DictReader((FIXTURES / "clinical-audits-appendix-c.csv").open(encoding="utf-8")))
    provider = "Services delivered by Midlands Partnership NHS Foundation Trust (MPFT)"
    expected = ["Sexual Health", provider]
    quarter = None
    for r in rows:
        if r["quarter_as_given"] != quarter:
            quarter = r["quarter_as_given"]
            expected.append(quarter)
        expected.append(r["audit"])
    pgds = [r["pgd_as_given"] for r in csv.DictReader((FIXTURES / "pgds.csv").open(encoding="utf-8"))]
    expected += ["Patient Group Directions", *pgds]
    _in_order(text, expected)
    assert text.count(provider) == 1  # one provider heading, the quarters beneath it
    for r in rows:  # each audit sits under its own quarter: no other quarter heading between them
        start = text.find(r["quarter_as_given"])
        assert start < text.find(" ".join(r["audit"].split()))


def test_year_option_takes_one_financial_year_and_xlsx_lists(db_url, tmp_path, capsys):
    assert run(["--database", db_url, "load-clinical", str(FIXTURES)]) == 0
    out = tmp_path / "audits.pdf"
    assert run(["--database", db_url, "audit-report", "--year", "23/24", "--out", str(out)]) == 0
    text = _text(out)
    assert "Nexplanon Insertion" in text and "Chlamydia Management" in text
    assert "Telford" not in text  # 22/23 Q3 is outside 23/24
    xlsx = tmp_path / "audits.xlsx"
    assert run(["--database", db_url, "audit-report", "--year", "23/24", "--out", str(xlsx)]) == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    assert [c.value for c in sheet[1]][:4] == ["Provider", "Service", "Quarter", "Audit"]
    assert sheet.max_row == 4
    assert run(["--database", db_url, "audit-report", "--year", "2x", "--out", str(out)]) == 2
    assert "not a financial year like 23/24" in capsys.readouterr().err


def test_assurance_summary_prints_table1_headings_and_areas(db_url, tmp_path):
    assert run(["--database", db_url, "load-clinical", str(FIXTURES)]) == 0
    out = tmp_path / "table1.pdf"
    assert run(["--database", db_url, "assurance-report", "--out", str(out)]) == 0
    text = _text(out)
    rows = json.loads((FIXTURES / "clinical-governance-table1.json").read_text(encoding="utf-8"))["rows"]
    assert len(rows) == 23
    needles = []
    for r in rows:
        needles += [r["heading"], r["area"], r["assurance_paragraphs"][0][:60]]
    _in_order(text, needles)
    assert len(PdfReader(str(out)).pages) >= 2
    assert "Assurance (October 2022 – September 2023)" in text


def _pgd(i, name, review, expiry, status=PgdStatus.IN_USE):
    return PgdRow(i, 1, "Sexual Health", 1, "MPFT", "MPFT", name, "", "", None, review, expiry, status, 1)


def test_pgd_schedule_orders_by_urgency_and_flags_expired(tmp_path):
    today = date(2026, 2, 2)
    rows = [_pgd(1, "Later", date(2026, 9, 1), date(2027, 3, 1)),
            _pgd(2, "Expired <EHC> & co", date(2025, 8, 1), date(2026, 2, 1)),
            _pgd(3, "Soon", date(2026, 2, 20), date(2026, 8, 1))]
    assert [g.name for g in pgd_schedule_order(rows, today)] == ["Expired <EHC> & co", "Soon", "Later"]
    out = write_pgd_schedule(tmp_path / "pgd.pdf", rows, today)
    text = _text(out)
    assert "Expired <EHC> & co" in text  # user text escaped, printed as typed
    assert "EXPIRED on 01/02/2026" in text and "1 expired" in text
    again = write_pgd_schedule(tmp_path / "pgd2.pdf", rows, today)
    assert out.read_bytes() == again.read_bytes()  # invariant mode: reproducible


def test_long_assurance_text_splits_across_pages(tmp_path):
    long = "\n".join(f"Paragraph {n}: " + "ŵ ŷ € “quoted” – text " * 30 for n in range(60))
    summary = AssuranceSummaryRow(1, "2023/24", date(2023, 4, 1), date(2024, 3, 31), "Summary 2023/24",
                                  (AssuranceLine("Safeguarding", "All", long),), 1)
    out = write_assurance_summary(tmp_path / "long.pdf", summary)
    text = _text(out)
    assert len(PdfReader(str(out)).pages) > 2
    assert re.search(r"Paragraph 59:", text) and "ŵ ŷ €" in text


def test_assurance_table_starts_under_its_heading_on_the_first_page(tmp_path):
    """A summary longer than a page starts on page 1, not after a page holding only the title."""
    lines = tuple(AssuranceLine(f"Heading {n}", f"Area {n}", f"Assurance text {n}. " * 40) for n in range(1, 13))
    summary = AssuranceSummaryRow(1, "2025/26", date(2025, 4, 1), date(2026, 3, 31), "Summary 2025/26", lines, 1)
    out = write_assurance_summary(tmp_path / "table1.pdf", summary)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(str(out)).pages]
    assert len(pages) > 1
    assert "Table 1 Summary 2025/26 Heading Area Assurance (2025/26) Heading 1 Area 1" in pages[0]
