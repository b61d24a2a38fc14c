"""The one bridge from Qt-free `UserError`s to Qt's translation system."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def translate(context: str, text: str) -> str:
    """Translate a source string marked with QT_TRANSLATE_NOOP in a Qt-free module."""
    return QCoreApplication.translate(context, text)
