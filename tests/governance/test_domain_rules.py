"""Pure rules: appetite, removal candidates, review cadence, on-time arithmetic, contrast, matrix sizes."""

from dataclasses import replace
from datetime import date

import pytest

from riskdesk.domain.appetite import Appetite, check_appetite, out_of_appetite, removal_candidate
from riskdesk.domain.controls import on_time_rate
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.reviews import add_months, next_review
from riskdesk.domain.scheme_rules import best_ink_contrast, check_scheme, contrast
from riskdesk.domain.scoring import DEFAULT_BANDS, Band, Bands, default_scheme

CAUTIOUS = Appetite("Finance", "cautious", 10)


def test_out_of_appetite_only_above_the_maximum():
    assert [out_of_appetite(s, CAUTIOUS) for s in (9, 10, 12)] == [False, False, True]
    assert not out_of_appetite(25, None)  # a category without appetite is never flagged


def test_two_quarters_at_or_below_appetite_make_a_removal_candidate():
    assert removal_candidate([20, 10, 8], CAUTIOUS)
    assert not removal_candidate([20, 12, 8], CAUTIOUS)  # only one quarter at appetite
    assert not removal_candidate([8, 8, 12], CAUTIOUS)  # back above appetite this quarter
    assert not removal_candidate([8], CAUTIOUS)


def test_appetite_scale_must_rise_with_tolerance():
    check_appetite({"averse": 4, "cautious": 10}, {"Finance": "cautious"}, 5)
    with pytest.raises(ValidationError, match="below the maximum"):
        check_appetite({"averse": 12, "cautious": 10}, {}, 5)
    with pytest.raises(ValidationError, match="not one of"):
        check_appetite({"greedy": 10}, {}, 5)
    with pytest.raises(ValidationError, match="from 1 to 16"):
        check_appetite({"open": 20}, {}, 4)
    with pytest.raises(ValidationError, match="not a level"):
        check_appetite({"averse": 4}, {"Finance": "eager"}, 5)


def test_review_cadence_by_band_red_1_amber_3_green_6():
    scheme = default_scheme()
    on = date(2024, 1, 31)
    assert next_review(scheme, 20, on) == date(2024, 2, 29)  # red: one month, clamped to February's end
    assert next_review(scheme, 9, on) == date(2024, 4, 30)  # amber: three
    assert next_review(scheme, 4, on) == date(2024, 7, 31)  # green: six
    council = replace(scheme, review_months=(("high", 2),))
    assert next_review(council, 20, on) == date(2024, 3, 31)
    assert add_months(date(2023, 11, 15), 3) == date(2024, 2, 15)


def test_on_time_rate_arithmetic():
    today = date(2024, 6, 1)
    rate = on_time_rate("r", [
        (date(2024, 1, 31), date(2024, 1, 30)),  # on time
        (date(2024, 1, 31), date(2024, 1, 31)),  # on the day: on time
        (date(2024, 1, 31), date(2024, 2, 1)),  # late
        (date(2024, 5, 1), None),  # open and overdue: late
        (date(2024, 9, 1), None),  # open, not yet due: not counted
        (None, date(2024, 2, 1)),  # no due date: not counted
    ], today)
    print(f"on time {rate.on_time} of {rate.counted}")
    assert (rate.on_time, rate.counted, rate.percent) == (2, 4, "50%")
    assert on_time_rate("none", [], today).percent == "–"


def test_band_colours_are_checked_for_readable_digits():
    scheme = default_scheme()
    check_scheme(scheme)  # red, amber and green each reach 4.5:1 with black or white digits
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(best_ink_contrast("#ff0000"), 2) == 5.25  # black on red
    bad = Bands((Band("low", "green", 1, 6, "#92d050"), Band("medium", "amber", 8, 12, "amber"),
                 Band("high", "red", 15, 25, "#ff0000")))
    with pytest.raises(ValidationError, match="must be #RRGGBB"):
        check_scheme(replace(scheme, bands=bad))
    unnamed = Bands((Band(" ", "green", 1, 6, "#92d050"), *DEFAULT_BANDS.bands[1:]))
    with pytest.raises(ValidationError, match="band name"):
        check_scheme(replace(scheme, bands=unnamed))


def test_matrix_sizes_three_to_six_and_bands_cover_that_matrix():
    scheme = default_scheme()
    four = replace(scheme, size=4, impact_levels=scheme.impact_levels[:4], likelihood_levels=scheme.likelihood_levels[:4],
                   bands=Bands((Band("Low", "green", 1, 3, "#92d050"), Band("Medium", "yellow", 4, 6, "#ffff00"),
                                Band("High", "amber", 8, 12, "#ffc000"), Band("Significant", "red", 15, 25, "#ff0000")), 4))
    assert four.band_for(16).name == "Significant"
    with pytest.raises(ValidationError, match="must be 3, 4, 5 or 6"):
        replace(scheme, size=7)
    with pytest.raises(ValidationError, match="1 to 4 in order"):
        replace(scheme, size=4)
    with pytest.raises(ValidationError, match="falls in no band"):
        Bands((Band("Low", "green", 1, 3, "#92d050"), Band("High", "red", 4, 9, "#ff0000")), 4)  # 12, 16 left out


def test_resizing_a_scheme_for_the_editor():
    from riskdesk.domain.scheme_rules import resized

    scheme = default_scheme()
    three = resized(scheme, 3)
    assert [lv.label for lv in three.impact_levels] == ["Negligible", "Minor", "Moderate"]
    assert three.band_for(9).label == "medium/amber"
    six = resized(scheme, 6)
    assert six.impact_levels[5].label == "Level 6" and six.band_for(36).label == "high/red"
    assert [c for _, c in six.impact_levels[5].criteria] == [""] * 5
    check_scheme(six)
    with pytest.raises(ValidationError):
        resized(scheme, 2)
