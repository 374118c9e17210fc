"""The appetite mark in the appendix (issue 16): ▲ beside current scores above their category's
appetite when Appendix wording switches it on, frozen with the cycle when it is presented."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
from dataclasses import replace

import pytest
from docx import Document

from riskdesk.domain.snapshot import RegisterSnapshot
from riskdesk.reports import _common as c
from riskdesk.reports.appendix import write_appendix_pdf
from riskdesk.reports.appendix_appetite import KEY, MARK
from riskdesk.reports.appendix_docx import write_appendix_docx
from tests.conftest import needs_pdftotext

LEVELS = (("averse", 4), ("minimal", 6), ("cautious", 10), ("open", 15), ("eager", 20))


def _pdftotext(data: bytes) -> str:
    """Text as poppler's pdftotext gives it (what a reader copying from the PDF gets)."""
    needs_pdftotext()
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
                          ).stdout.decode("utf-8")


def _docx_texts(data: bytes) -> tuple[list[str], list[str]]:
    """(the register table's score-cell texts, the body paragraphs) of a Word appendix."""
    doc = Document(io.BytesIO(data))
    cells = [cell.text for row in doc.tables[0].rows[2:] for cell in row.cells[3:9]]
    return cells, [p.text for p in doc.paragraphs]


def _print(services, admin, cycle_id: int, fmt: str) -> bytes:
    buffer = io.BytesIO()
    services.cycles.write_appendix(admin, cycle_id, buffer, fmt=fmt)
    return buffer.getvalue()


def _set_appetite(services, admin, level_of) -> dict[str, str]:
    """Save a scheme version giving each category of the register an appetite level."""
    scheme = services.scheme.current(admin)
    reg = services.registers.corporate_register(admin)
    categories = sorted({r.category for r in services.governance.register_view(admin, reg.id) if r.category})
    chosen = {name: level_of(i) for i, name in enumerate(categories)}
    services.scheme.save(admin, replace(scheme, appetite_levels=LEVELS, category_appetite=tuple(chosen.items())))
    return chosen


def _draft(services, admin) -> int:
    return next(cy.id for cy in services.cycles.list(admin) if cy.status != "presented")


def _expected_marks(snapshot: RegisterSnapshot, part: str = "A") -> list[tuple[str, int]]:
    return [(r.ref, line.current.score) for r in c.risks_for(snapshot, part) for line in r.lines
            if r.appetite_max is not None and line.current.score > r.appetite_max]


def _without_appetite(snapshot: RegisterSnapshot) -> RegisterSnapshot:
    """The snapshot as riskdesk stored it before the appetite mark existed."""
    data = json.loads(snapshot.to_json())
    data.pop("appetite_mark")
    for cat in data["categories"]:
        for risk in cat["risks"]:
            risk.pop("appetite_max")
    return RegisterSnapshot.from_json(json.dumps(data))


@pytest.fixture
def with_appetite(published, admin):
    # Alternate a tight and a loose appetite, so some risks are above and some within.
    _set_appetite(published, admin, lambda i: "cautious" if i % 2 == 0 else "eager")
    return published


def test_switched_off_the_appendix_is_byte_identical_to_one_without_appetite(with_appetite, admin):
    services = with_appetite
    draft = _draft(services, admin)
    snapshot = services.cycles.preview_snapshot(admin, draft)
    assert not snapshot.appetite_mark
    assert _expected_marks(replace(snapshot, appetite_mark=True)), "the fixture has risks above appetite"
    old = _without_appetite(snapshot)
    assert all(r.appetite_max is None for r in old.risks())
    for fmt, write in (("pdf", write_appendix_pdf), ("docx", write_appendix_docx)):
        printed = _print(services, admin, draft, fmt)
        buffer = io.BytesIO()
        write(old, buffer)
        changed = sum(a != b for a, b in zip(printed, buffer.getvalue(), strict=False)) + abs(
            len(printed) - len(buffer.getvalue()))
        print(f"{fmt}: {changed} byte(s) differ from the appendix printed without appetite")
        assert changed == 0
    assert MARK not in _pdftotext(_print(services, admin, draft, "pdf"))


def test_switched_on_each_score_above_appetite_is_marked_with_a_key(with_appetite, admin, corporate_id):
    services = with_appetite
    services.cycles.set_wording(admin, appetite_mark=True)
    draft = _draft(services, admin)
    snapshot = services.cycles.preview_snapshot(admin, draft)
    assert snapshot.appetite_mark
    # Each risk's appetite is its category's, as the register and dashboard see it.
    view = {r.risk_id: r for r in services.governance.register_view(admin, corporate_id)}
    for risk in snapshot.risks():
        assert risk.appetite_max == view[risk.risk_id].appetite_max, risk.ref
    headline_out = sorted(r.ref for r in snapshot.risks() if view[r.risk_id].out_of_appetite and not r.exempt)
    expected = _expected_marks(snapshot)
    assert sorted({ref for ref, _ in expected}) == headline_out

    text = _pdftotext(_print(services, admin, draft, "pdf"))
    marked = [int(n) for n in re.findall(rf"(\d+){MARK}", text)]
    print(f"PDF: {len(marked)} score(s) marked {MARK}, {len(expected)} above appetite, "
          f"{sum(len(r.lines) for r in c.risks_for(snapshot, 'A'))} current scores printed")
    assert sorted(marked) == sorted(score for _, score in expected)
    assert text.count(MARK) == len(expected) + 1  # the marks and the key
    assert f"{MARK} = {KEY}".split()[:6] == text[text.index(f"{MARK} = "):].split()[:6]
    assert text.index(f"{MARK} = ") < text.index("Risks removed since")  # under the register table

    cells, paragraphs = _docx_texts(_print(services, admin, draft, "docx"))
    word_marked = sorted(int(t.rstrip(MARK)) for t in cells if t.endswith(MARK))
    print(f"Word: {len(word_marked)} score(s) marked")
    assert word_marked == sorted(score for _, score in expected)
    assert f"{MARK} = {KEY}" in paragraphs


