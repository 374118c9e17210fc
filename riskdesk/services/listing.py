"""Rows as the register shows them, built from plain column tuples.

Free of SQLAlchemy: the services build their rows with these from what they read, and the
window's first look at a personal SQLite file (``riskdesk.services.first_look``) builds the same
rows from the same statements read with the standard library's sqlite3, before the ORM is loaded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from riskdesk.domain.direction import Direction, direction_words
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import (
    UNSCORED_FIELDS,
    CategoryRow,
    DepartmentRow,
    RegisterRow,
    RiskRow,
    UserRow,
    category_heading,
    register_order_of,
)
from riskdesk.domain.score_line import ScoreLine
from riskdesk.domain.scoring import Score, ScoringScheme

CURRENT_PERIOD = "current_period"
COUNCIL_NAME = "council_name"

_DIRECTIONS = {d.value: d for d in Direction}  # faster than Direction(value) per row
#: Where a risk's latest assessment id and its scheme sit in a row of the register's read.
_A_ID, _A_SCHEME_ID = 18, 28


@dataclass(frozen=True)
class Opening:
    """What the window reads first: who is asking, the scoring scheme, the quarter, the registers."""

    me: UserRow
    scheme: ScoringScheme
    period: Quarter
    registers: list[RegisterRow]


@dataclass(frozen=True)
class RegisterChoices:
    """What the register page offers to choose from (filters, editor), and the council's name."""

    departments: list[DepartmentRow]
    categories: list[CategoryRow]  # of the register, with its current risks counted
    users: list[UserRow]
    council: str


def category_row(c: Any, count: int = 0) -> CategoryRow:
    return CategoryRow(
        id=c.id,
        register_id=c.register_id,
        number=c.number,
        name=c.name,
        retired=c.retired,
        position=c.position,
        heading=category_heading(c.number, c.name, c.retired, c.heading_as_given),
        version=c.version,
        risk_count=count,
    )


def user_row(u: Any) -> UserRow:
    return UserRow(u.id, u.login, u.display_name, u.job_title, u.role, u.active)


def department_row(d: Any) -> DepartmentRow:
    return DepartmentRow(d.id, d.code, d.name, d.active)


def choices_from(departments: Sequence[Any], category_counts: Sequence[Any], categories: Sequence[Any],
                 users: Sequence[Any], council: Sequence[Any]) -> RegisterChoices:
    """The choices from what ``registers.choice_reads`` read (in that order)."""
    count = dict(category_counts)
    return RegisterChoices(
        departments=[department_row(d) for d in departments],
        categories=[category_row(c, count.get(c.id, 0)) for c in categories],
        users=[user_row(u) for u in users],
        council=council[0].value if council else "",
    )


def registers_from(counts: Sequence[Any], registers: Sequence[Any]) -> list[RegisterRow]:
    count = dict(counts)
    return [RegisterRow(rid, name, kind, code, count.get(rid, 0)) for rid, name, kind, code in registers]


def score_or_none(impact: int | None, likelihood: int | None) -> Score | None:
    if impact is None or likelihood is None:
        return None
    return Score(impact, likelihood)


class HistoryEntries(dict[str, tuple[str, int, int | None]]):
    """``"2024Q1 12 6"`` → ``("2024Q1", 12, 6)``, each entry parsed once: across a register's
    risks the same few periods and scores repeat, so one tuple serves them all."""

    def __missing__(self, item: str) -> tuple[str, int, int | None]:
        period, current, target = item.split(" ")
        entry = self[item] = (period, int(current), int(target) if target else None)
        return entry


def score_history(text: str | None, entries: HistoryEntries) -> tuple[tuple[str, int, int | None], ...]:
    """A risk's history as the register's read has it, oldest first: ((period, current, target or None), …).

    The database joins the periods in no promised order; a period code is fixed-width
    (``2024Q1``), so sorting the entries as text puts them in time order."""
    return tuple(map(entries.__getitem__, sorted(text.split(",")))) if text else ()


def schemes_missing(base: Sequence[Sequence[Any]], schemes: dict[int, ScoringScheme]) -> bool:
    """Whether a risk in ``base`` was scored under a scheme version ``schemes`` lacks."""
    return any(r[_A_SCHEME_ID] not in schemes for r in base if r[_A_ID] is not None)


