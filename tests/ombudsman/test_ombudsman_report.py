"""The Ombudsman section printed from FX-LCC: the published wording of 004 §5 (SPEC H.4 AC-L01/L02/L04/L05),
and where the seeds contradict themselves (SPEC A.7), riskdesk's figure with the seed's slip named."""

from __future__ import annotations

from pathlib import Path

from ombudsman_helpers import pdf_text
from sqlalchemy import func, select

from riskdesk.domain.ombudsman import Decision, fy_bounds
from riskdesk.domain.register import Actor
from riskdesk.models import OmbudsmanCase
from riskdesk.services import Services

ENQUIRIES_TABLE = (  # 004:294-301 exactly
    "Department 23/24 22/23 21/22 "
    "Environment and Transport 11 16 22 "
    "Children and Family Services 50 37 14 "
    "Adults and Communities 22 24 10 "
    "Corporate Resources 0 1 1 "
    "Chief Executives 0 2 3 "
    "Public Health 0 0 0 "
    "TOTAL 83 80 50"
)

DECISIONS = (  # 004:307-314, the same words (the seed adds explanations after some of them)
    "The LGSCO issued Final Decisions on 82 cases during the year.",
    "Six identified as outside of the Ombudsman's remit",
    "Twenty-two were closed after initial enquiries (the Assessment stage) with no further action.",
    "Four were closed after detailed investigation and with no maladministration found.",
    "Twenty-seven cases of maladministration and injustice were found.",
    "Twenty-three were considered to be premature and referred back to the Council to complete their "
    "complaints procedure.",
    "The numbers of cases where the Ombudsman highlighted maladministration increased this year from 23 in 2022/23",
    "No Public reports were issued against the Council during the year.",
    "Eighteen of the twenty-seven maladministration findings related to corporate services",
    "Education & SEND – 17 Decisions",
    "Environment and Transport – 1 Decision",
    "The Council agreed to make a payment of £350",
)


def test_the_2023_24_report_prints_the_published_figures(fx_lcc: Services, team: Actor, tmp_path: Path) -> None:
    pdf = tmp_path / "ombudsman.pdf"
    data = fx_lcc.ombudsman.write_report(team, 2023, pdf=str(pdf))
    text = pdf_text(str(pdf))
    assert "During the year 2023-24, the LGSCO made enquiries into 83 complaints." in text
    assert ENQUIRIES_TABLE in text
    missing = [d for d in DECISIONS if d not in text]
    print("published sentences missing from the PDF:", len(missing), missing)
    assert missing == []
    assert data.decisions_total == 82
    assert [data.count(d) for d in (Decision.OUT_OF_JURISDICTION, Decision.CLOSED_NO_FURTHER_ACTION,
                                    Decision.NOT_UPHELD_NO_FAULT, Decision.UPHELD_FAULT_INJUSTICE,
                                    Decision.PREMATURE)] == [6, 22, 4, 27, 23]


def test_compensation_total_and_the_seeds_slip_on_last_year(fx_lcc: Services, team: Actor, tmp_path: Path) -> None:
    """004:343 prints "£27,222.15 a decrease from £40,750 in 2022/23". The £27,222.15 is reproduced; the
    £40,750 is the seed's slip (I-4): last year's own report itemises £68,945 (000:624), which riskdesk prints."""
    pdf = tmp_path / "ombudsman.pdf"
    fx_lcc.ombudsman.write_report(team, 2023, pdf=str(pdf))
    text = pdf_text(str(pdf))
    assert ("Total compensation payments recommended by the Ombudsman this year amounted to £27,222.15 a decrease "
            "from £68,945 in 2022/23") in text
    assert "£40,750" not in text  # I-4: the seed's prior-year figure is not reachable from the records


def test_2022_23_figures_of_the_committee_report(fx_lcc: Services, team: Actor, tmp_path: Path) -> None:
    """000:577-627: 27 upheld, £68,945 (the seed's last year £11,950 is only quoted), three payments over
    £5,000 with the Chair consulted, two public reports; and I-5: the 23 "maladministration and
    injustice" of 004:316 is one of the three upheld sub-categories of the Ombudsman's 27."""
    pdf = tmp_path / "ombudsman-2022.pdf"
    data = fx_lcc.ombudsman.write_report(team, 2022, pdf=str(pdf))
    text = pdf_text(str(pdf))
    assert data.compensation_pence == 6_894_500
    assert "amounted to £68,945" in text
    assert "consulted on three payments that exceeded the £5,000 limit" in text
    assert "Two Public reports were issued against the Council during the year." in text
    upheld = sum(n for d, n in data.decisions if d.upheld)
    print("2022/23 upheld (LGSCO definition):", upheld, "of which fault and injustice:",
          data.count(Decision.UPHELD_FAULT_INJUSTICE))
    assert (upheld, data.count(Decision.UPHELD_FAULT_INJUSTICE)) == (27, 23)
    # Appendix C as published, Leicestershire second (000:1366-1381, AC-L06).
    assert "Gloucestershire 88 61 14 Leicestershire 117 71 16 Warwickshire 59 73 10" in text
    assert len(data.benchmark) == 16


