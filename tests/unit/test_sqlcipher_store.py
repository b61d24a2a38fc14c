"""The encrypted history store on real SQLCipher files, and the protocol shared with MemoryStore."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from clinichat.history.database import open_encrypted
from clinichat.history.schema import MIGRATIONS, SCHEMA_VERSION, Migration, NewerSchemaError
from clinichat.history.sqlcipher_store import EncryptedStore, fts_query
from clinichat.history.store import (
    HIT_END,
    HIT_START,
    UNTITLED,
    ConversationStore,
    MemoryStore,
    Role,
    SearchHit,
    Stats,
    Status,
)

SENTINEL = "Zebrafinch-Quixotic-4711 lives at 12 Marigold Lane"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class History:
    """A database folder with one key; opens stores and independent raw connections."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "history.db"
        self.key = os.urandom(32)
        self.clock = FakeClock()
        self._opened: list[EncryptedStore] = []
        self._raw: list[Any] = []

    def open(self, **kwargs: Any) -> EncryptedStore:
        kwargs.setdefault("clock", self.clock)
        store = EncryptedStore(open_encrypted(self.path, self.key), **kwargs)
        self._opened.append(store)
        return store

    def raw(self) -> Any:
        """A second connection with the same key: what another process would see on disk."""
        connection = open_encrypted(self.path, self.key)
        connection.isolation_level = None  # autocommit: never holds a lock between calls
        self._raw.append(connection)
        return connection

    def disk_text(self, message_id: int) -> str:
        connection = self.raw()
        try:
            row = connection.execute("SELECT text FROM messages WHERE id = ?", (message_id,))
            return str(row.fetchone()[0])
        finally:
            connection.close()

    def close_all(self) -> None:
        for connection in self._raw:
            connection.close()
        for store in self._opened:
            store.close()


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    history = History(tmp_path)
    yield history
    history.close_all()


