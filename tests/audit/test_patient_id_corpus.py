"""The patient-identifier check against a corpus: every positive caught, false alarms counted.

The first seventeen positives are the variants the old check missed or had to catch (issue 11):
dots, slashes, non-breaking and zero-width spaces, full-width and Arabic-Indic digits, double
spaces, "born in 1980", "birthday 1/2/1980" and their neighbours.
"""

from __future__ import annotations

from riskdesk.domain.incidents import PidKind, find_pid

NBSP, ZWSP, NNBSP = "\u00a0", "\u200b", "\u202f"
FULL = str.maketrans("0123456789", "０１２３４５６７８９")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

POSITIVES: list[tuple[str, PidKind]] = [
    # -- the seventeen variants
    ("Client 943.476.5919 died at home", PidKind.NHS_NUMBER),
    ("NHS no 943/476/5919 on the referral", PidKind.NHS_NUMBER),
    (f"NHS number 943{NBSP}476{NBSP}5919", PidKind.NHS_NUMBER),
    (f"NHS number 943{ZWSP}476{ZWSP}5919", PidKind.NHS_NUMBER),
    ("NHS number " + "9434765919".translate(FULL), PidKind.NHS_NUMBER),
    ("NHS number " + "943 476 5919".translate(ARABIC), PidKind.NHS_NUMBER),
    ("NHS number 943  476  5919 recorded", PidKind.NHS_NUMBER),
    ("the service user was born in 1980", PidKind.DATE_OF_BIRTH),
    ("birthday 1/2/1980, lived alone", PidKind.DATE_OF_BIRTH),
    (f"NHS{NBSP}no. 943{NNBSP}476{NNBSP}5919", PidKind.NHS_NUMBER),
    ("NHS number 943 – 476 – 5919", PidKind.NHS_NUMBER),
    ("NHS number ９４３ ４７６ ５９１９", PidKind.NHS_NUMBER),
    (f"9{ZWSP}4{ZWSP}3{ZWSP}4{ZWSP}7{ZWSP}6{ZWSP}5{ZWSP}9{ZWSP}1{ZWSP}9", PidKind.NHS_NUMBER),
    ("born 1980 in Leicester", PidKind.DATE_OF_BIRTH),
    ("DOB: 01.02.1980", PidKind.DATE_OF_BIRTH),
    ("D.O.B 1/2/80", PidKind.DATE_OF_BIRTH),
    ("Birthday: 1 Feb 1980", PidKind.DATE_OF_BIRTH),
    # -- more NHS numbers, as people type them
    ("9434765919", PidKind.NHS_NUMBER),
    ("943 476 5919", PidKind.NHS_NUMBER),
    ("943-476-5919", PidKind.NHS_NUMBER),
    ("NHS:9434765919", PidKind.NHS_NUMBER),
    ("NHS9434765919 on file", PidKind.NHS_NUMBER),
    ("patient (398 259 7919) was discharged", PidKind.NHS_NUMBER),
    ("refs 678 698 1984; seen by GP", PidKind.NHS_NUMBER),
    ("634.648.4850", PidKind.NHS_NUMBER),
    ("171 861 5981 15/03/2023 admitted", PidKind.NHS_NUMBER),
    ("NHS 716-073-3134.", PidKind.NHS_NUMBER),
    ("334 229 0420", PidKind.NHS_NUMBER),
    ("94 34 76 59 19", PidKind.NHS_NUMBER),
    ("NHS number " + "3982597919".translate(PERSIAN), PidKind.NHS_NUMBER),
    ("nhs # 943 476 5919\n", PidKind.NHS_NUMBER),
    ("943\t476\t5919", PidKind.NHS_NUMBER),
    ("943 / 476 / 5919", PidKind.NHS_NUMBER),
    # -- more dates of birth
    ("date of birth 3rd March 1984", PidKind.DATE_OF_BIRTH),
    ("Date of birth: 12/03/1984", PidKind.DATE_OF_BIRTH),
    ("dob 1984-03-12", PidKind.DATE_OF_BIRTH),
    ("d.o.b. 12-03-84", PidKind.DATE_OF_BIRTH),
    ("born on 3 March 1984", PidKind.DATE_OF_BIRTH),
    ("born on the 3rd of March 1984", PidKind.DATE_OF_BIRTH),
    ("was born March 3, 1984", PidKind.DATE_OF_BIRTH),
    ("born in March 1984", PidKind.DATE_OF_BIRTH),
    ("DOB " + "01/02/1980".translate(FULL), PidKind.DATE_OF_BIRTH),
    ("year of birth 1980", PidKind.DATE_OF_BIRTH),
    ("birth date: 1.2.1980", PidKind.DATE_OF_BIRTH),
    (f"born{NBSP}in{NBSP}1980", PidKind.DATE_OF_BIRTH),
    ("DoB 1980", PidKind.DATE_OF_BIRTH),
    ("b'day 01/02/1980", PidKind.DATE_OF_BIRTH),
]

