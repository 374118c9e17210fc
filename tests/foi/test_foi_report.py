"""AC-F01 … AC-F05: the FOI report of 2022/23 from FX-LCC reproduces the published Part 3."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from riskdesk.cli import run
from riskdesk.domain.foi import (
    FoiDraft,
    IcoFacts,
    Outcome,
    Regime,
    RequestFacts,
    compute_figures,
    parse_period,
    report_text,
)
from tests.conftest import needs_pdftotext

#: 000:691-756 as published (the committee's Part 3), copied so the test needs no outside file.
PUBLISHED = Path(__file__).parent / "published_part3_000_691-756.txt"


def _norm(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text.replace("182(21%)", "182 (21%)")  # the published typesetting slip (SPEC A.1 F1.31)


#: An officer's judgement the records cannot compute; the figure in it (90%) is checked elsewhere.
JUDGEMENT = "Whilst not meeting this for 2022-23, it is unlikely that the current performance would attract any " \
            "criticism."


def published_sentences(first: int = 708, last: int = 756) -> list[str]:
    """Every sentence of 000:first-last that carries a figure, as printed (numbering and bullets removed)."""
    lines = PUBLISHED.read_text(encoding="utf-8").splitlines()[first - 691:last - 691 + 1]
    out: list[str] = []
    for raw in lines:
        line = re.sub(r"^\s*(\d+\.\s+|-\s+)", "", raw)
        for sentence in re.split(r"(?<=\.) (?=[A-Z])", _norm(line)):
            if sentence == JUDGEMENT:
                continue
            if re.search(r"\d|\b(three|Five)\b", sentence):
                out.append(sentence)
    return out


def published_table() -> list[str]:
    lines = PUBLISHED.read_text(encoding="utf-8").splitlines()[738 - 691:748 - 691 + 1]
    return [_norm(line) for line in lines if line.strip() and "\t" in line]


def test_the_published_text_has_what_the_test_compares():
    sentences = published_sentences()
    table = published_table()
    print(f"{len(sentences)} sentences with figures, {len(table)} table lines")
    assert len(table) == 9  # heading + 7 departments + ALL
    assert sum(line.count("%") for line in table) == 40
    assert "883 requests were responded to" in " ".join(sentences)


def test_cli_report_prints_every_published_figure(fx_lcc, db_url, capsys):
    assert run(["--database", db_url, "--as", "tester", "foi", "report", "--year", "22/23"]) == 0
    printed = _norm(capsys.readouterr().out)
    missing = [s for s in published_sentences() if s not in printed]
    table_missing = [row for row in published_table() if row not in printed]
    print(f"published sentences missing: {len(missing)}; table rows missing: {len(table_missing)}")
    assert missing == []
    assert table_missing == []
    assert "48 other responses (information not held: 48)." in printed  # AC-F02 residual line (I-9)


def test_pdf_and_docx_carry_the_department_table_cell_for_cell(fx_lcc, admin, tmp_path):
    needs_pdftotext()
    pdf = fx_lcc.write_report(admin, "22/23", tmp_path / "foi.pdf")
    layout = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                            check=True).stdout
    rows = [_norm(line) for line in layout.splitlines()]
    flat = _norm(layout)
    table = published_table()
    cells_wrong = sum(1 for row in table if row not in rows)
    print(f"department table rows differing from 000:740-748 in the PDF: {cells_wrong}")
    assert cells_wrong == 0
    missing = [s for s in published_sentences() if s not in flat]
    assert missing == []
    docx = fx_lcc.write_report(admin, "22/23", tmp_path / "foi.docx")
    from docx import Document

    doc = Document(str(docx))
    grid = [" ".join(c.text for c in r.cells) for r in doc.tables[0].rows]
    assert [_norm(g) for g in grid] == table


def test_presented_report_is_frozen(fx_lcc, admin, tmp_path):
    before = fx_lcc.figures(admin, "22/23")
    fx_lcc.present(admin, "22/23")
    # A late correction to a record must not change the presented figures.
    row = next(r for r in fx_lcc.list(admin, today=date(2023, 4, 1))
               if date(2022, 4, 1) <= r.received_on <= date(2023, 3, 31) and r.subject == "Finance")
    detail = fx_lcc.get(admin, row.id)
    from dataclasses import replace

    fx_lcc.update(admin, row.id, replace(detail.draft, subject="Education Services"),
                  expected_version=detail.row.version)
    assert fx_lcc.figures(admin, "22/23") == before
    assert fx_lcc.figures(admin, "22/23").top_subjects[0] == ("Education Services", 134)
    assert fx_lcc.figures(admin, "22/23", fresh=True).top_subjects[0] == ("Education Services", 135)
    a = fx_lcc.write_report(admin, "22/23", tmp_path / "a.pdf").read_bytes()
    b = fx_lcc.write_report(admin, "22/23", tmp_path / "b.pdf").read_bytes()
    assert a == b
    with pytest.raises(Exception, match="already presented"):
        fx_lcc.present(admin, "22/23")


def test_quarterly_csv_and_department_quarter(fx_lcc, admin, tmp_path):
    csv_text = fx_lcc.quarterly_csv(admin, "22/23")
    lines = csv_text.splitlines()
    assert lines[0].startswith("Year,Quarter,Regime,Received,Responded,Within 20 working days")
    assert len(lines) == 1 + 8
    total_responded = sum(int(line.split(",")[4]) for line in lines[1:])
    total_within = sum(int(line.split(",")[5]) for line in lines[1:])
    assert (total_responded, total_within) == (883, 772)
    q = fx_lcc.figures(admin, "22/23 Q1", department="CFS")
    assert q.departments[-1].label == "ALL"
    assert {d.label for d in q.departments} <= {"CFS", "MULTI", "ALL"}
    out = fx_lcc.write_report(admin, "22/23 Q1", tmp_path / "cfs.pdf", department="CFS")
    needs_pdftotext()
    assert "Children and Family Services" in subprocess.run(["pdftotext", str(out), "-"], capture_output=True,
                                                            text=True, check=True).stdout


def test_uk_wide_calendar_decides_the_band():
    """AC-F04: received 6 Mar 2023, answered 4 Apr 2023: 20 working days on UK_ANY (16-20), 21 on ENG."""
    from riskdesk.domain.calendars import CalendarId, get
    from riskdesk.domain.foi import response_clock

    draft = FoiDraft(Regime.FOIA, date(2023, 3, 6), "CFS", responded_on=date(2023, 4, 4), outcome=Outcome.FULL)
    taken = response_clock(draft.clock_dates).taken(date(2023, 4, 4))
    assert taken == 20
    assert get(CalendarId.ENG).working_days_between(date(2023, 3, 6), date(2023, 4, 4)) == 21
    f = compute_figures(parse_period("23/24"), [RequestFacts(Regime.FOIA, date(2023, 3, 6), None, "x", "CFS",
                                                             date(2023, 4, 4), Outcome.FULL, "", taken)],
                        [], [IcoFacts(date(2023, 5, 1), None, None, False)], prior_received=None,
                        prior_within_pct=None)
    cfs = next(d for d in f.departments if d.label == "CFS")
    assert cfs.counts == (0, 0, 0, 1, 0)
    assert report_text(f).table_rows[2][4] == "1 (100%)"
