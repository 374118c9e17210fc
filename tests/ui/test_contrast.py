"""High contrast: every page rendered under a black-on-white and a white-on-black palette stays readable.

The window is built after ``QApplication.setPalette`` (as a user's theme would be in place before
riskdesk starts), each page is shown and painted, and the pixels are read back: for each visible
label (banners, notices, hints, score explanations) the background is the colour most of its
pixels have and the text is the pixel that contrasts most with it; colours named in rich text are
checked against that background too. Band-coloured score cells (the register's columns, the
matrices, the dashboard's swatches) and every table cell with its own fill are checked from what
they draw. Checkbox indicators must stand out from the window by 3:1 (WCAG 1.4.11). The test
prints the number of failing pairs and asserts there are none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np
import pytest
from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QLabel,
    QListView,
    QStyle,
    QStyleOptionButton,
    QToolButton,
    QWidget,
)

from riskdesk.domain.scoring import default_scheme
from riskdesk.ui.kit.contrast import (
    CONTROL_MINIMUM,
    TEXT_MINIMUM,
    contrast_ratio,
    readable_on,
    readable_text,
    relative_luminance,
)
from riskdesk.ui.main_window import MainWindow
from tests.ui.uihelpers import open_as_riskdesk_starts

R = QPalette.ColorRole


def _palette(fg: str, bg: str, alt: str, highlight: str, highlighted: str, link: str, mid: str) -> QPalette:
    p = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for role, colour in ((R.Window, bg), (R.WindowText, fg), (R.Base, bg), (R.AlternateBase, alt), (R.Text, fg),
                             (R.Button, bg), (R.ButtonText, fg), (R.ToolTipBase, bg), (R.ToolTipText, fg),
                             (R.Highlight, highlight), (R.HighlightedText, highlighted), (R.Link, link),
                             (R.PlaceholderText, mid), (R.BrightText, fg), (R.Light, fg), (R.Midlight, mid),
                             (R.Mid, mid), (R.Dark, mid), (R.Shadow, fg)):
            p.setColor(group, role, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, R.WindowText, QColor(mid))
    p.setColor(QPalette.ColorGroup.Disabled, R.Text, QColor(mid))
    p.setColor(QPalette.ColorGroup.Disabled, R.ButtonText, QColor(mid))
    for role, colour in ((R.Window, bg), (R.Base, bg), (R.Button, bg)):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(colour))
    return p


PALETTES = {
    "high-contrast light": lambda: _palette("#000000", "#ffffff", "#f2f2f2", "#1c1ca8", "#ffffff", "#0000c0",
                                            "#595959"),
    "dark": lambda: _palette("#ffffff", "#000000", "#141414", "#1aebff", "#000000", "#ffff00", "#a6a6a6"),
}


# -- the kit's arithmetic, against WCAG's own examples ---------------------------------------------

def test_contrast_arithmetic_matches_wcag() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near miss
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    # Digits on every band of the default scheme: black or white, whichever reads, at 4.5:1 or more.
    for band in default_scheme().bands.bands:
        assert contrast_ratio(readable_text(band.rgb), band.rgb) >= TEXT_MINIMUM, band
    # A dark red on black is lightened, not replaced: it stays red-ish and reads.
    red_on_black = readable_on("#b00020", "#000000")
    assert contrast_ratio(red_on_black, "#000000") >= TEXT_MINIMUM
    assert red_on_black.red() > red_on_black.green()


# -- rendering ---------------------------------------------------------------------------------------

def _pixels(image: QImage) -> np.ndarray:
    img = image.convertToFormat(QImage.Format.Format_RGB32)
    w, h = img.width(), img.height()
    raw = np.frombuffer(img.constBits(), dtype=np.uint8, count=img.sizeInBytes())
    return raw.reshape(h, img.bytesPerLine() // 4, 4)[:, :w, [2, 1, 0]].astype(np.float64) / 255.0


def _luminance(rgb: np.ndarray) -> np.ndarray:
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return lin @ np.array([0.2126, 0.7152, 0.0722])


def _measure(pixels: np.ndarray) -> tuple[QColor, QColor, float] | None:
    """(background, text, ratio) of a painted region: the commonest colour and the one furthest from it."""
    flat = pixels.reshape(-1, 3)
    if len(flat) == 0:
        return None
    keys = np.round(flat * 255).astype(np.int64)
    codes = keys[:, 0] * 65536 + keys[:, 1] * 256 + keys[:, 2]
    values, counts = np.unique(codes, return_counts=True)
    bg_code = int(values[np.argmax(counts)])
    bg = np.array([(bg_code >> 16) & 255, (bg_code >> 8) & 255, bg_code & 255]) / 255.0
    lum = _luminance(flat)
    bl = float(_luminance(bg[None, :])[0])
    ratios = (np.maximum(lum, bl) + 0.05) / (np.minimum(lum, bl) + 0.05)
    i = int(np.argmax(ratios))
    if ratios[i] <= 1.0:
        return None  # nothing drawn on it
    fg = flat[i]
    return (QColor.fromRgbF(*bg), QColor.fromRgbF(*fg), float(ratios[i]))


class Audit:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.checked = 0
        self.failures: list[str] = []

    def _grab(self) -> np.ndarray:
        QApplication.processEvents()
        return _pixels(self.window.grab().toImage())

    def _region(self, shot: np.ndarray, w: QWidget, rect: QRect | None = None) -> np.ndarray:
        r = rect if rect is not None else w.contentsRect()
        top_left = w.mapTo(self.window, r.topLeft())
        dpr = self.window.devicePixelRatioF()
        x, y = int(top_left.x() * dpr), int(top_left.y() * dpr)
        return shot[max(0, y): y + int(r.height() * dpr), max(0, x): x + int(r.width() * dpr)]

    def _record(self, what: str, ratio: float, minimum: float, detail: str = "") -> None:
        self.checked += 1
        if ratio < minimum:
            self.failures.append(f"{what}: {ratio:.2f}:1 < {minimum}:1 {detail}")

    def page(self, name: str, root: QWidget) -> None:
        shot = self._grab()
        for label in root.findChildren(QLabel):
            if not label.isVisible() or not label.text().strip() or label.width() < 4 or label.height() < 4:
                continue
            measured = _measure(self._region(shot, label))
            if measured is None:
                continue
            bg, fg, ratio = measured
            what = f"{name}: label {label.objectName() or label.text()[:40]!r}"
            self._record(what, ratio, TEXT_MINIMUM, f"({fg.name()} on {bg.name()})")
            for style in re.findall(r"style=['\"]([^'\"]*)['\"]", label.text()):
                named = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", style)
                own_fill = re.search(r"background(?:-color)?:\s*(#[0-9a-fA-F]{6})", style)
                if named:  # a span with its own fill is read against that fill
                    under = own_fill.group(1) if own_fill else bg.name()
                    self._record(f"{what} span {named.group(1)}", contrast_ratio(named.group(1), under), TEXT_MINIMUM,
                                 f"(on {under})")
        for cell in root.findChildren(QToolButton):  # the matrices' cells: digits on band colours
            if cell.isVisible() and cell.objectName().startswith("cell_") and cell.text():
                measured = _measure(self._region(shot, cell, cell.rect().adjusted(3, 3, -3, -3)))
                if measured is not None:
                    self._record(f"{name}: {cell.objectName()} {cell.text()}", measured[2], TEXT_MINIMUM,
                                 f"({measured[1].name()} on {measured[0].name()})")
        for box in root.findChildren(QCheckBox):
            if not box.isVisible():
                continue
            opt = QStyleOptionButton()
            box.initStyleOption(opt)
            ind = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, opt, box)
            around = _measure(self._region(shot, box, box.rect()))
            inside = self._region(shot, box, ind)
            if around is None or inside.size == 0:
                continue
            lum = _luminance(inside.reshape(-1, 3))
            bl = relative_luminance(around[0])
            best = float(np.max((np.maximum(lum, bl) + 0.05) / (np.minimum(lum, bl) + 0.05)))
            self._record(f"{name}: checkbox {box.text()!r} indicator", best, CONTROL_MINIMUM)
        for view in root.findChildren(QAbstractItemView):
            if view.isVisible() and view.model() is not None:
                self._cells(name, view)

    def _cells(self, name: str, view: QAbstractItemView) -> None:
        model = view.model()
        text = QApplication.palette().color(R.Text)
        columns = 1 if isinstance(view, QListView) else model.columnCount(QModelIndex())
        for row in range(min(model.rowCount(QModelIndex()), 40)):
            for col in range(columns):
                index = model.index(row, col)
                fill = model.data(index, Qt.ItemDataRole.BackgroundRole)
                shown = model.data(index, Qt.ItemDataRole.DisplayRole)
                if fill is None or shown in (None, ""):
                    continue
                fg = model.data(index, Qt.ItemDataRole.ForegroundRole)
                fg_colour = fg.color() if fg is not None else text
                self._record(f"{name}: {view.accessibleName()} cell ({row}, {col}) {str(shown)[:20]!r}",
                             contrast_ratio(fg_colour, fill.color()), TEXT_MINIMUM,
                             f"({fg_colour.name()} on {fill.color().name()})")


@pytest.fixture(params=list(PALETTES))
def themed(request) -> Iterator[tuple[str, QPalette]]:
    app = QApplication.instance()
    before = app.palette()
    palette = PALETTES[request.param]()
    app.setPalette(palette)
    try:
        yield request.param, palette
    finally:
        app.setPalette(before)


def test_every_page_reads_under_high_contrast(qtbot, services, admin, themed) -> None:
    theme, _palette_used = themed
    services.demo().load(admin)
    w = MainWindow(services, admin, background=False)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    audit = Audit(w)

    page = w.register_page
    page.table.setFocus()
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: page.editor.row is not None)
    audit.page("Register", w)
    for i, tab in enumerate(("Risk", "Actions", "History")):
        page.editor.tabs.setCurrentIndex(i + 1)
        audit.page(f"Register editor {tab} tab", w)
    for title in ("Dashboard", "Reports", "Incidents", "Clinical governance"):
        w.page(title)
        for i in range(w.tabs.count()):
            if w.tabs.tabText(i).replace("&", "") == title:
                w.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        audit.page(title, w)

    print(f"\n{theme}: contrast pairs checked: {audit.checked}, failing: {len(audit.failures)}")
    for line in audit.failures[:40]:
        print("  ", line)
    assert audit.checked > 100
    assert audit.failures == []


def test_check_boxes_stand_out_once_the_window_has_opened_as_riskdesk_starts(qtbot, services, admin, themed,
                                                                              plain_style) -> None:
    """As ``riskdesk`` starts it: the window paints first, then opens its database. The style that
    outlines check boxes is installed after that first paint (the first paint would wait for it), so
    once the register is open the filter bar's boxes must stand out all the same."""
    theme, _palette_used = themed
    w = open_as_riskdesk_starts(qtbot, services, admin)
    audit = Audit(w)
    audit.page("Register", w.register_page)
    boxes = [f for f in audit.failures if "checkbox" in f]
    print(f"\n{theme}: pairs checked: {audit.checked}, check boxes failing: {len(boxes)}, all failing: "
          f"{len(audit.failures)}")
    for line in audit.failures[:20]:
        print("  ", line)
    assert audit.checked > 20
    assert audit.failures == []
