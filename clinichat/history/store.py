"""Conversations and messages: the interface every history backend implements.

The encrypted SQLCipher store implements `ConversationStore`; until it is configured (or when
the user turns history off) `MemoryStore` keeps conversations in RAM only, so nothing about a
patient touches the disk. The UI and the chat controller depend on the protocol alone.
"""

from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field, replace
from typing import Protocol

# Search snippets mark each match with these private-use characters; the UI escapes the
# snippet text and turns them into bold. They never occur in typed text.
HIT_START = "\ue000"
HIT_END = "\ue001"
SEARCH_LIMIT = 50
# The title of a conversation nobody has named yet (see `Conversation`).
UNTITLED = ""


class Role(str, enum.Enum):
    USER = "user"
    ASSISTANT = "assistant"


class Status(str, enum.Enum):
    """Where a message stands; stored, so a restart shows what really happened."""

    QUEUED = "queued"
    STREAMING = "streaming"
    COMPLETE = "complete"
    STOPPED = "stopped"
    FAILED = "failed"
    INTERRUPTED = "interrupted"


@dataclass(frozen=True)
class Stats:
    tokens: int
    time_to_first_token: float | None
    tokens_per_second: float


@dataclass(frozen=True)
class Message:
    id: int
    conversation_id: int
    role: Role
    text: str
    status: Status = Status.COMPLETE
    model: str | None = None
    stats: Stats | None = None
    created: float = field(default_factory=time.time)


@dataclass(frozen=True)
class Conversation:
    """`title` is the clinician's name for it or its first question's words; `UNTITLED` until
    then, so the UI names it in the language of the moment rather than the language it was
    created in."""

    id: int
    title: str
    system_prompt: str = ""
    model: str | None = None
    pinned: bool = False
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)


@dataclass(frozen=True)
class SearchHit:
    """One search result: a message, or the conversation's title when `message_id` is None."""

    conversation_id: int
    message_id: int | None
    title: str
    snippet: str  # matches wrapped in HIT_START ... HIT_END


class ConversationStore(Protocol):
    """Storage for conversations; ids are assigned by the store."""

    def conversations(self) -> list[Conversation]:
        """All conversations, pinned first, then most recently updated first."""
        ...

    def conversation(self, conversation_id: int) -> Conversation: ...

    def create(
        self, title: str, system_prompt: str = "", model: str | None = None
    ) -> Conversation: ...

    def rename(self, conversation_id: int, title: str) -> None:
        """Change the title only; the list order (last activity) stays as it was."""
        ...

    def set_system_prompt(self, conversation_id: int, system_prompt: str) -> None: ...

    def delete(self, conversation_id: int) -> None: ...

    def messages(self, conversation_id: int) -> list[Message]:
        """Messages in the order they were added."""
        ...

    def add_message(
        self,
        conversation_id: int,
        role: Role,
        text: str,
        *,
        status: Status = Status.COMPLETE,
        model: str | None = None,
    ) -> Message: ...

    def update_message(
        self,
        message_id: int,
        *,
        text: str | None = None,
        status: Status | None = None,
        stats: Stats | None = None,
    ) -> Message: ...

    def delete_message(self, message_id: int) -> None: ...

    def set_pinned(self, conversation_id: int, pinned: bool) -> None: ...

    def delete_all(self) -> None:
        """Remove every conversation and message."""
        ...

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """Messages and titles containing every word of `query` (as prefixes), best first."""
        ...

    def flush(self) -> None:
        """Write any streamed text still held back for batching."""
        ...

    def close(self) -> None:
        """Flush and release the storage; the store is unusable afterwards."""
        ...


