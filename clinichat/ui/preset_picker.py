"""Choosing how a conversation starts: one clear choice per clinical preset.

`PresetPicker` sits on the new-conversation page, usable with the mouse or the keyboard
alone; managing the presets behind it is `clinichat.ui.preset_editor`'s.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QListWidgetItem,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from clinichat.presets import (
    Preset,
)
from clinichat.ui.label_rows import LabelRows
from clinichat.ui.retranslating import Retranslating


class _BackgroundOnly(QStyledItemDelegate):
    """Paints a row's selection and focus but not its text, which a label shows instead.

    The row keeps its text for screen readers and type-to-find.
    """

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.text = ""


class _ChoiceList(LabelRows):
    """Rows of a bold title over a wrapped line of text, as tall as their text needs.

    A click or Enter reports the row; Enter is handled here rather than through
    `activated`, which some platforms also emit on a single click.
    """

    chosen_row = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_BackgroundOnly(self))
        self.clicked.connect(lambda index: self.chosen_row.emit(index.row()))

    def set_rows(self, rows: list[tuple[str, str]]) -> None:
        """Show (title, text) rows."""
        self.clear()
        for title, text in rows:
            item = QListWidgetItem(title, self)
            item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, text)
            item.setToolTip(text)
            rich = f"<b>{html.escape(title)}</b>" + (f"<br>{html.escape(text)}" if text else "")
            self.add_label_row(item, rich, 8).setObjectName("presetChoice")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.currentRow() >= 0:
            self.chosen_row.emit(self.currentRow())
            return
        super().keyPressEvent(event)


class PresetPicker(Retranslating, QWidget):
    """The presets as a list of choices; choosing one starts a conversation with it."""

    chosen = Signal(object)  # the Preset to start with
    manage_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._presets: list[Preset] = []
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setObjectName("presetHeading")
        self.heading.setWordWrap(True)
        self.list = _ChoiceList(self)
        self.list.setObjectName("presetList")
        self.heading.setBuddy(self.list)
        self.manage_button = QPushButton(self)
        self.manage_button.setObjectName("managePresets")
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.manage_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.list.chosen_row.connect(self._on_chosen_row)
        self.manage_button.clicked.connect(self.manage_requested)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch).

        The presets themselves are data in one language: after a switch, the caller passes
        them again in the new language through `set_presets`.
        """
        self.setAccessibleName(self.tr("Start a conversation"))
        self.heading.setText(self.tr("Start the conversation with:"))
        self.list.setAccessibleName(self.tr("Presets"))
        self.list.setAccessibleDescription(
            self.tr("Each preset sets how the assistant works. Enter or a click starts it.")
        )
        self.manage_button.setText(self.tr("Manage presets…"))

    def set_presets(self, presets: list[Preset]) -> None:
        """Show these presets; the first is selected, so Enter alone starts it."""
        self._presets = list(presets)
        self.list.set_rows([(preset.name, preset.summary) for preset in self._presets])
        if self._presets:
            self.list.setCurrentRow(0)

    @Slot(int)
    def _on_chosen_row(self, row: int) -> None:
        self.chosen.emit(self._presets[row])
