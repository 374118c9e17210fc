"""Report cycles as the window and the CLI see them, and their sensible defaults."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.snapshot import Footnote

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")

DRAFT = "draft"
PRESENTED = "presented"

DEFAULT_APPENDIX_LABEL = "Appendix A"
DEFAULT_MEETING_TITLE = "Corporate Governance Committee"

#: The footnotes under the register table, in the published wording (Leicestershire, Nov 2023).
#: A council changes them in the settings; each presented cycle keeps the wording it printed.
DEFAULT_FOOTNOTES: tuple[Footnote, ...] = (
    Footnote("*", "Target risk score - This is the desired score to be achieved after additional mitigation "
                  "procedures/controls have taken place."),
    Footnote(
        "**",
        "The arrows explain the direction of travel for the risk, i.e. where it is expected to be within the next "
        "twelve months after further mitigating actions, so that:",
        (
            "A horizontal arrow shows that not much movement is expected in the risk.",
            "A downward pointing arrow shows that there is an expectation that the risk will be mitigated towards "
            "‘medium’ and would likely be removed from the register.",
            "An upwards pointing arrow would be less likely, but possible, since it would show an already high "
            "scoring risk is likely to be greater",
        ),
    ),
)


@dataclass(frozen=True)
class CycleRow:
    id: int
    register_id: int
    register_name: str
    meeting_date: date
    meeting_title: str
    title: str
    appendix_label: str
    update_heading: str
    period: str
    previous_id: int | None
    previous_meeting_date: date | None
    status: str
    presented_at: datetime | None
    presented_by: str | None
    snapshot_sha256: str | None
    created_at: datetime
    created_by: str
    version: int

    @property
    def presented(self) -> bool:
        return self.status == PRESENTED

    @property
    def label(self) -> str:
        """"17 November 2023 – Corporate Risk Register Update (November 2023) (draft)"."""
        return f"{long_date(self.meeting_date)} – {self.title} ({self.status})"

    def file_stem(self, part: str = "A") -> str:
        """"Appendix A - Corporate Risk Register Update (November 2023)" (safe as a file name)."""
        label = self.appendix_label.strip()
        if part.upper() == "B":
            label = f"{label} Part B (exempt)" if label else "Part B (exempt)"
        stem = f"{label} - {self.title}" if label else self.title
        return "".join("-" if ch in '<>:"/\\|?*' or ord(ch) < 32 else ch for ch in stem).strip(" .") or "appendix"


def long_date(value: date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def default_title(meeting: date, register_name: str = "Corporate Risk Register") -> str:
    """"Corporate Risk Register Update (November 2023)" for a November 2023 meeting."""
    return f"{register_name} Update ({MONTHS[meeting.month - 1]} {meeting.year})"


def default_update_heading(meeting: date) -> str:
    """"Update October 2023": owners write their updates in the month before the meeting."""
    year, month = (meeting.year, meeting.month - 1) if meeting.month > 1 else (meeting.year - 1, 12)
    return f"Update {MONTHS[month - 1]} {year}"


def removed_since(meeting: date) -> date:
    """Start of the month two years before the meeting: "Risks removed since November 2021"."""
    return date(meeting.year - 2, meeting.month, 1)


# -- the appendix wording a council edits ----------------------------------------------------------

#: Longest heading, marker and footnote text the appendix lays out sensibly.
MAX_HEADING = 200
MAX_MARKER = 10
MAX_FOOTNOTE_TEXT = 4000


class WordingProblem(ValidationError):
    """A column heading or footnote the appendix cannot print, naming which one.

    Attributes:
        column: the column key ("ref") when a heading is at fault.
        footnote: the 0-based position of the footnote at fault.
        part: "marker", "text" or "items" for a footnote.
    """

    def __init__(self, field: str, value: Any, reason: str, *, column: str | None = None,
                 footnote: int | None = None, part: str = "") -> None:
        super().__init__(field, value, reason)
        self.column = column
        self.footnote = footnote
        self.part = part


def check_wording(footnotes: Sequence[Footnote] | None, columns: Mapping[str, str] | None,
                  defaults: Mapping[str, str]) -> None:
    """Refuse wording the appendix cannot print; the text itself is kept exactly as typed.

    Args:
        footnotes: the footnotes in print order (None: not being changed).
        columns: heading overrides by column key (None: not being changed).
        defaults: the known column keys and their default headings.

    Raises:
        WordingProblem: the first problem found, naming the heading or footnote.
    """
    if columns is not None:
        unknown = sorted(set(columns) - set(defaults))
        if unknown:
            raise WordingProblem("column", ", ".join(unknown),
                                 f"is not a column heading (known: {', '.join(defaults)})", column=unknown[0])
        for key, text in columns.items():
            field = f"column heading “{defaults[key]}”"
            if not isinstance(text, str) or not text.strip():
                raise WordingProblem(field, text, f"is empty: type a heading, or reset it to the default "
                                     f"(“{defaults[key]}”)", column=key)
            if len(text) > MAX_HEADING:
                raise WordingProblem(field, text[:40] + "…", f"is longer than {MAX_HEADING} characters",
                                     column=key)
    for i, note in enumerate(footnotes or ()):
        field = f"footnote {i + 1}"
        if len(note.marker) > MAX_MARKER:
            raise WordingProblem(f"{field} marker", note.marker, f"is longer than {MAX_MARKER} characters",
                                 footnote=i, part="marker")
        if not note.text.strip():
            raise WordingProblem(f"{field} text", note.text, "is empty: type the footnote, or remove it",
                                 footnote=i, part="text")
        if len(note.text) > MAX_FOOTNOTE_TEXT:
            raise WordingProblem(f"{field} text", note.text[:40] + "…",
                                 f"is longer than {MAX_FOOTNOTE_TEXT} characters", footnote=i, part="text")
        for j, item in enumerate(note.items):
            if not item.strip():
                raise WordingProblem(f"{field} bullet {j + 1}", item, "is empty: remove the blank line",
                                     footnote=i, part="items")
            if len(item) > MAX_FOOTNOTE_TEXT:
                raise WordingProblem(f"{field} bullet {j + 1}", item[:40] + "…",
                                     f"is longer than {MAX_FOOTNOTE_TEXT} characters", footnote=i, part="items")
