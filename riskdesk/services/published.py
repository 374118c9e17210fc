"""Load a register published in the council's JSON transcription (``riskdesk load-register``).

The format is the one of ``tests/fixtures/crr-2023-11.json``: categories with risks, the
department key and footnotes; its siblings ``*-movements.json`` (amended descriptions with
rationale), ``*removed*.json`` (risks removed in the last two years) and
``scoring-criteria.json`` (the council's impact and likelihood criteria) are loaded too.
Everything goes in one transaction: a file that fails half-way leaves the database as it was.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from riskdesk.domain.direction import Direction, direction_words
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.permissions import Permission
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor, category_heading
from riskdesk.domain.scoring import (
    DEFAULT_BANDS,
    Band,
    Bands,
    ImpactLevel,
    LikelihoodLevel,
    Score,
    ScoringScheme,
)
from riskdesk.models import (
    Amendment,
    Assessment,
    AssessmentLine,
    Category,
    Department,
    Register,
    Removal,
    Risk,
    RiskDepartment,
    SchemeVersion,
)
from riskdesk.services.base import ServiceContext
from riskdesk.services.registers import COMMITTEE_NAME, COUNCIL_NAME, CURRENT_PERIOD, find_department

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}

LAST_PRESENTED = "last_presented_on"
MEETING_DATE = "published_meeting_date"
UPDATE_HEADING = "published_update_heading"


@dataclass(frozen=True)
class LoadResult:
    register_id: int
    register_name: str
    categories: int
    retired_categories: int
    current_risks: int
    scoring_lines: int
    removed_risks: int
    amendments: int
    period: str
    scheme_version: int


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(what, str(path), "does not exist") from None
    except UnicodeDecodeError as exc:
        raise ValidationError(what, str(path), f"is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(what, str(path), f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None


def _sibling(path: Path, pattern: str) -> Path | None:
    hits = sorted(path.parent.glob(pattern))
    return hits[0] if hits else None


def period_from_heading(heading: str, as_of: str | None) -> Quarter:
    """"Update October 2023" → the quarter holding October 2023; else the ``as_of`` month."""
    m = re.search(r"([A-Za-z]+)\s+(\d{4})", heading or "")
    if m and m.group(1).lower() in MONTHS:
        return Quarter.of(date(int(m.group(2)), MONTHS[m.group(1).lower()], 1))
    if as_of:
        y, mo = as_of.split("-")[:2]
        return Quarter.of(date(int(y), int(mo), 1))
    raise ValidationError("update heading", heading, "names no month and year, and the file has no as_of")


def scheme_from_criteria(data: dict[str, Any], version: int, base: ScoringScheme | None = None) -> ScoringScheme:
    """A ScoringScheme from the council's ``scoring-criteria.json``.

    Bands come from the file when it gives them, else from ``base`` (the scheme the council has
    set, with its appetite and review cadence), never from a list written into riskdesk.
    """
    columns = data.get("impact_columns_as_given") or []
    dims = [
        ("departmental_service_plan", columns[2] if len(columns) > 2 else "Departmental Service Plan"),
        ("internal_operations", columns[3] if len(columns) > 3 else "Internal Operations"),
        ("people", columns[4] if len(columns) > 4 else "People"),
        ("reputation", columns[5] if len(columns) > 5 else "Reputation"),
        ("financial_per_annum_per_loss", columns[6] if len(columns) > 6 else "Financial"),
    ]
    impacts = tuple(
        ImpactLevel(int(lv["level"]), lv["description"], tuple((name, lv.get(key) or "") for key, name in dims))
        for lv in sorted(data["impact_levels"], key=lambda lv: lv["level"])
    )
    likelihoods = tuple(
        LikelihoodLevel(int(lv["level"]), lv["likelihood"], lv.get("example_of_loss_event_frequency", ""),
                        lv.get("probability_pct_as_given", ""))
        for lv in sorted(data["likelihood_levels"], key=lambda lv: lv["level"])
    )
    matrix = data.get("matrix") or {}
    ia = matrix.get("impact_axis_labels") or {}
    la = matrix.get("likelihood_axis_labels") or {}
    return ScoringScheme(
        version=version,
        name=f"{data.get('source', 'Published').split(',')[0]} risk scoring criteria",
        impact_levels=impacts,
        likelihood_levels=likelihoods,
        bands=(Bands(tuple(Band(**b) for b in data["bands"])) if data.get("bands")
               else base.bands if base is not None else DEFAULT_BANDS),
        appetite_levels=base.appetite_levels if base is not None else (),
        category_appetite=base.category_appetite if base is not None else (),
        review_months=base.review_months if base is not None else (),
        impact_axis_labels=tuple(ia[str(i)] for i in range(1, 6)) if ia else (),
        likelihood_axis_labels=tuple(la[str(i)] for i in range(1, 6)) if la else (),
        impact_note=data.get("impact_note", "") or "",
        likelihood_note="",
        matrix_footnote=matrix.get("likelihood_axis_footnote", "") or "",
        impact_columns=tuple(columns),
    )


class PublishedRegisterLoader:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def load(
        self,
        actor: Actor,
        path: str | Path,
        *,
        movements: str | Path | None = None,
        removed: str | Path | None = None,
        criteria: str | Path | None = None,
        register_name: str = "Corporate Risk Register",
    ) -> LoadResult:
        path = Path(path)
        data = _read_json(path, "register file")
        if not isinstance(data, dict) or "categories" not in data:
            raise ValidationError("register file", str(path), "has no 'categories': it is not a published register")
        mov_path = Path(movements) if movements else _sibling(path, "*movements*.json")
        rem_path = Path(removed) if removed else _sibling(path, "*removed*.json")
        crit_path = Path(criteria) if criteria else _sibling(path, "scoring-criteria*.json")
        mov = _read_json(mov_path, "movements file") if mov_path else {}
        rem = _read_json(rem_path, "removed-risks file") if rem_path else {}
        crit = _read_json(crit_path, "scoring criteria file") if crit_path else None

        # Report cycles are needed only here; keep them out of start-up.
        from riskdesk.services.cycles import FOOTNOTES_SETTING, seed_published_cycles

        with self._ctx.begin() as s:
            user = self._ctx.require(s, actor, Permission.EDIT_REGISTER)
            self._ctx.require(s, actor, Permission.MANAGE_REFERENCE)
            source = path.name
            council = str(data.get("source", "")).split(",")[0].strip()
            period = period_from_heading(data.get("update_heading", ""), data.get("as_of"))

            # Scoring scheme: the council's own criteria become a new scheme version.
            if crit is not None:
                # The council's own bands (and appetite, review cadence) if it has set a scheme;
                # a database without one is not given a default version first.
                newest = s.scalars(select(SchemeVersion).order_by(SchemeVersion.version.desc()).limit(1)).first()
                base = ScoringScheme.from_dict(newest.data) if newest is not None else None
                last = s.scalar(select(func.max(SchemeVersion.version))) or 0
                scheme = scheme_from_criteria(crit, last + 1, base)
                sv = SchemeVersion(version=scheme.version, name=scheme.name, data=scheme.to_dict())
                s.add(sv)
                s.flush()
            else:
                from riskdesk.services.registers import scheme_row

                sv = scheme_row(s)
                scheme = ScoringScheme.from_dict(sv.data)

            for code, name in (data.get("department_key") or {}).items():
                if find_department(s, code) is None:
                    s.add(Department(code=code, name=name))
            s.flush()

            existing = s.scalar(select(Register).where(Register.name == register_name))
            if existing is not None:
                has_risks = s.scalar(select(func.count()).select_from(Risk).where(Risk.register_id == existing.id))
                if has_risks:
                    raise ValidationError(
                        "register", register_name,
                        "already holds risks in this database; load the published register into a new database "
                        "(riskdesk --database NEW.sqlite load-register FILE)",
                    )
                reg = existing
            else:
                kind = "departmental" if s.scalar(select(Register).where(Register.kind == "corporate")) else "corporate"
                reg = Register(name=register_name, kind=kind)
                s.add(reg)
                s.flush()
            self._ctx.audit(s, user, "register.load", "register", reg.id, register_name, {}, f"loaded from {source}")

            presented = _date(data.get("last_presented_to_committee"))
            n_lines = n_current = n_retired = 0
            by_ref: dict[str, Risk] = {}
            for pos, c in enumerate(data["categories"], start=1):
                number, name, retired = c.get("number"), c.get("name"), bool(c.get("retired"))
                as_given = c.get("heading_as_given")
                composed = category_heading(number, name, retired)
                cat = Category(register_id=reg.id, number=number, name=name, retired=retired, position=pos,
                               heading_as_given=as_given if as_given and as_given != composed else None)
                s.add(cat)
                s.flush()
                n_retired += retired
                for r in c.get("risks", []):
                    risk = self._risk(s, reg, cat, r, presented)
                    by_ref[risk.ref] = risk
                    n_lines += self._assessment(s, risk, r, period, sv.id, scheme, user.login)
                    n_current += 1
                    self._ctx.audit(s, user, "risk.load", "risk", risk.id, f"Risk {risk.ref}",
                                    {"description": [None, risk.description]}, f"loaded from {source}")

            n_amend = 0
            amended_from: dict[int, str] = {}
            for m in mov.get("amended", []) if isinstance(mov, dict) else []:
                risk = by_ref.get(str(m.get("ref")))
                if risk is None:
                    raise ValidationError("amended risk", m.get("ref"), "is not a current risk of the register file")
                s.add(Amendment(risk_id=risk.id, field="description", old_value=m["change_from"],
                                new_value=risk.description, rationale=m.get("rationale", ""),
                                changed_at=datetime.combine(period.start, datetime.min.time()),
                                changed_by=user.login))
                amended_from[risk.id] = m["change_from"]
                n_amend += 1

            n_removed = 0
            for r in rem.get("risks", []) if isinstance(rem, dict) else []:
                risk = Risk(register_id=reg.id, ref=str(r["ref"]), description=r["description"], status="removed",
                            departments_text=None)
                codes = [c for c in str(r.get("department", "")).split() if c]
                risk.departments = self._departments(s, codes)
                # Keep the cell as printed ("ALL" where the key's code is "All").
                given = str(r.get("department", "")).strip()
                if given and given != " ".join(rd.department.code for rd in risk.departments):
                    risk.departments_text = given
                s.add(risk)
                s.flush()
                s.add(Removal(risk_id=risk.id, removed_on=_date(r["date_of_removal"]), reason=r.get("reason", ""),
                              score=r.get("score"), impact=r.get("impact"), likelihood=r.get("likelihood"),
                              removed_by=user.login))
                self._ctx.audit(s, user, "risk.load", "risk", risk.id, f"Risk {risk.ref} (removed)",
                                {"status": [None, "removed"]}, f"loaded from {rem_path.name if rem_path else source}")
                n_removed += 1

            if council:
                self._ctx.set_setting(s, COUNCIL_NAME, council)
            self._ctx.set_setting(s, COMMITTEE_NAME, "Corporate Governance Committee")
            self._ctx.set_setting(s, CURRENT_PERIOD, period.code)
            if presented:
                self._ctx.set_setting(s, LAST_PRESENTED, presented.isoformat())
            meeting = _meeting_date(data.get("source", ""))
            if meeting:
                self._ctx.set_setting(s, MEETING_DATE, meeting.isoformat())
            if data.get("update_heading"):
                self._ctx.set_setting(s, UPDATE_HEADING, data["update_heading"])
            footnotes = [{"marker": str(f.get("marker", "")), "text": str(f.get("text", "")),
                          "items": [str(i) for i in f.get("items", [])]}
                         for f in data.get("footnotes") or [] if isinstance(f, dict)]
            if footnotes:
                self._ctx.set_setting(s, FOOTNOTES_SETTING, json.dumps(footnotes, ensure_ascii=False))
            s.flush()
            # The last presented cycle (frozen: the September state) and the next one as a
            # draft, so the November appendix is ready to present with its movements.
            seed_published_cycles(
                self._ctx, s, user, reg, last_presented=presented, meeting=meeting,
                title=data.get("title") or None, update_heading=data.get("update_heading") or None,
                period=period.code, meeting_title="Corporate Governance Committee", amended_from=amended_from,
            )

            return LoadResult(
                register_id=reg.id, register_name=reg.name, categories=len(data["categories"]),
                retired_categories=n_retired, current_risks=n_current, scoring_lines=n_lines,
                removed_risks=n_removed, amendments=n_amend, period=period.code, scheme_version=scheme.version,
            )

    # -- pieces ---------------------------------------------------------------------------------

    @staticmethod
    def _departments(s: Session, codes: list[str]) -> list[RiskDepartment]:
        out = []
        seen = set()
        for pos, code in enumerate(codes):
            dept = find_department(s, code)
            if dept is None:
                dept = Department(code=code, name=code)
                s.add(dept)
                s.flush()
            if dept.id in seen:
                continue
            seen.add(dept.id)
            out.append(RiskDepartment(department_id=dept.id, position=pos, department=dept))
        return out

    def _risk(self, s: Session, reg: Register, cat: Category, r: dict[str, Any], presented: date | None) -> Risk:
        codes = [str(c) for c in r.get("departments", [])]
        text = r.get("departments_text")
        risk = Risk(
            register_id=reg.id, category_id=cat.id, ref=str(r["ref"]), description=r["description"],
            service_area=r.get("service_area") or "", first_presented_on=presented,
        )
        risk.departments = self._departments(s, codes)
        # Keep the cell as printed ("ALL", "CR (ALL)") where it differs from the stored codes.
        joined = " ".join(rd.department.code for rd in risk.departments)
        risk.departments_text = text if text and text != joined else None
        s.add(risk)
        s.flush()
        return risk

    @staticmethod
    def _assessment(s: Session, risk: Risk, r: dict[str, Any], period: Quarter, scheme_id: int,
                    scheme: ScoringScheme, login: str) -> int:
        lines = r.get("scoring_lines") or [{"current": r["current"], "target": r.get("target")}]
        head = lines[0]
        cur = Score.of(head["current"]["impact"], head["current"]["likelihood"], what=f"risk {risk.ref} current")
        tgt = head.get("target")
        tscore = Score.of(tgt["impact"], tgt["likelihood"], what=f"risk {risk.ref} target") if tgt else None
        direction = Direction.parse(r.get("direction", "level"))
        words = r.get("direction_text") or ""
        derived = direction_words(direction, cur.score, scheme.bands, tscore.score if tscore else None)
        a = Assessment(
            risk_id=risk.id, period=period.code, current_impact=cur.impact, current_likelihood=cur.likelihood,
            target_impact=tscore.impact if tscore else None, target_likelihood=tscore.likelihood if tscore else None,
            note=(r["current"].get("impact_note") or "") if isinstance(r.get("current"), dict) else "",
            direction=direction.value, direction_text=words if words and words != derived else None,
            update_text=r.get("update", ""), scheme_id=scheme_id, recorded_by=login,
        )
        for pos, line in enumerate(lines[1:], start=2):
            c = Score.of(line["current"]["impact"], line["current"]["likelihood"], what=f"risk {risk.ref} line {pos}")
            t = line.get("target")
            ts = Score.of(t["impact"], t["likelihood"], what=f"risk {risk.ref} line {pos} target") if t else None
            a.lines.append(AssessmentLine(position=pos, label=line.get("label", "") or "", current_impact=c.impact,
                                          current_likelihood=c.likelihood, target_impact=ts.impact if ts else None,
                                          target_likelihood=ts.likelihood if ts else None))
        s.add(a)
        s.flush()
        return len(lines)


def _date(value: Any) -> date | None:
    if not value:
        return None
    return date.fromisoformat(str(value)[:10])


def _meeting_date(source: str) -> date | None:
    """"…agenda pack, 17 November 2023" → 2023-11-17."""
    m = re.search(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", source or "")
    if m and m.group(2).lower() in MONTHS:
        return date(int(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
    return None
