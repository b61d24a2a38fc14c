"""Tools for language tests: a pseudo-language that marks every translated text, and a
walker that collects every text a person sees or hears in a window.

Qt calls the Python override of `QTranslator.translate` from C++ (even Qt's own button texts
come out marked), so a text that is not marked after the switch never went through Qt's
translation system.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


class PseudoTranslator(QTranslator):
    """Translates every text of every context into «text»."""

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str:
        del context, disambiguation, n
        return f"«{source}»"

    def isEmpty(self) -> bool:
        """Not empty: for an empty translator Qt sends no LanguageChange on installing it."""
        return False


@contextmanager
def pseudo_language() -> Iterator[None]:
    """Switch to the pseudo-language, and back to English however the test ends."""
    translator = PseudoTranslator()
    QCoreApplication.installTranslator(translator)
    try:
        QApplication.processEvents()  # LanguageChange is posted to every top-level widget
        yield
    finally:
        QCoreApplication.removeTranslator(translator)
        QApplication.processEvents()


def texts(root: QWidget) -> list[str]:
    """Every non-empty text a person sees or hears on `root` and inside it."""
    found: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget.isWindow():
            found.append(widget.windowTitle())
        if isinstance(widget, QLabel | QAbstractButton):
            found.append(widget.text())
        if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
            found.append(widget.placeholderText())
        found += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        found += [action.text() for action in widget.actions()]
    return [text for text in found if text]


def unwrapped(found: list[str]) -> list[str]:
    return [text for text in found if not (text.startswith("«") and text.endswith("»"))]