@pytest.fixture(params=["memory", "encrypted"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ConversationStore]:
    store: ConversationStore
    if request.param == "memory":
        store = MemoryStore()
    else:
        store = EncryptedStore(open_encrypted(tmp_path / "history.db", os.urandom(32)))
    yield store
    store.close()


def unmark(snippet: str) -> str:
    return snippet.replace(HIT_START, "").replace(HIT_END, "")


# -- behaviour shared by every ConversationStore --------------------------------------------------
def test_protocol_crud(any_store: ConversationStore) -> None:
    store = any_store
    first = store.create("First", "Be brief.", "model-a")
    assert (first.title, first.system_prompt, first.model, first.pinned) == (
        "First",
        "Be brief.",
        "model-a",
        False,
    )
    assert store.conversation(first.id) == first
    second = store.create("Second")
    assert [c.id for c in store.conversations()] == [second.id, first.id]

    question = store.add_message(first.id, Role.USER, "How much?", model=None)
    answer = store.add_message(first.id, Role.ASSISTANT, "", status=Status.QUEUED, model="model-a")
    assert [c.id for c in store.conversations()] == [first.id, second.id]
    assert store.messages(first.id) == [question, answer]

    store.update_message(answer.id, status=Status.STREAMING)
    store.update_message(answer.id, text="Half")
    assert store.messages(first.id)[-1].text == "Half"
    stats = Stats(12, 0.25, 31.5)
    done = store.update_message(answer.id, text="Half done.", status=Status.COMPLETE, stats=stats)
    assert (done.text, done.status, done.stats, done.model) == (
        "Half done.",
        Status.COMPLETE,
        stats,
        "model-a",
    )
    assert store.messages(first.id)[-1] == done

    store.rename(second.id, "Renamed")
    assert store.conversation(second.id).title == "Renamed"
    assert store.conversations()[0].id == first.id, "renaming keeps the place"

    store.delete_message(question.id)
    assert [m.id for m in store.messages(first.id)] == [answer.id]
    store.delete(first.id)
    assert store.messages(first.id) == []
    assert [c.id for c in store.conversations()] == [second.id]
    with pytest.raises(KeyError):
        store.conversation(first.id)
    with pytest.raises(KeyError):
        store.update_message(answer.id, text="late")

    store.delete_all()
    assert store.conversations() == []
    store.flush()


def test_protocol_ordering_pinned_first_then_recent(any_store: ConversationStore) -> None:
    store = any_store
    a, b, c = (store.create(t) for t in "abc")
    assert [x.id for x in store.conversations()] == [c.id, b.id, a.id]
    store.set_pinned(a.id, True)
    assert store.conversation(a.id).pinned
    assert [x.id for x in store.conversations()] == [a.id, c.id, b.id]
    store.add_message(b.id, Role.USER, "bump")
    assert [x.id for x in store.conversations()] == [a.id, b.id, c.id]
    store.set_pinned(a.id, False)
    assert [x.id for x in store.conversations()] == [b.id, c.id, a.id]


def test_protocol_search(any_store: ConversationStore) -> None:
    store = any_store
    fever = store.create("Fever in toddlers")
    store.add_message(fever.id, Role.USER, "Paracetamol dose for a toddler with fever?")
    other = store.create("Asthma")
    store.add_message(other.id, Role.USER, "Inhaler technique for asthma")

    hits = store.search("paracetamol")
    assert [(h.conversation_id, h.message_id is not None) for h in hits] == [(fever.id, True)]
    assert hits[0].title == "Fever in toddlers"
    assert f"{HIT_START}" in hits[0].snippet and HIT_END in hits[0].snippet
    assert unmark(hits[0].snippet) == "Paracetamol dose for a toddler with fever?"

    title_hits = [h for h in store.search("asthma") if h.message_id is None]
    assert title_hits == [], "found in its messages: the message hit names the title too"
    [asthma] = store.search("asthma")
    assert (asthma.conversation_id, asthma.title) == (other.id, "Asthma")
    plan = store.create("Discharge plan")
    store.add_message(plan.id, Role.USER, "Inhaler technique before going home")
    assert store.search("discharge") == [
        SearchHit(plan.id, None, "Discharge plan", f"{HIT_START}Discharge{HIT_END} plan")
    ]

    # Titled after its first question: found once, at the message, not again by its title.
    question = store.create("What is a fever?")
    store.add_message(question.id, Role.USER, "What is a fever?")
    store.add_message(question.id, Role.ASSISTANT, "A raised body temperature.")
    found = [h for h in store.search("what is") if h.conversation_id == question.id]
    assert [h.message_id is not None for h in found] == [True]

    assert store.search("") == []
    assert store.search("   ") == []
    assert store.search("zzzz-nothing") == []
    assert {h.conversation_id for h in store.search("FEVER TODDLER")} == {fever.id}


# -- EncryptedStore --------------------------------------------------------------------------------
def test_data_survives_reopen_and_ids_are_not_reused(history: History) -> None:
    store = history.open()
    conversation = store.create("Title", "System", "m")
    store.set_pinned(conversation.id, True)
    message = store.add_message(conversation.id, Role.ASSISTANT, "", status=Status.STREAMING)
    store.update_message(
        message.id, text="Answer", status=Status.COMPLETE, stats=Stats(3, None, 2.0)
    )
    last = store.add_message(conversation.id, Role.USER, "Follow-up")
    store.delete_message(last.id)
    store.close()
    store.close()  # twice is harmless

    again = history.open()
    assert again.recovered == 0
    reopened = again.conversation(conversation.id)
    assert again.conversations() == [reopened]
    assert reopened.pinned and reopened.system_prompt == "System"
    [reloaded] = again.messages(conversation.id)
    assert (reloaded.text, reloaded.status, reloaded.stats) == (
        "Answer",
        Status.COMPLETE,
        Stats(3, None, 2.0),
    )
    assert again.add_message(conversation.id, Role.USER, "new").id > last.id


def test_missing_rows_raise_key_error(history: History) -> None:
    store = history.open()
    for call in (
        lambda: store.conversation(99),
        lambda: store.rename(99, "x"),
        lambda: store.set_pinned(99, True),
        lambda: store.delete(99),
        lambda: store.add_message(99, Role.USER, "x"),
        lambda: store.update_message(99, text="x"),
        lambda: store.delete_message(99),
    ):
        with pytest.raises(KeyError):
            call()
    assert store.conversations() == []


def test_deleting_a_conversation_cascades_to_messages_and_index(history: History) -> None:
    store = history.open()
    keep = store.create("keep")
    store.add_message(keep.id, Role.USER, "kept words")
    gone = store.create("gone")
    for i in range(5):
        store.add_message(gone.id, Role.USER, f"cascade words {i}")
    store.delete(gone.id)
    raw = history.raw()
    counts = raw.execute(
        "SELECT conversation_id, count(*) FROM messages GROUP BY conversation_id"
    ).fetchall()
    assert counts == [(keep.id, 1)]
    assert store.search("cascade") == [] and store.search("gone") == []
    raw.execute("INSERT INTO message_fts (message_fts) VALUES ('integrity-check')")
    raw.execute("INSERT INTO title_fts (title_fts) VALUES ('integrity-check')")


def test_text_updates_are_batched_by_the_clock(history: History) -> None:
    store = history.open(flush_interval=1.0)
    conversation = store.create("batching")
    answer = store.add_message(conversation.id, Role.ASSISTANT, "", status=Status.STREAMING)

    store.update_message(answer.id, text="a")  # starts the interval
    history.clock.now += 0.5
    store.update_message(answer.id, text="ab")
    assert history.disk_text(answer.id) == ""  # held back...
    assert store.messages(conversation.id)[0].text == "ab"  # ...yet visible to readers
    history.clock.now += 0.5
    store.update_message(answer.id, text="abc")  # due: written with the latest text
    assert history.disk_text(answer.id) == "abc"

    history.clock.now += 0.1
    store.update_message(answer.id, text="abcd")
    assert history.disk_text(answer.id) == "abc"
    store.update_message(answer.id, status=Status.STOPPED)  # status change: at once
    assert history.disk_text(answer.id) == "abcd"

    store.update_message(answer.id, text="abcde")
    assert history.disk_text(answer.id) == "abcd"
    store.flush()
    assert history.disk_text(answer.id) == "abcde"

    store.update_message(answer.id, text="abcdef")
    assert [h.message_id for h in store.search("abcdef")] == [answer.id]  # search flushes
    store.update_message(answer.id, text="abcdefg")
    store.close()
    assert history.disk_text(answer.id) == "abcdefg"


def test_a_held_back_update_of_a_deleted_message_is_dropped(history: History) -> None:
    store = history.open()
    conversation = store.create("c")
    answer = store.add_message(conversation.id, Role.ASSISTANT, "", status=Status.STREAMING)
    store.update_message(answer.id, text="pending")
    store.delete(conversation.id)
    store.flush()
    assert store.conversations() == []


def test_search_over_many_conversations(history: History) -> None:
    store = history.open()
    for i in range(40):
        conversation = store.create(f"Routine review {i}")
        store.add_message(conversation.id, Role.USER, f"Blood pressure check number {i}.")
        store.add_message(conversation.id, Role.ASSISTANT, "Continue the current plan.")
    old = store.conversations()[-1]
    store.add_message(old.id, Role.ASSISTANT, "Consider hyperkalaemia with this ACE inhibitor.")
    hits = store.search("hyperkal")
    assert [(h.conversation_id, h.title) for h in hits] == [(old.id, "Routine review 0")]
    assert f"{HIT_START}hyperkalaemia{HIT_END}" in hits[0].snippet

    assert [h.message_id for h in store.search("Routine 7") if h.message_id is None] == [None]
    assert len(store.search("blood pressure")) == 40
    assert len(store.search("blood", limit=5)) == 5
    # Diacritics and case do not matter.
    store.add_message(old.id, Role.USER, "Fièvre à 39°C")
    assert len(store.search("FIEVRE")) == 1


def test_snippets_are_short_and_marked(history: History) -> None:
    store = history.open()
    conversation = store.create("Long")
    words = [f"word{i}" for i in range(200)]
    words[100] = "needle"
    store.add_message(conversation.id, Role.ASSISTANT, " ".join(words))
    [hit] = store.search("needle")
    assert f"{HIT_START}needle{HIT_END}" in hit.snippet
    assert len(unmark(hit.snippet).replace("…", "").split()) <= 12


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "a OR b",
        "NOT",
        "AND",
        "NEAR(a b)",
        "title:fever",
        "fever*",
        "*",
        "^fever",
        "(fever",
        "fever)",
        "-fever",
        "+",
        "{a b}: c",
        "a AND OR NOT b",
        "\\",
        "'; DROP TABLE messages; --",
        "\x00",
        "\ue000",
    ],
)
def test_search_never_raises_on_fts_syntax(history: History, query: str) -> None:
    store = history.open()
    conversation = store.create("fever")
    store.add_message(conversation.id, Role.USER, 'fever "quoted" a b c NOT OR AND near')
    hits = store.search(query)
    assert isinstance(hits, list)
    assert store.conversations() != []