class MemoryStore:
    """A `ConversationStore` that never writes anything to disk."""

    def __init__(self) -> None:
        self._conversations: dict[int, Conversation] = {}
        self._messages: dict[int, Message] = {}
        self._next_id = 1

    def _new_id(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    def conversations(self) -> list[Conversation]:
        by_recent = sorted(self._conversations.values(), key=lambda c: (c.updated, c.id))
        by_recent.reverse()
        return sorted(by_recent, key=lambda c: not c.pinned)

    def conversation(self, conversation_id: int) -> Conversation:
        return self._conversations[conversation_id]

    def create(self, title: str, system_prompt: str = "", model: str | None = None) -> Conversation:
        conversation = Conversation(self._new_id(), title, system_prompt, model)
        self._conversations[conversation.id] = conversation
        return conversation

    def rename(self, conversation_id: int, title: str) -> None:
        # Not "touched": a renamed conversation keeps its place in the list.
        self._conversations[conversation_id] = replace(
            self._conversations[conversation_id], title=title
        )

    def set_system_prompt(self, conversation_id: int, system_prompt: str) -> None:
        self._conversations[conversation_id] = replace(
            self._conversations[conversation_id], system_prompt=system_prompt
        )

    def delete(self, conversation_id: int) -> None:
        del self._conversations[conversation_id]
        for message_id in [m.id for m in self.messages(conversation_id)]:
            del self._messages[message_id]

    def messages(self, conversation_id: int) -> list[Message]:
        return [m for m in self._messages.values() if m.conversation_id == conversation_id]

    def add_message(
        self,
        conversation_id: int,
        role: Role,
        text: str,
        *,
        status: Status = Status.COMPLETE,
        model: str | None = None,
    ) -> Message:
        self._touch(conversation_id)
        message = Message(self._new_id(), conversation_id, role, text, status, model)
        self._messages[message.id] = message
        return message

    def update_message(
        self,
        message_id: int,
        *,
        text: str | None = None,
        status: Status | None = None,
        stats: Stats | None = None,
    ) -> Message:
        message = self._messages[message_id]
        message = replace(
            message,
            text=message.text if text is None else text,
            status=message.status if status is None else status,
            stats=message.stats if stats is None else stats,
        )
        self._messages[message_id] = message
        self._touch(message.conversation_id)
        return message

    def delete_message(self, message_id: int) -> None:
        del self._messages[message_id]

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        self._conversations[conversation_id] = replace(
            self._conversations[conversation_id], pinned=pinned
        )

    def delete_all(self) -> None:
        self._conversations.clear()
        self._messages.clear()

    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """Case-insensitive substring search; every word must occur. Titles first."""
        words = [word.casefold() for word in query.split()]
        if not words:
            return []
        hits: list[SearchHit] = []
        for conversation in self.conversations():
            if all(word in conversation.title.casefold() for word in words):
                snippet = _mark(conversation.title, words)
                hits.append(SearchHit(conversation.id, None, conversation.title, snippet))
        for message in sorted(self._messages.values(), key=lambda m: -m.id):
            if all(word in message.text.casefold() for word in words):
                title = self._conversations[message.conversation_id].title
                snippet = _mark(message.text, words)
                hits.append(SearchHit(message.conversation_id, message.id, title, snippet))
        return titles_not_repeated(hits)[:limit]

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.flush()

    def _touch(self, conversation_id: int) -> None:
        conversation = self._conversations[conversation_id]
        self._conversations[conversation_id] = replace(conversation, updated=time.time())


def titles_not_repeated(hits: list[SearchHit]) -> list[SearchHit]:
    """`hits` without the title of a conversation that is also found in its messages.

    A conversation is titled after its first question, so both would show the same words;
    the message hit opens the same conversation and also shows where the words are.
    """
    in_messages = {hit.conversation_id for hit in hits if hit.message_id is not None}
    return [h for h in hits if h.message_id is not None or h.conversation_id not in in_messages]


def _mark(text: str, words: list[str]) -> str:
    """`text` with every occurrence of any of `words` wrapped in HIT_START/HIT_END."""
    folded = text.casefold()
    if len(folded) != len(text):  # casefold changed lengths (e.g. "ß"): no marks
        return text
    marked = [False] * len(text)
    for word in words:
        start = folded.find(word)
        while start >= 0:
            marked[start : start + len(word)] = [True] * len(word)
            start = folded.find(word, start + len(word))
    out: list[str] = []
    for index, char in enumerate(text):
        if marked[index] and (index == 0 or not marked[index - 1]):
            out.append(HIT_START)
        out.append(char)
        if marked[index] and (index + 1 == len(text) or not marked[index + 1]):
            out.append(HIT_END)
    return "".join(out)
