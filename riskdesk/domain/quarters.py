"""Financial quarters: the council's year runs April–March; Q1 = Apr–Jun, written ``23/24 Q1``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from riskdesk.domain.errors import ValidationError

_LABEL = re.compile(r"^\s*(\d{2}|\d{4})\s*/\s*(\d{2}|\d{4})\s*Q([1-4])\s*$", re.IGNORECASE)
_CODE = re.compile(r"^\s*(\d{4})\s*-?\s*Q([1-4])\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True, slots=True)
class Quarter:
    """A financial quarter. ``fy`` is the calendar year the financial year starts in."""

    fy: int
    q: int

    def __post_init__(self) -> None:
        if self.q not in (1, 2, 3, 4):
            raise ValidationError("quarter", self.q, "must be 1, 2, 3 or 4")
        if not 1990 <= self.fy <= 2200:
            raise ValidationError("financial year", self.fy, "is not a plausible year")

    @property
    def label(self) -> str:
        """``23/24 Q3``"""
        return f"{self.fy % 100:02d}/{(self.fy + 1) % 100:02d} Q{self.q}"

    @property
    def code(self) -> str:
        """Stored form, sorts chronologically: ``2023Q3``."""
        return f"{self.fy}Q{self.q}"

    @property
    def financial_year(self) -> str:
        """``2023/24``"""
        return f"{self.fy}/{(self.fy + 1) % 100:02d}"

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.q - 1)
        year = self.fy
        if month > 12:
            month -= 12
            year += 1
        return date(year, month, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> Quarter:
        return Quarter(self.fy + 1, 1) if self.q == 4 else Quarter(self.fy, self.q + 1)

    def previous(self) -> Quarter:
        return Quarter(self.fy - 1, 4) if self.q == 1 else Quarter(self.fy, self.q - 1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def of(cls, day: date) -> Quarter:
        fy = day.year if day.month >= 4 else day.year - 1
        q = (day.month - 4) % 12 // 3 + 1
        return cls(fy, q)

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Read ``23/24 Q3``, ``2023/24 Q3`` or ``2023Q3``."""
        m = _CODE.match(text or "")
        if m:
            return cls(int(m.group(1)), int(m.group(2)))
        m = _LABEL.match(text or "")
        if m:
            first, second, q = m.group(1), m.group(2), int(m.group(3))
            fy = int(first) if len(first) == 4 else 2000 + int(first)
            if (fy + 1) % 100 != int(second) % 100:
                raise ValidationError("quarter", text, "names two years that do not follow each other")
            return cls(fy, q)
        raise ValidationError("quarter", text, "is not a financial quarter like 23/24 Q3")

    def __str__(self) -> str:
        return self.label


def last_n(quarter: Quarter, n: int) -> list[Quarter]:
    """The ``n`` quarters ending with ``quarter``, oldest first."""
    out = [quarter]
    for _ in range(n - 1):
        out.append(out[-1].previous())
    return out[::-1]
