from __future__ import annotations

import io

import pytest
from pdfcheck import PdfText, extract
from published import published_snapshot

from riskdesk.domain.snapshot import RegisterSnapshot


@pytest.fixture(scope="session")
def snapshot() -> RegisterSnapshot:
    return published_snapshot()


@pytest.fixture(scope="session")
def published_pdf(snapshot: RegisterSnapshot) -> bytes:
    from riskdesk.reports.appendix import write_appendix_pdf

    buffer = io.BytesIO()
    write_appendix_pdf(snapshot, buffer)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def published_text(published_pdf: bytes) -> PdfText:
    return extract(published_pdf)
