"""A provider's audits running over several pages: every continuation page says whose audits they are.

Text is read page by page with pypdf, as the other report tests do.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from riskdesk.domain.clinical import (
    ActionItem,
    AppendixGroup,
    AuditAppendix,
    AuditKind,
    AuditStatus,
    ClinicalAuditRow,
    Rag,
)
from riskdesk.domain.quarters import Quarter
from riskdesk.reports.clinical_report import write_audit_appendix

MPFT = "Midlands Partnership NHS Foundation Trust (MPFT)"
COLUMNS = "# Audit Type Standard Status RAG Re-audit due Actions"
FINDING = ("Case notes sampled across the hub and spoke clinics; documentation of consent, safeguarding "
           "screening and partner notification was checked against the standard. ")


def _audit(n: int, service: str, provider: str, quarter: Quarter, title: str, findings: str) -> ClinicalAuditRow:
    return ClinicalAuditRow(
        id=n, service_id=1, service_name=service, provider_id=1, provider_name=provider, provider_label=provider,
        quarter=quarter, title=title, kind=AuditKind.AUDIT, previous_audit_id=None, previous_audit_title="",
        standard_body="BASHH", status=AuditStatus.COMPLETE, findings=findings, rag=list(Rag)[n % 3],
        actions=(ActionItem("Share findings", "Lead nurse", date(2024, 5, 1)),), reaudit_due=date(2025, 3, 31),
        version=1)


def _groups(service: str, provider: str, per_quarter: int, *, tag: str = "",
            long_every: int = 4) -> list[AppendixGroup]:
    """Four quarters of audits; every ``long_every``-th audit has long findings (a tall row)."""
    groups, n = [], 0
    for q in (1, 2, 3, 4):
        quarter = Quarter(2023, q)
        audits = []
        for i in range(1, per_quarter + 1):
            n += 1
            findings = FINDING * (12 if i % long_every == 0 else 1)
            audits.append(_audit(n, service, provider, quarter, f"{tag}Audit {quarter.label} no {i:02d}", findings))
        groups.append(AppendixGroup(service, provider, quarter, tuple(audits)))
    return groups


def _appendix(*groups: AppendixGroup) -> AuditAppendix:
    return AuditAppendix("Clinical audits", "23/24 Q1 to 23/24 Q4", tuple(groups), (), date(2024, 6, 1))


def _pages(path: Path) -> list[str]:
    """Each page's text with runs of whitespace made single spaces (wrapped cells rejoin)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(str(path)).pages]


def _titles(groups: list[AppendixGroup]) -> list[tuple[str, str]]:
    return [(a.title, g.quarter.label) for g in groups for a in g.audits]


@pytest.fixture(scope="module")
def long_provider(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[AppendixGroup]]:
    groups = _groups("Sexual Health", MPFT, 14)
    out = write_audit_appendix(tmp_path_factory.mktemp("cont") / "long.pdf", _appendix(*groups))
    return out, groups


def test_every_continuation_page_names_the_provider_and_repeats_the_column_headings(long_provider):
    out, _ = long_provider
    pages = _pages(out)
    assert len(pages) >= 3
    heading = f"Services delivered by {MPFT}"
    assert heading in pages[0] and "(continued)" not in pages[0]
    for number, page in enumerate(pages[1:], start=2):
        assert f"Sexual Health – {heading} (continued)" in page, f"page {number} does not say whose audits"
        assert COLUMNS in page, f"page {number} has no column headings"
        # The continuation heading comes first, above the column headings and the rows.
        assert page.index("(continued)") < page.index(COLUMNS) < page.index("Audit 23/24")


def test_each_audit_prints_once_in_order_under_its_quarter(long_provider):
    out, groups = long_provider
    pages = _pages(out)
    text = " ".join(pages)
    at = 0
    for title, quarter in _titles(groups):
        assert text.count(title) == 1, f"{title!r} printed {text.count(title)} times"
        found = text.index(title)
        assert found > at, f"{title!r} out of order"
        # The nearest quarter named above the audit (band or "(continued)" band) is its own.
        named = max(text.rfind(f"23/24 Q{q}", 0, found) for q in (1, 2, 3, 4))
        assert text.startswith(quarter, named), f"{title!r} is not under {quarter}"
        at = found


