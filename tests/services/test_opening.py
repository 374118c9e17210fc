"""What the window reads first (who, scheme, quarter, registers) in one read: the same answers,
and the same refusals, as the four calls it replaces."""

import pytest
from sql_count import statements_sent

from riskdesk.domain.errors import PermissionDenied
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.register import Actor
from riskdesk.domain.scoring import default_scheme

pytestmark = pytest.mark.db


def _four(services, actor):
    regs = services.registers
    return regs.me(actor), regs.scheme(actor), regs.current_period(actor), regs.list_registers(actor)


def test_the_opening_read_answers_as_the_four_calls(published, admin):
    published.registers.set_current_period(admin, Quarter(2023, 4))
    with statements_sent(published.db.engine) as statements:
        opening = published.registers.opening(admin)
    assert (opening.me, opening.scheme, opening.period, opening.registers) == _four(published, admin)
    assert opening.period == Quarter(2023, 4) and opening.registers[0].current_risks > 0
    print(f"statements for the opening read: {len(statements)}")
    # On a server, one batch (one round trip); SQLite runs the user check and the four reads in turn.
    assert len(statements) == (5 if published.db.is_sqlite else 1)


def test_a_brand_new_database_gets_its_first_user_and_default_scheme_as_before(services, admin):
    opening = services.registers.opening(admin)
    assert opening.me.login == "tester" and opening.me.role == "admin"  # the first user administers it
    assert opening.scheme == default_scheme()
    assert opening.registers == []
    assert (opening.me, opening.scheme, opening.period, opening.registers) == _four(services, admin)


def test_someone_with_no_role_is_told_who_they_are_and_refused_the_register(published, admin):
    published.registers.add_user(admin, "stranger", "A. Stranger", role="none")
    stranger = Actor("stranger")
    assert published.registers.me(stranger).role == "none"
    with pytest.raises(PermissionDenied) as four:
        _four(published, stranger)
    with pytest.raises(PermissionDenied) as one:
        published.registers.opening(stranger)
    assert str(one.value) == str(four.value)


def test_a_register_and_its_choices_are_one_read_answering_as_the_two_calls(published, admin, corporate_id):
    with statements_sent(published.db.engine) as statements:
        rows, choices = published.risks.open_register(admin, corporate_id)
    assert rows == published.risks.list_risks(admin, corporate_id)
    assert choices == published.registers.choices(admin, corporate_id)
    assert len(rows) == 29 and choices.categories and choices.users and choices.departments
    print(f"statements for a register and its choices: {len(statements)}")
    # On a server, one batch (one round trip; the two calls were two). SQLite runs the user
    # check, the four reads of the rows and the five of the choices in turn.
    assert len(statements) == (10 if published.db.is_sqlite else 1)


def test_someone_with_no_role_is_refused_a_register_as_by_the_two_calls(published, admin, corporate_id):
    published.registers.add_user(admin, "stranger", "A. Stranger", role="none")
    stranger = Actor("stranger")
    with pytest.raises(PermissionDenied) as two:
        published.risks.list_risks(stranger, corporate_id)
    with pytest.raises(PermissionDenied) as one:
        published.risks.open_register(stranger, corporate_id)
    assert str(one.value) == str(two.value)
