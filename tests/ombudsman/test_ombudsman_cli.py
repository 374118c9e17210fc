"""``riskdesk ombudsman …``: the report, the daily list and the self-assessment, headless."""

from __future__ import annotations

from pathlib import Path

import pytest
from ombudsman_helpers import pdf_text

from riskdesk.cli import run


def _run(db_url: str, *argv: str) -> int:
    return run(["--database", db_url, "--as", "tester", *argv])


def test_report_due_list_and_self_assessment_from_the_command_line(db_url: str, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db_url, "ombudsman", "load-fx-lcc") == 0
    pdf, docx = tmp_path / "lgsco.pdf", tmp_path / "lgsco.docx"
    assert _run(db_url, "ombudsman", "report", "--year", "23/24", "--pdf", str(pdf), "--docx", str(docx)) == 0
    out = capsys.readouterr().out
    assert "83 new enquiries, 82 decisions, compensation £27,222.15" in out
    assert "Twenty-seven cases of maladministration and injustice were found." in pdf_text(str(pdf))
    assert docx.stat().st_size > 0
    assert _run(db_url, "ombudsman", "due", "--days", "10", "--today", "2024-03-28") == 0
    due = capsys.readouterr().out.splitlines()
    # FX-LCC replied to every enquiry and complied with every recommendation, so the list holds only
    # the enquiry opened on 28 Mar 2024 — which was answered too: nothing due.
    assert due == ["Nothing due in the next 10 days."]
    sa = tmp_path / "sa.pdf"
    assert _run(db_url, "ombudsman", "self-assessment", "--year", "2023/24", "--start", "--pdf", str(sa)) == 0
    assert "72 requirements" in capsys.readouterr().out
    assert "No 'partially upheld' outcome can be recorded (enforced by riskdesk)." in pdf_text(str(sa), layout=False)


def test_a_bad_year_is_named_not_a_traceback(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _run(db_url, "ombudsman", "report", "--year", "23/25", "--pdf", "x.pdf")
    err = capsys.readouterr().err
    assert "'23/25' is not a financial year" in err and "Traceback" not in err


def test_record_letter_keeps_the_published_figures_and_names_bad_fields(db_url: str, tmp_path: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import json

    letter = tmp_path / "letter.json"
    letter.write_text(json.dumps({
        "fy": "2023/24", "letter_date": "2024-07-17", "investigations": 35, "upheld": 29, "uphold_pct": "83%",
        "similar_avg_uphold_pct": "85", "upheld_per_100k": "4", "similar_avg_per_100k": "4.5",
        "benchmark": [{"authority": "Leicestershire", "new_complaints": 117, "uphold_pct": 71, "per_100k": "16",
                       "is_self": True}]}), encoding="utf-8")
    assert _run(db_url, "ombudsman", "record-letter", str(letter)) == 0
    assert "recorded as published, with 1 statistical neighbours" in capsys.readouterr().out
    pdf = tmp_path / "r.pdf"
    assert _run(db_url, "ombudsman", "report", "--year", "23/24", "--pdf", str(pdf)) == 0
    text = pdf_text(str(pdf))
    assert "83% of complaints investigated were upheld" in text and "Leicestershire 117 71 16" in text
    letter.write_text(json.dumps({"fy": "2023/24", "upheld_rate": 83, "investigations": -1}), encoding="utf-8")
    assert _run(db_url, "ombudsman", "record-letter", str(letter)) != 0
    err = capsys.readouterr().err
    assert "upheld_rate" in err and "is not a field of the Ombudsman's letter" in err and "Traceback" not in err
    letter.write_text("{not json", encoding="utf-8")
    assert _run(db_url, "ombudsman", "record-letter", str(letter)) != 0
    assert "is not JSON: line 1" in capsys.readouterr().err
