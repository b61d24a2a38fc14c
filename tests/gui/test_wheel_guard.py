"""Scrolling with the mouse wheel changes no setting that does not have focus (issue 11, item 2).

Real wheel events through QApplication, over the real settings dialog: an unfocused spin box,
combo box or slider keeps its value and the page scrolls instead; once the clinician clicks
into the field, the wheel changes it as usual.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea, QSpinBox, QWidget
from pytestqt.qtbot import QtBot
from test_settings_dialog import dialog_for

from clinichat.config.settings import Settings


def wheel_down(widget: QWidget, notches: int = 3) -> None:
    """What a mouse wheel sends to the widget under the pointer."""
    at = QPointF(widget.width() / 2, widget.height() / 2)
    for _ in range(notches):
        event = QWheelEvent(
            at,
            QPointF(widget.mapToGlobal(QPoint(int(at.x()), int(at.y())))),
            QPoint(0, 0),
            QPoint(0, -120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)


def test_wheel_over_unfocused_fields_scrolls_the_page_instead(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = dialog_for(qtbot, Settings(tmp_path))
    dialog.resize(600, 300)  # shorter than the form, so the page can scroll
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tabs.setCurrentIndex(1)  # the model's page: many spin boxes
    page = dialog.tabs.currentWidget()
    scroll = page if isinstance(page, QScrollArea) else page.findChild(QScrollArea)
    assert scroll is not None
    spins = [s for s in scroll.findChildren(QSpinBox) if s.isVisible()]
    assert spins, "the model page has number fields"
    spin = spins[-1]
    scroll.ensureWidgetVisible(spin)
    dialog.buttons.setFocus()
    before = spin.value()
    scroll.verticalScrollBar().setValue(0)
    wheel_down(spin)
    assert spin.value() == before, "an unfocused spin box changed under the wheel"
    assert scroll.verticalScrollBar().maximum() > 0, "the form is taller than the page"
    assert scroll.verticalScrollBar().value() > 0, "the page scrolls instead"
    combos = [c for c in dialog.findChildren(QComboBox) if c.count() > 1]
    dialog.tabs.setCurrentIndex(0)
    combo = next(c for c in combos if c.isVisible())
    chosen = combo.currentIndex()
    wheel_down(combo)
    assert combo.currentIndex() == chosen
    # Focused on purpose: the wheel works as usual.
    dialog.tabs.setCurrentIndex(1)
    spin.setFocus()
    qtbot.waitUntil(spin.hasFocus)
    wheel_down(spin, 1)
    assert spin.value() != before
    assert spin.focusPolicy() == Qt.FocusPolicy.StrongFocus
