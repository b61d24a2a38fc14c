"""The two pages beside the conversation list: no model yet, and the chat itself.

Widgets only: the window connects them to the session and decides what they show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from clinichat.presets import Preset
from clinichat.ui.chat_view import ChatView
from clinichat.ui.dictation_bar import DictationBar
from clinichat.ui.dictation_flow import DictateButton
from clinichat.ui.preset_picker import PresetPicker
from clinichat.ui.prompt_input import PromptInput
from clinichat.ui.recommendation import RecommendationCard
from clinichat.ui.retranslating import Retranslating


class EmptyPage(Retranslating, QWidget):
    """Shown until a model is installed: what a model is for, and how to get one.

    The recommendation card offers the one model that fits this computer (filled in by
    ui/recommendation.Recommendations), so the first step needs no catalog reading.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        empty = QVBoxLayout(self)
        empty.addStretch(1)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setObjectName("emptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recommendation = RecommendationCard(self)
        self.recommendation.hide()
        self.download_button = QPushButton(self)
        self.import_button = QPushButton(self)
        empty.addWidget(self.title)
        empty.addWidget(self.text)
        empty.addWidget(self.recommendation)
        empty_buttons = QHBoxLayout()
        empty_buttons.addStretch(1)
        empty_buttons.addWidget(self.download_button)
        empty_buttons.addWidget(self.import_button)
        empty_buttons.addStretch(1)
        empty.addLayout(empty_buttons)
        self.error = QLabel(self)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setObjectName("errorBanner")
        self.error.setWordWrap(True)
        self.error.hide()
        empty.addWidget(self.error)
        empty.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("No model installed yet"))
        self.text.setText(
            self.tr(
                "ClinicChat answers with a language model that runs on this computer, so no"
                " question ever leaves it.\n\nTo start, download a model (once; it then works"
                " offline), or import a model file (.gguf) that your IT department provided."
            )
        )
        self.download_button.setText(self.tr("All models…"))
        self.import_button.setText(self.tr("Import model file…"))


