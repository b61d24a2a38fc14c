"""Keyboard shortcuts, accessible names on every control, and text that fits at 150%."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from questions import answer_question
from windows import starter_window

from clinichat.llm.engines import list_gpus
from clinichat.ui.appearance import apply_appearance
from clinichat.ui.main_window import MainWindow

TIMEOUT_MS = 60_000
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, starter_model: Path) -> Iterator[MainWindow]:
    main = starter_window(qtbot, tmp_path, starter_model)
    qtbot.waitExposed(main)
    main.activateWindow()
    yield main
    for dialog in (main.settings_dialog, main.model_manager):
        if dialog is not None:
            dialog.close()
    main.close()


def test_shortcuts(qtbot: QtBot, window: MainWindow) -> None:
    first = window.current_conversation
    qtbot.keyClick(window.input, Qt.Key.Key_N, CTRL)
    assert window.current_conversation not in (None, first), "Ctrl+N: new conversation"
    qtbot.keyClick(window.input, Qt.Key.Key_F, CTRL)
    assert QApplication.focusWidget() is window.conversations.search, "Ctrl+F: search"
    qtbot.keyClick(window.input, Qt.Key.Key_Comma, CTRL)
    assert window.settings_dialog is not None and window.settings_dialog.isVisible()
    window.settings_dialog.reject()
    qtbot.waitUntil(lambda: window.settings_dialog is None)
    qtbot.keyClick(window.input, Qt.Key.Key_M, CTRL | SHIFT)
    assert window.model_manager is not None and window.model_manager.isVisible()
    shortcuts = {a.shortcut().toString() for a in window.findChildren(QAction)}
    assert {"Ctrl+N", "Ctrl+F", "Ctrl+,", "Esc", "Ctrl+Shift+C", "Ctrl+Q"} <= shortcuts


def controls(root: QWidget) -> list[QWidget]:
    """The controls a user works with in this window (not the inner parts of spin boxes)."""
    kinds = (QAbstractButton, QComboBox, QAbstractSlider, QLineEdit, QPlainTextEdit, QListWidget)
    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, kinds)
        and not isinstance(w.parent(), (QAbstractSpinBox, QComboBox))
        and w.window() is root
        and w.isVisibleTo(root)
        and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]


def name_of(widget: QWidget) -> str:
    if widget.accessibleName():
        return widget.accessibleName()
    return widget.text() if isinstance(widget, QAbstractButton) else ""


def test_every_control_has_an_accessible_name_and_takes_keyboard_focus(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.settings_flow.open()
    window.model_flow.open()
    assert window.settings_dialog is not None and window.model_manager is not None
    for root in (window, window.settings_dialog, window.model_manager):
        found = controls(root)
        assert found, root
        unnamed = [
            f"{type(w).__name__}:{w.objectName()}:{w.toolTip()[:30]}"
            for w in found
            if not name_of(w)
        ]
        assert unnamed == [], f"{type(root).__name__}: controls without a name"
        no_tab = [w for w in found if not w.focusPolicy() & Qt.FocusPolicy.TabFocus]
        assert no_tab == [], f"{type(root).__name__}: controls the keyboard cannot reach"


def test_text_fits_at_150_percent(qtbot: QtBot, window: MainWindow) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    normal = window.send_button.sizeHint().height()
    apply_appearance(app, "system", 150)
    try:
        window.resize(1400, 900)
        window.settings_flow.open()
        qtbot.wait(50)
        assert window.send_button.sizeHint().height() > normal, "text grows"
        assert window.settings_dialog is not None
        for root in (window, window.settings_dialog):
            for button in root.findChildren(QPushButton):
                if not button.isVisibleTo(root) or not button.text():
                    continue
                needed = button.fontMetrics().horizontalAdvance(button.text().replace("&", ""))
                assert button.sizeHint().width() >= needed, f"clipped: {button.text()!r}"
    finally:
        apply_appearance(app, "system", 100)


def test_settings_offer_the_backends_devices_and_the_thread_finder(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.settings_flow.open()
    dialog = window.settings_dialog
    assert dialog is not None
    device = next(e for e in dialog.app_editors if e.option.key == "device")
    assert isinstance(device.widget, QComboBox)
    offered = [device.widget.itemData(i) for i in range(device.widget.count())]
    assert offered == ["cpu", *list_gpus()], "CPU, then exactly the GPUs the backend lists"
    answer_question(qtbot, button="Yes")  # it says how long it takes and asks first
    dialog.find_threads_button.click()
    assert window.thread_finder is not None and window.thread_finder.isVisible()
    with qtbot.waitSignal(window.session.threads_measured, timeout=TIMEOUT_MS * 2):
        pass
    assert window.thread_finder is not None
    window.thread_finder.close()
