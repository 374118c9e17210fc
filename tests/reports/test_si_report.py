"""The SI report from plain data: Table 2 with totals, Chart 1, open work by provider; text escaped."""

from datetime import date

from pypdf import PdfReader

from riskdesk.domain.incidents import (
    OpenActionLine,
    OverdueClockLine,
    PeriodCounts,
    ProviderSummaryLine,
    SiReportData,
)
from riskdesk.reports import si_report
from riskdesk.reports.si_report import table_rows, write_si_report

P1 = (1, 1, 4, 2, 6, 2, 1, 1, 3, 3, 2, 5)
P2 = (1, 4, 3, 3, 2, 2, 2, 3, 2, 2, 3, 0)


def _months(first_year, counts):
    months = [(first_year, 10), (first_year, 11), (first_year, 12)] + [(first_year + 1, m) for m in range(1, 10)]
    return tuple(zip(months, counts, strict=True))


def _data(n_actions=2):
    actions = tuple(OpenActionLine("Gwasanaeth Cymraeg – ŵ ŷ", f"SI-2023-{i:03d}", "R&D <urgent> review of “PGD” use",
                                   "Lead nurse", date(2023, 9, 1), True) for i in range(n_actions))
    return SiReportData(
        title="Serious incidents reported to Public Health", generated_on=date(2023, 10, 16),
        period1=PeriodCounts("October 2021 – September 2022", _months(2021, P1)),
        period2=PeriodCounts("October 2022 – September 2023", _months(2022, P2)),
        open_actions=actions,
        overdue_clocks=(OverdueClockLine("TP", "SI-2023-008", "Investigation report", date(2023, 8, 1), 53),),
        providers=(ProviderSummaryLine("TP", 3, 2, 1, 1),),
    )


def test_table_rows_match_table_2():
    headings, rows = table_rows(_data())
    assert headings[0] == "Month" and "October 2022 – September 2023" in headings[3]
    assert rows[2] == ["December 2021", 4, "December 2022", 3]
    assert rows[-1] == ["Total", 31, "Total", 27]


def test_pdf_prints_the_table_escaped_text_and_is_reproducible(tmp_path):
    a = write_si_report(_data(), tmp_path / "a.pdf")
    b = write_si_report(_data(), tmp_path / "b.pdf")
    assert a.read_bytes() == b.read_bytes()
    text = "\n".join(page.extract_text() for page in PdfReader(a).pages)
    assert "December 2022" in text and "31" in text and "27" in text
    assert "R&D <urgent> review of “PGD” use" in text
    assert "Cymraeg – ŵ ŷ" in text  # wrapped in its narrow column
    assert "Overdue deadlines by provider" in text and "SI-2023-008" in text
    assert not (tmp_path / "a.pdf.part").exists()


def test_long_lists_are_capped_with_a_note(tmp_path, monkeypatch):
    monkeypatch.setattr(si_report, "MAX_DETAIL_LINES", 5)
    out = write_si_report(_data(n_actions=12), tmp_path / "c.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    assert "and 7 more open actions" in text
    assert "SI-2023-004" in text and "SI-2023-005" not in text
