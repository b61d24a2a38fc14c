"""Conversation rules that need no model: titles, which turns the model remembers, the store."""

from __future__ import annotations

from clinichat.history.exchanges import title_from, turns_from
from clinichat.history.store import MemoryStore, Role, Status
from clinichat.llm.engines.base import Turn


def test_title_is_the_first_question_shortened_at_a_word() -> None:
    assert title_from("  What is   a fever?\n") == "What is a fever?"
    assert title_from("List **warning signs** of `sepsis`") == "List warning signs of sepsis"
    long = "Summarise the discharge letter for a patient with heart failure and diabetes"
    title = title_from(long)
    assert title.endswith("…") and len(title) <= 49
    assert long.startswith(title[:-1])


def test_only_answered_turns_are_remembered() -> None:
    store = MemoryStore()
    conversation = store.create("t")
    add = store.add_message
    add(conversation.id, Role.USER, "q1")
    add(conversation.id, Role.ASSISTANT, "a1")
    add(conversation.id, Role.USER, "q2")
    add(conversation.id, Role.ASSISTANT, "", status=Status.FAILED)
    add(conversation.id, Role.USER, "q3")
    add(conversation.id, Role.ASSISTANT, "partial", status=Status.STOPPED)
    add(conversation.id, Role.USER, "q4")
    add(conversation.id, Role.ASSISTANT, "", status=Status.QUEUED)
    assert turns_from(store.messages(conversation.id)) == [
        Turn("q1", "a1"),
        Turn("q3", "partial"),
    ]


def test_memory_store_orders_and_updates() -> None:
    store = MemoryStore()
    first = store.create("first")
    second = store.create("second")
    store.add_message(first.id, Role.USER, "hello")
    assert [c.id for c in store.conversations()] == [first.id, second.id]
    store.rename(second.id, "renamed")
    assert store.conversation(second.id).title == "renamed"
    assert store.conversations()[0].id == first.id, "renaming keeps the place"
    answer = store.add_message(first.id, Role.ASSISTANT, "", status=Status.STREAMING)
    updated = store.update_message(answer.id, text="hi", status=Status.COMPLETE)
    assert (updated.text, updated.status) == ("hi", Status.COMPLETE)
    store.delete(first.id)
    assert store.messages(first.id) == []
    assert [c.id for c in store.conversations()] == [second.id]
