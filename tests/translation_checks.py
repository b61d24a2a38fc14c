"""Tools for language tests: a pseudo-language that marks every translated text, and a
walker that collects every text a person sees or hears in a window.

Qt calls the Python override of `QTranslator.translate` from C++ (even Qt's own button texts
come out marked), so a text that is not marked after the switch never went through Qt's
translation system.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QStatusBar,
    QTextEdit,
    QWidget,
)

# Numbers, times, dates and punctuation: no word that a translator could have translated.
_NO_WORDS = re.compile(r"[\W\d_]*")


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
        if isinstance(widget, QStatusBar):  # a passing message is not a label of its own
            found.append(widget.currentMessage())
        if isinstance(widget, QListWidget):  # rows drawn by the list, not by a label
            for row in range(widget.count()):
                item = widget.item(row)
                if widget.itemWidget(item) is None:
                    found.append(item.text())
        found += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        found += [action.text() for action in widget.actions()]
    return [text for text in found if text]


def unwrapped(found: list[str]) -> list[str]:
    return [text for text in found if not (text.startswith("«") and text.endswith("»"))]


def english_left(roots: Iterable[QWidget], data: Iterable[str] = ()) -> list[str]:
    """In the pseudo-language: every text in `roots` still unmarked, other than `data` (the
    clinician's, a model's or the product's own words) and texts without a word."""
    known = set(data)
    found = {text for root in roots for text in texts(root)}
    return sorted(
        t for t in unwrapped(list(found)) if t not in known and not _NO_WORDS.fullmatch(t)
    )
