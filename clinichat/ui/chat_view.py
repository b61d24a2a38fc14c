"""The conversation view: the messages of one conversation, following the stream.

Each message is a `MessageBubble`; this view adds, updates and removes them as the
controller announces, and keeps the newest text in view unless the reader scrolled up.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget

from clinichat.documents.library import PageText, Passage
from clinichat.history.store import Message, Role
from clinichat.ui.message_bubble import MessageBubble, PageLookup
from clinichat.ui.retranslating import Retranslating


class ChatView(Retranslating, QScrollArea):
    """The messages of one conversation, newest at the bottom, following the stream."""

    copy_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        # No frame: the page's other rows have none, and a frame drawn to the window's edge
        # looked like a box left open.
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        container = QWidget(self)
        container.setObjectName("chatContainer")
        self._layout = QVBoxLayout(container)
        self._layout.setContentsMargins(16, 16, 16, 16)
        self._layout.setSpacing(10)
        self._layout.addStretch(1)
        self.setWidget(container)
        self._container = container
        self._bubbles: dict[int, MessageBubble] = {}
        # Set while a document library is open: a source then opens on its page.
        self.page_text: PageLookup | None = None
        self.verticalScrollBar().rangeChanged.connect(self._follow)
        self._at_bottom = True
        self.verticalScrollBar().valueChanged.connect(self._remember_position)
        self.retranslate()

    def retranslate(self) -> None:
        """Set the view's own text; each bubble re-translates itself on the same event."""
        self.setAccessibleName(self.tr("Conversation"))

    def clear(self) -> None:
        for bubble in self._bubbles.values():
            bubble.deleteLater()
        self._bubbles.clear()
        self._at_bottom = True

    def show_messages(self, messages: list[Message]) -> None:
        self.clear()
        for message in messages:
            self.add_message(message)

    def add_message(self, message: Message) -> None:
        bubble = MessageBubble(message, self.widget(), self._page_of)
        bubble.copy_requested.connect(self.copy_requested)
        self._bubbles[message.id] = bubble
        self._layout.insertWidget(self._layout.count() - 1, bubble)
        self._at_bottom = True

    def _page_of(self, source: Passage) -> PageText | None:
        return self.page_text(source) if self.page_text is not None else None

    def update_message(self, message: Message) -> None:
        bubble = self._bubbles.get(message.id)
        if bubble is not None:
            bubble.update_message(message)

    def remove_message(self, message_id: int) -> None:
        bubble = self._bubbles.pop(message_id, None)
        if bubble is not None:
            bubble.deleteLater()

    def append_text(self, message_id: int, piece: str) -> None:
        bubble = self._bubbles.get(message_id)
        if bubble is not None:
            bubble.append_text(piece)

    def set_sources(self, message_id: int, sources: list[Passage]) -> None:
        bubble = self._bubbles.get(message_id)
        if bubble is not None:
            bubble.set_sources(sources)

    def append_reasoning(self, message_id: int, piece: str) -> None:
        bubble = self._bubbles.get(message_id)
        if bubble is not None:
            bubble.append_reasoning(piece)

    def show_hit(self, message_id: int, query: str) -> None:
        """Bring a message a search found into view, with the words it matched marked."""
        bubble = self._bubbles.get(message_id)
        if bubble is None:
            return
        bubble.mark(query)
        self._at_bottom = False
        self._layout.activate()
        self.ensureWidgetVisible(bubble, 0, 40)
        mark = bubble.first_mark()
        if mark is not None:  # a long message: its first marked word, not just its top
            centre = bubble.mapTo(self._container, mark.center())
            self.ensureVisible(centre.x(), centre.y(), 0, mark.height() // 2 + 40)

    def bubble(self, message_id: int) -> MessageBubble | None:
        return self._bubbles.get(message_id)

    def last_answer(self) -> MessageBubble | None:
        answers = [b for b in self._bubbles.values() if b.role is Role.ASSISTANT and b.text]
        return answers[-1] if answers else None

    @Slot(int)
    def _remember_position(self, value: int) -> None:
        self._at_bottom = value >= self.verticalScrollBar().maximum() - 4

    @Slot(int, int)
    def _follow(self, _minimum: int, maximum: int) -> None:
        """Keep the newest text in view unless the reader scrolled up to read earlier text."""
        if self._at_bottom:
            self.verticalScrollBar().setValue(maximum)
