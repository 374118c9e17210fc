"""On PostgreSQL the server itself decides who may present the Ombudsman report: the complaints team
presents (the frozen report and its audit entry are written under its own login), a link officer reads
the presented report but cannot present or alter it, and a risk owner sees neither it nor its audit entry.
(SQLite: one person's file, nothing to test.)"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from test_ombudsman_database_roles import LOGINS, _try, people  # noqa: F401  (people is a fixture)

from riskdesk.db import Database
from riskdesk.domain.errors import PermissionDenied
from riskdesk.domain.register import Actor
from riskdesk.services import Services

pytestmark = pytest.mark.db


def test_only_the_complaints_team_presents_and_the_server_agrees(people: dict[str, Database]) -> None:  # noqa: F811
    team, link = Services(people["complaints_team"]), Services(people["complaints_read"])
    digest = team.ombudsman.present(Actor(LOGINS["complaints_team"]), 2023, on=date(2024, 7, 1))
    with pytest.raises(PermissionDenied):
        link.ombudsman.present(Actor(LOGINS["complaints_read"]), 2024, on=date(2025, 7, 1))
    # The link officer reprints the presented report (read), and raw SQL cannot change it.
    data = link.ombudsman.report_data(Actor(LOGINS["complaints_read"]), 2023)
    assert any("Presented to the committee on 1 July 2024" in n for n in data.notes)
    tamper = "UPDATE casework_report SET payload = '{}' WHERE kind = 'ombudsman'"
    outcome = {role: _try(db, tamper) for role, db in people.items() if role != "complaints_team"}
    print("\nraw change to the presented report by role:", outcome)
    assert outcome == {"complaints_read": "refused", "risk_owner": "refused"}
    seen = {}
    for role, db in people.items():
        with db.engine.connect() as conn:
            seen[role] = (conn.execute(text("SELECT count(*) FROM casework_report WHERE kind = 'ombudsman'")).scalar()
                          if role != "risk_owner" else None,
                          conn.execute(text("SELECT count(*) FROM audit_entry WHERE action = 'ombudsman.present'"))
                          .scalar())
    print("presented report and its audit entry readable:", seen)
    assert seen["complaints_team"] == (1, 1) and seen["complaints_read"] == (1, 1)
    assert seen["risk_owner"] == (None, 0)
    with people["complaints_team"].engine.connect() as conn:
        assert digest == conn.execute(text("SELECT digest FROM casework_report WHERE kind = 'ombudsman'")).scalar()
