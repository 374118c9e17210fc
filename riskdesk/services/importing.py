"""Bring a council's existing register in from a spreadsheet, and keep import mappings by name.

The pure work (reading the file, mapping columns, translating scales, finding every problem)
is done by :mod:`riskdesk.io`; this service adds what needs the database and writes the result.

Decisions, so that nobody has to guess what an import did:

* **Current and target** scores become the risk's assessment for the quarter *before* the current
  reporting period: they are the register as it stood when imported, so every imported risk
  counts as "not updated" this quarter until its owner saves an update. When the user says the
  file *is* this quarter's update (``this_quarter=True``, ``--this-quarters-update``) they are
  stored for the current period; ``period`` names any other quarter.
* **Inherent** scores ("risk if no action", "gross", "before controls", "unmitigated") are kept
  as the risk's inherent score, in their own fields, never as a past quarter's assessment: no
  movement is ever computed from them (Fenland's risk 1 once showed "decreased from 25").
* **Original cells**: every imported score keeps the cells as the file wrote them ("file:
  Impact 6.67 of 10, Likelihood 4 of 5"), on the assessment and in the audit entry, so a score
  converted from another scale can always be checked against the file.
* **Update text** is the source's update column whole. Mitigation, actions and comments
  columns are kept in the same update text, each under its own heading line ("Mitigation:"),
  after the update, every character as written: riskdesk has no separate action log yet, and
  text parked anywhere else would not be printed beside the risk.
* **Owners**: riskdesk keeps one owner per risk. A cell naming several people makes the first
  the owner; the others are named in the audit entry of the import and a warning says so.
  Names are matched to users by display name or login, ignoring case. Unknown names become
  users with the risk owner role when the caller allows it, otherwise they are row errors.
* **Departments** are matched by code or name; unknown ones are created (code = name = the text
  in the file) when allowed, otherwise they are row errors. Either may instead be mapped to an
  existing department or user with ``department_map`` / ``owner_map``.
* **Categories**: ``category_id`` puts every risk in one category; otherwise a category column
  is matched against the register's headings and missing headings are created ("3. Finance"
  becomes number 3, name "Finance"; "– category retired" marks it retired).
* **Scoring lines**: the current and target scores are the headline line. A riskdesk export's
  "Score note", "Other scoring lines" (a risk scored per department group) and "Direction
  words" columns become the headline note, the extra lines (positions 2…n, labels, targets and
  notes as written) and the custom direction words, so an export imports back whole.
* **No direction** in the source is stored as "level" with the words "Not stated" (the
  assessment needs a direction; the words say the file gave none, and the appendix prints them
  without an arrow); the audit entry says the file gave none.
* Everything is written in one transaction, with an audit entry per risk noting
  "imported from FILE, sheet S, row N". A new register is created in that same transaction, so
  cancelling, any failure or a killed process leaves the database exactly as it was (never an
  empty register).
"""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from riskdesk.db import insert_many
from riskdesk.domain.errors import NotFound, RiskdeskError, ValidationError
from riskdesk.domain.permissions import Permission, Role
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor, category_heading
from riskdesk.domain.scoring import Score, ScoringScheme
from riskdesk.domain.snapshot import ScoreLine
from riskdesk.io.lines import format_line
from riskdesk.io.mapping import ImportMapping
from riskdesk.io.prepare import ImportedRisk, PreparedImport, RowProblem, prepare_import
from riskdesk.io.readers import Workbook, read_workbook
from riskdesk.io.scales import ScaleMap
from riskdesk.models import (
    Assessment,
    AssessmentLine,
    Category,
    Department,
    Register,
    Risk,
    RiskDepartment,
    SavedImportMapping,
    User,
)
from riskdesk.models.base import utcnow
from riskdesk.services import audit as audit_trail
from riskdesk.services.base import ServiceContext, collector_paused
from riskdesk.services.registers import CURRENT_PERIOD, require_register, scheme_row

MAX_REF = 16
MAX_DEPARTMENT_CODE = 32
MAX_NAME = 200
#: How many rows are written per batch; cancel is checked before every row, progress per batch.
BATCH = 500
#: Direction words stored when the file gives no direction of travel.
NOT_STATED = "Not stated"
#: Headings for the texts kept in the update after the source's own update text.
EXTRA_TEXTS = (("mitigation", "Mitigation"), ("actions", "Actions"), ("comments", "Comments"))

_RETIRED = re.compile(r"\s*(?:[–—-]\s*)?category retired\s*$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(\d{1,4})\s*[.)]\s*(.*)$")


