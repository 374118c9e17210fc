"""Hygiene lists and the register filter: pure rules over RiskRow."""

from dataclasses import MISSING, FrozenInstanceError, fields, replace

import pytest

from riskdesk.domain.direction import Direction
from riskdesk.domain.hygiene import (
    direction_contradicted,
    hygiene,
    not_updated,
    red_run,
    target_equals_current_run,
)
from riskdesk.domain.refs import runs
from riskdesk.domain.register import UNSCORED_FIELDS, RiskRow, ref_sort_key, register_order_of
from riskdesk.domain.register_filter import UNSCORED, RegisterFilter, predicate
from riskdesk.domain.scoring import DEFAULT_BANDS, Score
from riskdesk.domain.snapshot import ScoreLine

NOW = "2023Q3"


def row(rid=1, ref="1.1", history=(), direction=Direction.LEVEL, owner_id=None, departments=("CR",),
        category_id=10, description="If x then y", update="", current=None, target=None):
    kwargs = {}
    if history:
        p, c, _t = history[-1]
        kwargs = dict(period=p, lines=(ScoreLine(current or Score(5, c // 5 or 1), target),),
                      direction=direction, update_text=update, history=tuple(history))
    return RiskRow(id=rid, register_id=1, ref=ref, category_id=category_id, category_heading="1. X",
                   category_position=1, departments=departments, departments_text=" ".join(departments),
                   description=description, service_area="", owner_id=owner_id, owner_name="", status="current",
                   exempt=False, version=1, first_presented_on=None, **kwargs)


def test_not_updated_means_no_assessment_for_the_current_period():
    assert not_updated(row(history=[("2023Q2", 10, 5)]), NOW)
    assert not not_updated(row(history=[("2023Q2", 10, 5), (NOW, 10, 5)]), NOW)
    assert not_updated(row(), NOW)  # never scored


def test_target_equal_to_current_counts_trailing_periods_only():
    h = [("2022Q4", 12, 12), ("2023Q1", 12, 8), ("2023Q2", 12, 12), ("2023Q3", 12, 12)]
    assert target_equals_current_run(h) == 2
    assert target_equals_current_run(h[:3]) == 1
    assert target_equals_current_run([("2023Q3", 12, None)]) == 0


def test_red_run_uses_the_top_band():
    h = [("a", 20, 5), ("b", 15, 5), ("c", 16, 5), ("d", 25, 5)]
    assert red_run(h, DEFAULT_BANDS) == 4
    assert red_run([*h, ("e", 12, 5)], DEFAULT_BANDS) == 0


def test_contradicted_direction_needs_two_opposite_moves():
    rising = [("a", 8, 4), ("b", 12, 4), ("c", 16, 4)]
    assert direction_contradicted(row(history=rising, direction=Direction.DOWN))
    assert not direction_contradicted(row(history=rising, direction=Direction.UP))
    assert not direction_contradicted(row(history=rising[1:], direction=Direction.DOWN))


def test_hygiene_report_sorts_rows_onto_lists():
    stale = row(1, "1.1", [("2023Q2", 10, 5)])
    met = row(2, "1.2", [("2023Q2", 8, 8), (NOW, 8, 8)])
    red = row(3, "1.3", [("a", 20, 5), ("b", 20, 5), ("c", 20, 5), (NOW, 20, 5)])
    contra = row(4, "1.4", [("a", 8, 4), ("b", 12, 4), (NOW, 16, 4)], direction=Direction.DOWN)
    removed = replace(row(5, "9.9", [("2023Q2", 10, 5)]), status="removed")
    report = hygiene([stale, met, red, contra, removed], NOW, DEFAULT_BANDS)
    assert [r.ref for r in report.not_updated] == ["1.1"]
    assert [r.ref for r in report.target_met] == ["1.2"]
    assert [r.ref for r in report.long_red] == ["1.3"]
    assert [r.ref for r in report.contradicted] == ["1.4"]
    assert [key for key, _, _ in report.sections()] == ["not_updated", "target_met", "long_red", "contradicted"]


@pytest.fixture
def rows():
    return [
        row(1, "1.1", [(NOW, 20, 8)], owner_id=7, departments=("CR", "PH"), update="Energy • BULLET costs",
            current=Score(5, 4), target=Score(4, 2)),
        row(2, "1.2", [("2023Q2", 9, 4)], owner_id=8, departments=("ASC",), category_id=11,
            description="If flooding then roads close", current=Score(3, 3), target=Score(2, 2)),
        row(3, "2.1", (), departments=("PH",)),
    ]


def _refs(flt, rows, me=7):
    test = predicate(flt, bands=DEFAULT_BANDS, current_period=NOW, my_user_id=me)
    return [r.ref for r in rows if test is None or test(r)]


def test_empty_filter_has_no_predicate(rows):
    assert predicate(RegisterFilter(), bands=DEFAULT_BANDS, current_period=NOW, my_user_id=None) is None
    assert not RegisterFilter().active


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        (RegisterFilter(text="bullet"), ["1.1"]),
        (RegisterFilter(text="FLOODING"), ["1.2"]),
        (RegisterFilter(text="2.1"), ["2.1"]),
        (RegisterFilter(department="ph"), ["1.1", "2.1"]),
        (RegisterFilter(category_id=11), ["1.2"]),
        (RegisterFilter(band="high"), ["1.1"]),
        (RegisterFilter(band="medium"), ["1.2"]),
        (RegisterFilter(band=UNSCORED), ["2.1"]),
        (RegisterFilter(owner_id=8), ["1.2"]),
        (RegisterFilter(mine=True), ["1.1"]),
        (RegisterFilter(not_updated=True), ["1.2", "2.1"]),
        (RegisterFilter(cell=("current", 5, 4)), ["1.1"]),
        (RegisterFilter(cell=("target", 2, 2)), ["1.2"]),
        (RegisterFilter(department="PH", not_updated=True), ["2.1"]),
    ],
)
def test_each_filter_part(rows, flt, expected):
    assert _refs(flt, rows) == expected


def test_filter_survives_a_round_trip_through_settings_and_drops_junk():
    flt = RegisterFilter(text="x", band="high", cell=("target", 2, 3), mine=True)
    assert RegisterFilter.from_dict(flt.to_dict()) == flt
    assert RegisterFilter.from_dict({"cell": "junk", "nonsense": 1, "text": "y"}) == RegisterFilter(text="y")
    assert RegisterFilter.from_dict(None) == RegisterFilter()


def test_register_order_is_the_category_then_the_natural_ref_and_follows_a_changed_row():
    refs = ["1.10", "C", "1.2", "R10", "1", "R9"]
    ordered = sorted((row(rid=i, ref=ref) for i, ref in enumerate(refs)), key=lambda r: r.register_order)
    assert [r.ref for r in ordered] == ["C", "R9", "R10", "1", "1.2", "1.10"]
    first = ordered[0]
    assert first.register_order == (1, ref_sort_key("C"))
    moved = replace(first, ref="9", category_position=0)  # a new row object, never the old key
    assert moved.register_order == (0, ref_sort_key("9"))
    assert first.register_order == (1, ref_sort_key("C"))


@pytest.mark.parametrize("ref", ["1.10", "12", "001.2", "1..2", ".1", "1.", "", "C", "CR-3", "R10", "1.2a",
                                 "\u0661\u0662", "\u00b2", "1 2", "1.\u0662"])
def test_a_numbers_only_ref_sorts_as_the_general_rule_sorts_it(ref):
    """``ref_sort_key`` splits a ref of numbers and dots without its pattern: the same key as the
    pattern's runs (refs that are not plain ASCII numbers and dots take the pattern's way)."""
    assert ref_sort_key(ref) == (*runs(ref), (-1, ref))


@pytest.mark.parametrize("scored", [True, False])
@pytest.mark.parametrize("ordered", [True, False])
def test_a_listed_row_is_the_row_the_dataclass_makes(scored, ordered):
    """``RiskRow.listed`` skips the frozen dataclass's __init__ (for speed): same fields, same
    defaults, equal and equally hashable, the same register order whether made ahead or not, and
    still frozen."""
    made = row(ref="1.10", history=[("2023Q2", 10, 5), ("2023Q3", 12, None)] if scored else ())
    values = {f.name: getattr(made, f.name) for f in fields(RiskRow)
              if scored or f.default is MISSING}  # an unscored row leaves the assessment's fields out
    if not scored:
        values.update(UNSCORED_FIELDS)
    if ordered:
        values["register_order"] = register_order_of(made.category_position, made.ref)
    listed = RiskRow.listed(values)
    assert listed == made and hash(listed) == hash(made)
    assert {f.name: getattr(listed, f.name) for f in fields(RiskRow)} == {f.name: getattr(made, f.name)
                                                                           for f in fields(RiskRow)}
    assert listed.register_order == made.register_order == (1, ref_sort_key("1.10"))
    assert replace(listed, ref="9") == replace(made, ref="9")
    assert replace(listed, ref="9").register_order == (1, ref_sort_key("9"))  # a new row, its own order
    with pytest.raises(FrozenInstanceError):
        listed.ref = "2"  # type: ignore[misc]
