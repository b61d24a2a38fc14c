"""Copying an answer out of ClinicChat: the window's one way to the clipboard.

Plain text pastes cleanly into a health record, which rarely renders Markdown; raw HTML is
never interpreted, so `Dear <GP name>` is copied as written. Nothing is copied while the
window is locked, and the lock takes back what ClinicChat put there (`clipboard`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from clinichat.safe_markdown import plain_text
from clinichat.ui import clipboard
from clinichat.ui.chat_view import ChatView
from clinichat.ui.commands import CommandRegistry
from clinichat.ui.status_line import StatusLine


class AnswerCopy(QObject):
    """Copies the last answer (plain or Markdown), or the text a bubble hands over."""

    def __init__(
        self, window: QWidget, chat_view: ChatView, status: StatusLine, commands: CommandRegistry
    ) -> None:
        super().__init__(window)
        self._chat_view = chat_view
        self._status = status
        self._commands = commands
        chat_view.copy_requested.connect(self.copy)

    @Slot()
    def copy_plain(self) -> None:
        bubble = self._chat_view.last_answer()
        if bubble is not None:
            self.copy(plain_text(bubble.text))
            self._status.show_message(lambda: self.tr("Answer copied as plain text"), 3000)

    @Slot()
    def copy_markdown(self) -> None:
        bubble = self._chat_view.last_answer()
        if bubble is not None:
            self.copy(bubble.text)
            self._status.show_message(lambda: self.tr("Answer copied as Markdown"), 3000)

    @Slot(str)
    def copy(self, text: str) -> None:
        if not self._commands.locked:
            clipboard.copy(text)
