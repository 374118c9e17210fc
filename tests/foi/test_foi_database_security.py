"""What the database itself enforces for FOI (PostgreSQL): a link officer connecting with their own
login reads only their departments' requests, even with plain SQL; only the information-governance
team reads requesters; nobody but them writes. On SQLite the same questions are asked of the service."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text

from riskdesk.domain.errors import PermissionDenied
from riskdesk.domain.foi import FoiDraft, Regime
from riskdesk.domain.register import Actor
from riskdesk.services.foi import FoiService, Requester
from tests.foi.conftest import PEOPLE


def test_link_officer_reads_only_own_departments_even_in_plain_sql(services, admin, people, db):
    foi = FoiService(services.ctx)
    foi.create(admin, FoiDraft(Regime.FOIA, date(2023, 3, 6), "CFS", "Children in Care"),
               requester=Requester("Jane Q. Public", "jane@example.org"))
    foi.create(admin, FoiDraft(Regime.FOIA, date(2023, 3, 6), "CFS E&T", "School transport"))
    foi.create(admin, FoiDraft(Regime.EIR, date(2023, 3, 6), "E&T", "Air quality"))
    foi.set_link_departments(admin, PEOPLE["foi_read"], ["CFS"])
    link = people(PEOPLE["foi_read"])
    owner = people(PEOPLE["risk_owner"])
    auditor = people(PEOPLE["auditor"])
    seen = {r.subject for r in FoiService(link.ctx).list(Actor(PEOPLE["foi_read"]))}
    assert seen == {"Children in Care", "School transport"}
    if db.is_sqlite:
        with pytest.raises(PermissionDenied):
            FoiService(auditor.ctx).requester(Actor(PEOPLE["auditor"]), 1)
        return
    leaks = 0
    with link.db.engine.connect() as conn:
        subjects = set(conn.scalars(text("SELECT subject FROM foi_request")))
        leaks += len(subjects - {"Children in Care", "School transport"})
        assert conn.scalar(text("SELECT count(*) FROM audit_entry WHERE entity = 'foi_request'")) > 0
    for who in (link, owner, auditor):  # refused outright (no privilege) or no rows: both keep it hidden
        with who.db.engine.connect() as conn:
            try:
                n = conn.scalar(text("SELECT count(*) FROM foi_requester"))
                leaks += n or 0
            except Exception:
                conn.rollback()
    writes = 0
    for who in (link, auditor, owner):
        with who.db.engine.connect() as conn:
            try:
                conn.execute(text("UPDATE foi_request SET subject = 'changed'"))
                conn.commit()
                writes += conn.execute(text("SELECT count(*) FROM foi_request WHERE subject = 'changed'")).scalar()
            except Exception:
                conn.rollback()
    with owner.db.engine.connect() as conn:
        try:
            leaks += conn.scalar(text("SELECT count(*) FROM foi_request"))
        except Exception:
            conn.rollback()
        leaks += conn.scalar(text("SELECT count(*) FROM audit_entry WHERE entity LIKE 'foi_%'"))
    print(f"rows read that should be hidden: {leaks}; forbidden writes that succeeded: {writes}")
    assert leaks == 0
    assert writes == 0
