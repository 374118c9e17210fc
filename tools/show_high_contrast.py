"""Open riskdesk under a high-contrast palette, for the screenshots in docs/screenshots/high-contrast-*.png.

    ../shared/tools/screenshot docs/screenshots/high-contrast-dark-register.png --size 1280x800 -- \
        .venv/bin/python tools/show_high_contrast.py dark DB.sqlite 1280x800 editor:1.3

The first argument is ``light`` (black on white) or ``dark`` (white on black); the rest are
``show_window.py``'s. The palette is set before the window is built, as a system theme would be.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).parent))

import show_window

R = QPalette.ColorRole
SCHEMES = {  # fg, bg, alternate rows, highlight, highlighted text, link, muted
    "light": ("#000000", "#ffffff", "#f2f2f2", "#1c1ca8", "#ffffff", "#0000c0", "#595959"),
    "dark": ("#ffffff", "#000000", "#141414", "#1aebff", "#000000", "#ffff00", "#a6a6a6"),
}


def palette(scheme: str) -> QPalette:
    fg, bg, alt, hi, hi_text, link, mid = SCHEMES[scheme]
    p = QPalette()
    for role, colour in ((R.Window, bg), (R.WindowText, fg), (R.Base, bg), (R.AlternateBase, alt), (R.Text, fg),
                         (R.Button, bg), (R.ButtonText, fg), (R.ToolTipBase, bg), (R.ToolTipText, fg),
                         (R.Highlight, hi), (R.HighlightedText, hi_text), (R.Link, link), (R.PlaceholderText, mid),
                         (R.BrightText, fg), (R.Light, fg), (R.Midlight, mid), (R.Mid, mid), (R.Dark, mid),
                         (R.Shadow, fg)):
        p.setColor(role, QColor(colour))
    for role in (R.WindowText, R.Text, R.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(mid))
    return p


def main() -> int:
    scheme = sys.argv.pop(1)
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")  # the style whose colours all come from the palette
    app.setPalette(palette(scheme))
    show_window.QApplication = lambda _argv: app  # type: ignore[assignment,misc]  # reuse this one
    return show_window.main()


if __name__ == "__main__":
    sys.exit(main())
