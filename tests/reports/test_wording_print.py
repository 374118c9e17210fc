"""Footnotes and column headings a council typed print exactly as typed (markup is text)."""

from __future__ import annotations

import dataclasses
import io

from pdfcheck import extract

from riskdesk.domain.snapshot import Footnote, RegisterSnapshot


def test_typed_footnote_and_heading_print_as_typed(snapshot: RegisterSnapshot) -> None:
    from riskdesk.reports.appendix import write_appendix_pdf

    typed = dataclasses.replace(
        snapshot,
        footnotes=(Footnote("*", "R&D <b> costs & Dŵr ŷ “quoted”", ("<i>item</i> & more",)),),
        columns=(("ref", "Risk <No.> & ref"),),
    )
    buffer = io.BytesIO()
    write_appendix_pdf(typed, buffer)
    text = extract(buffer.getvalue()).text
    assert "*R&D <b> costs & Dŵr ŷ “quoted”" in text
    assert "<i>item</i> & more" in text
    # The narrow first column wraps the heading over lines: compare without the line breaks.
    assert "Risk<No.>&ref" in "".join(text.split())
    assert "CRR Risk No." not in text
