"""Answer the next question box as a clinician would, for tests of flows that ask first."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot


def answer_question(
    qtbot: QtBot, *, key: Qt.Key | None = None, button: str | None = None
) -> list[QMessageBox]:
    """Press `key` on the next message box (Enter takes its default) or click the button
    with the text `button`; the list receives the box, to check what it said."""
    seen: list[QMessageBox] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            QTimer.singleShot(50, answer)
            return
        seen.append(box)
        if key is not None:
            qtbot.keyClick(box, key)
        else:
            next(b for b in box.buttons() if b.text().replace("&", "") == button).click()

    QTimer.singleShot(50, answer)
    return seen
