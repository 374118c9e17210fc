"""The application's style: the platform's, with check boxes and radio buttons that show on any palette.

Imported by ``contrast.install_contrast_style`` once the window is on screen (see there)."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

_OUTLINED = (QStyle.PrimitiveElement.PE_IndicatorCheckBox, QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
             QStyle.PrimitiveElement.PE_IndicatorRadioButton)


class ContrastStyle(QProxyStyle):
    """The platform's style, with check boxes and radio buttons outlined in the palette's text colour.

    Fusion outlines an indicator in a shade of the window colour: on a white-on-black palette that
    is black on black, and an unticked box vanishes. The outline here contrasts with the window as
    much as the text does.
    """

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption, painter: QPainter,
                      widget: QWidget | None = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element not in _OUTLINED:
            return
        pal = option.palette
        colour = pal.color(QPalette.ColorRole.Text if element == _OUTLINED[1] else QPalette.ColorRole.WindowText)
        if not option.state & QStyle.StateFlag.State_Enabled:
            colour = pal.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, element == _OUTLINED[2])
        painter.setPen(QPen(colour, 1))
        painter.setBrush(QColor(0, 0, 0, 0))
        r = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if element == _OUTLINED[2]:
            painter.drawEllipse(r)
        else:
            painter.drawRect(r)
        painter.restore()
