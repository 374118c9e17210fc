"""What the appendix says, independent of PDF or Word: part selection, headings, dates.

Both writers (``appendix.py`` and ``appendix_docx.py``) read the snapshot through these
helpers so the two formats cannot drift apart. No ReportLab or python-docx here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from riskdesk.domain.movements import public_movements
from riskdesk.domain.snapshot import Movements, RegisterSnapshot, RemovedRisk, SnapshotRisk

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

#: Column headings as the council prints them; ``snapshot.columns`` overrides any key.
DEFAULT_COLUMNS: dict[str, str] = {
    "ref": "CRR Risk No.",
    "departments": "Dept./ Function",
    "description": "Risk Description",
    "current": "Current Risk Score",
    "target": "*Target Risk Score",
    "impact": "Impact",
    "likelihood": "Likelihood",
    "score": "Risk Score",
    "direction": "** Direction of Travel (Residual Risk Score over the next 12 months)",
}
EXEMPT_NOTICE = (
    "NOT FOR PUBLICATION: this part contains exempt information under Part 1 of Schedule 12A "
    "to the Local Government Act 1972."
)
EXEMPT_ELSEWHERE = "Risks in this category are reported in Part B (exempt)."
MOVEMENTS_TITLE = "Movements since the CRR was last presented"


class ReportCancelled(Exception):
    """Raised by a writer when its ``cancelled`` callback returns True; nothing is written."""


@dataclass(frozen=True)
class CategoryView:
    """A category as it prints in one part: its heading, its risks and an optional note row."""

    heading: str
    risks: tuple[SnapshotRisk, ...]
    note: str = ""


def check_part(part: str) -> str:
    """Normalise ``part`` to "A" or "B".

    Raises:
        ValueError: for anything else.
    """
    value = str(part).strip().upper()
    if value not in ("A", "B"):
        raise ValueError(f"part must be 'A' (public) or 'B' (exempt), not {part!r}")
    return value


def categories_for(snapshot: RegisterSnapshot, part: str) -> list[CategoryView]:
    """The categories and risks printed in ``part``.

    Part A prints every category heading in order (retired ones too, as published) with
    its non-exempt risks; a live category whose risks are all exempt keeps its heading and
    gets a one-line note pointing to Part B, so the public numbering has no unexplained gap.
    Part B prints only the categories that hold exempt risks, and only those risks.
    """
    out: list[CategoryView] = []
    for cat in snapshot.categories:
        if part == "B":
            risks = tuple(r for r in cat.risks if r.exempt)
            if risks:
                out.append(CategoryView(cat.heading, risks))
            continue
        risks = tuple(r for r in cat.risks if not r.exempt)
        note = EXEMPT_ELSEWHERE if cat.risks and not risks else ""
        out.append(CategoryView(cat.heading, risks, note))
    return out


def risks_for(snapshot: RegisterSnapshot, part: str) -> list[SnapshotRisk]:
    return [r for c in categories_for(snapshot, part) for r in c.risks]


def public_movements_of(snapshot: RegisterSnapshot) -> Movements | None:
    """The movements Part A prints: exempt risks never reach the public part through them."""
    return public_movements(snapshot.movements) if snapshot.movements is not None else None


def public_removed(snapshot: RegisterSnapshot) -> tuple[RemovedRisk, ...]:
    """Removed risks Part A prints (an exempt risk stays exempt after removal)."""
    return tuple(r for r in snapshot.removed if not r.exempt)


#: Lines of an update that head a block: "Risks currently scoring 15 and above" (risk 7.2).
_GROUP_HEADING = re.compile(r"^risks (currently )?scoring .*\b(above|below|over|under)\b.*$", re.IGNORECASE)


def department_codes(snapshot: RegisterSnapshot) -> frozenset[str]:
    """Every department code the snapshot knows, lower-cased (key and risks)."""
    return frozenset(code.lower() for code, _ in snapshot.department_key) | frozenset(
        code.lower() for risk in snapshot.risks() for code in risk.departments)


def is_update_heading(line: str, codes: frozenset[str]) -> bool:
    """True for an update line that is only a department code ("CR", "E&T", "A&C") or a group
    heading ("Risks currently scoring below 15"): printed bold, as in the published 2.4 and 7.2."""
    text = line.strip()
    return bool(text) and (text.lower() in codes or bool(_GROUP_HEADING.match(text)))


def _luminance(rgb: str) -> float:
    value = rgb.lstrip("#")
    channels = [int(value[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two "#rrggbb" colours."""
    la, lb = _luminance(a), _luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def score_ink(fill: str) -> str:
    """Ink for a score on a band fill: white on strong, dark fills, else black.

    WCAG 2's ratio slightly prefers black on pure red (5.3:1 against 4.0:1), but thin black
    strokes on saturated red blur into a dark red at screen and print resolution, which is
    what made the red cells hard to read; perceptual measures (APCA) rate white higher there.
    So white wherever it still reaches 3.9:1 (red), black on amber and green.
    """
    return "#ffffff" if contrast("#ffffff", fill) >= 3.9 else "#000000"


def appendix_title(snapshot: RegisterSnapshot, part: str) -> str:
    """"Appendix A – Corporate Risk Register Update (November 2023)"; Part B says it is exempt."""
    label = snapshot.appendix_label.strip()
    if part == "B":
        label = f"{label} (Part B – exempt)" if label else "Part B (exempt)"
    return f"{label} – {snapshot.title}" if label else snapshot.title


def column(snapshot: RegisterSnapshot, key: str) -> str:
    overrides = dict(snapshot.columns)
    if key == "update":
        return overrides.get("update", snapshot.update_heading)
    return overrides.get(key, DEFAULT_COLUMNS[key])


def long_date(value: date) -> str:
    """17 November 2023 (no locale: the machine's locale must not change the print)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def month_year(value: date) -> str:
    return f"{MONTHS[value.month - 1]} {value.year}"


def short_date(value: date) -> str:
    """05-Nov-21, as the council prints the date of removal."""
    return f"{value.day:02d}-{MONTHS[value.month - 1][:3]}-{value.year % 100:02d}"


def meeting_line(snapshot: RegisterSnapshot) -> str:
    title = snapshot.meeting_title.strip()
    return f"{title}, {long_date(snapshot.meeting_date)}" if title else long_date(snapshot.meeting_date)


def subtitle(snapshot: RegisterSnapshot) -> str:
    """"Council – Committee, date"; without a council name, no dangling "–"."""
    return " – ".join(part for part in (snapshot.council.strip(), meeting_line(snapshot)) if part)


def removed_title(snapshot: RegisterSnapshot) -> str:
    return f"Risks removed since {month_year(snapshot.removed_since)}"


def movements_title(snapshot: RegisterSnapshot) -> str:
    since = snapshot.movements.since if snapshot.movements else None
    return f"{MOVEMENTS_TITLE} ({long_date(since)})" if since else MOVEMENTS_TITLE


def removed_il(impact: int | None, likelihood: int | None) -> str:
    """"I4/L4" under a removed risk's score; empty when either part was not recorded."""
    if impact is None or likelihood is None:
        return ""
    return f"I{impact}/L{likelihood}"


def score_change_text(previous: int, current: int) -> str:
    if current < previous:
        word = "decreased"
    elif current > previous:
        word = "increased"
    else:
        word = "unchanged"
    return f"Risk score {word} from {previous} to {current}."
