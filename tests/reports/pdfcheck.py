"""Helpers for the report tests: PDF text extraction and in-order token matching."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader


@dataclass
class PdfText:
    pages: list[str]
    #: (page index, y, text) for every text run, to check nothing is drawn outside the frame.
    runs: list[tuple[int, float, str]]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def tokens(self, first_page: int = 0, last_page: int | None = None) -> list[str]:
        return "\n".join(self.pages[first_page:last_page]).split()

    def page_of(self, needle: str) -> int:
        for i, page in enumerate(self.pages):
            if needle in page:
                return i
        raise AssertionError(f"{needle!r} is on no page")


def extract(data: bytes) -> PdfText:
    reader = PdfReader(io.BytesIO(data))
    pages: list[str] = []
    runs: list[tuple[int, float, str]] = []
    for index, page in enumerate(reader.pages):

        def visit(text: str, cm: Sequence[float], tm: Sequence[float], *_: object, index: int = index) -> None:
            if text.strip():
                # y in page space: text matrix within the current transformation matrix.
                runs.append((index, tm[5] * cm[3] + cm[5], text))

        pages.append(page.extract_text(visitor_text=visit))
    return PdfText(pages, runs)


def _match_at(hay: Sequence[str], i: int, token: str) -> int | None:
    """End index if ``token`` starts at hay[i]; a token split over lines may span up to 6 pieces."""
    if hay[i] == token:
        return i + 1
    acc = hay[i]
    j = i + 1
    while token.startswith(acc) and len(acc) < len(token) and j < len(hay) and j - i < 6:
        acc += hay[j]
        j += 1
        if acc == token:
            return j
    return None


def find_in_order(hay: Sequence[str], needles: Sequence[str], start: int = 0, max_gap: int = 2000,
                  what: str = "") -> tuple[int, int]:
    """Find ``needles`` as an in-order subsequence of ``hay`` from ``start``.

    Each needle must follow the previous one within ``max_gap`` tokens (page breaks put the
    footer, the repeated header and the other columns' text in between).

    Returns:
        (index of the first needle, index after the last one).

    Raises:
        AssertionError: naming the first needle not found, with context.
    """
    pos = start
    first = None
    for k, needle in enumerate(needles):
        limit = min(len(hay), pos + max_gap + 1)
        for i in range(pos, limit):
            end = _match_at(hay, i, needle)
            if end is not None:
                if first is None:
                    first = i
                pos = end
                break
        else:
            context = " ".join(hay[max(0, pos - 8): pos + 8])
            raise AssertionError(f"{what}: token #{k} {needle!r} not found in order after …{context}…")
    return (first if first is not None else start), pos


def contains_run(hay: Sequence[str], run: Sequence[str], start: int = 0, end: int | None = None) -> bool:
    """True when ``run`` appears contiguously in hay[start:end]."""
    end = len(hay) if end is None else end
    n = len(run)
    return any(list(hay[i:i + n]) == list(run) for i in range(start, max(start, end - n + 1)))


def squash(text: str) -> str:
    """Text without any whitespace: compares text whatever the line breaks."""
    return "".join(text.split())
