"""Invisible control characters: found on import, shown visibly, replaced on export.

Tab and line feed are text; every other C0 control (ESC, BEL, NUL, vertical tab…), DEL and
the C1 controls (0x80–0x9F, which a wrongly decoded file produces) are not: XML, and so .xlsx,
cannot hold most of them, and printed raw to a terminal they move the cursor, ring the bell or
change colours. riskdesk refuses them in an imported cell, prints them as visible symbols
(ESC as "␛") in the dry run, and replaces them in exports of text already stored.
"""

from __future__ import annotations

import re

#: Characters that are not text: C0 controls except tab and newline, DEL, and C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed",
          0x0D: "carriage return", 0x1B: "ESC", 0x7F: "DEL"}


def symbol(ch: str) -> str:
    """A visible stand-in: U+2400's control pictures for C0 and DEL ("␛"), "\\x85" for C1."""
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}"


def describe(ch: str) -> str:
    """ "ESC (code 0x1b)" for messages."""
    code = ord(ch)
    name = _NAMES.get(code, "control character")
    return f"{name} (code {code:#04x})"


def visible(text: str) -> str:
    """``text`` with every control character (tab and newline kept) replaced by its visible symbol."""
    return CONTROL.sub(lambda m: symbol(m.group()), text) if CONTROL.search(text) else text


def printable(text: str) -> str:
    """For a terminal line: controls shown visibly, and tab and newline too (they belong in a cell, not the screen)."""
    return visible(text).replace("\t", "\u2409") if "\t" in text else visible(text)
