"""A small chart of a risk's current and target scores by quarter, drawn with QPainter.

Light on purpose: a dozen points at most, band stripes behind them, no chart library.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from riskdesk.domain.errors import ValidationError
from riskdesk.domain.quarters import Quarter
from riskdesk.domain.scoring import Bands

MAX_SCORE = 25


def period_label(code: str) -> str:
    try:
        return Quarter.parse(code).label
    except ValidationError:
        return code


class ScoreHistoryChart(QWidget):
    """Current (solid) and target (dashed) score per period, oldest on the left."""

    CURRENT_COLOUR = QColor("#1f3a93")
    TARGET_COLOUR = QColor("#6b6b6b")

    def __init__(self, bands: Bands, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bands = bands
        self._history: tuple[tuple[str, int, int | None], ...] = ()
        self.setAccessibleName("Score history chart")
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(440, 170)

    def set_history(self, history: Sequence[tuple[str, int, int | None]]) -> None:
        """``((period code, current score, target score or None), …)``, oldest first."""
        self._history = tuple(history)[-12:]
        words = [f"{period_label(p)}: current {c}" + (f", target {t}" if t is not None else ", no target")
                 for p, c, t in self._history]
        self.setAccessibleDescription("; ".join(words) if words else "No assessments yet")
        self.setToolTip("\n".join(words))
        self.update()

    def history(self) -> tuple[tuple[str, int, int | None], ...]:
        return self._history

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1.5))
        p.setFont(small)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        fm = p.fontMetrics()
        left, right, top, bottom = fm.horizontalAdvance("25") + 8, 10, 18, fm.height() + 8
        plot = QRectF(left, top, max(10, self.width() - left - right), max(10, self.height() - top - bottom))

        def y_of(score: float) -> float:
            return plot.bottom() - (score / MAX_SCORE) * plot.height()

        for band in self._bands.bands:  # pale band stripes so the eye reads red/amber/green
            colour = QColor(band.rgb)
            colour.setAlpha(45)
            lo = band.low - 0.5 if band.low > 1 else 0
            hi = band.high + 0.5 if band.high < MAX_SCORE else MAX_SCORE
            p.fillRect(QRectF(plot.left(), y_of(hi), plot.width(), y_of(lo) - y_of(hi)), colour)
        p.setPen(QPen(QColor("#999999"), 1))
        p.drawRect(plot)
        p.setPen(text)  # the palette's, so the axis reads on any theme
        for tick in (5, 10, 15, 20, 25):
            p.drawText(QRectF(0, y_of(tick) - fm.height() / 2, left - 4, fm.height()),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, str(tick))
        # Legend.
        p.setPen(QPen(self.CURRENT_COLOUR, 2))
        p.drawLine(QPointF(left, 9), QPointF(left + 18, 9))
        p.setPen(text)
        p.drawText(QPointF(left + 22, 13), "Current")
        x2 = left + 30 + fm.horizontalAdvance("Current")
        p.setPen(QPen(self.TARGET_COLOUR, 2, Qt.PenStyle.DashLine))
        p.drawLine(QPointF(x2, 9), QPointF(x2 + 18, 9))
        p.setPen(text)
        p.drawText(QPointF(x2 + 22, 13), "Target")

        n = len(self._history)
        if n == 0:
            p.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No assessments yet")
            p.end()
            return
        step = plot.width() / n

        def x_of(i: int) -> float:
            return plot.left() + step * (i + 0.5)

        for i, (period, _, _) in enumerate(self._history):
            p.drawText(QRectF(x_of(i) - step / 2, plot.bottom() + 2, step, fm.height() + 4),
                       Qt.AlignmentFlag.AlignCenter, period_label(period))
        for colour, style, pick in ((self.TARGET_COLOUR, Qt.PenStyle.DashLine, 2),
                                    (self.CURRENT_COLOUR, Qt.PenStyle.SolidLine, 1)):
            pen = QPen(colour, 2, style)
            prev: QPointF | None = None
            for i, entry in enumerate(self._history):
                value = entry[pick]
                if value is None:
                    prev = None
                    continue
                pt = QPointF(x_of(i), y_of(float(value)))
                p.setPen(pen)
                if prev is not None:
                    p.drawLine(prev, pt)
                p.setPen(QPen(colour, 1))
                p.setBrush(colour)
                p.drawEllipse(pt, 3.2, 3.2)
                p.setBrush(Qt.BrushStyle.NoBrush)
                if pick == 1:
                    p.setPen(text)
                    p.drawText(QRectF(pt.x() - 15, pt.y() - fm.height() - 4, 30, fm.height()),
                               Qt.AlignmentFlag.AlignCenter, str(value))
                prev = pt
        p.end()