NEGATIVES: list[str] = [
    # phone numbers
    "call 01163054239 today", "Tel 0116 305 4239", "mobile 07700 900123", "07700900123", "+44 116 305 4239",
    "0116 305 4239 ext 5", "Helpline 0800 123 4567", "Out of hours: 0300 555 0101",
    # incident dates and periods
    "Reported on 12/03/2023; Dobson ward; newborn visit", "incident on 15/03/2023 at 14:30",
    "between 01/02/2023 - 03/02/2023", "reported 2023-03-15, reviewed 2023-04-02", "identified 3 March 2023",
    "Q3 2023/24 review", "meeting 17 November 2023", "the 2019 audit and the 2021 re-audit",
    "deadline 60 working days from 02.10.2023", "extended to 30/11/2023 by the ICB",
    # StEIS and other references
    "StEIS 2023/12345", "StEIS ref 2023/21456 and 2023/21457", "SI-2023-004", "Datix W123456",
    "StEIS 2022/9876 closed", "case 2023/0045/LPT", "ICO ref IC-123456-A1B2",
    # money
    "£1,234,567.89 overspend", "cost £12,500 per year", "£ 1 234 567", "budget 2,500,000", "€4,999.99",
    # ordinary text
    "Death of a service user in treatment.", "Lessons: staff training refreshed", "Ward 12, bed 4",
    "aged 43", "a newborn baby visit", "Dobson ward", "the service was reborn", "born out of concern",
    "3 deaths in 12 months", "1 of 2 actions overdue", "Room 101", "invoice 123456789",
    "order 12345678901", "version 1.2.3.4", "call back within 24 hours",
]


def test_corpus_has_no_misses() -> None:
    assert len(POSITIVES) >= 40 and len(NEGATIVES) >= 40
    misses = [text for text, kind in POSITIVES if kind not in {f.kind for f in find_pid({"description": text})}]
    alarms = [(text, [f.text for f in find_pid({"description": text})]) for text in NEGATIVES
              if find_pid({"description": text})]
    print(f"patient identifiers: miss rate {len(misses)}/{len(POSITIVES)} = {len(misses) / len(POSITIVES):.1%}; "
          f"false-alarm rate {len(alarms)}/{len(NEGATIVES)} = {len(alarms) / len(NEGATIVES):.1%}")
    for text in misses:
        print("  missed:", repr(text))
    for text, found in alarms:
        print("  false alarm:", repr(text), found)
    assert misses == []
    assert len(alarms) <= len(NEGATIVES) // 20  # at most 5 % false alarms


def test_finding_quotes_what_was_typed() -> None:
    typed = f"NHS number 943{NBSP}476{ZWSP}5919"
    (finding,) = find_pid({"description": typed})
    assert finding.text == f"943{NBSP}476{ZWSP}5919"
    assert finding.kind is PidKind.NHS_NUMBER
