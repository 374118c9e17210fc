"""Presenting freezes a report: later edits to records never change what was presented."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from riskdesk.cli import run
from riskdesk.domain.complaints import Outcome
from riskdesk.domain.errors import ValidationError

pytestmark = pytest.mark.db


def test_presented_report_reprints_byte_for_byte_after_a_record_changes(lcc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    services, actor, url = lcc
    reports = services.casework_reports
    before = reports.figures(actor, "complaints", "23/24")
    assert run(["--database", url, "--as", "tester", "casework-report", "complaints", "--year", "23/24",
                "--present", "--pdf", str(tmp_path / "a.pdf")]) == 0
    # Change one 2023/24 complaint's outcome: a Not Upheld stage 1 becomes Fault Found.
    c = services.complaints
    row = next(r for r in c.list_complaints(actor, today=date(2024, 6, 1))
               if r.outcome is Outcome.NOT_UPHELD and r.stage == 1 and r.received_on >= date(2023, 4, 1))
    detail = c.get(actor, row.id)
    c.respond(actor, row.id, 1, responded_on=detail.stages[0].responded_on, outcome=Outcome.FAULT_FOUND,
              handler=detail.stages[0].handler, expected_version=row.version)
    reports.write(actor, "complaints", "23/24", tmp_path / "b.pdf")
    changed = sum(1 for a, b in zip((tmp_path / "a.pdf").read_bytes(), (tmp_path / "b.pdf").read_bytes(),
                                    strict=False) if a != b)
    print(f"bytes that differ between the presented report and its reprint: {changed}")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert reports.figures(actor, "complaints", "23/24") == before
    with pytest.raises(ValidationError, match="already been presented"):
        reports.present(actor, "complaints", "23/24")


def test_bad_year_is_a_clear_error(lcc, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    _services, _actor, url = lcc
    assert run(["--database", url, "--as", "tester", "casework-report", "item8", "--year", "2x/23"]) != 0
    err = capsys.readouterr().err
    assert "is not a financial year: write it as 23/24" in err and "Traceback" not in err
