import pytest

from riskdesk.domain.direction import Direction, contradicted, direction_words, movement_note
from riskdesk.domain.errors import ValidationError
from riskdesk.domain.scoring import DEFAULT_BANDS


@pytest.mark.parametrize(
    ("direction", "current", "target", "words"),
    [
        (Direction.LEVEL, 25, 10, "Expected to remain high/red"),
        (Direction.LEVEL, 12, 8, "Expected to remain medium/amber"),
        (Direction.DOWN, 20, 12, "Expected to move to medium/amber"),
        (Direction.DOWN, 20, 4, "Expected to move to low/green"),
        (Direction.DOWN, 20, None, "Expected to move to medium/amber"),
        (Direction.DOWN, 4, 2, "Expected to decrease within low/green"),
        (Direction.UP, 12, None, "Expected to move to high/red"),
        (Direction.UP, 20, None, "Expected to increase within high/red"),
    ],
)
def test_words_follow_from_the_bands(direction, current, target, words):
    assert direction_words(direction, current, DEFAULT_BANDS, target) == words


def test_published_register_words_match_the_derived_ones():
    # Every arrow printed in the Nov 2023 register agrees with these rules (seed README §1).
    assert direction_words(Direction.LEVEL, 20, DEFAULT_BANDS, 12) == "Expected to remain high/red"
    assert direction_words(Direction.DOWN, 16, DEFAULT_BANDS, 8) == "Expected to move to medium/amber"


def test_arrows():
    assert [d.arrow for d in Direction] == ["↑", "↔", "↓"]


@pytest.mark.parametrize("text", ["↔", "Level", " down ", "↑"])
def test_parse_accepts_words_and_arrows(text):
    assert Direction.parse(text) in Direction


def test_parse_rejects_other_text():
    with pytest.raises(ValidationError, match="up, level or down"):
        Direction.parse("sideways")


def test_movement_note():
    assert movement_note(20, 15) == "Decreased from 20"
    assert movement_note(12, 16) == "Increased from 12"
    assert movement_note(12, 12) is None
    assert movement_note(None, 12) is None


def test_declared_direction_contradicted_by_two_movements():
    assert contradicted(Direction.DOWN, [12, 16, 20])
    assert not contradicted(Direction.DOWN, [12, 16, 16])
    assert contradicted(Direction.UP, [20, 16, 12])
    assert contradicted(Direction.LEVEL, [8, 12, 16])
    assert not contradicted(Direction.LEVEL, [8, 12, 8])
    assert not contradicted(Direction.DOWN, [16, 20])