def test_fts_query_quotes_every_word() -> None:
    assert fts_query("") == ""
    assert fts_query(' " - * ') == ""
    assert fts_query("fever child") == '"fever"* AND "child"*'
    assert fts_query('say "hi" OR') == '"say"* AND """hi"""* AND "OR"*'


def test_recover_interrupted_on_reopen(history: History) -> None:
    store = history.open()
    conversation = store.create("crash")
    question = store.add_message(conversation.id, Role.USER, "q")
    streaming = store.add_message(conversation.id, Role.ASSISTANT, "", status=Status.STREAMING)
    store.update_message(streaming.id, text="partial answer")
    store.flush()
    queued = store.add_message(conversation.id, Role.ASSISTANT, "", status=Status.QUEUED)
    store.flush()
    # Simulate a crash: drop the store without close() (the connection just goes away).
    store._db.close()
    store._closed = True

    again = history.open()
    assert again.recovered == 2
    statuses = {m.id: (m.status, m.text) for m in again.messages(conversation.id)}
    assert statuses == {
        question.id: (Status.COMPLETE, "q"),
        streaming.id: (Status.INTERRUPTED, "partial answer"),
        queued.id: (Status.FAILED, ""),
    }
    assert again.recover_interrupted() == 0


def test_integrity_checks_pass_after_use(history: History) -> None:
    store = history.open()
    for i in range(30):
        conversation = store.create(f"c{i}")
        answer = store.add_message(conversation.id, Role.ASSISTANT, "", status=Status.STREAMING)
        for j in range(20):
            history.clock.now += 0.3
            store.update_message(answer.id, text=f"token {j} " * j)
        store.update_message(answer.id, status=Status.COMPLETE)
        if i % 3 == 0:
            store.delete(conversation.id)
    store.close()
    raw = history.raw()
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert raw.execute("PRAGMA cipher_integrity_check").fetchall() == []
    raw.execute("INSERT INTO message_fts (message_fts) VALUES ('integrity-check')")
    assert raw.execute("PRAGMA foreign_key_check").fetchall() == []


