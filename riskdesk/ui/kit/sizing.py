"""Dialog sizes that fit ordinary screens: a dialog opens at the size it was designed for, or smaller
so that its frame and title bar stay on a 1100×700 (or smaller) screen."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

#: Room kept around a dialog for a window manager's title bar and borders, which Qt does not know
#: before the window is shown.
FRAME_ALLOWANCE = (16, 48)


def resize_to_fit_screen(dialog: QWidget, width: int, height: int) -> None:
    """Resize ``dialog`` to ``width`` × ``height``, or less when its screen has less room.

    The screen is the parent window's (where the dialog will open), else the primary one.
    """
    anchor = dialog.parentWidget() or dialog
    screen = anchor.screen()
    if screen is None:
        dialog.resize(width, height)
        return
    room = screen.availableGeometry()
    dialog.resize(min(width, room.width() - FRAME_ALLOWANCE[0]), min(height, room.height() - FRAME_ALLOWANCE[1]))
