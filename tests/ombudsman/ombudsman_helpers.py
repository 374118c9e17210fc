"""Helpers shared by the Ombudsman tests."""

from __future__ import annotations


def pdf_text(path: str, *, layout: bool = True) -> str:
    """The PDF's text as ``pdftotext [-layout]`` reads it, spaces collapsed, for comparing with wording
    (without -layout a wrapped table cell reads as one run of text)."""
    import re
    import subprocess

    from tests.conftest import needs_pdftotext

    needs_pdftotext()
    out = subprocess.run(["pdftotext", *(["-layout"] if layout else []), path, "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", " ", out)
