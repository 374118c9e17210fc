"""The demo council (fictional) that a new database is seeded with on first run.

Quarters in the demo file are offsets from the current quarter, so the demo always shows a
year of history ending now, whenever it is loaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskdesk import paths
from riskdesk.domain.direction import Direction
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.permissions import Permission, Role
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.scoring import Score
from riskdesk.models import (
    Assessment,
    Category,
    Department,
    Register,
    Removal,
    Risk,
    RiskDepartment,
    User,
)
from riskdesk.services.base import ServiceContext
from riskdesk.services.registers import (
    COMMITTEE_NAME,
    COUNCIL_NAME,
    CURRENT_PERIOD,
    find_department,
    scheme_row,
)


@dataclass(frozen=True)
class DemoResult:
    registers: int
    current_risks: int
    removed_risks: int
    periods: int


def demo_file() -> Path:
    return paths.resource_path("demo", "register.json")


class DemoLoader:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def is_empty(self) -> bool:
        with self._ctx.read() as s:
            return not s.scalar(select(func.count()).select_from(Register))

    def load(self, actor: Actor, *, force: bool = False, today: date | None = None,
             source: Path | None = None) -> DemoResult:
        data = json.loads((source or demo_file()).read_text(encoding="utf-8"))
        today = today or date.today()
        now = Quarter.of(today)
        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_REGISTER)
            if not force and s.scalar(select(func.count()).select_from(Register)):
                raise ValidationError("database", "", "already holds registers; use --force to add the demo anyway")
            scheme = scheme_row(s)
            for d in data["departments"]:
                if find_department(s, d["code"]) is None:
                    s.add(Department(code=d["code"], name=d["name"]))
            users: dict[str, int] = {}
            for u in data.get("users", []):
                row = s.scalar(select(User).where(User.login == u["login"]))
                if row is None:
                    row = User(login=u["login"], display_name=u["display_name"], job_title=u.get("job_title", ""),
                               role=Role(u.get("role", "risk_owner")).value)
                    s.add(row)
                    s.flush()
                users[u["login"]] = row.id
            s.flush()

            periods: set[str] = set()
            counts = {"current": 0, "removed": 0, "registers": 0}
            presented = now.previous().end  # the register went to committee last quarter

            def make_register(name: str, kind: str, dept_code: str | None, categories: list[dict[str, Any]]) -> Register:
                dept = find_department(s, dept_code) if dept_code else None
                reg = Register(name=name, kind=kind, department_id=dept.id if dept else None)
                s.add(reg)
                s.flush()
                counts["registers"] += 1
                for pos, c in enumerate(categories, start=1):
                    cat = Category(register_id=reg.id, number=c.get("number"), name=c.get("name"),
                                   retired=bool(c.get("retired")), position=pos)
                    s.add(cat)
                    s.flush()
                    for r in c.get("risks", []):
                        risk = Risk(register_id=reg.id, category_id=cat.id, ref=str(r["ref"]),
                                    description=r["description"], service_area=r.get("service_area", ""),
                                    owner_id=users.get(r.get("owner", "")), exempt=bool(r.get("exempt")),
                                    first_presented_on=presented if kind == "corporate" else None)
                        risk.departments = _departments(s, r.get("departments", []))
                        s.add(risk)
                        s.flush()
                        for a in r.get("assessments", []):
                            q = _offset(now, int(a["offset"]))
                            periods.add(q.code)
                            cur = Score.of(*a["current"], what=f"demo risk {risk.ref} current")
                            tgt = Score.of(*a["target"], what=f"demo risk {risk.ref} target") if a.get("target") else None
                            s.add(Assessment(
                                risk_id=risk.id, period=q.code, current_impact=cur.impact,
                                current_likelihood=cur.likelihood,
                                target_impact=tgt.impact if tgt else None,
                                target_likelihood=tgt.likelihood if tgt else None,
                                direction=Direction.parse(a.get("direction", "level")).value,
                                update_text=a.get("update", ""), scheme_id=scheme.id,
                                recorded_by=r.get("owner", "") or user.login,
                            ))
                        counts["current"] += 1
                return reg

            corporate = make_register(data.get("register", "Corporate Risk Register"), "corporate", None,
                                      data["categories"])
            for rem in data.get("removed", []):
                risk = Risk(register_id=corporate.id, ref=str(rem["ref"]), description=rem["description"],
                            status="removed", first_presented_on=presented)
                risk.departments = _departments(s, rem.get("departments", []))
                s.add(risk)
                s.flush()
                score = Score.of(rem["impact"], rem["likelihood"], what=f"removed demo risk {rem['ref']}")
                s.add(Removal(risk_id=risk.id, removed_on=today + timedelta(days=int(rem["removed_offset_days"])),
                              reason=rem["reason"], score=score.score, impact=score.impact,
                              likelihood=score.likelihood, removed_by=user.login))
                counts["removed"] += 1
            for dr in data.get("departmental_registers", []):
                make_register(dr["name"], "departmental", dr.get("department"), dr["categories"])

            self._ctx.set_setting(s, COUNCIL_NAME, data.get("council", ""))
            self._ctx.set_setting(s, COMMITTEE_NAME, data.get("committee", "Corporate Governance Committee"))
            self._ctx.set_setting(s, CURRENT_PERIOD, now.code)
            self._ctx.audit(s, user, "demo.load", "register", corporate.id, corporate.name,
                            {"risks": [None, counts["current"]]}, "demo data for first run")
            return DemoResult(counts["registers"], counts["current"], counts["removed"], len(periods))


def _offset(q: Quarter, n: int) -> Quarter:
    for _ in range(abs(n)):
        q = q.next() if n > 0 else q.previous()
    return q


def _departments(s: Session, codes: list[str]) -> list[RiskDepartment]:
    out = []
    for pos, code in enumerate(codes):
        dept = find_department(s, code)
        if dept is None:
            raise ValidationError("demo department", code, "is not in the demo file's department list")
        out.append(RiskDepartment(department_id=dept.id, position=pos, department=dept))
    return out