class ImportCancelled(RiskdeskError):
    """The person importing cancelled; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The import was cancelled; the database is as it was before.")


class ImportRefused(ValidationError):
    """The import cannot go ahead until these row-level problems are fixed or the rows skipped.

    Attributes:
        problems: every blocking problem, in row order.
    """

    def __init__(self, source: str, problems: Sequence[RowProblem]) -> None:
        self.problems = tuple(problems)
        first = "; ".join(str(p) for p in self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        super().__init__(
            "import", source,
            f"has {len(self.problems)} problem(s) to fix or skip before anything is imported: {first}{more}",
        )


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote.

    Attributes:
        register_id, register_name: where the risks went.
        source_name, sheet_name: where they came from.
        period: the period (code, "2023Q3") of the imported assessments.
        history_period: always None now (inherent scores are no longer stored as history); kept so
            callers written for the old behaviour still run.
        risk_ids: the new risks, in source row order.
        rows: the source row numbers imported, in the same order.
        skipped_rows: source rows the user chose to skip.
        departments_created, owners_created, categories_created: what the import added.
    """

    register_id: int
    register_name: str
    source_name: str
    sheet_name: str
    period: str
    history_period: str | None
    risk_ids: tuple[int, ...]
    rows: tuple[int, ...]
    skipped_rows: tuple[int, ...]
    departments_created: tuple[str, ...] = ()
    owners_created: tuple[str, ...] = ()
    categories_created: tuple[str, ...] = ()
    inherent_scores: int = 0
    register_created: bool = False
    this_quarter: bool = False

    @property
    def risks(self) -> int:
        return len(self.risk_ids)


@dataclass(frozen=True)
class ImportedScores:
    """Where an imported risk's scores came from, for the risk's page ("Inherent score", "From the file").

    Attributes:
        inherent: the inherent score ("risk if no action") the file gave, or None.
        inherent_source: its cells as the file wrote them, or "".
        assessments: ``(period code, the score cells as the file wrote them)`` for each imported assessment.
    """

    inherent: Score | None
    inherent_source: str
    assessments: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class SavedMapping:
    """An import mapping saved by name."""

    id: int
    name: str
    mapping: ImportMapping
    scales: ScaleMap
    created_by: str
    created_at: datetime
    updated_by: str
    updated_at: datetime
    version: int


def stored_update(risk: ImportedRisk) -> str:
    """The update text riskdesk stores for an imported row: update, then mitigation, actions, comments.

    Each extra text comes under its own heading line so a reader knows which column it came
    from; nothing is dropped or re-worded.
    """
    parts = [risk.update] if risk.update else []
    for attr, heading in EXTRA_TEXTS:
        text = getattr(risk, attr)
        if text:
            parts.append(f"{heading}:\n{text}")
    return "\n\n".join(parts)


def source_values(risk: ImportedRisk, where: str = "", *, cells: str | None = None) -> str:
    """The imported assessment's score cells as the file wrote them, current then target.

    "current: file: Impact 6.67 of 10, Likelihood 4 of 5, Score 26.68; target: file: …", followed
    by " (``where``, row N)" when ``where`` is given. ``cells``: ``source_values(risk)``, where the
    caller has it already (an import needs both, for each of its risks).
    """
    if cells is None:
        cells = "; ".join(f"{what}: {text}" for what, text in (("current", risk.current_source),
                                                                ("target", risk.target_source)) if text)
    if not cells:
        return ""
    return cells + (f" ({where}, row {risk.row})" if where else "")


def _column(mapping: ImportMapping, field_name: str) -> str:
    """The column a problem with ``field_name`` is reported under: the first mapped to it ("" if none)."""
    return next(iter(mapping.sources(field_name)), "")


def login_for(name: str, taken: Collection[str]) -> str:
    """A login for a new user created from a name in the file: "Carol Pilson" → "carol.pilson"."""
    base = ".".join(re.findall(r"[a-z0-9]+", name.lower())) or "owner"
    base = base[:120]
    login, n = base, 1
    while login in taken:
        n += 1
        login = f"{base}{n}"
    return login


@lru_cache(maxsize=4096)  # an import asks for a few names' keys tens of thousands of times
def _key(text: str) -> str:
    return " ".join(text.lower().split())


def split_heading(text: str) -> tuple[int | None, str | None, bool]:
    """ "3. Finance – category retired" → (3, "Finance", True)."""
    retired = bool(_RETIRED.search(text))
    text = _RETIRED.sub("", text).strip()
    m = _NUMBERED.match(text)
    if m:
        return int(m.group(1)), (m.group(2).strip() or None), retired
    return None, text or None, retired


def _unknown_department(row: int, column: str, code: str, create: bool | None) -> RowProblem:
    if create is False:
        return RowProblem(row, column, code,
                          "is a department riskdesk does not have; allow new departments to be created, "
                          "or map it to an existing department.")
    what = "it will be created" if create else "it will be created if you allow new departments"
    return RowProblem(row, column, code, f"is a department riskdesk does not have yet; {what} "
                      "(or map it to an existing department).", "warning")


def _unknown_owner(row: int, column: str, name: str, create: bool | None) -> RowProblem:
    if create is False:
        return RowProblem(row, column, name,
                          "is not a riskdesk user; allow owners to be added (as risk owners), "
                          "or map the name to an existing user.")
    what = "they will be added as a risk owner" if create else "they will be added if you allow new owners"
    return RowProblem(row, column, name, f"is not a riskdesk user yet; {what} "
                      "(or map the name to an existing user).", "warning")


