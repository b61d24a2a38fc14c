"""Questions and warnings whose text carries data (a name, a title, a link, an error).

QMessageBox's static helpers guess the text format, so a conversation title or a model name
that looks like HTML would be rendered as HTML, `<img>` included. These helpers show their
text as plain text, and a question defaults to the safe answer (No), so a stray Enter never
deletes anything.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

Button = QMessageBox.StandardButton


def _box(icon: QMessageBox.Icon, parent: QWidget | None, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, Button.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def ask(parent: QWidget | None, title: str, text: str) -> bool:
    """A Yes/No question that defaults to No; True only when Yes was chosen."""
    box = _box(QMessageBox.Icon.Question, parent, title, text)
    box.setStandardButtons(Button.Yes | Button.No)
    box.setDefaultButton(Button.No)
    return box.exec() == Button.Yes


def choose(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    action: str,
    alternative: str | None = None,
) -> bool:
    """`action` against `alternative` (or Cancel); True only when `action` was clicked.

    The default is the answer that changes nothing: Cancel, or, when an alternative is
    offered, the action itself (the alternative is then the destructive one).
    """
    box = _box(icon, parent, title, text)
    chosen = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    if alternative is None:
        box.setStandardButtons(Button.Cancel)
        box.setDefaultButton(Button.Cancel)
    else:
        box.addButton(alternative, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(chosen)
    box.exec()
    return box.clickedButton() is chosen


def warn(parent: QWidget | None, title: str, text: str) -> None:
    box = _box(QMessageBox.Icon.Warning, parent, title, text)
    box.setStandardButtons(Button.Ok)
    box.exec()
