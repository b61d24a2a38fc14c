"""Values change under the mouse wheel only in the field the clinician is working in.

Scrolling a settings page with the wheel used to change whatever spin box, slider or list
passed under the pointer ("Repeat penalty window" went from 64 to 53 on the way down).
`protect()` makes every such widget under a window take the wheel only while it has focus
(clicked or tabbed into; the wheel alone no longer gives focus); otherwise the wheel goes on
to what contains it, so the page scrolls as expected.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QScrollBar,
    QWidget,
)

_VALUE_WIDGETS = (QAbstractSpinBox, QAbstractSlider, QComboBox)


class WheelGuard(QObject):
    """Passes the wheel of an unfocused value widget on to the widget that contains it."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Wheel
            and isinstance(watched, QWidget)
            and not watched.hasFocus()
        ):
            target = _scrolling_ancestor(watched)
            if target is not None:
                QCoreApplication.sendEvent(target, event)
            return True
        return False


def _scrolling_ancestor(widget: QWidget) -> QWidget | None:
    """The viewport of the nearest scroll area around `widget` (else its parent).

    The event goes there directly: Qt does not pass a re-sent (non-spontaneous) wheel event
    on to parents by itself.
    """
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent.viewport()
        parent = parent.parentWidget()
    return widget.parentWidget()


def protect(root: QWidget) -> None:
    """Guard `root` and every spin box, slider and combo box inside it."""
    guard = root.findChild(WheelGuard) or WheelGuard(root)
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        # A scroll bar is how the page scrolls: it keeps the wheel.
        if isinstance(widget, _VALUE_WIDGETS) and not isinstance(widget, QScrollBar):
            widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            widget.installEventFilter(guard)
