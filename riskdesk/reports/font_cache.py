"""The report fonts as parsed, kept in the user cache folder between runs.

ReportLab parses a TrueType file in Python (its metrics, character map and widths): about 17 ms
for each of the report font's four faces, paid again by every fresh process that prints, such as
``riskdesk appendix``. Once a face has been parsed, what the parse found is written to
``cache_dir()/fonts``: plain values, and the long tables of numbers as arrays' bytes, with
``marshal`` (never code), behind a SHA-256 of what follows, so that a torn or altered file is
refused before it is read. Later runs read it back in about 5 ms and take the font's bytes from
the font file itself, as the parse does.

The cache is only trusted where it cannot be wrong: its folder is named after this ReportLab
version, this Python and this format, its file after the font file's name, size and modification
time; a face is only written when it holds nothing but plain values and its font nothing but the
attributes :func:`_font_from` sets. Anything unexpected (a missing, unreadable, stale or
corrupt file, a folder that cannot be written) falls back to ReportLab's own parse, silently:
the cache only ever saves time. The PDFs are byte-identical either way (tested). The digest
guards against damage, not against someone who can write the user's own folders (as the settings
and the database, the cache is the user's).
"""

from __future__ import annotations

import hashlib
import marshal
import sys
from array import array
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont

#: Bumped whenever what is written changes.
FORMAT = 1
#: The attributes a ReportLab ``TTFont`` holds, which :func:`_font_from` recreates.
_FONT_ATTRIBUTES = frozenset({"fontName", "face", "encoding", "state", "_asciiReadable", "_shapable"})
#: Attributes of the face not written: the font's bytes (read from the file) and its scale (a function).
_NOT_WRITTEN = frozenset({"_ttf_data", "_pdfScale"})
_PLAIN = (int, float, str, bytes, bool, type(None))
_DIGEST = 32  # bytes of SHA-256


def load_font(name: str, path: Path) -> TTFont:
    """``TTFont(name, path)``, from the cache when it holds this file's parse; else parsed, and cached."""
    from reportlab.pdfbase.ttfonts import TTFont

    where = _cache_file(path)
    if where is not None:
        font = _read(name, path, where)
        if font is not None:
            return font
    font = TTFont(name, str(path))
    if where is not None:
        _write(font, where)
    return font


def _cache_file(path: Path) -> Path | None:
    import reportlab

    from riskdesk.paths import cache_dir

    try:
        stat = path.stat()
        folder = cache_dir() / "fonts" / (f"reportlab-{reportlab.Version}-python-{sys.version_info[0]}."
                                          f"{sys.version_info[1]}-format-{FORMAT}")
    except Exception:  # no such file, no cache folder: parse
        return None
    return folder / f"{path.name}-{stat.st_size}-{stat.st_mtime_ns}.marshal"


def _read(name: str, path: Path, where: Path) -> TTFont | None:
    try:
        raw = where.read_bytes()
        if hashlib.sha256(raw[_DIGEST:]).digest() != raw[:_DIGEST]:
            return None
        return _font_from(name, path, marshal.loads(raw[_DIGEST:]))
    except Exception:  # missing, unreadable or corrupt: parse instead
        return None


def _font_from(name: str, path: Path, data: dict[str, Any]) -> TTFont:
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

    face = TTFontFace.__new__(TTFontFace)
    for key, (kind, *value) in data["face"].items():
        if kind == "plain":
            face.__dict__[key] = value[0]
        elif kind == "name":  # TTFNameBytes: utf-8 bytes that remember their text
            face.__dict__[key] = TTFNameBytes(value[0].encode("utf-8"))
        elif kind == "tuple":
            face.__dict__[key] = tuple(value[0])
        elif kind == "numbers":
            face.__dict__[key] = _unpack(value[0])
        elif kind == "number_dict":
            face.__dict__[key] = dict(zip(_unpack(value[0]), _unpack(value[1]), strict=True))
        elif kind == "pairs":
            flat = _unpack(value[0])
            face.__dict__[key] = list(zip(flat[0::2], flat[1::2], strict=True))
        else:
            raise ValueError(f"unknown kind {kind!r}")
    face._ttf_data = path.read_bytes()
    if len(face._ttf_data) != data["size"]:
        raise ValueError("the font file changed")
    units = face.unitsPerEm
    if units == 1000:
        face._pdfScale = lambda x: x
    else:  # as ReportLab's own parse scales
        multiple = 1000 / units
        face._pdfScale = lambda x: x * multiple
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable if data["ascii_readable"] is None else data["ascii_readable"]
    font._shapable = data["shapable"]
    return font