def test_a_quarter_running_over_a_page_is_named_on_the_next_page(long_provider):
    out, groups = long_provider
    pages = _pages(out)
    quarter_of = dict(_titles(groups))
    continued = 0
    for page in pages[1:]:
        first = min((page.index(t), t) for t in quarter_of if t in page)[1]
        label = quarter_of[first]
        # Above the page's first audit: its quarter, as a fresh band or "… (continued)".
        assert label in page[:page.index(first)], f"the page starting with {first!r} does not name {label}"
        if f"{label} (continued)" in page:
            continued += 1
            assert page.index(f"{label} (continued)") < page.index(first)
    assert continued >= 1  # the data does make a quarter run over a page
    # A quarter band that starts on a page is never marked "(continued)" on that page.
    assert "23/24 Q1 (continued)" not in pages[0]


def test_a_very_long_cell_still_splits_across_pages(tmp_path):
    groups = _groups("Sexual Health", MPFT, 3)
    huge = groups[1].audits[1]
    words = " ".join(f"word{n}" for n in range(1, 1501))
    from dataclasses import replace

    groups[1] = replace(groups[1], audits=(groups[1].audits[0], replace(huge, findings=words), groups[1].audits[2]))
    out = write_audit_appendix(tmp_path / "huge.pdf", _appendix(*groups))
    pages = _pages(out)
    assert len(pages) >= 3
    text = " ".join(pages)
    assert "word1 " in text and "word1500" in text  # nothing lost: the row split over the pages
    page = next(p for p in pages if "word1500" in p)
    assert "(continued)" in page and COLUMNS in page and "23/24 Q2 (continued)" in page


def test_a_provider_starting_on_a_new_page_is_not_marked_continued(tmp_path):
    # The first provider runs onto a second page; the second (six audits, which fit on one page)
    # does not fit below it and starts a fresh page, whole.
    first = _groups("Sexual Health", MPFT, 2, tag="M ", long_every=99)
    second = _groups("Contraception", "Brook Young People (BYP)", 2, tag="B ")[:3]
    out = write_audit_appendix(tmp_path / "two.pdf", _appendix(*first, *second))
    pages = _pages(out)
    fresh = "Services delivered by Brook Young People (BYP)"
    where = [i for i, p in enumerate(pages) if fresh in p]
    assert where, "second provider missing"
    page = pages[where[0]]
    assert "Sexual Health – Services delivered by" not in page.split(fresh)[1]
    assert f"{fresh} (continued)" not in " ".join(pages)
    assert page.index("Contraception") < page.index(fresh)
    # It really did start a fresh page: nothing of the first provider's audits is on it, and
    # all of its own audits are.
    assert where[0] > 0 and not any(t in page for t, _ in _titles(first))
    assert all(t in page for t, _ in _titles(second))
    assert "(continued)" in pages[where[0] - 1]  # the first provider did run over


def test_continuation_heading_prints_markup_and_welsh_as_typed(tmp_path):
    service = "Gwasanaethau iechyd rhywiol – Ŵyr & Ŷd"
    provider = "R&D <b> Ltd </para> Bwrdd Iechyd"
    groups = _groups(service, provider, 12)
    out = write_audit_appendix(tmp_path / "odd.pdf", _appendix(*groups))
    pages = _pages(out)
    assert len(pages) >= 2
    assert f"Services delivered by {provider}" in pages[0] and service in pages[0]
    for page in pages[1:]:
        assert f"{service} – Services delivered by {provider} (continued)" in page


def test_reprint_is_byte_identical(tmp_path, long_provider):
    out, groups = long_provider
    again = write_audit_appendix(tmp_path / "again.pdf", _appendix(*groups))
    assert again.read_bytes() == out.read_bytes()
