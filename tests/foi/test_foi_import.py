"""Importing an iCasework / Infreemation style export: all rows or none, every problem named."""

from __future__ import annotations

import json
from datetime import date

import pytest

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
    assert any(p.startswith("row 4, Hours: “” is required for a s.12 refusal") for p in result.problems)
    assert any("row 5" in p and "neither FOI nor EIR" in p for p in result.problems)
    assert foi.list(admin) == ()


def test_an_export_read_again_is_refused_and_nothing_is_counted_twice(services, admin, tmp_path, db_url, capsys):
    """Before: importing the same export twice, or a later export that overlaps it, logged every request
    again, and each was counted twice in the FOI report to committee."""
    from riskdesk.services.foi_import import import_file

    good = GOOD.replace("Media,", "Member of the public,")
    first, later = tmp_path / "q1.csv", tmp_path / "q1-q2.csv"
    first.write_text(good, encoding="utf-8")
    later.write_text(good + "FOI-0004,FOI,03/07/2023,CFS,Fostering,,,,,\n", encoding="utf-8")
    foi = FoiService(services.ctx)
    services.users.list(admin)
    assert import_file(foi, admin, first).imported == 3
    for path in (first, later):
        assert run(["--database", db_url, "--as", admin.login, "foi", "import", str(path)]) == 1
    out = capsys.readouterr().out
    print(out)
    assert "row 2, Case Reference: “FOI-0001” was imported before, as FOI-2023-" in out
    assert out.count("was imported before") == 6 and "nothing was imported" in out
    counted = len(foi.list(admin))
    print(f"requests after reading the export three times: {counted}")
    assert counted == 3
    # The overlapping export's new request, with those imported before left out (and named).
    assert run(["--database", db_url, "--as", admin.login, "foi", "import", "--skip-imported", str(later)]) == 0
    out = capsys.readouterr().out
    assert "left out, imported before: row 2, FOI-0001 → FOI-2023-00001" in out
    assert "1 requests imported; 3 left out as imported before." in out
    assert sorted(r.subject for r in foi.list(admin)) == ["Air quality", "Children in Care", "Contracts", "Fostering"]


def test_a_reference_twice_in_one_file_and_hours_that_are_no_number_are_refused(services, admin, tmp_path):
    from riskdesk.services.foi_import import import_file

    path = tmp_path / "twice.csv"
    path.write_text(GOOD.replace("Media,", "Member of the public,").replace("EIR-0002", "foi-0001")
                    .replace("s.12,24", "s.12,NaN"), encoding="utf-8")
    foi = FoiService(services.ctx)
    services.users.list(admin)
    result = import_file(foi, admin, path)
    print("\n".join(result.problems))
    assert result.problems == (
        "row 3, Case Reference: “foi-0001” is also the reference on row 2: one request, once",
        "row 4, Hours: “NaN” is not a number of hours",
    )
    assert result.imported == 0 and foi.list(admin) == ()


def test_an_export_read_again_is_refused_after_the_officer_rewrote_the_summaries(services, admin, tmp_path):
    """Before: an import found earlier imports by the "Imported from FILE (REF)" their summaries began
    with, so once an officer wrote a real summary the request was logged, and counted, again."""
    from dataclasses import replace

    from riskdesk.services.foi_import import import_file

    path = tmp_path / "q1.csv"
    path.write_text(GOOD.replace("Media,", "Member of the public,"), encoding="utf-8")
    foi = FoiService(services.ctx)
    services.users.list(admin)
    assert import_file(foi, admin, path).imported == 3
    for row in foi.list(admin):
        detail = foi.get(admin, row.id)
        foi.update(admin, row.id, replace(detail.draft, summary=f"Asked about {row.subject.lower()}."),
                   expected_version=detail.row.version)
    result = import_file(foi, admin, path)
    print("\n".join(result.problems))
    assert result.imported == 0
    assert result.problems[0].startswith("row 2, Case Reference: “FOI-0001” was imported before, as FOI-2023-")
    assert sum("was imported before" in p for p in result.problems) == 3
    counted = len(foi.list(admin))
    print(f"requests after reading the export again, its summaries rewritten: {counted}")
    assert counted == 3
    assert import_file(foi, admin, path, skip_imported=True).skipped == (
        "row 2, FOI-0001 → FOI-2023-00001", "row 3, EIR-0002 → FOI-2023-00002", "row 4, FOI-0003 → FOI-2023-00003")
    assert len(foi.list(admin)) == 3


def test_the_source_reference_is_kept_audited_and_refused_a_second_time(services, admin):
    """The reference an export gave a request is its own column, in the trail, and the service itself
    refuses it a second time (another import at the same moment, or a caller that did not check)."""
    from sqlalchemy import text

    from riskdesk.domain.errors import ValidationError
    from riskdesk.domain.foi import FoiDraft, Regime

    foi = FoiService(services.ctx)
    services.users.list(admin)
    draft = FoiDraft(regime=Regime.FOIA, received_on=date(2023, 3, 6), departments="CFS", subject="Fostering")
    [first] = foi.import_requests(admin, [(draft, None)], [" ICW-77 "])
    with services.db.engine.connect() as conn:
        trail = conn.execute(text("SELECT changes FROM audit_entry WHERE action = 'foi.add'")).scalars().all()
    assert len(trail) == 1
    changes = json.loads(trail[0]) if isinstance(trail[0], str) else trail[0]  # JSON text in SQLite
    assert changes["source_reference"] == [None, "ICW-77"]
    for sources, said in ((["icw-77"], "request 1: source reference: 'icw-77' was imported before, as "
                                         "FOI-2023-00001: importing it again would count it twice"),
                          (["ICW-78", "ICW-78"], "request 2: source reference: 'ICW-78' is also request 1's: "
                                                 "one request, once")):
        with pytest.raises(ValidationError) as refused:
            foi.import_requests(admin, [(draft, None)] * len(sources), sources)
        print(refused.value)
        assert str(refused.value) == said
    assert [r.id for r in foi.list(admin)] == [first]
    assert foi.imported_references(admin) == {"icw-77": "FOI-2023-00001"}


def test_a_reference_longer_than_a_request_may_keep_is_refused_with_its_row(services, admin, tmp_path):
    from riskdesk.services.foi_import import import_file

    long = "ICW-" + "9" * 80
    path = tmp_path / "long.csv"
    path.write_text(GOOD.replace("Media,", "Member of the public,").replace("EIR-0002", long), encoding="utf-8")
    foi = FoiService(services.ctx)
    services.users.list(admin)
    result = import_file(foi, admin, path)
    assert result.problems == (f"row 3, Case Reference: “{long}” is longer than the 80 characters a reference "
                               "may have",)
    assert result.imported == 0 and foi.list(admin) == ()
