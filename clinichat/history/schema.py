"""The history database's tables and how an older file is brought up to date (Qt-free).

`migrate` runs at every open, in one transaction: a file from an older ClinicChat gains the
newer tables and columns, a file from a newer one is refused untouched (`NewerSchemaError`)
rather than half-understood.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from clinichat.documents.schema import create_document_tables, index_vectors_by_model
from clinichat.history.database import DatabaseError
from clinichat.history.store import UNTITLED
from clinichat.messages import QT_TRANSLATE_NOOP

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "Connection", "Migration", "NewerSchemaError", "migrate"]

# sqlcipher3 ships no type information; a connection is used through the DB-API only.
Connection = Any
Migration = Callable[[Connection], None]


class NewerSchemaError(DatabaseError):
    """The history was written by a newer ClinicChat; it is left untouched."""


# Full-text search: two FTS5 tables with *external content* -- `message_fts` indexes
# messages.text, `title_fts` indexes conversations.title -- kept in sync by triggers.
# External content keeps each text once (in its own table) yet lets snippet() read it back;
# a contentless table could not produce snippets, and a plain FTS table would store every
# message twice. Two tables rather than one because an external-content table maps its rowid
# to a single content table. FTS5's own 'secure-delete' option makes deletions remove the
# terms from the index b-tree at once instead of leaving them until the next segment merge,
# to match `PRAGMA secure_delete`. Tokenizer: unicode61 without diacritics ("fievre" finds
# "fièvre").
_SCHEMA_V1 = (
    """
    CREATE TABLE conversations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        title TEXT NOT NULL,
        system_prompt TEXT NOT NULL DEFAULT '',
        model TEXT,
        pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
        created REAL NOT NULL,
        updated REAL NOT NULL
    )
    """,
    # AUTOINCREMENT: ids are never reused, so an answer still streaming into a message of a
    # deleted conversation can never land in a newer message.
    """
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id INTEGER NOT NULL
            REFERENCES conversations (id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        text TEXT NOT NULL,
        status TEXT NOT NULL,
        model TEXT,
        tokens INTEGER,
        time_to_first_token REAL,
        tokens_per_second REAL,
        created REAL NOT NULL
    )
    """,
    "CREATE INDEX conversations_by_order ON conversations (pinned DESC, updated DESC, id DESC)",
    "CREATE INDEX messages_by_conversation ON messages (conversation_id, id)",
    "CREATE INDEX messages_by_status ON messages (status)",
    """
    CREATE VIRTUAL TABLE message_fts USING fts5 (
        text, content='messages', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE VIRTUAL TABLE title_fts USING fts5 (
        title, content='conversations', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    "INSERT INTO message_fts (message_fts, rank) VALUES ('secure-delete', 1)",
    "INSERT INTO title_fts (title_fts, rank) VALUES ('secure-delete', 1)",
    """
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO message_fts (rowid, text) VALUES (new.id, new.text);
    END
    """,
    """
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO message_fts (message_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END
    """,
    """
    CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages
    WHEN old.text IS NOT new.text BEGIN
        INSERT INTO message_fts (message_fts, rowid, text) VALUES ('delete', old.id, old.text);
        INSERT INTO message_fts (rowid, text) VALUES (new.id, new.text);
    END
    """,
    """
    CREATE TRIGGER conversations_fts_insert AFTER INSERT ON conversations BEGIN
        INSERT INTO title_fts (rowid, title) VALUES (new.id, new.title);
    END
    """,
    """
    CREATE TRIGGER conversations_fts_delete AFTER DELETE ON conversations BEGIN
        INSERT INTO title_fts (title_fts, rowid, title) VALUES ('delete', old.id, old.title);
    END
    """,
    """
    CREATE TRIGGER conversations_fts_update AFTER UPDATE OF title ON conversations
    WHEN old.title IS NOT new.title BEGIN
        INSERT INTO title_fts (title_fts, rowid, title) VALUES ('delete', old.id, old.title);
        INSERT INTO title_fts (rowid, title) VALUES (new.id, new.title);
    END
    """,
)


def _migrate_0_to_1(connection: Connection) -> None:
    for statement in _SCHEMA_V1:
        connection.execute(statement)


# Version 1 stored a new conversation's default title as text, in the language of the moment.
# These are exactly the defaults it wrote; a title the clinician typed is never one of them
# (or reads the same as the default in the language it was typed in).
_V1_DEFAULT_TITLES = ("New conversation", "Nueva conversación")


def _migrate_1_to_2(connection: Connection) -> None:
    """Old default titles become `UNTITLED`, so they follow the language like new ones."""
    marks = ", ".join("?" for _ in _V1_DEFAULT_TITLES)
    connection.execute(
        f"UPDATE conversations SET title = ? WHERE title IN ({marks})",
        (UNTITLED, *_V1_DEFAULT_TITLES),
    )


# MIGRATIONS[n] turns a version-n database into version n+1. Append, never edit.
MIGRATIONS: tuple[Migration, ...] = (
    _migrate_0_to_1,
    _migrate_1_to_2,
    create_document_tables,
    index_vectors_by_model,
)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(connection: Connection, migrations: Sequence[Migration] = MIGRATIONS) -> int:
    """Bring the schema to `len(migrations)` in one transaction; return the old version."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        version = int(connection.execute("PRAGMA user_version").fetchone()[0])
        if version > len(migrations):
            raise NewerSchemaError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The history was saved by a newer version of ClinicChat (format {found},"
                    " this version reads up to {known}). It has not been changed; update"
                    " ClinicChat to open it.",
                ),
                found=version,
                known=len(migrations),
            )
        for target, step in enumerate(migrations[version:], start=version + 1):
            step(connection)
            connection.execute(f"PRAGMA user_version = {int(target)}")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
    return version
