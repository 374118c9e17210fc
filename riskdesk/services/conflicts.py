"""One place where a write that lost a race becomes "someone else changed this first".

Every optimistic-lock and uniqueness conflict ends here, whichever service met it:

- ``StaleDataError``: an UPDATE or DELETE ``… WHERE version = <the version read>`` matched no row,
  because someone else committed a change to that row in between (risks, assessments, report
  cycles, and settings, whose value is their own version: see ``models.Setting``);
- ``IntegrityError`` on a unique key: two people created the same thing at once (the first
  update of a quarter, a ref, a setting saved for the first time);
- on PostgreSQL, a serialization failure or a deadlock between two such writers.

Each becomes :class:`~riskdesk.domain.errors.StaleEdit`, naming what was changed; or, when the
row already holds what this user was trying to write (a quarter already closed, a cycle already
presented), :class:`~riskdesk.domain.errors.AlreadyDone`, saying by whom and when. The transaction
is rolled back either way, so the loser's audit entry is never written.

A SQLite file whose write lock another connection held for longer than riskdesk waits ends in
:class:`~riskdesk.domain.errors.DatabaseBusy`: nothing was written, try again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from itertools import chain, islice
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from riskdesk.domain.errors import AlreadyDone, DatabaseBusy, StaleEdit
from riskdesk.domain.quarters import Quarter

#: PostgreSQL SQLSTATEs of a transaction that lost to a concurrent one.
_PG_RACE_STATES = {"40001": "serialization failure", "40P01": "deadlock"}
#: Unique violations (PostgreSQL SQLSTATE / SQLite message).
_PG_UNIQUE = "23505"

#: Tables whose unique keys two people can reach at once: the first update of a quarter
#: (assessment), a setting saved for the first time, a ref, a cycle's meeting, a first login.
_RACED_TABLES = {"assessment", "setting", "risk", "report_cycle", "app_user", "scheme_version", "category",
                 "risk_action", "department",
                 # two people logging at once reach the same next reference; presenting a year's report twice
                 "contact", "complaint", "casework_report", "complaint_service", "complaint_service_alias"}

#: How many pending objects a transaction notes before each flush (the first few name the record).
_NOTED = 10
#: Rows written alongside a change that never name it.
_INCIDENTAL = {"AuditEntry", "AssessmentLine", "RiskDepartment", "Amendment"}

_SETTING_NAMES = {
    "current_period": "The current reporting period",
    "appendix_footnotes": "The appendix wording",
    "appendix_columns": "The appendix wording",
    "last_presented": "The date the register was last presented",
}


def is_conflict(exc: BaseException) -> bool:
    """Whether ``exc`` means another writer committed first (rather than a bug or a broken database)."""
    if isinstance(exc, StaleDataError):
        return True
    if isinstance(exc, IntegrityError):
        return _is_unique_violation(exc)
    if isinstance(exc, DBAPIError):
        return _sqlstate(exc) in _PG_RACE_STATES
    return False


def _sqlstate(exc: DBAPIError) -> str | None:
    return getattr(exc.orig, "sqlstate", None)


def _is_unique_violation(exc: IntegrityError) -> bool:
    """A unique key that two people can race for; any other violation is a bug to report, not a race."""
    if not (_sqlstate(exc) == _PG_UNIQUE or "UNIQUE constraint failed" in str(exc.orig)):
        return False
    return _table_in(exc) in _RACED_TABLES


@contextmanager
def transaction(sessions: sessionmaker[Session]) -> Iterator[Session]:
    """``sessions.begin()`` whose conflicts end in StaleEdit/AlreadyDone (see the module docstring).

    The session is flushed before the block ends, so a conflict surfaces while the objects that
    met it are still at hand to name; the commit that follows has nothing left to write.
    """
    attempted: list[Any] = []
    try:
        with sessions.begin() as session:
            # A failed flush expires what it tried to write: note it before every flush, so the
            # message can name the record (a few objects, so a large import pays nothing).
            def note(sess: Session, _ctx: Any, _instances: Any) -> None:
                pending = (o for o in chain(sess.dirty, sess.new) if type(o).__name__ not in _INCIDENTAL)
                attempted[:] = [_attempt(o) for o in islice(pending, _NOTED)]

            event.listen(session, "before_flush", note)
            yield session
            session.flush()
    except Exception as exc:
        if is_busy(exc):
            from riskdesk.db import SQLITE_BUSY_TIMEOUT_MS

            raise DatabaseBusy(SQLITE_BUSY_TIMEOUT_MS / 1000) from exc
        if not is_conflict(exc):
            raise
        raise explain(sessions, exc, attempted) from exc


def is_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite giving up on a write lock another connection held too long (two
    riskdesk windows on one personal file, one of them importing): nothing was written."""
    if not isinstance(exc, OperationalError):
        return False
    name = getattr(exc.orig, "sqlite_errorname", "")
    return name.startswith("SQLITE_BUSY") or "database is locked" in str(exc.orig)


