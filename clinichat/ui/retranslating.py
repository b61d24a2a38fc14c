"""Widgets that re-read their texts when the language changes, without a restart.

Installing a translator makes Qt send every widget a LanguageChange event; a widget that set
its texts once would stay in the old language. Each class with texts derives from this mixin
(first, before its Qt class) and puts every text in `retranslate()`, which it also calls at
the end of its constructor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    _Base = QWidget
else:  # a plain mixin at run time: PySide6 allows one Qt base class only
    _Base = object


class Retranslating(_Base):
    """Calls `retranslate()` on every language switch."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Set every visible text in the current language."""
        raise NotImplementedError
