from datetime import date

import pytest

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.quarters import Quarter, last_n


@pytest.mark.parametrize(
    ("day", "label"),
    [(date(2023, 4, 1), "23/24 Q1"), (date(2023, 6, 30), "23/24 Q1"), (date(2023, 10, 5), "23/24 Q3"),
     (date(2024, 1, 2), "23/24 Q4"), (date(2024, 3, 31), "23/24 Q4"), (date(1999, 12, 31), "99/00 Q3")],
)
def test_financial_year_runs_april_to_march(day, label):
    assert Quarter.of(day).label == label


def test_bounds_and_neighbours():
    q = Quarter(2023, 4)
    assert (q.start, q.end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert q.next() == Quarter(2024, 1)
    assert Quarter(2024, 1).previous() == q
    assert q.financial_year == "2023/24"
    assert [x.label for x in last_n(Quarter(2024, 1), 3)] == ["23/24 Q3", "23/24 Q4", "24/25 Q1"]


@pytest.mark.parametrize("text", ["23/24 Q3", "2023/24 Q3", "2023Q3", "2023-q3", " 23 / 24 q3 "])
def test_parse(text):
    assert Quarter.parse(text) == Quarter(2023, 3)


@pytest.mark.parametrize("text", ["23/25 Q1", "Q3", "2023 Q5", ""])
def test_parse_rejects(text):
    with pytest.raises(ValidationError):
        Quarter.parse(text)


def test_codes_sort_chronologically():
    quarters = [Quarter(2023, 4), Quarter(2022, 1), Quarter(2023, 1)]
    assert sorted(q.code for q in quarters) == [q.code for q in sorted(quarters)]