def _attempt(obj: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """(table, values as read, {attribute: value this session tried to write})."""
    state = inspect(obj)
    table = getattr(obj, "__tablename__", type(obj).__name__)
    loaded = dict(state.dict)
    wanted: dict[str, Any] = {}
    for attr in state.attrs:
        hist = attr.history
        if hist.added:
            wanted[attr.key] = hist.added[0]
            if hist.deleted:
                loaded[attr.key] = hist.deleted[0]
    return table, loaded, wanted


def explain(sessions: sessionmaker[Session], exc: BaseException,
            attempted: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> StaleEdit:
    """The error to show for a conflict: AlreadyDone if someone did the very same thing first."""
    try:
        with sessions() as fresh:
            for table, loaded, wanted in attempted:
                done = _already_done(fresh, table, loaded, wanted)
                if done is not None:
                    return done
    except Exception:
        pass
    return StaleEdit(_what(exc, attempted))


def _already_done(s: Session, table: str, loaded: dict[str, Any], wanted: dict[str, Any]) -> AlreadyDone | None:
    from riskdesk.models import ReportCycle, Setting

    if table == "report_cycle" and wanted.get("status") == "presented":
        c = s.get(ReportCycle, loaded.get("id"))
        if c is not None and c.status == "presented":
            return already_presented(c)
    if table == "setting" and loaded.get("key") == "current_period" and "value" in wanted:
        row = s.get(Setting, "current_period")
        if row is not None and row.value == wanted["value"]:
            now = Quarter.parse(row.value)
            # A first close inserts the setting: what it held before was the quarter before.
            was = Quarter.parse(str(loaded["value"])) if loaded.get("value") != wanted["value"] else now.previous()
            done = period_moved_on(s, was, now)
            return done if isinstance(done, AlreadyDone) else None
    return None


def already_presented(c: Any) -> AlreadyDone:
    """Someone presented report cycle ``c`` while this user was looking at the draft."""
    when = c.presented_at.strftime("%d %b %Y %H:%M") if c.presented_at else "a moment ago"
    return AlreadyDone(f"Report cycle “{c.title}” was already presented, by {c.presented_by} at {when} (UTC). "
                       "It is presented once and never changes; your request changed nothing.")


def period_moved_on(s: Session, expected: Quarter, current: Quarter) -> StaleEdit:
    """The reporting period is no longer ``expected``: AlreadyDone if someone closed exactly that quarter."""
    from riskdesk.models import AuditEntry

    if current != expected.next():
        return StaleEdit(f"The reporting period (now {current.label}, not {expected.label})")
    entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "setting", AuditEntry.action == "period.close")
                      .order_by(AuditEntry.id.desc()).limit(1)).first()
    by = f", by {entry.user_login} at {entry.at:%d %b %Y %H:%M} (UTC)" if entry is not None else ""
    return AlreadyDone(f"The reporting period {expected.label} has already been closed{by}; owners now update "
                       f"{current.label}. Your request changed nothing.")


def _quarter_label(code: Any) -> str:
    try:
        return Quarter.parse(str(code)).label
    except Exception:
        return str(code)


def _what(exc: BaseException, attempted: list[tuple[str, dict[str, Any], dict[str, Any]]]) -> str:
    """Name the record as the user knows it, from the objects this transaction was writing."""
    table = _table_in(exc)
    ordered = sorted(attempted, key=lambda a: a[0] != table) if table else attempted
    for tbl, loaded, _wanted in ordered:
        name = _describe(tbl, loaded)
        if name:
            return name
    if isinstance(exc, DBAPIError) and _sqlstate(exc) in _PG_RACE_STATES:
        return "What you were saving"
    return "This record"


def _table_in(exc: BaseException) -> str | None:
    text = str(exc)
    for marker in ("on table '", "INSERT INTO ", "UPDATE ", "failed: "):
        if marker in text:
            rest = text.split(marker, 1)[1]
            return rest.split("'")[0].split(" ")[0].split(".")[0].strip('"')
    return None


def _describe(table: str, v: dict[str, Any]) -> str | None:
    if table == "risk" and v.get("ref"):
        return f"Risk {v['ref']}"
    if table == "assessment" and v.get("period"):
        return f"The {_quarter_label(v['period'])} assessment of this risk"
    if table == "report_cycle" and v.get("title"):
        return f"Report cycle “{v['title']}”"
    if table == "setting" and v.get("key"):
        return _SETTING_NAMES.get(v["key"], f"The setting {v['key']}")
    if table == "category":
        return "This category"
    if table in ("risk_action", "incident_action", "clinical_action"):
        return "This action"
    if table in ("complaint", "contact") and v.get("reference"):
        return f"{'Complaint' if table == 'complaint' else 'Contact'} {v['reference']}"
    if table == "serious_incident" and v.get("reference"):
        return f"Serious incident {v['reference']}"
    if table in ("app_user", "audit_entry", "risk_department", "assessment_line", "amendment", "scheme_version"):
        return None  # incidental rows: name the record they belong to instead
    return f"This {table.replace('_', ' ')}" if table else None


__all__ = ["already_presented", "explain", "is_conflict", "period_moved_on", "transaction"]
