"""The conversation list's side of the window: searching the history, opening a search hit,
exporting, and deleting one conversation or all of them.

Which conversation is open stays the window's (`ConversationHost`); this flow only asks it
to open or start one, so there is one place that knows what the chat shows.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from clinichat.chat_controller import ChatController
from clinichat.history.store import Role
from clinichat.ui import message_box
from clinichat.ui.chat_view import ChatView
from clinichat.ui.commands import CommandRegistry
from clinichat.ui.conversation_list import ConversationList
from clinichat.ui.export_flow import ConversationExporter
from clinichat.ui.status_line import StatusLine


class ConversationHost(Protocol):
    """The window, as the flow needs it."""

    @property
    def current_conversation(self) -> int | None: ...

    def open_conversation(self, conversation_id: int) -> None: ...

    def new_conversation(self) -> None: ...

    def forget_open_conversation(self) -> None: ...

    def show_error(self, text: str) -> None: ...


class ConversationsFlow(QObject):
    """Drives the conversation list: search, hits, export and deletion."""

    def __init__(
        self,
        window: QWidget,
        host: ConversationHost,
        controller: ChatController,
        listing: ConversationList,
        chat_view: ChatView,
        status: StatusLine,
        commands: CommandRegistry,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._host = host
        self._controller = controller
        self._list = listing
        self._chat_view = chat_view
        self._status = status
        self._commands = commands
        listing.new_requested.connect(host.new_conversation)
        listing.selected.connect(host.open_conversation)
        listing.rename_requested.connect(controller.rename)
        listing.delete_requested.connect(self._delete)
        listing.pin_requested.connect(controller.set_pinned)
        listing.search_changed.connect(self._on_search)
        listing.hit_chosen.connect(self._on_hit_chosen)
        controller.conversations_changed.connect(self.refresh)

    @Slot()
    def refresh(self) -> None:
        self._list.set_conversations(
            self._controller.store.conversations(), self._host.current_conversation
        )

    @Slot()
    def focus_search(self) -> None:
        if self._list.isVisible():
            self._list.search.setFocus()
            self._list.search.selectAll()

    @Slot(str)
    def _on_search(self, query: str) -> None:
        if not self._list.isVisible():
            return
        self._list.show_hits(self._controller.search(query) if query.strip() else None)

    @Slot(int, int)
    def _on_hit_chosen(self, conversation_id: int, message_id: int) -> None:
        self._host.open_conversation(conversation_id)
        if message_id >= 0:
            self._chat_view.show_hit(message_id, self._list.search.text())

    @Slot()
    def export(self) -> None:
        conversation = self._host.current_conversation
        if conversation is None:
            return
        store = self._controller.store
        answers = [m.id for m in store.messages(conversation) if m.role is Role.ASSISTANT]
        outcome = ConversationExporter(self._window).run(
            store, conversation, self._controller.sources(answers)
        )
        if outcome is None or self._commands.locked:
            return
        if outcome.ok:
            self._status.show_message(outcome.message, 5000)
        else:
            self._host.show_error(outcome.message())

    @Slot()
    def delete_all(self) -> None:
        if message_box.ask(
            self._window,
            self.tr("Delete all conversations"),
            self.tr("Delete every conversation and all their messages? This cannot be undone."),
        ):
            self._controller.delete_all()
            self._host.forget_open_conversation()
            self._host.new_conversation()

    @Slot(int)
    def _delete(self, conversation_id: int) -> None:
        self._controller.delete(conversation_id)
        if conversation_id == self._host.current_conversation:
            remaining = self._controller.store.conversations()
            if remaining:
                self._host.open_conversation(remaining[0].id)
            else:
                self._host.new_conversation()
