"""The SI search shows exactly the SIs whose reference, provider, service, category, external
reference or description holds every word typed, whatever the other filters, the sort, and
however the text was reached (typed letter by letter, erased, pasted)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from PySide6.QtCore import Qt

from riskdesk.domain.incidents import Framework, IncidentRow, Status
from riskdesk.ui.incidents.table_model import Col, IncidentFilter, IncidentTableModel

PROVIDERS = ((1, "TP", 11, "Integrated substance misuse service"), (2, "MPFT", 12, "Sexual health"),
             (3, "LPT", 13, "0–11 Healthy Together"))
CATEGORIES = ("Drug-related death", "Medication incident", "Safeguarding concern")
WORDS = ("Naloxone", "overdose", "PGD", "referral", "email", "Coroner", "clinic", "recall", "Opiate", "visit")


def _rows(n: int) -> list[IncidentRow]:
    rnd = random.Random(5)
    rows = []
    for i in range(1, n + 1):
        pid, pname, sid, sname = rnd.choice(PROVIDERS)
        reported = date(2020, 1, 1) + timedelta(days=rnd.randint(0, 1200))
        rows.append(IncidentRow(
            id=i, reference=f"SI-{reported.year}-{i:04d}", provider_id=pid, provider_name=pname, service_id=sid,
            service_name=sname, occurred_on=None, identified_on=reported, reported_on=reported,
            category=rnd.choice(CATEGORIES), description=" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(2, 8))),
            external_ref=f"{reported.year}/{rnd.randint(100, 999)}", framework=rnd.choice(list(Framework)),
            learning_response=None, status=rnd.choice(list(Status)), closed_on=None, clocks=()))
    return rows


def _expected(rows: list[IncidentRow], f: IncidentFilter) -> set[int]:
    """The search as the issue states it, written the plain way."""
    words = f.text.lower().split()
    out = set()
    for r in rows:
        text = " ".join((r.reference, r.provider_name, r.service_name, r.category, r.external_ref,
                         r.description)).lower()
        if f.provider_id is not None and r.provider_id != f.provider_id:
            continue
        if f.status is not None and r.status is not f.status:
            continue
        if f.open_only and r.status is Status.CLOSED:
            continue
        if all(w in text for w in words):
            out.add(r.id)
    return out


def test_search_results_match_the_plain_search_however_the_text_is_typed(qtmodeltester):
    rows = _rows(600)
    model = IncidentTableModel()
    model.set_rows(rows)
    model.sort(Col.PROVIDER, Qt.SortOrder.AscendingOrder)
    texts = []
    for phrase in ("nalox", "si-2021", "mpft clin", "healthy", "drug-rel over", "2022/", "0–11 pgd"):
        texts += [phrase[:k] for k in range(1, len(phrase) + 1)]  # typed letter by letter
        texts += [phrase[:k] for k in range(len(phrase) - 1, 0, -1)]  # then erased
    texts += ["CORONER", "recall  visit", "zzz", ""]
    wrong = 0
    checked = 0
    for base in (IncidentFilter(), IncidentFilter(provider_id=2), IncidentFilter(open_only=True),
                 IncidentFilter(status=Status.CLOSED)):
        for text in texts:
            f = replace(base, text=text)
            model.set_filter(f)
            shown = [r.id for r in model.rows()]
            checked += 1
            if set(shown) != _expected(rows, f) or len(shown) != len(set(shown)):
                wrong += 1
    print(f"searches checked: {checked}, with a wrong set of SIs shown: {wrong}")
    assert wrong == 0
    qtmodeltester.check(model)


def test_search_keeps_the_sort_and_the_selected_sis_place(qtbot):
    from PySide6.QtWidgets import QTableView

    rows = _rows(300)
    model = IncidentTableModel()
    model.set_rows(rows)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    model.sort(Col.REF, Qt.SortOrder.DescendingOrder)
    target = next(r for r in model.rows() if "naloxone" in r.description.lower())
    view.selectRow(model.row_of(target.id))
    model.set_filter(IncidentFilter(text="nalo"))
    refs = [r.reference.lower() for r in model.rows()]
    assert refs == sorted(refs, reverse=True)
    selected = view.selectionModel().selectedRows()
    print("selected after the search:", [model.row_at(i.row()).reference for i in selected])
    assert [model.row_at(i.row()).id for i in selected] == [target.id]
