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

#: The C0 controls (tab and newline apart) and DEL: in UTF-8 each is the one byte of that value,
#: and no byte of any other character has one of these values …
_C0_BYTES = frozenset([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
_NOT_C0_BYTES = bytes(b for b in range(256) if b not in _C0_BYTES)
#: … and the C1 controls, U+0080 to U+009F, are C2 80 to C2 9F (C2 leads U+0080–U+00BF only).
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")


def has_control(text: str) -> bool:
    """Whether ``text`` holds a control character: ``CONTROL.search(text) is not None``, faster.

    The import asks this of every row's texts (kilobytes each). Encoded once as UTF-8, the text is
    scanned by ``bytes.translate`` for the C0 controls and DEL and by a byte search for C2, the lead
    byte of every C1 control (and of "£"), with the pattern run only where that byte is: a few times
    faster than the pattern over the text's characters.
    """
    raw = text.encode("utf-8", "surrogatepass")
    return bool(raw.translate(None, _NOT_C0_BYTES)) or (b"\xc2" in raw and _C1_UTF8.search(raw) is not None)


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