def _files_contain(folder: Path, phrase: str) -> list[str]:
    needles = [phrase.encode(encoding) for encoding in ("utf-8", "utf-16-le", "utf-16-be")]
    needles += [word.encode("utf-8") for word in phrase.split() if len(word) > 8]
    found = []
    for path in folder.iterdir():
        if path.is_file():
            data = path.read_bytes()
            found += [f"{path.name}: {needle!r}" for needle in needles if needle in data]
    return found


def test_no_plaintext_on_disk(history: History) -> None:
    store = history.open()
    conversation = store.create(f"About {SENTINEL}")
    answer = store.add_message(conversation.id, Role.ASSISTANT, "", status=Status.STREAMING)
    for i in range(10):
        history.clock.now += 0.6
        store.update_message(answer.id, text=f"{SENTINEL} " * i)
    store.add_message(conversation.id, Role.USER, SENTINEL)
    assert store.search("Zebrafinch")
    # While open, the WAL and shared-memory files exist too.
    names = {p.name for p in history.folder.iterdir()}
    assert {"history.db", "history.db-wal"} <= names
    assert _files_contain(history.folder, SENTINEL) == []
    store.close()
    assert _files_contain(history.folder, SENTINEL) == []
    assert (
        not (history.folder / "history.db-wal").exists()
        or (history.folder / "history.db-wal").stat().st_size == 0
    )