def test_part_b_marks_only_its_own_risks(with_appetite, admin):
    services = with_appetite
    services.cycles.set_wording(admin, appetite_mark=True)
    snapshot = services.cycles.preview_snapshot(admin, _draft(services, admin))
    buffer = io.BytesIO()
    write_appendix_pdf(snapshot, buffer, part="B")
    text = _pdftotext(buffer.getvalue())
    assert text.count(MARK) == len(_expected_marks(snapshot, "B")) + 1


def _present(services, admin, cycle_id: int) -> None:
    version = services.cycles.get(admin, cycle_id).version
    services.cycles.present(admin, cycle_id, expected_version=version)


def test_a_presented_cycle_keeps_its_marks_after_the_switch_and_the_appetite_change(with_appetite, admin):
    services = with_appetite
    services.cycles.set_wording(admin, appetite_mark=True)
    draft = _draft(services, admin)
    _present(services, admin, draft)
    printed = {fmt: hashlib.sha256(_print(services, admin, draft, fmt)).hexdigest() for fmt in ("pdf", "docx")}
    frozen = services.cycles.preview_snapshot(admin, draft)
    assert frozen.appetite_mark and _expected_marks(frozen)
    marks = _pdftotext(_print(services, admin, draft, "pdf")).count(MARK)

    # The council switches the mark off, then makes every category averse (everything above appetite).
    services.cycles.set_wording(admin, appetite_mark=False)
    again = {fmt: hashlib.sha256(_print(services, admin, draft, fmt)).hexdigest() for fmt in ("pdf", "docx")}
    assert again == printed
    services.cycles.set_wording(admin, appetite_mark=True)
    _set_appetite(services, admin, lambda i: "averse")
    again = {fmt: hashlib.sha256(_print(services, admin, draft, fmt)).hexdigest() for fmt in ("pdf", "docx")}
    changed = sum(again[f] != printed[f] for f in printed)
    print(f"presented cycle reprinted after both changes: {changed} of 2 files changed; {marks} marks kept")
    assert changed == 0

    # The next draft follows the current settings: every score is now above the averse maximum of 4.
    new = services.cycles.create(admin, frozen.meeting_date.replace(year=frozen.meeting_date.year + 1))
    live = services.cycles.preview_snapshot(admin, new.id)
    assert all(r.appetite_max == 4 for r in live.risks())
    assert _pdftotext(_print(services, admin, new.id, "pdf")).count(MARK) == len(_expected_marks(live)) + 1
    assert len(_expected_marks(live)) > len(_expected_marks(frozen))


def test_an_old_snapshot_without_the_fields_reprints_without_a_mark(with_appetite, admin):
    services = with_appetite
    services.cycles.set_wording(admin, appetite_mark=True)
    snapshot = services.cycles.preview_snapshot(admin, _draft(services, admin))
    old = _without_appetite(snapshot)
    assert not old.appetite_mark
    buffers = [io.BytesIO(), io.BytesIO()]
    write_appendix_pdf(old, buffers[0])
    write_appendix_pdf(replace(snapshot, appetite_mark=False), buffers[1])
    assert MARK not in _pdftotext(buffers[0].getvalue())
    assert buffers[0].getvalue() == buffers[1].getvalue()


def test_the_switch_is_audited_and_a_stale_switch_is_refused(published, admin):
    from riskdesk.domain.errors import StaleEdit

    services = published
    assert not services.scheme.appendix_appetite_mark(admin)
    services.cycles.set_wording(admin, appetite_mark=False)  # off already: no change, no entry
    entries = [e for e in services.risks.audit_trail(admin, entity="setting") if e.action == "settings.appendix"]
    assert entries == []
    services.cycles.set_wording(admin, appetite_mark=True, expected_appetite_mark=False)
    assert services.scheme.appendix_appetite_mark(admin)
    entries = [e for e in services.risks.audit_trail(admin, entity="setting") if e.action == "settings.appendix"]
    assert len(entries) == 1 and "appetite_mark" in json.dumps(entries[0].changes)
    with pytest.raises(StaleEdit):  # someone switched it on while this user was editing with it off
        services.cycles.set_wording(admin, appetite_mark=False, expected_appetite_mark=False)
    assert services.scheme.appendix_appetite_mark(admin)
