"""The encrypted history: a `ConversationStore` over an open SQLCipher connection (Qt-free).

Open the connection with `clinichat.history.database.open_encrypted`; the store takes it over
(and closes it in `close()`). On open it migrates the schema (`clinichat.history.schema`),
then marks answers a crash left unfinished (`recover_interrupted`).

Streaming answers change one message about 25 times a second. Those text-only updates are
held in memory and written in one short transaction at most once per `flush_interval`
(measured on `clock`, checked on every call), so a crash loses at most the last interval of
text while the disk sees about one write a second. Any change of status or stats is written
at once, together with everything still held back. Reads merge (messages) or flush (search)
the held-back text, so callers always see the latest state.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from clinichat.history.database import DatabaseError, transaction
from clinichat.history.schema import MIGRATIONS, Connection, Migration, migrate
from clinichat.history.store import (
    HIT_END,
    HIT_START,
    SEARCH_LIMIT,
    Conversation,
    Message,
    Role,
    SearchHit,
    Stats,
    Status,
    titles_not_repeated,
)
from clinichat.messages import QT_TRANSLATE_NOOP

SNIPPET_TOKENS = 12
CACHE_KIB = 32 * 1024
SNIPPET_ELLIPSIS = "…"


# -- search query ------------------------------------------------------------------------------
def fts_query(text: str) -> str:
    """The user's words as a safe FTS5 query: each quoted, prefix-matched, AND-ed.

    Quoting turns every FTS5 operator (AND/OR/NOT/NEAR, ^, *, :, parentheses, "...") into
    plain text. Chunks without a letter or digit are dropped: they would form an empty
    phrase, which matches nothing. Returns "" when nothing searchable is left.
    """
    phrases = [
        '"' + chunk.replace('"', '""') + '"*'
        for chunk in text.split()
        if any(char.isalnum() for char in chunk)
    ]
    return " AND ".join(phrases)


# Ranking and snippets in two steps: first the best `limit` rowids by bm25 (SQLite keeps a
# top-N heap), then snippets for those rows only. Putting snippet() in the ranking query
# would build one for every match; FTS5's own `ORDER BY rank` runs a nested statement per
# query and measured about 1.5x slower than `ORDER BY bm25()` here. MATERIALIZED pins the
# plan: one more MATCH scan joined to the few hits, never a MATCH per hit.
# Parameters: ?1 HIT_START, ?2 HIT_END, ?3 ellipsis, ?4 FTS query, ?5 limit.
_MESSAGE_SEARCH = f"""
    WITH hit AS MATERIALIZED (
        SELECT rowid AS id, bm25(message_fts) AS score
        FROM message_fts WHERE message_fts MATCH ?4 ORDER BY score LIMIT ?5
    ),
    marked AS MATERIALIZED (
        SELECT hit.id AS id, hit.score AS score,
               snippet(message_fts, 0, ?1, ?2, ?3, {SNIPPET_TOKENS}) AS snippet
        FROM hit JOIN message_fts ON message_fts.rowid = hit.id
        WHERE message_fts MATCH ?4
    )
    SELECT m.conversation_id, m.id, c.title, marked.snippet, marked.score
    FROM marked
    JOIN messages AS m ON m.id = marked.id
    JOIN conversations AS c ON c.id = m.conversation_id
    ORDER BY marked.score, m.id DESC
"""
# Titles are few and short: one step.
_TITLE_SEARCH = f"""
    SELECT rowid, title, snippet(title_fts, 0, ?1, ?2, ?3, {SNIPPET_TOKENS}), bm25(title_fts)
    FROM title_fts WHERE title_fts MATCH ?4 ORDER BY 4, rowid DESC LIMIT ?5
