"""A list whose rows are word-wrapped labels, each as tall as its text needs.

QListWidget takes a row's height from the item's size hint, which a label only knows for its
own preferred width: in a narrower list, or after the text size grows, the last line is cut.
Here the heights follow the viewport's width and the font.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QListView, QListWidget, QListWidgetItem, QWidget

__all__ = ["LabelRows"]


class LabelRows(QListWidget):
    """Rows shown by rich-text labels (built by the caller from escaped text only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("labelRows", True)  # the style sheet's item padding would cut rows
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.setResizeMode(QListView.ResizeMode.Adjust)

    def add_label_row(self, item: QListWidgetItem, rich_text: str, margins: int) -> QLabel:
        """Show `item` as a wrapped label; `rich_text` must already be escaped."""
        label = QLabel(rich_text, self)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setContentsMargins(margins + 4, margins, margins + 4, margins)
        label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setItemWidget(item, label)
        self._fit_row(item, self.viewport().width())
        return label

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # also called when the viewport alone resizes
        self.fit_rows()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_rows()

    def fit_rows(self) -> None:
        width = self.viewport().width()
        for row in range(self.count()):
            self._fit_row(self.item(row), width)

    def _fit_row(self, item: QListWidgetItem, width: int) -> None:
        label = self.itemWidget(item)
        if isinstance(label, QLabel):
            label.ensurePolished()
            item.setSizeHint(QSize(width, label.heightForWidth(width)))