def risk_rows(base: Sequence[Sequence[Any]], dept_rows: Sequence[Sequence[Any]], line_rows: Sequence[Sequence[Any]],
              schemes: dict[int, ScoringScheme]) -> list[RiskRow]:
    """The register's rows, in register order, from the three reads of
    ``riskdesk.services.risks._row_reads`` (plain tuples, in that statement's column order);
    ``schemes`` holds every scheme version the risks were scored under."""
    depts: dict[int, list[str]] = defaultdict(list)
    for rid, code in dept_rows:
        depts[rid].append(code)
    # The extra scoring lines of each risk's latest assessment.
    wanted = {r[_A_ID] for r in base if r[_A_ID] is not None}
    extra: dict[int, list[ScoreLine]] = defaultdict(list)
    for assessment_id, label, line_ci, line_cl, line_ti, line_tl, line_note in line_rows:
        if assessment_id in wanted:
            extra[assessment_id].append(ScoreLine(
                Score(line_ci, line_cl), score_or_none(line_ti, line_tl), label or "", line_note or ""))
    words_cache: dict[tuple[int, str, int, int | None], str] = {}

    # Scores, scoring lines, category headings and history entries repeat across thousands of
    # rows: being immutable, one object of each serves them all (a third of the time of listing
    # 5,000 risks).
    scores: dict[tuple[int, int], Score] = {}
    line_cache: dict[tuple[int, int, int | None, int | None, str], ScoreLine] = {}
    headings: dict[int, str] = {}
    entries = HistoryEntries()

    def score(impact: int, likelihood: int) -> Score:
        hit = scores.get((impact, likelihood))
        if hit is None:
            hit = scores[(impact, likelihood)] = Score(impact, likelihood)
        return hit

    rows = []
    for (rid, register_id_, ref, category_id, description, service_area, departments_text, owner_id, status,
         exempt, version, first_presented_on, cat_number, cat_name, cat_retired, heading_as_given, cat_position,
         owner_name, aid, period, ci, cl, ti, tl, note, direction, direction_text, update_text, scheme_id,
         a_version, history_text) in base:
        codes = tuple(depts.get(rid, ()))
        if category_id is None:
            heading = ""
        else:
            heading = headings.get(category_id)
            if heading is None:
                heading = headings[category_id] = category_heading(cat_number, cat_name, bool(cat_retired),
                                                                   heading_as_given)
        position = cat_position if cat_position is not None else 10**6
        # Every field in one dictionary that becomes the row's own (``RiskRow.listed``), its
        # register order made here rather than on the row's first sort.
        values: dict[str, Any] = {
            "id": rid, "register_id": register_id_, "ref": ref, "category_id": category_id,
            "category_heading": heading, "category_position": position,
            "departments": codes, "departments_text": departments_text or " ".join(codes),
            "description": description, "service_area": service_area or "",
            "owner_id": owner_id, "owner_name": owner_name or "", "status": status,
            "exempt": bool(exempt), "version": version, "first_presented_on": first_presented_on,
            "register_order": register_order_of(position, ref),
        }
        if aid is None:
            values.update(UNSCORED_FIELDS)
        else:
            hist = score_history(history_text, entries)
            key = (ci, cl, ti, tl, note or "")
            head = line_cache.get(key)
            if head is None:
                target_ = score(ti, tl) if ti is not None and tl is not None else None
                head = line_cache[key] = ScoreLine(score(ci, cl), target_, "", note or "")
            more = extra.get(aid)
            words = direction_text
            if not words:
                current, target = head.current, head.target
                wkey = (scheme_id, direction, current.score, target.score if target else None)
                words = words_cache.get(wkey)
                if words is None:
                    words = direction_words(_DIRECTIONS[direction], current.score, schemes[scheme_id].bands,
                                            target.score if target else None)
                    words_cache[wkey] = words
            values["period"] = period
            values["assessment_id"] = aid
            values["assessment_version"] = a_version
            values["lines"] = (head, *more) if more else (head,)
            values["direction"] = _DIRECTIONS[direction]
            values["direction_text"] = words
            values["update_text"] = update_text
            values["previous_score"] = hist[-2][1] if len(hist) > 1 else None
            values["history"] = hist
        rows.append(RiskRow.listed(values))
    rows.sort(key=attrgetter("register_order"))
    return rows
