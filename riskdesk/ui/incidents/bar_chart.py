"""SIs per month: grouped bars for two twelve-month periods, drawn with QPainter (as Chart 1)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

SERIES_COLOURS = ("#7f9fbf", "#1f4e79")


class SiBarChart(QWidget):
    """Grouped bar chart. ``set_series([(label, [(month label, count), …]), …])``; months of the
    first series name the groups."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("siBarChart")
        self.setAccessibleName("Chart of serious incidents per month")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(220)
        self._series: list[tuple[str, list[tuple[str, int]]]] = []
        self.title = "Serious incidents reported per month"

    def sizeHint(self) -> QSize:
        return QSize(720, 320)

    def set_series(self, series: Sequence[tuple[str, Sequence[tuple[str, int]]]]) -> None:
        self._series = [(label, list(points)) for label, points in series]
        totals = "; ".join(f"{label}: {sum(n for _m, n in pts)} SIs" for label, pts in self._series)
        self.setAccessibleDescription(totals)
        self.setToolTip(totals)
        self.update()

    def series(self) -> list[tuple[str, list[tuple[str, int]]]]:
        return list(self._series)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        w, h = self.width(), self.height()
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(True)
        p.setFont(bold)
        p.setPen(self.palette().text().color())
        p.drawText(QRectF(0, 4, w, 20), Qt.AlignmentFlag.AlignHCenter, self.title)
        p.setFont(font)
        if not self._series or not self._series[0][1]:
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No data")
            p.end()
            return
        left, right, top, bottom = 40.0, 12.0, 30.0, 58.0
        plot = QRectF(left, top, max(10.0, w - left - right), max(10.0, h - top - bottom))
        top_value = max([1] + [n for _l, pts in self._series for _m, n in pts])
        step = 1 if top_value <= 10 else max(1, round(top_value / 8))
        ymax = top_value + step
        grid = QPen(QColor("#d9d9d9"))
        text_pen = QPen(self.palette().text().color())
        v = 0
        while v <= ymax:
            y = plot.bottom() - plot.height() * v / ymax
            p.setPen(grid)
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            p.setPen(text_pen)
            p.drawText(QRectF(0, y - 8, left - 6, 16), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                       str(v))
            v += step
        groups = len(self._series[0][1])
        group_w = plot.width() / groups
        n_series = len(self._series)
        bar_w = group_w * 0.8 / n_series
        for g in range(groups):
            gx = plot.left() + g * group_w + group_w * 0.1
            for s, (_label, pts) in enumerate(self._series):
                if g >= len(pts):
                    continue
                n = pts[g][1]
                bh = plot.height() * n / ymax
                rect = QRectF(gx + s * bar_w, plot.bottom() - bh, bar_w - 1, bh)
                p.fillRect(rect, QColor(SERIES_COLOURS[s % len(SERIES_COLOURS)]))
                p.setPen(text_pen)
                p.drawText(QRectF(rect.left() - 4, rect.top() - 16, bar_w + 8, 14), Qt.AlignmentFlag.AlignHCenter,
                           str(n))
            p.drawText(QRectF(plot.left() + g * group_w, plot.bottom() + 2, group_w, 16),
                       Qt.AlignmentFlag.AlignHCenter, self._series[0][1][g][0])
        # Legend.
        x = plot.left()
        y = h - 22
        for s, (label, pts) in enumerate(self._series):
            p.fillRect(QRectF(x, y + 3, 12, 12), QColor(SERIES_COLOURS[s % len(SERIES_COLOURS)]))
            text = f"{label} ({sum(n for _m, n in pts)})"
            p.setPen(text_pen)
            p.drawText(QRectF(x + 16, y, 360, 18), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            x += 24 + p.fontMetrics().horizontalAdvance(text) + 20
        p.end()
