"""Glue between conversations (the store) and generation (the session), on the main thread.

The window only renders what this controller announces and forwards what the user does; the
rules live here: what history a question is answered with, how a streamed answer is saved,
how stop, failure, regenerate and shutdown leave every message in a truthful state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal, Slot

from clinichat.document_meaning import DocumentMeaning
from clinichat.documents.citations import ConversationDocuments
from clinichat.documents.grounding import ground, opening
from clinichat.documents.library import DocumentLibrary, Passage
from clinichat.documents.vectors import QueryMeaning
from clinichat.folder_watch import FolderWatch
from clinichat.history.exchanges import title_from, turns_from
from clinichat.history.store import (
    UNTITLED,
    Conversation,
    ConversationStore,
    Message,
    Role,
    SearchHit,
    Stats,
    Status,
)
from clinichat.llm.engines.base import GenerationParams, GenerationResult, StopReason, Turn
from clinichat.llm.session import ChatSession
from clinichat.messages import UserError
from clinichat.translate import translate

log = logging.getLogger(__name__)


@dataclass
class _InFlight:
    conversation_id: int
    message_id: int
    text: str = ""
    # A reasoning model's thinking: shown while the answer is open, never saved or sent back.
    reasoning: str = ""
    # The answer a regeneration replaces: kept until the new one has text of its own.
    replaces: int | None = None
    # The document passages the question was put with: what its [1], [2]… cite.
    sources: list[Passage] = field(default_factory=list)
    # "Answer only from the documents" was on for this question.
    only: bool = False
    # A grounded answer's first text, held back while it may still become a mark.
    held: str = ""
    opened: bool = False  # the opening is decided: what streams now is shown as it comes
    declined: bool = False  # it said so, and "only from the documents" ended it there


class ChatController(QObject):
    """Sends questions, streams answers into the store, and tells the UI what changed."""

    conversations_changed = Signal()
    message_added = Signal(object)  # Message
    message_changed = Signal(object)  # Message (status or final text)
    message_removed = Signal(int)  # message id
    message_text = Signal(int, str)  # message id, newly streamed text
    message_reasoning = Signal(int, str)  # message id, newly streamed thinking
    message_sources = Signal(int, object)  # message id, list[Passage] its citations open
    notice = Signal(str)  # something the user should know, not an error
    error = Signal(str)

    def __init__(
        self, store: ConversationStore, session: ChatSession, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.session = session
        self.params = GenerationParams()
        # The loaded model's context window: passages get at most half of it.
        self.context_tokens = 2048
        # The clinic's documents, in the encrypted history (None: history not saved).
        self.library: DocumentLibrary | None = None
        self.citations: ConversationDocuments | None = None
        # Finds passages by meaning too, when an embedding model is installed.
        self.meaning: DocumentMeaning | None = None
        # Keeps the library's watched folders up to date.
        self.folders: FolderWatch | None = None
        self._in_flight: dict[int, _InFlight] = {}
        # Answers waiting for their question's embedding: answer id -> (conversation id, the
        # answer a regeneration replaces).
        self._preparing: dict[int, tuple[int, int | None]] = {}
        session.answer_started.connect(self._on_started)
        session.answer_text.connect(self._on_text)
        session.answer_reasoning.connect(self._on_reasoning)
        session.answer_finished.connect(self._on_finished)
        session.answer_stopped.connect(self._on_finished)
        session.answer_failed.connect(self._on_failed)

    # -- conversations -----------------------------------------------------------------
    def set_store(
        self,
        store: ConversationStore,
        library: DocumentLibrary | None = None,
        citations: ConversationDocuments | None = None,
    ) -> None:
        """Switch to another store (the encrypted history once unlocked, or memory only),
        with the document library that lives in it, if any.

        Answers still streaming belong to the old store: they are stopped and saved there as
        stopped, so no message is left half-written or written into the wrong store.
        """
        if self._in_flight:
            self.session.stop()
            self.session.cancel(self.session.queued_ids())
            for request_id, flight in list(self._in_flight.items()):
                self._finish(request_id, Status.STOPPED if flight.text else Status.FAILED, None)
        self._drop_preparing(list(self._preparing))
        self.store = store
        self.library, self.citations = library, citations
        if self.meaning is not None:
            self.meaning.use(library)
        if self.folders is not None:
            self.folders.use(library)
        self.conversations_changed.emit()

    def sources(self, message_ids: list[int]) -> dict[int, list[Passage]]:
        """What the citations of these answers open."""
        return self.citations.sources(message_ids) if self.citations is not None else {}

    def new_conversation(self, system_prompt: str | None = None) -> Conversation:
        """An untitled conversation: the UI names it in whatever language is current."""
        conversation = self.store.create(
            UNTITLED, system_prompt or "", self.session.model_name or None
        )
        self.conversations_changed.emit()
        return conversation

    def rename(self, conversation_id: int, title: str) -> None:
        title = " ".join(title.split())
        if title:
            self.store.rename(conversation_id, title)
            self.conversations_changed.emit()

    def set_system_prompt(self, conversation_id: int, system_prompt: str) -> None:
        """A preset's instructions for this conversation (plain text, any model)."""
        self.store.set_system_prompt(conversation_id, system_prompt)

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        self.store.set_pinned(conversation_id, pinned)
        self.conversations_changed.emit()

    def delete_all(self) -> None:
        for request_id in list(self._in_flight):
            del self._in_flight[request_id]
        self.session.stop()
        self.session.cancel(self.session.queued_ids())
        self.store.delete_all()
        self.conversations_changed.emit()

    def search(self, query: str) -> list[SearchHit]:
        return self.store.search(query) if query.strip() else []

    def delete(self, conversation_id: int) -> None:
        doomed = [r for r, f in self._in_flight.items() if f.conversation_id == conversation_id]
        for request_id in doomed:
            del self._in_flight[request_id]
        self.session.stop(doomed)
        self.session.cancel(doomed)
        for answer_id in [a for a, (c, _) in self._preparing.items() if c == conversation_id]:
            del self._preparing[answer_id]  # goes with the conversation
        self.store.delete(conversation_id)
        self.conversations_changed.emit()

    def is_answering(self, conversation_id: int) -> bool:
        return any(c == conversation_id for c, _ in self._preparing.values()) or any(
            f.conversation_id == conversation_id for f in self._in_flight.values()
        )

    # -- questions ---------------------------------------------------------------------
    def send(self, conversation_id: int, text: str, system_prompt: str) -> Message | None:
        """Add the question and a placeholder answer, and queue it for the model."""
        text = text.strip()
        if not text:
            return None
        if not self.store.messages(conversation_id):
            self.store.rename(conversation_id, title_from(text))
            self.conversations_changed.emit()
        question = self.store.add_message(conversation_id, Role.USER, text)
        self.message_added.emit(question)
        self._ask(conversation_id, text, system_prompt)
        return question

    def regenerate(self, conversation_id: int, system_prompt: str) -> None:
        """Answer the last question again, replacing its previous answer.

        The previous answer stays until the new one starts to arrive, so a regeneration
        that is stopped or fails before its first word leaves it as it was.
        """
        if self.is_answering(conversation_id):
            return
        messages = self.store.messages(conversation_id)
        if len(messages) < 2 or messages[-1].role is not Role.ASSISTANT:
            return
        self._ask(conversation_id, messages[-2].text, system_prompt, replaces=messages[-1].id)

    def stop(self, conversation_id: int | None = None) -> None:
        """Stop the answer being written in this conversation; without one, or when it has
        none, every answer being written (the thread-count probe too)."""
        mine = [r for r, f in self._in_flight.items() if f.conversation_id == conversation_id]
        running = set(self.session.running_ids())
        self.session.stop([r for r in mine if r in running] or None)

    def shutdown(self) -> None:
        """Stop generating and leave every unfinished answer marked as such."""
        self.session.shutdown()
        for request_id, flight in list(self._in_flight.items()):
            status = Status.STOPPED if flight.text else Status.FAILED
            self._finish(request_id, status, None)
        self._drop_preparing(list(self._preparing))

    def _drop_preparing(self, answer_ids: list[int]) -> None:
        """Answers that never reached the model: marked failed, or (a regeneration's) gone."""
        for answer_id in answer_ids:
            _conversation, replaces = self._preparing.pop(answer_id)
            if replaces is not None:
                self.store.delete_message(answer_id)
                self.message_removed.emit(answer_id)
            else:
                message = self.store.update_message(answer_id, status=Status.FAILED)
                self.message_changed.emit(message)

    def _ask(
        self, conversation_id: int, question: str, system_prompt: str, replaces: int | None = None
    ) -> None:
        answer = self.store.add_message(
            conversation_id,
            Role.ASSISTANT,
            "",
            status=Status.QUEUED,
            model=self.session.model_name or None,
        )
        self.message_added.emit(answer)

        def context() -> tuple[str, list[Turn]]:
            earlier = [
                m
                for m in self.store.messages(conversation_id)
                if m.id < answer.id and m.id != replaces
            ]
            return system_prompt, turns_from(earlier[:-1])

        def put(meaning: QueryMeaning | None) -> None:
            if self._preparing.pop(answer.id, None) is None:
                return  # dropped meanwhile: deleted, locked or shut down
            prompt, sources, only = self._with_documents(conversation_id, question, meaning)
            request_id = self.session.ask(prompt, context, self.params)
            self._in_flight[request_id] = _InFlight(
                conversation_id, answer.id, replaces=replaces, sources=sources, only=only
            )

        self._preparing[answer.id] = (conversation_id, replaces)
        uses_documents = self.citations is not None and self.citations.collections(conversation_id)
        if uses_documents and self.meaning is not None:
            self.meaning.question(question, put)
        else:
            put(None)

    def _with_documents(
        self, conversation_id: int, question: str, meaning: QueryMeaning | None
    ) -> tuple[str, list[Passage], bool]:
        """The question as the model reads it: with the best passages of the conversation's
        collections when it has any (and what they are, and whether it may answer only from
        them), else as typed."""
        if self.library is None or self.citations is None:
            return question, [], False
        collections = self.citations.collections(conversation_id)
        if not collections:
            return question, [], False
        found = self.library.search(question, collections=collections, meaning=meaning)
        only = self.citations.only_documents(conversation_id)
        grounding = ground(question, found, only=only, budget=self.context_tokens // 2)
        if not found:
            self.notice.emit(
                self.tr("Nothing in the documents matches this question; the model was told so.")
            )
        elif grounding.left_out:
            self.notice.emit(
                self.tr(
                    "%n passage(s) found in the documents did not fit in the model's memory"
                    " and were left out.",
                    "",
                    grounding.left_out,
                )
            )
        return grounding.prompt, grounding.sources, only

    # -- streaming ---------------------------------------------------------------------
    @Slot(int)
    def _on_started(self, request_id: int) -> None:
        flight = self._in_flight.get(request_id)
        if flight is not None:
            self.message_changed.emit(
                self.store.update_message(flight.message_id, status=Status.STREAMING)
            )

    @Slot(int, str)
    def _on_text(self, request_id: int, piece: str) -> None:
        flight = self._in_flight.get(request_id)
        if flight is None:
            return
        if flight.declined:
            return  # what the model wrote before the stop took effect
        if flight.sources and not flight.opened:
            piece = self._opening(request_id, flight, piece)
        if not flight.text:
            piece = piece.lstrip()
            if not piece:
                return
            self._drop_replaced(flight)
        flight.text += piece
        self.store.update_message(flight.message_id, text=flight.text)
        self.message_text.emit(flight.message_id, piece)

    def _opening(self, request_id: int, flight: _InFlight, piece: str) -> str:
        """What of a grounded answer's first pieces to show: nothing while they may still be
        a mark of whether the passages answer; then the rest without the mark, or, when the
        mark says they do not and "only from the documents" is on, the app's own sentence,
        the model stopped at once."""
        flight.held += piece
        marked, shown = opening(flight.held)
        if marked is None:
            return ""
        flight.opened, flight.held = True, ""
        if not marked:
            return shown
        log.info("answer %d: the model found no answer in the passages", request_id)
        if flight.only:
            flight.declined = True
            self.session.stop([request_id])
            return self.tr("The clinic's documents do not answer this question.")
        self.notice.emit(
            self.tr(
                "The model found no answer in the clinic's documents; what it wrote is from"
                " general knowledge."
            )
        )
        return shown

    @Slot(int, str)
    def _on_reasoning(self, request_id: int, piece: str) -> None:
        flight = self._in_flight.get(request_id)
        if flight is None:
            return
        if not flight.reasoning:
            piece = piece.lstrip()
            if not piece:
                return
        flight.reasoning += piece
        self.message_reasoning.emit(flight.message_id, piece)

    @Slot(int, object)
    def _on_finished(self, request_id: int, result: GenerationResult) -> None:
        flight = self._in_flight.get(request_id)
        if flight is None:
            return
        thought_only = bool(flight.reasoning) and not flight.text
        # Stopped by the app because the documents do not answer: the answer is complete.
        stopped = result.reason is StopReason.STOPPED and not flight.declined
        status = Status.STOPPED if stopped else Status.COMPLETE
        stats = Stats(result.tokens, result.time_to_first_token, result.tokens_per_second)
        # Figures only: chat text never goes to a log.
        log.info(
            "answer %d %s: %d tokens, %.1f tokens/s, first token after %.2f s, context %d",
            request_id,
            result.reason.value,
            result.tokens,
            result.tokens_per_second,
            result.time_to_first_token or 0.0,
            result.context_tokens,
        )
        self._finish(request_id, status, stats)
        if result.dropped_turns:
            self.notice.emit(
                self.tr(
                    "The conversation is longer than the model can remember: the %n oldest"
                    " exchange(s) were left out. The instructions (system prompt) are kept.",
                    "",
                    result.dropped_turns,
                )
            )
        if thought_only and result.reason is not StopReason.STOPPED:
            self.notice.emit(
                self.tr(
                    "The model spent its whole answer length reasoning and wrote no answer."
                    " In Settings, turn off “Think before answering” for this model or raise"
                    " its maximum answer length."
                )
            )
        if result.reason is StopReason.CONTEXT_FULL:
            self.notice.emit(
                self.tr(
                    "The answer was cut off because the model's memory is full."
                    " Start a new conversation to start afresh."
                )
            )

    @Slot(int, object)
    def _on_failed(self, request_id: int, failure: UserError) -> None:
        if request_id in self._in_flight:
            self._finish(request_id, Status.FAILED, None)
        self.error.emit(failure.render(translate))

    def _drop_replaced(self, flight: _InFlight) -> None:
        """The new answer has begun: the one it regenerates goes."""
        if flight.replaces is not None:
            self.store.delete_message(flight.replaces)
            self.message_removed.emit(flight.replaces)
            flight.replaces = None

    def _finish(self, request_id: int, status: Status, stats: Stats | None) -> None:
        flight = self._in_flight.pop(request_id)
        if flight.held.strip():  # it ended before its opening was decided: kept as written
            if not flight.text:
                self._drop_replaced(flight)
            flight.text, flight.held = flight.text + flight.held, ""
        if flight.replaces is not None and not flight.text:
            # A regeneration that never wrote a word: the previous answer stands.
            self.store.delete_message(flight.message_id)
            self.message_removed.emit(flight.message_id)
            return
        text = flight.text.rstrip()
        message = self.store.update_message(
            flight.message_id, text=text, status=status, stats=stats
        )
        self.message_changed.emit(message)
        if flight.sources and self.citations is not None:
            self.citations.save_sources(flight.message_id, flight.sources)
            self.message_sources.emit(flight.message_id, flight.sources)
