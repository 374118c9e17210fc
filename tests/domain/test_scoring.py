import pytest

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.scoring import DEFAULT_BANDS, Band, Bands, Score, ScoringScheme, default_scheme


def test_score_is_impact_times_likelihood_never_normalised():
    assert Score(5, 5).score == 25
    assert Score(1, 1).score == 1
    assert Score(4, 3).score == 12


@pytest.mark.parametrize("impact", [0, 6, -1, 2.5, "x", None, True])
def test_out_of_range_level_names_the_field_and_value(impact):
    with pytest.raises(ValidationError) as err:
        Score.of(impact, 3, what="current")
    assert err.value.field == "current impact"
    assert err.value.value == impact
    assert "1 to 5" in str(err.value)


def test_levels_given_as_text_or_whole_floats_are_accepted():
    assert Score.of("4", 3.0).score == 12


@pytest.mark.parametrize(
    ("score", "label"),
    [(25, "high/red"), (15, "high/red"), (12, "medium/amber"), (8, "medium/amber"), (6, "low/green"), (1, "low/green")],
)
def test_default_bands(score, label):
    assert DEFAULT_BANDS.band_for(score).label == label


def test_bands_must_cover_every_possible_score_once():
    with pytest.raises(ValidationError, match="falls in no band"):
        Bands((Band("low", "green", 1, 6, "#0f0"), Band("high", "red", 15, 25, "#f00")))
    with pytest.raises(ValidationError, match="bands low and medium"):
        Bands((Band("low", "green", 1, 8, "#0f0"), Band("medium", "amber", 8, 12, "#fa0"),
               Band("high", "red", 15, 25, "#f00")))


def test_councils_can_configure_other_bands():
    bands = Bands((Band("low", "green", 1, 4, "#0f0"), Band("medium", "amber", 5, 12, "#fa0"),
                   Band("high", "red", 15, 25, "#f00")))
    assert bands.band_for(6).name == "medium"


def test_scheme_round_trips_through_storage_and_keeps_labels():
    scheme = default_scheme()
    again = ScoringScheme.from_dict(scheme.to_dict())
    assert again == scheme
    assert again.impact_label(5) == "Critical"
    assert again.likelihood_label(1) == "Rare"
    assert len(again.criteria_dimensions()) == 5


def test_scheme_needs_five_levels_in_order():
    scheme = default_scheme()
    with pytest.raises(ValidationError, match="impact levels"):
        ScoringScheme(2, "broken", scheme.impact_levels[:4], scheme.likelihood_levels)
