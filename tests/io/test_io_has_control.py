"""has_control() finds exactly the characters the CONTROL pattern finds, in any text."""

from __future__ import annotations

from riskdesk.io.text import CONTROL, has_control


def test_each_character_below_u0800_alone_and_in_text() -> None:
    for code in range(0x800):
        ch = chr(code)
        expected = CONTROL.search(ch) is not None
        assert has_control(ch) is expected, hex(code)
        assert has_control(f"£ Budget – “{ch}” £\n\t") is expected, hex(code)


def test_no_character_from_u0800_on_is_a_control() -> None:
    every = "".join(chr(code) for code in range(0x800, 0x110000))  # lone surrogates included
    assert CONTROL.search(every) is None
    assert has_control(every) is False
    assert has_control(every + "\x85") is True and has_control("\x1b" + every) is True


def test_register_texts() -> None:
    assert not has_control("Budget gap of £2m – council’s reserves\nline two\ttabbed")
    assert has_control("Budget gap of £2m\x7f") and has_control("\u0080") and has_control("a\x00b")
    assert not has_control("") and not has_control("\u00a0\u00a3\u00bf")
