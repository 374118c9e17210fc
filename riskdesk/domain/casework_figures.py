"""How casework reports print numbers, and the check of the figures an officer types in prose.

ONE rounding rule for every percentage (SPEC F.0, I-1): exact decimal arithmetic, rounded half
up to a whole number. It reproduces every percentage the seed reports print except three cells
of 004's contact table (+2%, +58%, +5% for 2.50%, 58.77%, 5.83%), which no single rule
reproduces; riskdesk prints +3%, +59%, +6% there and the report says how it rounds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ROUNDING_NOTE = "Percentages are rounded half up to a whole number (2.5% prints as 3%)."


def pct(part: int, whole: int) -> int | None:
    """``part`` as a whole-number percentage of ``whole``, rounded half up; None when ``whole`` is 0."""
    if whole == 0:
        return None
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def pct_text(part: int, whole: int) -> str:
    p = pct(part, whole)
    return "n/a" if p is None else f"{p}%"


def change(prior: int, current: int) -> int | None:
    """The change from ``prior`` to ``current`` in whole per cent, half up (away from zero)."""
    return None if prior == 0 else pct(current - prior, prior)


def change_text(prior: int, current: int) -> str:
    """"+42%", "-21%" (hyphen-minus, as 004:62), "0%", "n/a" when there was nothing before."""
    c = change(prior, current)
    if c is None:
        return "n/a"
    return f"+{c}%" if c > 0 else f"{c}%"


def money(amount: Decimal | float | int) -> str:
    """£ with thousands commas; pence only when there are any (£27,222.15, £68,945)."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return f"£{int(value):,}"
    return f"£{value:,.2f}"


_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n: int, *, capital: bool = False) -> str:
    """0–999 in words ("twenty-seven"); larger numbers as digits with commas."""
    if n < 0 or n > 999:
        out = f"{n:,}"
    elif n < 20:
        out = _UNITS[n]
    elif n < 100:
        out = _TENS[n // 10] + ("-" + _UNITS[n % 10] if n % 10 else "")
    else:
        rest = n % 100
        out = _UNITS[n // 100] + " hundred" + (" and " + words(rest) if rest else "")
    return out[:1].upper() + out[1:] if capital else out


def fy_label(fy: str, style: str = "dash") -> str:
    """"2023/24" as "2023-24" (dash), "2023/24" (slash) or "23/24" (short)."""
    start = int(fy[:4])
    if style == "slash":
        return f"{start}/{(start + 1) % 100:02d}"
    if style == "short":
        return f"{start % 100:02d}/{(start + 1) % 100:02d}"
    return f"{start}-{(start + 1) % 100:02d}"


def parse_fy(text: str) -> str:
    """"23/24", "2023/24", "2023-24", "2023" → "2023/24" (the financial year starting in April)."""
    t = text.strip()
    m = re.fullmatch(r"(\d{2}|\d{4})\s*[/-]\s*(\d{2}|\d{4})", t) or re.fullmatch(r"(\d{4})", t)
    if not m:
        raise ValueError(f"“{text}” is not a financial year: write it as 23/24 or 2023/24")
    start = int(m.group(1))
    start = start + 2000 if start < 100 else start
    if m.lastindex == 2:
        end = int(m.group(2)) % 100
        if end != (start + 1) % 100:
            raise ValueError(f"“{text}” is not a financial year: the second year must follow the first")
    return f"{start}/{(start + 1) % 100:02d}"


# -- the narrative checker ---------------------------------------------------------------------------

_NUM = r"(\d{1,3}(?:,\d{3})+|\d+)"
_FROM_TO = re.compile(_NUM + r"\s+(?:in\s+\S+\s+)?to\s+" + _NUM + r"(?:\s+in\s+\S+)?,?\s+(?:an?\s+)?"
                      r"(increase|decrease|rise|fall|reduction)\s+of\s+(\d+(?:\.\d+)?)%", re.I)
_SHARE = re.compile(_NUM + r"\s*\((\d+(?:\.\d+)?)%\)\s+of\s+" + _NUM, re.I)


@dataclass(frozen=True)
class NarrativeFlag:
    """A percentage in prose that the figures beside it contradict."""

    quoted: str
    stated: str
    correct: str

    @property
    def text(self) -> str:
        return f"{self.quoted}: {self.stated} is not right; the figures give {self.correct}"


def _n(s: str) -> int:
    return int(s.replace(",", ""))


def check_narrative(text: str) -> list[NarrativeFlag]:
    """Flag each "A to B, an increase of X%" and "N (X%) of M" whose X the numbers contradict.

    A percentage riskdesk cannot tie to two numbers in the same sentence is left alone: a false
    alarm in a committee report costs more than a missed one the officer can still see.
    """
    flags: list[NarrativeFlag] = []
    for m in _FROM_TO.finditer(text):
        a, b, word, stated = _n(m.group(1)), _n(m.group(2)), m.group(3).lower(), m.group(4)
        c = change(a, b)
        if c is None:
            continue
        stated_value = Decimal(stated)
        if word in ("decrease", "fall", "reduction"):
            stated_value = -stated_value
        if Decimal(c) != stated_value.quantize(Decimal(1), rounding=ROUND_HALF_UP):
            sign = "+" if c > 0 else ""
            flags.append(NarrativeFlag(m.group(0), f"{stated}%", f"{a} → {b} is {sign}{c}%, not {stated}%"))
    for m in _SHARE.finditer(text):
        part, stated, whole = _n(m.group(1)), m.group(2), _n(m.group(3))
        p = pct(part, whole)
        if p is not None and Decimal(p) != Decimal(stated).quantize(Decimal(1), rounding=ROUND_HALF_UP):
            flags.append(NarrativeFlag(m.group(0), f"{stated}%", f"{part} of {whole} is {p}%, not {stated}%"))
    return flags
