"""An imported register that gave no direction of travel prints "Not stated", never an arrow (issue 12)."""

from __future__ import annotations

import dataclasses
import io

from docx import Document
from pdfcheck import extract

from riskdesk.domain.snapshot import RegisterSnapshot
from riskdesk.reports.appendix import write_appendix_pdf
from riskdesk.reports.appendix_docx import write_appendix_docx


def _not_stated(snapshot: RegisterSnapshot) -> tuple[RegisterSnapshot, str]:
    first = snapshot.categories[0]
    risk = dataclasses.replace(first.risks[0], direction_text="Not stated")
    category = dataclasses.replace(first, risks=(risk, *first.risks[1:]))
    return dataclasses.replace(snapshot, categories=(category, *snapshot.categories[1:])), risk.ref


def test_word_appendix_prints_not_stated_without_an_arrow(snapshot: RegisterSnapshot) -> None:
    changed, ref = _not_stated(snapshot)
    buffer = io.BytesIO()
    write_appendix_docx(changed, buffer)
    doc = Document(io.BytesIO(buffer.getvalue()))
    table = next(t for t in doc.tables if "CRR Risk No." in t.rows[0].cells[0].text)
    row = next(r for r in table.rows if r.cells[0].text.strip() == ref)
    cell = row.cells[10].text
    arrows = sum(cell.count(a) for a in "↑↔↓")
    print("arrows printed for a direction the file never gave:", arrows)
    assert arrows == 0 and cell.strip() == "Not stated"


def test_pdf_appendix_prints_not_stated(snapshot: RegisterSnapshot) -> None:
    changed, _ = _not_stated(snapshot)
    buffer = io.BytesIO()
    write_appendix_pdf(changed, buffer)
    assert "Not stated" in extract(buffer.getvalue()).text
