"""Importing an iCasework-style complaints export: every problem named by row and column, all or
nothing, and "partially upheld" only with the user's confirmation that it is recorded as Fault Found."""

from __future__ import annotations

from pathlib import Path

from riskdesk.cli import run

from .conftest import Team

HEADER = "Case Reference,Case Type,Date Received,Service,Department,Case Owner,Stage 1 Response Date,Outcome,Summary\n"


def _file(tmp_path: Path, *rows: str) -> Path:
    p = tmp_path / "icasework.csv"
    p.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return p


def _count(team: Team) -> int:
    return len(team.services.complaints.list_complaints(team.team))


def test_dry_run_names_every_problem_and_imports_nothing(team: Team, tmp_path: Path) -> None:
    f = _file(tmp_path,
              "IC-001,Stage 1 Complaint,02/04/2024,SEN Assessment,,A Officer,16/04/2024,Upheld,EHCP late",
              "IC-002,Stage 1 Complaint,31/02/2024,Waste Management,,B Officer,,,Bin missed",
              "IC-003,Stage 1 Complaint,03/04/2024,Parks,,C Officer,10/04/2024,Partially Upheld,Gate broken",
              "IC-001,Stage 1 Complaint,04/04/2024,Waste Management,XYZ,D Officer,20/04/2024,Not Upheld,Again")
    result = team.services.complaints_import().run(team.team, f, dry_run=True)
    texts = [p.text for p in result.problems]
    print("\n".join(texts))
    assert texts == [
        "row 3, Date Received: “31/02/2024” is not a date (write it as 31/03/2024)",
        "row 4, Service: “Parks” is not a service or alias riskdesk knows (add it first)",
        "row 4, Outcome: “Partially Upheld” cannot be recorded (Code 6.8: no \"partially upheld\"); confirm that "
        "such rows are imported as Fault Found to go on",
        "row 5, Case Reference: “IC-001” is already a complaint in riskdesk or earlier in this file",
        "row 5, Department: “XYZ” is not a department code riskdesk knows",
    ]
    # Not a dry run: still nothing, because the file has problems.
    again = team.services.complaints_import().run(team.team, f, dry_run=False)
    assert again.imported == 0 and _count(team) == 0


def test_import_all_with_partially_upheld_confirmed(team: Team, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    f = _file(tmp_path,
              "IC-001,Stage 1 Complaint,02/04/2024,SEN Assessment,,A Officer,16/04/2024,Upheld,EHCP late",
              "IC-002,Adult Social Care,2024-04-03,,A&C,B Officer,,,Care package",
              "IC-003,Stage 1 Complaint,03/04/2024,Waste Management,,C Officer,10/04/2024,Partially Upheld,Bins")
    refused = team.services.complaints_import().run(team.team, f, dry_run=False)
    assert len(refused.problems) == 1 and _count(team) == 0
    db_url = str(team.services.db.engine.url)
    if db_url.startswith("sqlite"):
        assert run(["--database", db_url, "--as", "cteam", "import-complaints", str(f),
                    "--partially-upheld-as-fault-found"]) == 0
        assert "imported 3 complaint(s) (1 \"partially upheld\" recorded as Fault Found" in capsys.readouterr().out
    else:
        team.services.complaints_import().run(team.team, f, dry_run=False, partially_upheld_as_fault_found=True)
    rows = {r.reference: r for r in team.services.complaints.list_complaints(team.team)}
    assert rows["IC-003"].outcome.label == "Fault Found"
    assert rows["IC-001"].service == "SENA" and rows["IC-001"].outcome.label == "Fault Found"
    assert rows["IC-002"].procedure.value == "asc" and rows["IC-002"].department == "A&C"
