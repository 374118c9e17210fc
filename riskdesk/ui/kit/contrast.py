"""Colours that stay readable under any palette (WCAG 2.2: 4.5:1 for text, 3:1 for controls).

riskdesk keeps a few colours that mean something (band fills, an error's red, a banner's tint),
but text is never drawn in a fixed colour on a background the user's palette chose: a colour is
either taken from the palette or checked against it here and moved towards black or white until
it reads. Band fills keep their colour; their digits are black or white, whichever contrasts more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar
from weakref import WeakSet

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QWidget

#: WCAG 2.2 AA: normal text, and the parts of a control that show its state.
TEXT_MINIMUM = 4.5
CONTROL_MINIMUM = 3.0

#: Meaningful colours, as designed for a light window; ``tone`` adapts them to the palette.
ERROR = "#b00020"
WARNING = "#8a5a00"
GOOD = "#1d4d1d"
INFO = "#1f4e79"

Colour = QColor | str


def _q(colour: Colour) -> QColor:
    return colour if isinstance(colour, QColor) else QColor(colour)


def relative_luminance(colour: Colour) -> float:
    """WCAG relative luminance, 0 (black) to 1 (white)."""
    c = _q(colour)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast_ratio(a: Colour, b: Colour) -> float:
    """WCAG contrast ratio between two colours, 1 to 21 (order does not matter)."""
    la, lb = relative_luminance(a), relative_luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def readable_text(fill: Colour) -> QColor:
    """Black or white, whichever contrasts more with ``fill`` (digits on a band colour)."""
    black, white = QColor("#000000"), QColor("#ffffff")
    return black if contrast_ratio(fill, black) >= contrast_ratio(fill, white) else white


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    return QColor.fromRgbF(a.redF() + (b.redF() - a.redF()) * t, a.greenF() + (b.greenF() - a.greenF()) * t,
                           a.blueF() + (b.blueF() - a.blueF()) * t)


def readable_on(colour: Colour, backgrounds: Colour | Iterable[Colour], minimum: float = TEXT_MINIMUM) -> QColor:
    """``colour`` itself if it reads on every background, else the nearest mix towards black or white that does.

    A dark red on a black window becomes a light red: it keeps its hue, so it still says "error".
    """
    backs = [_q(backgrounds)] if isinstance(backgrounds, QColor | str) else [_q(b) for b in backgrounds]
    c = _q(colour)
    if all(contrast_ratio(c, b) >= minimum for b in backs):
        return c
    darkest = min(backs, key=relative_luminance)
    target = readable_text(darkest) if len(backs) == 1 else (
        QColor("#ffffff") if relative_luminance(darkest) < 0.18 else QColor("#000000"))
    for step in range(1, 21):
        mixed = _mix(c, target, step / 20)
        if all(contrast_ratio(mixed, b) >= minimum for b in backs):
            return mixed
    return target


def _palette() -> QPalette:
    # The application's palette, not a widget's: a widget's palette already carries its own
    # style sheet's colours, and the user's theme is what the colour must read against.
    return QApplication.palette()


def tone(colour: Colour, role: QPalette.ColorRole = QPalette.ColorRole.Window) -> str:
    """``colour`` as a CSS hex that reads on the palette's ``role`` colour (Window for labels)."""
    return readable_on(colour, _palette().color(role)).name()


def text_tone(colour: Colour) -> str:
    """``colour`` as a CSS hex that reads in a text area (the palette's Base: browsers, tables)."""
    return tone(colour, QPalette.ColorRole.Base)


def secondary_text(role: QPalette.ColorRole = QPalette.ColorRole.Window) -> str:
    """A quieter text colour (hints, explanations) taken from the palette, still 4.5:1 on it."""
    pal = _palette()
    fg = pal.color(QPalette.ColorRole.WindowText if role == QPalette.ColorRole.Window else QPalette.ColorRole.Text)
    return readable_on(_mix(fg, pal.color(role), 0.3), pal.color(role)).name()


def table_text(colour: Colour) -> QColor:
    """A meaningful text colour for table cells: readable on the base and alternate row colours."""
    pal = QApplication.palette()
    return readable_on(colour, (pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.AlternateBase)))