class ChatPage(Retranslating, QWidget):
    """The open conversation (or the preset picker), notices, the question box and buttons.

    A line above the conversation says which preset it follows and what that preset does,
    because its instructions reach the model unseen.
    """

    def __init__(self, copy_actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        chat = QVBoxLayout(self)
        chat.setContentsMargins(0, 0, 0, 8)
        self.preset: Preset | None = None
        self._own_instructions = False
        self.preset_line = QLabel(self)
        self.preset_line.setTextFormat(Qt.TextFormat.PlainText)  # names are the user's data
        self.preset_line.setObjectName("muted")
        self.preset_line.setWordWrap(True)
        self.preset_line.setContentsMargins(12, 6, 12, 2)
        self.preset_line.hide()
        chat.addWidget(self.preset_line)
        # Which of the clinic's documents this conversation asks: its answers depend on them.
        self._documents: tuple[list[str], bool] = ([], False)
        self.documents_line = QLabel(self)
        self.documents_line.setTextFormat(Qt.TextFormat.PlainText)  # collection names are data
        self.documents_line.setObjectName("muted")
        self.documents_line.setWordWrap(True)
        self.documents_line.setContentsMargins(12, 2, 12, 2)
        self.documents_line.hide()
        chat.addWidget(self.documents_line)
        # A new conversation shows the presets; the first message replaces them.
        self.chat_stack = QStackedWidget(self)
        self.chat_view = ChatView(self.chat_stack)
        self.preset_picker = PresetPicker(self.chat_stack)
        self.chat_stack.addWidget(self.chat_view)
        self.chat_stack.addWidget(self.preset_picker)
        chat.addWidget(self.chat_stack, 1)
        self.notice = QLabel(self)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        chat.addWidget(self.notice)
        self.error_banner = QLabel(self)
        self.error_banner.setTextFormat(Qt.TextFormat.PlainText)
        self.error_banner.setObjectName("errorBanner")
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_banner.hide()
        chat.addWidget(self.error_banner)
        self.dictation_bar = DictationBar(self)
        chat.addWidget(self.dictation_bar)
        self.input = PromptInput(self)
        row = QHBoxLayout()
        row.setContentsMargins(12, 0, 12, 0)
        row.addWidget(self.input, 1)
        buttons = QVBoxLayout()
        self.send_button = QPushButton(self)
        self.send_button.setObjectName("sendButton")
        self.send_button.setDefault(True)
        self.dictate_button = DictateButton(self)
        self.stop_button = QPushButton(self)
        self.stop_button.setObjectName("stopButton")
        self.copy_button = QToolButton(self)
        self.copy_button.setObjectName("copyButton")
        self.copy_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.copy_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        copy_menu = QMenu(self.copy_button)
        for action in copy_actions:
            copy_menu.addAction(action)
        self.copy_button.setMenu(copy_menu)
        self.regenerate_button = QPushButton(self)
        for button in (
            self.send_button,
            self.dictate_button,
            self.stop_button,
            self.copy_button,
            self.regenerate_button,
        ):
            buttons.addWidget(button)
        row.addLayout(buttons)
        chat.addLayout(row)
        self.disclaimer = QLabel(self)
        self.disclaimer.setTextFormat(Qt.TextFormat.PlainText)
        self.disclaimer.setObjectName("disclaimer")
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setContentsMargins(12, 4, 12, 0)
        chat.addWidget(self.disclaimer)
        self.retranslate()

    def show_preset(self, preset: Preset | None, *, own_instructions: bool = False) -> None:
        """Name the conversation's preset; None hides the line, unless `own_instructions`:
        the conversation keeps instructions that no current preset has (edited since)."""
        self.preset = preset
        self._own_instructions = own_instructions and preset is None
        self._show_preset_line()

    def show_documents(self, collections: list[str], only: bool) -> None:
        """Name the collections the conversation asks (none: the line is hidden)."""
        self._documents = (list(collections), only)
        self._show_documents_line()

    def _show_documents_line(self) -> None:
        names, only = self._documents
        if only:
            text = self.tr("Answers only from the documents: %1")
        else:
            text = self.tr("Asks the documents: %1")
        self.documents_line.setText(text.replace("%1", ", ".join(names)))
        self.documents_line.setVisible(bool(names))

    def _show_preset_line(self) -> None:
        preset = self.preset
        if preset is not None:
            template = self.tr("Preset: %1 — %2") if preset.summary else self.tr("Preset: %1")
            # One pass, so a "%2" inside a preset's name stays as written.
            fields = (preset.name, preset.summary)
            self.preset_line.setText(re.sub(r"%([12])", lambda m: fields[int(m[1]) - 1], template))
        elif self._own_instructions:
            self.preset_line.setText(
                self.tr("This conversation keeps the instructions of the preset it started with.")
            )
        self.preset_line.setVisible(preset is not None or self._own_instructions)

    def retranslate(self) -> None:
        self.preset_line.setAccessibleName(self.tr("Preset"))
        self._show_preset_line()
        self.documents_line.setAccessibleName(self.tr("Documents"))
        self._show_documents_line()
        self.error_banner.setAccessibleName(self.tr("Error"))
        self.notice.setAccessibleName(self.tr("Notice"))
        self.send_button.setText(self.tr("Send"))
        self.send_button.setToolTip(self.tr("Send the question (Enter)"))
        self.stop_button.setText(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stop the answer (Esc)"))
        self.copy_button.setText(self.tr("Copy answer"))
        self.copy_button.setToolTip(self.tr("Copy the last answer as plain text (Ctrl+Shift+C)"))
        self.copy_button.setAccessibleName(self.tr("Copy answer"))
        self.regenerate_button.setText(self.tr("Regenerate"))
        self.regenerate_button.setToolTip(self.tr("Answer the last question again"))
        self.disclaimer.setText(
            self.tr(
                "Answers come from a language model and can be wrong. Check every clinical"
                " fact before you rely on it."
            )
        )