def test_delete_all_removes_everything(history: History) -> None:
    store = history.open()
    for i in range(5):
        conversation = store.create(f"c{i}")
        store.add_message(conversation.id, Role.USER, "private words")
    store.delete_all()
    assert store.conversations() == [] and store.search("private") == []
    raw = history.raw()
    assert raw.execute("SELECT count(*) FROM messages").fetchone() == (0,)
    assert raw.execute("SELECT count(*) FROM conversations").fetchone() == (0,)
    store.create("after")
    assert [c.title for c in store.conversations()] == ["after"]


def test_pragmas(history: History) -> None:
    store = history.open()
    db = store._db
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("PRAGMA secure_delete").fetchone() == (1,)
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    assert store.schema_version_found == 0


# -- migrations ------------------------------------------------------------------------------------
def _add_flag_column(connection: Any) -> None:
    connection.execute("ALTER TABLE conversations ADD COLUMN flagged INTEGER NOT NULL DEFAULT 0")


def test_migration_to_a_new_version_keeps_the_data(history: History) -> None:
    store = history.open()
    conversation = store.create("old data")
    store.add_message(conversation.id, Role.USER, "remember me")
    store.close()

    newer: list[Migration] = [*MIGRATIONS, _add_flag_column]
    upgraded = history.open(migrations=newer)
    assert upgraded.schema_version_found == SCHEMA_VERSION
    db = upgraded._db
    assert db.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION + 1,)
    assert db.execute("SELECT title, flagged FROM conversations").fetchall() == [("old data", 0)]
    assert [m.text for m in upgraded.messages(conversation.id)] == ["remember me"]
    assert upgraded.search("remember")
    upgraded.close()
    assert history.open(migrations=newer).schema_version_found == SCHEMA_VERSION + 1


def test_old_default_titles_become_untitled(history: History) -> None:
    """Version 1 stored "New conversation" in the language of the moment; version 2 stores
    no title, so the window names it in the current language (issue 11, item 8)."""
    v1 = history.open(migrations=MIGRATIONS[:1])
    titles = ["New conversation", "Nueva conversación", "New conversation about gout", "Fiebre"]
    ids = [v1.create(title).id for title in titles]
    v1.add_message(ids[1], Role.USER, "dolor torácico")
    v1.close()

    store = history.open()
    assert store.schema_version_found == 1
    assert [store.conversation(i).title for i in ids] == [
        UNTITLED,
        UNTITLED,
        "New conversation about gout",
        "Fiebre",
    ]
    assert [m.text for m in store.messages(ids[1])] == ["dolor torácico"]
    assert store.search("nueva") == [], "the title index follows the migration"
    assert [hit.conversation_id for hit in store.search("gout")] == [ids[2]]
    store.close()
    raw = history.raw()
    raw.execute("INSERT INTO title_fts (title_fts) VALUES ('integrity-check')")


def test_a_failing_migration_changes_nothing(history: History) -> None:
    history.open().close()

    def broken(connection: Any) -> None:
        _add_flag_column(connection)
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        history.open(migrations=[*MIGRATIONS, broken])
    raw = history.raw()
    assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
    columns = [row[1] for row in raw.execute("PRAGMA table_info(conversations)")]
    assert "flagged" not in columns


def test_a_newer_database_is_refused_untouched(history: History) -> None:
    history.open(migrations=[*MIGRATIONS, _add_flag_column]).close()
    before = history.path.read_bytes()
    with pytest.raises(NewerSchemaError):
        history.open()
    assert history.path.read_bytes() == before


def test_closed_store_refuses_writes(history: History) -> None:
    store = history.open()
    store.close()
    with pytest.raises(RuntimeError):
        store.create("x")


def test_renaming_keeps_the_conversations_place(any_store: ConversationStore) -> None:
    """The next right-click must hit the conversation the clinician meant (issue 11, item 2)."""
    older = any_store.create("Older")
    any_store.add_message(older.id, Role.USER, "first")
    newer = any_store.create("Newer")
    any_store.add_message(newer.id, Role.USER, "second")
    order = [c.id for c in any_store.conversations()]
    any_store.rename(older.id, "Renamed")
    assert [c.id for c in any_store.conversations()] == order
    assert any_store.conversation(older.id).title == "Renamed"
