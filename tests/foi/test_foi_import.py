"""Importing an iCasework / Infreemation style export: all rows or none, every problem named."""

from __future__ import annotations

from datetime import date

from riskdesk.cli import run
from riskdesk.services.foi import FoiService

GOOD = """Case Reference,Request Type,Date Received,Department,Subject,Applicant Type,Date Closed,Outcome,Exemptions,Hours
FOI-0001,FOI,06/03/2023,CFS,Children in Care,Media,04/04/2023,Provided in full,,
EIR-0002,EIR,2023-03-06,E&T,Air quality,Business,,,,
FOI-0003,FOI,01/06/2023,CR;E&T,Contracts,,20/06/2023,Refused,s.12,24
"""

BAD = """Case Reference,Request Type,Date Received,Department,Subject,Applicant Type,Date Closed,Outcome,Exemptions,Hours
FOI-0001,FOI,06/03/2023,CFS,Children in Care,Business,04/04/2023,Provided in full,,
FOI-0002,FOI,31/02/2023,CFS,Libraries,,,,,
FOI-0003,FOI,01/06/2023,CR,Contracts,,20/06/2023,Refused,s.12,
FOI-0004,Planning,01/06/2023,XX,Contracts,,,,,
"""


def test_good_file_imports_every_row_with_its_clock(services, admin, tmp_path, capsys, db_url):
    path = tmp_path / "icasework.csv"
    path.write_text(GOOD, encoding="utf-8")
    services.users.list(admin)
    assert run(["--database", db_url, "--as", admin.login, "foi", "import", str(path)]) == 1  # media: no approval
    out = capsys.readouterr().out
    assert "Media Team approval" in out and "nothing was imported" in out
    path.write_text(GOOD.replace("Media,", "Member of the public,"), encoding="utf-8")
    assert run(["--database", db_url, "--as", admin.login, "foi", "import", str(path)]) == 0
    rows = FoiService(services.ctx).list(admin, today=date(2023, 7, 1))
    assert len(rows) == 3
    first = next(r for r in rows if r.subject == "Children in Care")
    assert (first.due_on, first.days_taken) == (date(2023, 4, 4), 20)
    assert next(r for r in rows if r.subject == "Contracts").department == "MULTI"


def test_bad_file_names_every_problem_and_imports_nothing(services, admin, tmp_path):
    from riskdesk.services.foi_import import import_file

    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    foi = FoiService(services.ctx)
    services.users.list(admin)
    result = import_file(foi, admin, path)
    print("\n".join(result.problems))
    assert result.imported == 0
    assert len(result.problems) == 3
    assert any("row 3" in p and "31/02/2023" in p for p in result.problems)
    assert any("hours estimate" in p for p in result.problems)
    assert any("row 5" in p and "neither FOI nor EIR" in p for p in result.problems)
    assert foi.list(admin) == ()