def test_published_figures_are_reconciled_not_recomputed(fx_lcc: Services, team: Actor, tmp_path: Path) -> None:
    """AC-L05 / I-6: the Ombudsman published 35 investigations and 29 upheld (003:65-72); the council's records
    hold 31 and 27. Both print, as published and as held, with the difference; nothing is raised."""
    pdf = tmp_path / "ombudsman.pdf"
    data = fx_lcc.ombudsman.write_report(team, 2023, pdf=str(pdf))
    lines = {r.measure: (r.published, r.council) for r in data.reconciliation}
    assert lines["Detailed investigations"] == (35, 31)
    assert lines["Upheld (any fault)"] == (29, 27)
    assert lines["Satisfactory remedy provided by the council"] == (7, 0)
    text = pdf_text(str(pdf))
    assert "Detailed investigations 35 31 -4" in text
    # The letter as published (003:60-98, AC-L04), never recomputed (29/35 would be 82.9%).
    assert "83% of complaints investigated were upheld. This compares to an average of 85% in similar" in text
    assert "4 upheld decisions per 100,000 residents; average 4.5" in text
    assert "based on 24 compliance outcomes" in text


def test_contact_table_and_enquiry_table_differ_by_the_late_logged_case(fx_lcc: Services) -> None:
    """I-3: the contact table counts 82 Ombudsman contacts logged in 2023/24 (004:66) while §5.1 counts 83
    enquiries by the Ombudsman's date (004:301): one case opened 28 Mar 2024 was logged on 2 Apr 2024."""
    a, b = fy_bounds(2023)
    with fx_lcc.ctx.read() as s:
        logged = s.scalar(select(func.count()).select_from(OmbudsmanCase)
                          .where(OmbudsmanCase.logged_on >= a, OmbudsmanCase.logged_on <= b))
        enquired = s.scalar(select(func.count()).select_from(OmbudsmanCase)
                            .where(OmbudsmanCase.first_enquiry_on >= a, OmbudsmanCase.first_enquiry_on <= b))
    assert (logged, enquired) == (82, 83)


def test_word_version_carries_the_same_wording(fx_lcc: Services, team: Actor, tmp_path: Path) -> None:
    from docx import Document

    out = tmp_path / "ombudsman.docx"
    fx_lcc.ombudsman.write_report(team, 2023, docx=str(out))
    doc = Document(str(out))
    text = " ".join(p.text for p in doc.paragraphs)
    assert "Twenty-seven cases of maladministration and injustice were found." in text
    assert "£27,222.15" in text
    cells = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert cells[-1] == ["TOTAL", "83", "80", "50"]


def test_replies_on_time_over_three_years_as_the_london_borough_reports(services: Services, team: Actor,
                                                                        tmp_path: Path) -> None:
    """AC-L07 (002:39-64): 47 cases with 16 replies on time, 36 with 19, 39 with 27 print as 34%, 53%, 69%
    (rounded half up); an agreed extension moves the due date a reply is measured against."""
    from datetime import date, timedelta

    from riskdesk.domain.ombudsman import CaseDraft

    n = 0
    for fy, cases, on_time in ((2018, 47, 16), (2019, 36, 19), (2020, 39, 27)):
        for i in range(cases):
            first = date(fy, 4, 2) + timedelta(days=i * 7)
            late = i >= on_time
            d = services.ombudsman.create_case(team, CaseDraft(
                f"{fy % 100} 5{i:02d} {n:03d}", "CFS", first, first + timedelta(days=28),
                responded_on=first + timedelta(days=35 if late else 20)))
            if i == 0:  # replied on day 20 anyway; an extension is recorded to show it is the date in force
                services.ombudsman.agree_extension(team, d.row.id, new_due=first + timedelta(days=40),
                                                   reason="agreed", agreed_on=first + timedelta(days=10),
                                                   expected_version=d.row.version)
            n += 1
    pdf = tmp_path / "borough.pdf"
    data = services.ombudsman.write_report(team, 2020, pdf=str(pdf))
    assert data.replies == ((2020, 39, 27), (2019, 36, 19), (2018, 47, 16))
    text = pdf_text(str(pdf))
    for line in ("2020/21 39 27 69%", "2019/20 36 19 53%", "2018/19 47 16 34%"):
        assert line in text, line
