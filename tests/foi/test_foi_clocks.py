"""Every FOI/EIR clock example of SPEC E.6 through the issue's exact command form, with the UK-wide
holidays named in the explanation (AC-K01 …), and the rules the clocks implement."""

from __future__ import annotations

import pytest

from riskdesk.cli import run

CASES = [
    # (argv after --regime, due, names that must be listed as skipped)
    (["foia", "--received", "2023-03-06"], "2023-04-04", ["17 Mar 2023 — Saint Patrick's Day (Northern Ireland)"]),
    (["foia", "--received", "2023-03-04"], "2023-04-03", ["day 1 is Mon 6 Mar 2023"]),
    (["foia", "--received", "2023-07-03"], "2023-08-01", ["12 Jul 2023 — Battle of the Boyne (Northern Ireland)"]),
    (["foia", "--received", "2023-07-24"], "2023-08-22", ["7 Aug 2023 — Summer Bank Holiday (Scotland)"]),
    (["foia", "--received", "2023-11-20"], "2023-12-19", ["30 Nov 2023 — Saint Andrew's Day (Scotland)"]),
    (["foia", "--received", "2023-12-11"], "2024-01-12", ["2 Jan 2024 — New Year Holiday (Scotland)",
                                                          "25 Dec 2023 — Christmas Day (all UK nations)"]),
    (["foia", "--received", "2023-12-22"], "2024-01-25", []),
    (["eir", "--received", "2023-12-22", "--extended"], "2024-02-22", []),
    (["eir", "--received", "2023-03-06", "--extended"], "2023-05-05", []),
    (["foia", "--received", "2023-03-06", "--clarified", "2023-03-20"], "2023-04-19",
     ["clarification received (the clock restarts"]),
    (["foia", "--received", "2023-06-01", "--fee-requested", "2023-06-08", "--fee-received", "2023-06-20"],
     "2023-07-13", ["9 working days disregarded", "12 Jul 2023 — Battle of the Boyne (Northern Ireland)"]),
    (["foia", "--received", "2023-03-06", "--pit-notice", "2023-04-04"], "2023-05-05",
     ["s.17 refusal notice due by: Tue 4 Apr 2023"]),
    (["internal-review", "--received", "2023-05-10"], "2023-06-08", ["longest extension: Thu 6 Jul 2023"]),
    (["eir-reconsideration", "--received", "2023-05-10"], "2023-07-06", []),
]


@pytest.mark.parametrize(("argv", "due", "names"), CASES)
def test_deadline_command_matches_the_worked_examples(capsys, argv, due, names):
    assert run(["deadline", "--regime", *argv, "--today", "2023-01-02"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == f"due: {due}"
    for name in names:
        assert name in out


def test_fee_stop_and_clarification_restart_differ_from_the_plain_clock(capsys):
    run(["deadline", "--regime", "foia", "--received", "2023-06-01", "--today", "2023-01-02"])
    plain = capsys.readouterr().out.splitlines()[0]
    assert plain == "due: 2023-06-29"  # what it would be without the fee stop


def test_the_fee_received_alone_is_refused(capsys):
    assert run(["deadline", "--regime", "foia", "--received", "2023-06-01", "--fee-received", "2023-06-20"]) == 2
    assert "needs the date the fees notice was given" in capsys.readouterr().err