def notice_css(tint: Colour = INFO, selector: str = "") -> str:
    """A banner's style sheet: the palette's text on the palette's base, faintly tinted, with a tinted border.

    The tint is dropped where it would bring the text under 4.5:1 (a high-contrast palette).
    """
    pal = _palette()
    base, text = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
    fill = _mix(base, _q(tint), 0.1)
    if contrast_ratio(fill, text) < TEXT_MINIMUM:
        fill = base
    border = readable_on(tint, fill, CONTROL_MINIMUM)
    rule = (f"background: {fill.name()}; color: {text.name()}; border: 1px solid {border.name()}; "
            "padding: 4px 6px;")
    return f"{selector} {{ {rule} }}" if selector else rule


class _PaletteFollower(QObject):
    def __init__(self, widget: QWidget, apply: Callable[[QWidget], None]) -> None:
        super().__init__(widget)
        self._apply = apply

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # The application's palette, not the widget's: a style sheet set by ``apply`` changes that.
        if event.type() == QEvent.Type.ApplicationPaletteChange and isinstance(obj, QWidget):
            self._apply(obj)
        return False


def follow_palette(widget: QWidget, apply: Callable[[QWidget], None]) -> None:
    """Run ``apply(widget)`` now and again whenever the palette changes (the user switches theme)."""
    apply(widget)
    widget.installEventFilter(_PaletteFollower(widget, apply))


def install_contrast_style() -> None:
    """Make the application's style a ``ContrastStyle`` over the style in use (once; safe to repeat),
    and give the views ``paint_plainly`` named the style in use itself.

    The style lives in its own module: defining a ``QProxyStyle`` subclass builds Python types for
    ``QStyle``'s enums, which a window has no need of before it first paints."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    from riskdesk.ui.kit.contrast_style import ContrastStyle

    if not isinstance(app.style(), ContrastStyle):
        name = app.style().name()
        app.setStyle(ContrastStyle(name))
        global _plain_name
        _plain_name = name
    for view in list(_plain_views):
        _paint_plainly_now(app, view)


V = TypeVar("V", bound=QWidget)
#: The lists ``paint_plainly`` named, waiting for the contrast style (held weakly: a closed page's drop out).
_plain_views: WeakSet[QWidget] = WeakSet()
#: The name of the style ``ContrastStyle`` wraps, once installed.
_plain_name = ""
#: The object name of the platform style ``paint_plainly`` gives (one, shared by every such view).
_PLAIN_STYLE = "riskdesk plain lists' style"


def paint_plainly(view: V) -> V:
    """Let ``view``, a list whose rows never show a check box or a radio button, paint its rows with
    the platform's own style rather than through ``ContrastStyle``; returns ``view``.

    ``ContrastStyle`` outlines check boxes in Python, and a Python override is called for every
    primitive any widget under it paints, whatever it is: one call per cell, a fifth of the time a
    sort of the 5,000-risk register took to repaint (70 ms → 56 on a slow machine), and the same on
    every scroll and every keystroke in a search. Such a view would gain nothing from it: what it
    paints is pixel for pixel the same. Only the view itself changes style; its headers, scroll bars
    and any editor opened in a cell keep the application's. Before the contrast style is installed
    (after the first paint) the view already paints with the platform's style; it is switched then.
    """
    app = QApplication.instance()
    if _plain_name and isinstance(app, QApplication):
        _paint_plainly_now(app, view)
    else:
        _plain_views.add(view)
    return view


def _paint_plainly_now(app: QApplication, view: QWidget) -> None:
    from PySide6.QtWidgets import QStyle, QStyleFactory
    from shiboken6 import isValid

    _plain_views.discard(view)
    if not isValid(view):  # closed before the contrast style came (its Python object outlived it)
        return
    # Found again each time rather than kept: the style is the application's child, and lives as
    # long as it does, but PySide forgets its Python object when a view it was given to closes.
    style = app.findChild(QStyle, _PLAIN_STYLE)
    if style is None:
        style = QStyleFactory.create(_plain_name)
        if style is None:  # no such style to be had again: the view keeps the application's
            return
        style.setObjectName(_PLAIN_STYLE)
        style.setParent(app)
    view.setStyle(style)