"""

_MESSAGE_COLUMNS = (
    "id, conversation_id, role, text, status, model, tokens, time_to_first_token,"
    " tokens_per_second, created"
)
_CONVERSATION_COLUMNS = "id, title, system_prompt, model, pinned, created, updated"


@dataclass
class _Pending:
    message: Message
    at: float  # wall-clock time of the last change, for the conversation's `updated`


class EncryptedStore:
    """`ConversationStore` over an open SQLCipher connection, which it takes over."""

    def __init__(
        self,
        connection: Connection,
        *,
        flush_interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> None:
        self._db = connection
        self._flush_interval = flush_interval
        self._clock = clock
        self._pending: dict[int, _Pending] = {}
        self._due: float | None = None  # clock time by which pending text must be written
        self._closed = False
        try:
            # Transactions are explicit (BEGIN IMMEDIATE ... COMMIT), never implicit.
            connection.isolation_level = None
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise DatabaseError(
                    QT_TRANSLATE_NOOP("Errors", "The history database could not be prepared.")
                )
            connection.execute("PRAGMA secure_delete = ON")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA temp_store = MEMORY")  # sorts never spill to files
            # Keep more decrypted pages: every page read from disk costs a decryption (AES +
            # HMAC). At 100,000 messages this took search p95 encrypted/plain from about 1.6
            # (SQLite's 8 MiB default) to about 1.3 (bench_history.py).
            connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self.schema_version_found = migrate(connection, migrations)
            # How many unfinished answers the last session left behind (see below).
            self.recovered = self.recover_interrupted()
        except BaseException:
            self._closed = True
            connection.close()
            raise

    @property
    def connection(self) -> Connection:
        """The open database, shared with the document library that lives in the same file."""
        return self._db

    # -- lifecycle -----------------------------------------------------------------------
    def recover_interrupted(self) -> int:
        """Finish the answers a crash left QUEUED or STREAMING; return how many.

        Those with text become INTERRUPTED (the partial answer is kept and shown as such);
        those still empty become FAILED, as the controller does on shutdown, so an empty
        answer is never remembered as a turn.
        """
        self.flush()
        unfinished = (Status.QUEUED.value, Status.STREAMING.value)
        with self._transaction():
            failed = self._db.execute(
                "UPDATE messages SET status = ? WHERE status IN (?, ?) AND text = ''",
                (Status.FAILED.value, *unfinished),
            ).rowcount
            interrupted = self._db.execute(
                "UPDATE messages SET status = ? WHERE status IN (?, ?)",
                (Status.INTERRUPTED.value, *unfinished),
            ).rowcount
        return int(failed) + int(interrupted)

    def flush(self) -> None:
        if not self._pending:
            self._due = None
            return
        pending = list(self._pending.values())
        with self._transaction():
            for item in pending:
                self._write_message(item.message)
                self._touch(item.message.conversation_id, item.at)
        self._pending.clear()
        self._due = None

    def close(self) -> None:
        if self._closed:
            return
        try:
            self.flush()
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            self._closed = True
            self._db.close()

    # -- conversations -------------------------------------------------------------------
    def conversations(self) -> list[Conversation]:
        rows = self._db.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations"
            " ORDER BY pinned DESC, updated DESC, id DESC"
        ).fetchall()
        return [_conversation(row) for row in rows]

    def conversation(self, conversation_id: int) -> Conversation:
        row = self._db.execute(
            f"SELECT {_CONVERSATION_COLUMNS} FROM conversations WHERE id = ?",
            (conversation_id,),
        ).fetchone()
        if row is None:
            raise KeyError(conversation_id)
        return _conversation(row)

    def create(self, title: str, system_prompt: str = "", model: str | None = None) -> Conversation:
        now = time.time()
        with self._transaction():
            cursor = self._db.execute(
                "INSERT INTO conversations (title, system_prompt, model, pinned, created, updated)"
                " VALUES (?, ?, ?, 0, ?, ?)",
                (title, system_prompt, model, now, now),
            )
        return Conversation(int(cursor.lastrowid), title, system_prompt, model, False, now, now)

    def rename(self, conversation_id: int, title: str) -> None:
        with self._transaction():
            self._changed(
                self._db.execute(
                    # `updated` is left alone: renaming keeps the conversation's place.
                    "UPDATE conversations SET title = ? WHERE id = ?",
                    (title, conversation_id),
                ),
                conversation_id,
            )

    def set_system_prompt(self, conversation_id: int, system_prompt: str) -> None:
        with self._transaction():
            self._changed(
                self._db.execute(
                    "UPDATE conversations SET system_prompt = ? WHERE id = ?",
                    (system_prompt, conversation_id),
                ),
                conversation_id,
            )

    def set_pinned(self, conversation_id: int, pinned: bool) -> None:
        with self._transaction():
            self._changed(
                self._db.execute(
                    "UPDATE conversations SET pinned = ? WHERE id = ?",
                    (int(pinned), conversation_id),
                ),
                conversation_id,
            )

    def delete(self, conversation_id: int) -> None:
        for message_id, item in list(self._pending.items()):
            if item.message.conversation_id == conversation_id:
                del self._pending[message_id]
        with self._transaction():  # messages go by ON DELETE CASCADE
            self._changed(
                self._db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,)),
                conversation_id,
            )

    def delete_all(self) -> None:
        self._pending.clear()
        self._due = None
        with self._transaction():
            self._db.execute("DELETE FROM messages")
            self._db.execute("DELETE FROM conversations")
        # Old page images would otherwise linger (encrypted) in the WAL until a checkpoint.
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    # -- messages ------------------------------------------------------------------------
    def messages(self, conversation_id: int) -> list[Message]:
        rows = self._db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY id",
            (conversation_id,),
        ).fetchall()
        messages = [_message(row) for row in rows]
        return [self._pending[m.id].message if m.id in self._pending else m for m in messages]

    def add_message(
        self,
        conversation_id: int,
        role: Role,
        text: str,
        *,
        status: Status = Status.COMPLETE,
        model: str | None = None,
    ) -> Message:
        now = time.time()
        with self._transaction():
            self._touch(conversation_id, now, strict=True)
            cursor = self._db.execute(
                "INSERT INTO messages (conversation_id, role, text, status, model, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (conversation_id, role.value, text, status.value, model, now),
            )
        return Message(int(cursor.lastrowid), conversation_id, role, text, status, model, None, now)

    def update_message(
        self,
        message_id: int,
        *,
        text: str | None = None,
        status: Status | None = None,
        stats: Stats | None = None,
    ) -> Message:
        held = self._pending.get(message_id)
        current = held.message if held is not None else self._load_message(message_id)
        message = replace(
            current,
            text=current.text if text is None else text,
            status=current.status if status is None else status,
            stats=current.stats if stats is None else stats,
        )
        self._pending[message_id] = _Pending(message, time.time())
        if status is not None or stats is not None:
            self.flush()  # a status or stats change is written at once, with the latest text
            return message
        now = self._clock()
        if self._due is None:
            self._due = now + self._flush_interval
        if now >= self._due:
            self.flush()
        return message

    def delete_message(self, message_id: int) -> None:
        self._pending.pop(message_id, None)
        with self._transaction():
            self._changed(
                self._db.execute("DELETE FROM messages WHERE id = ?", (message_id,)), message_id
            )

    # -- search --------------------------------------------------------------------------
    def search(self, query: str, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """Messages and titles matching every word (as a prefix), best bm25 first."""
        match = fts_query(query)
        if not match or limit <= 0:
            return []
        self.flush()
        marks = (HIT_START, HIT_END, SNIPPET_ELLIPSIS, match, limit)
        scored: list[tuple[float, SearchHit]] = []
        for conversation_id, title, snippet, score in self._db.execute(_TITLE_SEARCH, marks):
            scored.append((score, SearchHit(conversation_id, None, title, snippet)))
        for row in self._db.execute(_MESSAGE_SEARCH, marks):
            conversation_id, message_id, title, snippet, score = row
            scored.append((score, SearchHit(conversation_id, message_id, title, snippet)))
        # bm25 is lower-is-better; titles and messages are scored in separate indexes, so
        # the merge is approximate. Ties keep titles first.
        scored.sort(key=lambda pair: pair[0])
        return titles_not_repeated([hit for _, hit in scored])[:limit]

    # -- helpers -------------------------------------------------------------------------
    @contextmanager
    def _transaction(self) -> Iterator[None]:
        if self._closed:
            raise RuntimeError("the history store is closed")
        with transaction(self._db):
            yield

    def _load_message(self, message_id: int) -> Message:
        row = self._db.execute(
            f"SELECT {_MESSAGE_COLUMNS} FROM messages WHERE id = ?", (message_id,)
        ).fetchone()
        if row is None:
            raise KeyError(message_id)
        return _message(row)

    def _write_message(self, message: Message) -> None:
        stats = message.stats
        self._db.execute(
            "UPDATE messages SET text = ?, status = ?, tokens = ?, time_to_first_token = ?,"
            " tokens_per_second = ? WHERE id = ?",
            (
                message.text,
                message.status.value,
                None if stats is None else stats.tokens,
                None if stats is None else stats.time_to_first_token,
                None if stats is None else stats.tokens_per_second,
                message.id,
            ),
        )

    def _touch(self, conversation_id: int, at: float, *, strict: bool = False) -> None:
        cursor = self._db.execute(
            "UPDATE conversations SET updated = max(updated, ?) WHERE id = ?",
            (at, conversation_id),
        )
        if strict:
            self._changed(cursor, conversation_id)

    @staticmethod
    def _changed(cursor: Any, key: int) -> None:
        """Raise KeyError (as MemoryStore does) when a statement matched no row."""
        if cursor.rowcount == 0:
            raise KeyError(key)


def _conversation(row: Sequence[Any]) -> Conversation:
    id_, title, system_prompt, model, pinned, created, updated = row
    return Conversation(id_, title, system_prompt, model, bool(pinned), created, updated)


def _message(row: Sequence[Any]) -> Message:
    id_, conversation_id, role, text, status, model, tokens, ttft, tps, created = row
    stats = None if tokens is None else Stats(tokens, ttft, tps)
    return Message(id_, conversation_id, Role(role), text, Status(status), model, stats, created)
