"""Windows at least as wide as their title, so the title bar does not cut it short.

A window manager elides a title that does not fit ("Renam…cChat"), and Qt sizes small dialogs
(an input dialog, a progress dialog) from their contents alone. The room for the title bar's
own buttons and icon is what common window managers draw at 100%.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtWidgets import QLayout, QWidget

__all__ = ["TITLE_BAR_BUTTONS_PX", "make_room_for_title"]

TITLE_BAR_BUTTONS_PX: Final = 140
_FIXING: Final = (QLayout.SizeConstraint.SetMinAndMaxSize, QLayout.SizeConstraint.SetFixedSize)


def make_room_for_title(window: QWidget) -> None:
    """Widen `window`'s minimum to its title's width (call again after the title changes).

    A layout that fixes the window to its own minimum (QInputDialog builds one when it is
    first shown) would undo that, so such a layout is let go of the constraint.
    """
    needed = window.fontMetrics().horizontalAdvance(window.windowTitle()) + TITLE_BAR_BUTTONS_PX
    layout = window.layout()
    if layout is not None and layout.sizeConstraint() in _FIXING:
        layout.setSizeConstraint(QLayout.SizeConstraint.SetDefaultConstraint)
    window.setMinimumWidth(max(window.minimumWidth(), needed))
    if window.width() < needed:
        window.resize(needed, window.height())
