"""The complaints reports as a Word document: the same blocks as the PDF (``complaints_report.py``).

python-docx is imported inside the writer, so importing this module is cheap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from riskdesk.reports.complaints_report import blocks
from riskdesk.reports.text import clean_text


def write_docx(figures: dict[str, Any], out: Path) -> Path:
    """Write the report as a .docx whose text matches the PDF's."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.author = "riskdesk"
    for b in blocks(figures):
        if b.kind == "title":
            doc.add_heading(clean_text(b.text), level=0)
        elif b.kind == "heading":
            doc.add_heading(clean_text(b.text), level=1)
        elif b.kind == "bullet":
            doc.add_paragraph(clean_text(b.text), style="List Bullet")
        elif b.kind == "table":
            table = doc.add_table(rows=1, cols=len(b.header))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, b.header, strict=True):
                cell.text = clean_text(text)
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in b.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = clean_text(text)
            doc.add_paragraph()
        else:
            p = doc.add_paragraph(clean_text(b.text))
            if b.kind == "note":
                for run in p.runs:
                    run.font.size = Pt(8)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out