def _write(font: TTFont, where: Path) -> None:
    """Write what the parse of ``font`` found, if it is all plain values (else nothing)."""
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes

    from riskdesk.paths import write_whole

    if set(vars(font)) != _FONT_ATTRIBUTES or vars(font.encoding) != vars(TTEncoding()) or font.state:
        return
    face: dict[str, tuple[Any, ...]] = {}
    for key, value in vars(font.face).items():
        if key in _NOT_WRITTEN:
            continue
        if isinstance(value, TTFNameBytes):
            if value != value.ustr.encode("utf-8"):
                return
            face[key] = ("name", value.ustr)
        elif type(value) is dict and value and _packable(list(value)) and _packable(list(value.values())):
            face[key] = ("number_dict", _pack(list(value)), _pack(list(value.values())))
        elif (type(value) is list and value and all(type(v) is tuple and len(v) == 2 for v in value)
              and _packable(flat := [n for pair in value for n in pair])):
            face[key] = ("pairs", _pack(flat))
        elif type(value) is list and len(value) > 64 and _packable(value):
            face[key] = ("numbers", _pack(value))
        elif type(value) is tuple and _plain(value):
            face[key] = ("tuple", list(value))
        elif _plain(value):
            face[key] = ("plain", value)
        else:
            return  # something this cache does not know how to write back: leave it to the parse
    data = {"face": face, "size": len(font.face._ttf_data), "ascii_readable": font._asciiReadable,
            "shapable": font._shapable}
    try:
        payload = marshal.dumps(data)
        write_whole(where, hashlib.sha256(payload).digest(), payload)
        _forget_stale(where)
    except OSError:  # a read-only or full cache folder: parse next time too
        pass


def _forget_stale(where: Path) -> None:
    """Remove what no later run will read: this font file's earlier versions, and the folders of other
    ReportLab or Python versions or formats (a reader that loses a file to this simply parses)."""
    import shutil

    font_name = where.name.rsplit("-", 2)[0]  # "DejaVuSans.ttf" of "DejaVuSans.ttf-SIZE-MTIME.marshal"
    for other in where.parent.glob(f"{font_name}-*.marshal"):
        if other != where and other.name.rsplit("-", 2)[0] == font_name:
            other.unlink(missing_ok=True)
    for folder in where.parent.parent.iterdir():
        if folder != where.parent and folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)


def _packable(values: list[Any]) -> bool:
    """All ints that fit 64 bits, or all floats: what an ``array`` holds exactly, type and all."""
    kinds = {type(v) for v in values}
    if kinds == {int}:
        return all(-(2**63) <= v < 2**63 for v in values)
    return kinds == {float}


def _pack(values: list[Any]) -> tuple[str, bytes]:
    code = "q" if type(values[0]) is int else "d"
    return code, array(code, values).tobytes()


def _unpack(packed: tuple[str, bytes]) -> list[Any]:
    code, raw = packed
    out = array(code)
    out.frombytes(raw)
    return out.tolist()


def _plain(value: object) -> bool:
    """Numbers, strings and bytes, in lists, tuples (of exact type) and dicts, all the way down."""
    if type(value) in _PLAIN:
        return True
    if type(value) in (list, tuple):
        return all(_plain(v) for v in value)  # type: ignore[attr-defined]
    if type(value) is dict:
        return all(_plain(k) and _plain(v) for k, v in value.items())  # type: ignore[attr-defined]
    return False