class ImportService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._lock = threading.Lock()
        self._cached: tuple[tuple[str, int, int, str], Workbook] | None = None

    # -- reading -------------------------------------------------------------------------------

    def open_workbook(self, path: str | Path, encoding: str | None = None) -> Workbook:
        """Read a spreadsheet (the last one read is kept, so a preview after a change is quick).

        ``encoding`` is the user's choice for a text file (``--encoding``, the wizard's encoding
        choice); without it a file must be in one encoding riskdesk can tell (see
        :func:`riskdesk.io.readers.decode_file`).

        Raises:
            ImportFileError: the file is empty, damaged, password-protected or not a spreadsheet.
        """
        path = Path(path)
        try:
            st = path.stat()
            key: tuple[str, int, int, str] | None = (str(path.resolve()), st.st_mtime_ns, st.st_size, encoding or "")
        except OSError:
            key = None  # read_workbook words the error
        with self._lock:
            if key is not None and self._cached is not None and self._cached[0] == key:
                return self._cached[1]
        book = read_workbook(path, encoding=encoding)
        if key is not None:
            with self._lock:
                self._cached = (key, book)
        return book

    # An import of 10,000 rows keeps hundreds of thousands of objects (cells, rows, problems, statement
    # parameters, audit entries) alive until it ends; the cyclic collector, run by allocation count,
    # would walk them all again and again (a fifth of the import's time) for nothing. preview and
    # apply pause it; reference counting frees everything as usual.
    @collector_paused()
    def preview(
        self,
        actor: Actor,
        path: str | Path,
        mapping: ImportMapping,
        scales: ScaleMap | None = None,
        *,
        sheet: str | None = None,
        skip_rows: Collection[int] = (),
        register_id: int | None = None,
        department_map: Mapping[str, str] | None = None,
        owner_map: Mapping[str, str] | None = None,
        create_departments: bool | None = None,
        create_owners: bool | None = None,
        encoding: str | None = None,
    ) -> PreparedImport:
        """Every row of ``path`` as it will be stored, with every problem named by row and column.

        The result also says how each score column is read and why
        (:attr:`~riskdesk.io.prepare.PreparedImport.scales`), which ignored columns carry scores
        or bands and where they disagree (``ignored_scores``), and the text encoding read.

        Args:
            actor: who is importing.
            path: the spreadsheet.
            mapping: the confirmed column mapping.
            scales: how impact and likelihood translate (riskdesk's 1–5 when None).
            sheet: the sheet to read; the mapping's sheet, else the first with data, when None.
            skip_rows: row numbers (as Excel shows them) to leave out.
            register_id: the register the risks will go to; refs already used by its current
                risks are errors on the rows that repeat them.
            department_map: department text in the file → existing department code.
            owner_map: owner name in the file → existing user's display name or login.
            create_departments, create_owners: whether :meth:`apply` will be allowed to create
                what riskdesk lacks; False makes each unknown name a row error now, True or
                None (not decided yet) a warning.
            encoding: the user's choice of text encoding for a CSV (see :meth:`open_workbook`).

        Raises:
            ImportFileError: the file cannot be read at all.
        """
        department_map = {_key(k): v for k, v in (department_map or {}).items()}
        owner_map = {_key(k): v for k, v in (owner_map or {}).items()}
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.IMPORT)
            departments = {d.code: d.name for d in s.scalars(select(Department))}
            users = s.execute(select(User.display_name, User.login)).all()
            bands = ScoringScheme.from_dict(scheme_row(s).data).bands
            existing_refs: dict[str, str] = {}
            register_name = ""
            if register_id is not None:
                register_name = require_register(s, register_id).name
                for (ref,) in s.execute(
                    select(Risk.ref).where(Risk.register_id == register_id, Risk.status == "current")
                ):
                    existing_refs[_key(ref)] = ref
        known_owners = [name for name, _ in users] + [login for _, login in users]
        book = self.open_workbook(path, encoding)
        # pandas leaves the rows it parsed in a reference cycle: free them now, by collecting the
        # youngest generation only (what the read allocated, the collector being paused; ~10 ms).
        gc.collect(0)
        chosen = book.sheet(sheet or mapping.sheet)
        prepared = prepare_import(
            chosen, mapping, scales, known_departments=departments, known_owners=known_owners,
            source_name=Path(path).name, skip_rows=frozenset(skip_rows), sheet_name=chosen.name,
            bands=bands, encoding=book.encoding, encoding_why=book.encoding_why,
            # _checked() words these itself (it knows the name mappings and what may be created):
            # the core need not make a warning per row only for it to be dropped.
            unknown_names_reported=(_column(mapping, "departments"), _column(mapping, "owner")),
        )
        owner_names = {_key(login): name for name, login in users} | {_key(name): name for name, _ in users}
        return self._checked(prepared, mapping, existing_refs, register_name, department_map, owner_map,
                             departments, owner_names, create_departments, create_owners)

    def _checked(
        self,
        prepared: PreparedImport,
        mapping: ImportMapping,
        existing_refs: Mapping[str, str],
        register_name: str,
        department_map: Mapping[str, str],
        owner_map: Mapping[str, str],
        departments: Mapping[str, str],
        owner_names: Mapping[str, str],
        create_departments: bool | None,
        create_owners: bool | None,
    ) -> PreparedImport:
        """Add what only the database knows to a prepared import; apply the user's name mappings."""
        col = {f: _column(mapping, f) for f in ("ref", "departments", "owner", "category")}
        dept_codes = {_key(c): c for c in departments} | {_key(n): c for c, n in departments.items()}
        mapped_depts = {k: dept_codes.get(_key(v), v) for k, v in department_map.items()}
        mapped_owners = {k: owner_names.get(_key(v), v) for k, v in owner_map.items()}
        # The core's "not known" warnings are replaced by ours, which know the name mappings and
        # whether new departments and owners may be created.
        problems = [
            p for p in prepared.problems
            if not (p.severity == "warning" and (
                (p.column == col["departments"] and "which riskdesk does not have yet" in p.message)
                or (p.column == col["owner"] and "who is not a known risk owner" in p.message)
            ))
        ]
        rows = []
        for risk in prepared.rows:
            if mapped_depts and risk.departments:
                codes: list[str] = []
                for code in risk.departments:
                    code = mapped_depts.get(_key(code), code)
                    if code not in codes:
                        codes.append(code)
                risk = replace(risk, departments=tuple(codes))
            if risk.owners:
                names: list[str] = []
                for name in risk.owners:
                    # A login in the file, or a name mapped by the user, becomes the display name.
                    name = mapped_owners.get(_key(name), name)
                    name = owner_names.get(_key(name), name)
                    if name not in names:
                        names.append(name)
                if tuple(names) != risk.owners:
                    risk = replace(risk, owners=tuple(names))
            rows.append(risk)
            if risk.skip:
                continue
            # (An import into a new or empty register has no refs to compare: its own ten thousand need no key.)
            if existing_refs and risk.ref and _key(risk.ref) in existing_refs:
                problems.append(RowProblem(
                    risk.row, col["ref"], risk.ref,
                    f"is already the reference of a current risk on the {register_name}; give this risk another "
                    "reference in the file, skip this row, or remove the existing risk first.",
                ))
            if len(risk.ref) > MAX_REF:
                problems.append(RowProblem(
                    risk.row, col["ref"], risk.ref,
                    f"is {len(risk.ref)} characters long; a riskdesk reference has at most {MAX_REF}. "
                    "Shorten it in the file, or map another column to the reference.",
                ))
            for code in risk.departments:
                if len(code) > MAX_DEPARTMENT_CODE:
                    problems.append(RowProblem(
                        risk.row, col["departments"], code,
                        f"is too long for a department code (at most {MAX_DEPARTMENT_CODE} characters); "
                        "map it to an existing department or shorten it in the file.",
                    ))
            for name in risk.owners:
                if len(name) > MAX_NAME:
                    problems.append(RowProblem(
                        risk.row, col["owner"], name[:80],
                        f"is too long for a person's name (at most {MAX_NAME} characters); is the right column "
                        "mapped to the owner?",
                    ))
            for code in risk.departments:
                if _key(code) not in dept_codes:
                    problems.append(_unknown_department(risk.row, col["departments"], code, create_departments))
            if risk.owners and _key(risk.owners[0]) not in owner_names:
                problems.append(_unknown_owner(risk.row, col["owner"], risk.owners[0], create_owners))
            if len(risk.owners) > 1:
                problems.append(RowProblem(
                    risk.row, col["owner"], " / ".join(risk.owners),
                    f"names {len(risk.owners)} people; riskdesk keeps one owner per risk, so "
                    f"{risk.owners[0]} becomes the owner and the others are named in the audit trail.",
                    "warning",
                ))
            if risk.category and len(risk.category) > MAX_NAME:
                problems.append(RowProblem(
                    risk.row, col["category"], risk.category[:80],
                    f"is too long for a category heading (at most {MAX_NAME} characters).",
                ))
        problems.sort(key=lambda p: p.row)
        new_departments = tuple(dict.fromkeys(
            c for r in rows if not r.skip for c in r.departments if _key(c) not in dept_codes
        ))
        # Only the first owner of a row becomes a user; the others are named in the audit trail.
        unknown_owners = tuple(dict.fromkeys(
            r.owners[0] for r in rows if not r.skip and r.owners and _key(r.owners[0]) not in owner_names
        ))
        return replace(prepared, rows=tuple(rows), problems=tuple(problems), new_departments=new_departments,
                       unknown_owners=unknown_owners)

    # -- writing -------------------------------------------------------------------------------

    @collector_paused()
    def apply(
        self,
        actor: Actor,
        prepared: PreparedImport,
        *,
        register_id: int | None = None,
        new_register: tuple[str, str] | None = None,
        create_departments: bool = False,
        create_owners: bool = False,
        category_id: int | None = None,
        period: Quarter | None = None,
        this_quarter: bool = False,
        cancelled: Callable[[], bool] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportResult:
        """Write a previewed import in one transaction.

        Args:
            actor: who is importing (needs the import permission; creating departments or owners
                also needs the permission to manage them).
            prepared: the result of :meth:`preview`, with ``ok`` True.
            register_id: the register the risks go to.
            new_register: ``(name, kind)`` of a register to create for the risks, in the same
                transaction, instead of ``register_id``; it exists only if the import succeeds.
            create_departments: create departments the file names that riskdesk lacks
                (else each is a row error).
            create_owners: create users (role risk owner) for owners riskdesk lacks
                (else each is a row error).
            category_id: put every risk in this category (else use the file's category column).
            period: the quarter the file's scores are for; when None, the quarter before the current
                reporting period (so imported risks read "not updated" this quarter), or the
                current period itself when ``this_quarter`` is True.
            this_quarter: the file is this quarter's update (the user said so).
            cancelled: called before every row; when it returns True the import stops with
                :class:`ImportCancelled` and nothing is written.
            progress: called with (rows written, rows in all) after each batch.

        Raises:
            ImportRefused: problems remain (on rows not skipped), or names are unknown and may not be created.
            ImportCancelled: ``cancelled()`` returned True.
        """
        source = prepared.source_name or "the file"
        if not prepared.ok:
            raise ImportRefused(source, prepared.errors)
        rows = prepared.to_import
        if not rows:
            raise ValidationError("import", source, "has no rows to import (every row is skipped or the sheet is empty)")
        if (register_id is None) == (new_register is None):
            raise ValueError("apply(): give register_id or new_register, not both")
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.IMPORT)
            if create_departments or create_owners:
                self._ctx.require(s, actor, Permission.MANAGE_REFERENCE)
            if new_register is not None:
                reg = self._new_register(s, user, actor, *new_register)
            else:
                reg = require_register(s, register_id)  # type: ignore[arg-type]
            if period is None:
                value = self._ctx.setting(s, CURRENT_PERIOD)
                current_period = Quarter.parse(value) if value else Quarter.of(utcnow().date())
                period = current_period if this_quarter else current_period.previous()
            if category_id is not None:
                cat = s.get(Category, category_id)
                if cat is None or cat.register_id != reg.id:
                    raise ValidationError("category", category_id, f"is not a category of the {reg.name}")
            problems: list[RowProblem] = []
            self._check_refs(s, reg, rows, problems)
            dept_ids, depts_created = self._resolve_departments(s, user, rows, create_departments, problems)
            owner_ids, owners_created = self._resolve_owners(s, user, rows, create_owners, problems)
            if problems:
                problems.sort(key=lambda p: p.row)
                raise ImportRefused(source, problems)
            cat_ids, cats_created = (
                ({}, []) if category_id is not None else self._resolve_categories(s, user, reg, rows)
            )
            scheme_id = scheme_row(s).id
            inherent_count = sum(1 for r in rows if r.inherent is not None)
            where = f"{source}, sheet {prepared.sheet_name}" if prepared.sheet_name else source
            risk_ids: list[int] = []
            total = len(rows)
            sqlite = self._ctx.db.is_sqlite
            current_key, history_key = f"current ({period.label})", "inherent (risk if no action)"
            # Read once, not once per risk (each is an ORM attribute or a property).
            reg_id, login, period_code = reg.id, user.login, period.code
            for start in range(0, total, BATCH):
                batch = rows[start : start + BATCH]
                risk_values = []
                for risk in batch:
                    if cancelled is not None and cancelled():
                        raise ImportCancelled()
                    risk_values.append({
                        "register_id": reg_id,
                        "category_id": category_id if category_id is not None else cat_ids.get(_key(risk.category)),
                        "ref": risk.ref,
                        "description": risk.description.replace("\x00", ""),
                        "owner_id": owner_ids.get(_key(risk.owners[0])) if risk.owners else None,
                        "status": "current",
                        "inherent_impact": risk.inherent.impact if risk.inherent else None,
                        "inherent_likelihood": risk.inherent.likelihood if risk.inherent else None,
                        "inherent_source": (risk.inherent_source or None) if risk.inherent else None,
                    })
                # Core inserts (executemany / insertmanyvalues), not the ORM unit of work: 10,000 risks
                # with their history and audit entries must go in within a couple of seconds.
                # Each new id comes back with its ref, in whatever order the database returns them: a ref
                # is unique among a register's current risks (index uq_risk_current_ref), so it finds its
                # row. (Asking for the ids in parameter order made SQLite insert the rows one at a time.)
                risk_table = Risk.__table__
                if sqlite:
                    # The driver's executemany (see insert_many), then the new ids read back: SQLite
                    # numbers a table's rows upwards, so this batch's are among the register's current
                    # risks above the highest id before, where each ref is unique (uq_risk_current_ref).
                    above = s.scalar(select(func.max(risk_table.c.id))) or 0
                    insert_many(s.connection(), risk_table, risk_values)
                    id_of_ref = {ref: rid for ref, rid in s.execute(
                        select(risk_table.c.ref, risk_table.c.id).where(
                            risk_table.c.id > above, risk_table.c.register_id == reg_id,
                            risk_table.c.status == "current"))}
                else:
                    id_of_ref = {ref: rid for rid, ref in s.execute(
                        insert(risk_table).returning(risk_table.c.id, risk_table.c.ref), risk_values)}
                ids = [id_of_ref[values["ref"]] for values in risk_values]
                risk_ids.extend(ids)
                links, assessments, audits = [], [], []
                # (index in ``assessments``, extra scoring lines) of each current assessment
                line_owners: list[tuple[int, tuple[ScoreLine, ...]]] = []
                now = utcnow()
                for risk, rid, values in zip(batch, ids, risk_values, strict=True):
                    seen: set[int] = set()
                    for pos, code in enumerate(risk.departments):
                        did = dept_ids[_key(code)]
                        if did not in seen:
                            seen.add(did)
                            links.append({"risk_id": rid, "department_id": did, "position": pos})
                    update = stored_update(risk).replace("\x00", "")
                    direction = risk.direction.value if risk.direction else "level"
                    current = risk.current
                    assert current is not None  # prepare_import makes a missing current score an error
                    line_owners.append((len(assessments), risk.lines))
                    words = risk.direction_text or (None if risk.direction else NOT_STATED)
                    assessment = self._assessment(rid, period_code, current, risk.target, direction, update,
                                                  scheme_id, login, now, note=risk.note, direction_text=words)
                    file_cells = source_values(risk)  # worked out once for the assessment and the audit entry
                    assessment["source_values"] = source_values(risk, where, cells=file_cells) or None
                    assessments.append(assessment)
                    audits.append({
                        "at": now, "user_login": login, "action": "risk.import", "entity": "risk",
                        "entity_id": rid, "label": f"Risk {risk.ref}",
                        # Built from strings and lists of strings only, so already JSON-safe.
                        "changes": self._audit_changes(risk, values, update, direction, current_key, history_key,
                                                       file_cells),
                        "note": f"imported from {where}, row {risk.row}",
                    })
                if links:
                    insert_many(s.connection(), RiskDepartment.__table__, links)
                assessment_table = Assessment.__table__
                if any(extra for _, extra in line_owners):
                    assessment_ids = list(s.scalars(
                        insert(assessment_table).returning(assessment_table.c.id, sort_by_parameter_order=True),
                        assessments))
                    line_values = [
                        {"assessment_id": assessment_ids[i], "position": pos, "label": line.label,
                         "current_impact": line.current.impact, "current_likelihood": line.current.likelihood,
                         "target_impact": line.target.impact if line.target else None,
                         "target_likelihood": line.target.likelihood if line.target else None,
                         "note": line.note}
                        for i, extra in line_owners
                        for pos, line in enumerate(extra, start=2)  # the headline line is position 1
                    ]
                    insert_many(s.connection(), AssessmentLine.__table__, line_values)
                else:
                    insert_many(s.connection(), assessment_table, assessments)
                audit_trail.append(s, audits)  # chained, in order
                if progress is not None:
                    progress(min(start + BATCH, total), total)
            skipped = tuple(sorted(r.row for r in prepared.rows if r.skip))
            self._ctx.audit(
                s, user, "register.import", "register", reg.id, reg.name,
                {k: v for k, v in (("risks", [None, total]), ("departments created", [None, depts_created]),
                                   ("owners created", [None, owners_created]),
                                   ("categories created", [None, cats_created])) if v[1]},
                f"imported from {where}: {total} risks for {period.label}"
                + (f", {inherent_count} inherent scores kept as inherent scores" if inherent_count else "")
                + (f"; rows skipped: {', '.join(map(str, skipped))}" if skipped else ""),
            )
            return ImportResult(
                register_id=reg.id, register_name=reg.name, source_name=source, sheet_name=prepared.sheet_name,
                period=period.code, history_period=None,
                risk_ids=tuple(risk_ids), rows=tuple(r.row for r in rows), skipped_rows=skipped,
                departments_created=tuple(depts_created), owners_created=tuple(owners_created),
                categories_created=tuple(cats_created), inherent_scores=inherent_count,
                register_created=new_register is not None, this_quarter=this_quarter,
            )

    def _new_register(self, s: Session, user: User, actor: Actor, name: str, kind: str) -> Register:
        """Create the register an import goes to, inside the import's own transaction."""
        name = " ".join((name or "").split())
        if not name:
            raise ValidationError("register name", name, "must not be empty")
        if kind not in ("corporate", "departmental"):
            raise ValidationError("register kind", kind, "must be corporate or departmental")
        self._ctx.require(s, actor, Permission.EDIT_REGISTER)
        if s.scalar(select(Register).where(Register.name == name)):
            raise ValidationError("register name", name, "is already used by another register")
        if kind == "corporate" and s.scalar(select(Register).where(Register.kind == "corporate")):
            raise ValidationError("register kind", kind, "is taken: there is already a corporate register")
        reg = Register(name=name, kind=kind)
        s.add(reg)
        s.flush()
        self._ctx.audit(s, user, "register.create", "register", reg.id, name,
                        {"name": [None, name], "kind": [None, kind]}, "created by an import")
        return reg

    @staticmethod
    def _assessment(risk_id: int, period: str, current: Score, target: Score | None, direction: str, update: str,
                    scheme_id: int, login: str, now: datetime, note: str = "",
                    direction_text: str | None = None) -> dict[str, Any]:
        return {
            "risk_id": risk_id, "period": period, "current_impact": current.impact,
            "current_likelihood": current.likelihood,
            "target_impact": target.impact if target else None,
            "target_likelihood": target.likelihood if target else None,
            "note": note, "direction": direction, "direction_text": direction_text, "update_text": update,
            "scheme_id": scheme_id, "recorded_at": now, "recorded_by": login,
        }

    @staticmethod
    def _audit_changes(risk: ImportedRisk, values: Mapping[str, Any], update: str, direction: str,
                       current_key: str, history_key: str, file_cells: str) -> dict[str, list[Any]]:
        """The audit entry's changes for one imported risk; ``file_cells`` is ``source_values(risk)``."""
        def score(sc: Score | None, stated: float | None) -> str | None:
            if sc is None:
                return None
            text = f"{sc.impact}x{sc.likelihood}={sc.score}"
            return text if stated is None or stated == sc.score else f"{text} (file states {stated:g})"

        changes: dict[str, list[Any]] = {
            "ref": [None, risk.ref],
            "description": [None, values["description"]],
            "departments": [None, list(risk.departments)],
            "owner": [None, risk.owners[0] if risk.owners else None],
            "category": [None, risk.category or None],
            current_key: [None, score(risk.current, risk.current_stated_score)],
            "target": [None, score(risk.target, risk.target_stated_score)],
            "direction": [None, direction if risk.direction else f"{NOT_STATED.lower()} (the file gives none)"],
            "scores as in the file": [None, file_cells or None],
            "update": [None, update],
            "score note": [None, risk.note or None],
            "other scoring lines": [None, [format_line(line) for line in risk.lines]],
            "direction words": [None, risk.direction_text or None],
        }
        if len(risk.owners) > 1:
            changes["owners as given"] = [None, " / ".join(risk.owners)]
        if risk.inherent is not None:
            changes[history_key] = [None, score(risk.inherent, risk.inherent_stated_score)
                                    + (f" ({risk.inherent_source})" if risk.inherent_source else "")]
        return {k: v for k, v in changes.items() if v[1]}  # leave out what the file does not give

    @staticmethod
    def _check_refs(s: Session, reg: Register, rows: Sequence[ImportedRisk], problems: list[RowProblem]) -> None:
        taken = {_key(ref) for (ref,) in s.execute(
            select(Risk.ref).where(Risk.register_id == reg.id, Risk.status == "current"))}
        for risk in rows:
            if taken and _key(risk.ref) in taken:
                problems.append(RowProblem(risk.row, "", risk.ref,
                                           f"is already the reference of a current risk on the {reg.name}."))
            if len(risk.ref) > MAX_REF:
                problems.append(RowProblem(risk.row, "", risk.ref,
                                           f"is longer than a reference may be ({MAX_REF} characters)."))

    def _resolve_departments(self, s: Session, user: User, rows: Sequence[ImportedRisk], create: bool,
                             problems: list[RowProblem]) -> tuple[dict[str, int], list[str]]:
        known: dict[str, int] = {}
        for d in s.scalars(select(Department)):
            known.setdefault(_key(d.name), d.id)
        for d in s.scalars(select(Department)):
            known[_key(d.code)] = d.id  # a code wins over another department's name
        created: list[str] = []
        for risk in rows:
            for code in risk.departments:
                k = _key(code)
                if k in known:
                    continue
                if not create:
                    problems.append(RowProblem(
                        risk.row, "", code,
                        f"names the department “{code}”, which riskdesk does not have; allow new departments "
                        "to be created, or map it to an existing department.",
                    ))
                    continue
                if len(code) > MAX_DEPARTMENT_CODE:
                    problems.append(RowProblem(risk.row, "", code, "is too long for a department code."))
                    continue
                dept = Department(code=code, name=code)
                s.add(dept)
                s.flush()
                known[k] = dept.id
                created.append(code)
                self._ctx.audit(s, user, "department.add", "department", dept.id, code,
                                {"code": [None, code], "name": [None, code]}, "created by an import")
        return known, created

    def _resolve_owners(self, s: Session, user: User, rows: Sequence[ImportedRisk], create: bool,
                        problems: list[RowProblem]) -> tuple[dict[str, int], list[str]]:
        known: dict[str, int] = {}
        logins: set[str] = set()
        for uid, login, name in s.execute(select(User.id, User.login, User.display_name)):
            known.setdefault(_key(name), uid)
            logins.add(login)
        for uid, login in s.execute(select(User.id, User.login)):
            known[_key(login)] = uid
        created: list[str] = []
        for risk in rows:
            if not risk.owners:
                continue
            name = risk.owners[0]
            if _key(name) in known:
                continue
            if not create:
                problems.append(RowProblem(
                    risk.row, "", name,
                    f"is not a riskdesk user; allow owners to be created (as risk owners), or map “{name}” "
                    "to an existing user.",
                ))
                continue
            login = login_for(name, logins)
            logins.add(login)
            new = User(login=login, display_name=name, role=Role.RISK_OWNER.value)
            s.add(new)
            s.flush()
            known[_key(name)] = new.id
            created.append(name)
            self._ctx.audit(s, user, "user.add", "user", new.id, name,
                            {"login": [None, login], "role": [None, Role.RISK_OWNER.value]}, "created by an import")
        return known, created

    def _resolve_categories(self, s: Session, user: User, reg: Register,
                            rows: Sequence[ImportedRisk]) -> tuple[dict[str, int], list[str]]:
        known: dict[str, int] = {}
        numbers: set[int] = set()
        cats = list(s.scalars(select(Category).where(Category.register_id == reg.id)))
        for c in cats:
            for text in (category_heading(c.number, c.name, c.retired, c.heading_as_given),
                         category_heading(c.number, c.name, False), c.name or ""):
                if text:
                    known.setdefault(_key(text), c.id)
            if c.number is not None:
                numbers.add(c.number)
        position = max((c.position for c in cats), default=0)
        created: list[str] = []
        for risk in rows:
            if not risk.category or _key(risk.category) in known:
                continue
            number, name, retired = split_heading(risk.category)
            if number in numbers:
                number, name = None, risk.category.strip()
            position += 1
            composed = category_heading(number, name, retired)
            cat = Category(register_id=reg.id, number=number, name=name, retired=retired, position=position,
                           heading_as_given=risk.category if composed != risk.category else None)
            s.add(cat)
            s.flush()
            if number is not None:
                numbers.add(number)
            known[_key(risk.category)] = cat.id
            created.append(risk.category)
            self._ctx.audit(s, user, "category.add", "category", cat.id, risk.category,
                            {"heading": [None, risk.category]}, "created by an import")
        return known, created

    def imported_scores(self, actor: Actor, risk_id: int) -> ImportedScores:
        """The inherent score and the file's original score cells of a risk (empty for a risk typed in)."""
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.VIEW_REGISTER)
            risk = s.get(Risk, risk_id)
            if risk is None:
                raise NotFound(f"There is no risk with id {risk_id}.")
            inherent = (Score(risk.inherent_impact, risk.inherent_likelihood)
                        if risk.inherent_impact is not None and risk.inherent_likelihood is not None else None)
            rows = s.execute(select(Assessment.period, Assessment.source_values)
                             .where(Assessment.risk_id == risk_id, Assessment.source_values.is_not(None))
                             .order_by(Assessment.period)).all()
            return ImportedScores(inherent, risk.inherent_source or "", tuple((p, v) for p, v in rows))

    # -- saved mappings --------------------------------------------------------------------------

    @staticmethod
    def _saved(row: SavedImportMapping) -> SavedMapping:
        scales = ScaleMap.from_dict(row.scales)
        # The dry run says why each scale applies: here, because it was saved with this mapping.
        for part in ("impact", "likelihood"):
            scale = scales.for_part(part)
            why = f"saved with the mapping “{row.name}”" + (f" ({scale.why})" if scale.why else "")
            scales = replace(scales, **{part: replace(scale, why=why)})
        return SavedMapping(
            row.id, row.name, replace(ImportMapping.from_dict(row.mapping), name=row.name),
            scales, row.created_by, row.created_at, row.updated_by, row.updated_at,
            row.version,
        )

    def save_mapping(self, actor: Actor, name: str, mapping: ImportMapping, scales: ScaleMap | None = None) -> SavedMapping:
        """Save (or replace) the mapping and scales under ``name``, for next quarter's file."""
        name = " ".join((name or "").split())
        if not name:
            raise ValidationError("mapping name", name, "must not be empty")
        if len(name) > MAX_NAME:
            raise ValidationError("mapping name", name, f"is longer than {MAX_NAME} characters")
        mapping = replace(mapping, name=name)
        scales = scales or ScaleMap()
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.IMPORT)
            row = s.scalar(select(SavedImportMapping).where(func.lower(SavedImportMapping.name) == name.lower()))
            if row is None:
                row = SavedImportMapping(name=name, mapping=mapping.to_dict(), scales=scales.to_dict(),
                                         created_by=user.login, updated_by=user.login)
                s.add(row)
                s.flush()
                self._ctx.audit(s, user, "import_mapping.save", "import_mapping", row.id, name,
                                {"mapping": [None, row.mapping], "scales": [None, row.scales]})
            else:
                before = (row.mapping, row.scales)
                row.mapping, row.scales = mapping.to_dict(), scales.to_dict()
                row.name = name
                row.updated_by, row.updated_at = user.login, utcnow()
                s.flush()
                changes = {}
                if before[0] != row.mapping:
                    changes["mapping"] = [before[0], row.mapping]
                if before[1] != row.scales:
                    changes["scales"] = [before[1], row.scales]
                self._ctx.audit(s, user, "import_mapping.save", "import_mapping", row.id, name, changes)
            return self._saved(row)

    def list_mappings(self, actor: Actor) -> list[SavedMapping]:
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.IMPORT)
            return [self._saved(r) for r in s.scalars(select(SavedImportMapping).order_by(SavedImportMapping.name))]

    @staticmethod
    def _find(s: Session, name: str) -> SavedImportMapping:
        wanted = " ".join((name or "").split()).lower()
        row = s.scalar(select(SavedImportMapping).where(func.lower(SavedImportMapping.name) == wanted))
        if row is None:
            names = ", ".join(
                f"“{n}”" for n in s.scalars(select(SavedImportMapping.name).order_by(SavedImportMapping.name))
            ) or "none yet"
            raise NotFound(f"There is no saved import mapping called “{name}” (saved mappings: {names}).")
        return row

    def get_mapping(self, actor: Actor, name: str) -> SavedMapping:
        """The mapping saved as ``name`` (ignoring case).

        Raises:
            NotFound: no mapping has that name; the message lists those that exist.
        """
        with self._ctx.begin() as s:
            self._ctx.require(s, actor, Permission.IMPORT)
            return self._saved(self._find(s, name))

    def delete_mapping(self, actor: Actor, name: str) -> None:
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.IMPORT)
            row = self._find(s, name)
            self._ctx.audit(s, user, "import_mapping.delete", "import_mapping", row.id, row.name,
                            {"mapping": [row.mapping, None], "scales": [row.scales, None]})
            s.delete(row)
