"""The document library's tables, inside the encrypted history database (schema versions 3 and 4).

Documents live in the same SQLCipher file as the conversations, so their text, passages and
index are encrypted with the same key, locked with the same lock, and never need a second
file. `passage_fts` indexes each passage's heading and text with the history's tokenizer
(unicode61 without diacritics: "profilaxis antibiotica" finds "profilaxis antibiótica"),
with external content (each passage stored once) and FTS5's secure-delete, like the
history's own indexes.
"""

from __future__ import annotations

from sqlcipher3.dbapi2 import Connection

_STATEMENTS = (
    """
    CREATE TABLE doc_collections (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        created REAL NOT NULL
    )
    """,
    # One row per file added, indexed or not: `problem` says why a file has no passages.
    """
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        collection_id INTEGER NOT NULL REFERENCES doc_collections (id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        name TEXT NOT NULL,
        size INTEGER NOT NULL,
        mtime REAL NOT NULL,
        sha256 TEXT NOT NULL,
        pages INTEGER,
        problem TEXT,
        indexed REAL NOT NULL,
        UNIQUE (collection_id, path)
    )
    """,
    """
    CREATE TABLE doc_passages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        page INTEGER,
        heading TEXT NOT NULL,
        text TEXT NOT NULL
    )
    """,
    "CREATE INDEX doc_passages_by_document ON doc_passages (document_id, ordinal)",
    # Each page's (or section's) whole text, so a citation opens on its page.
    """
    CREATE TABLE doc_pages (
        document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        page INTEGER,
        heading TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (document_id, ordinal)
    )
    """,
    # Each passage's embedding from one model (documents.vectors), float32 bytes.
    """
    CREATE TABLE passage_vectors (
        passage_id INTEGER PRIMARY KEY REFERENCES doc_passages (id) ON DELETE CASCADE,
        model TEXT NOT NULL,
        vector BLOB NOT NULL
    )
    """,
    # Folders kept up to date: new and changed files indexed, removed ones forgotten.
    """
    CREATE TABLE doc_watched (
        folder TEXT PRIMARY KEY,
        collection_id INTEGER NOT NULL REFERENCES doc_collections (id) ON DELETE CASCADE
    )
    """,
    """
    CREATE VIRTUAL TABLE passage_fts USING fts5 (
        heading, text, content='doc_passages', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    "INSERT INTO passage_fts (passage_fts, rank) VALUES ('secure-delete', 1)",
    # The collections a conversation asks, and whether it answers from them only.
    """
    CREATE TABLE conversation_documents (
        conversation_id INTEGER NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        collection_id INTEGER NOT NULL REFERENCES doc_collections (id) ON DELETE CASCADE,
        PRIMARY KEY (conversation_id, collection_id)
    )
    """,
    """
    CREATE TABLE conversation_documents_only (
        conversation_id INTEGER PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE
    )
    """,
    # The passages an answer was given, as they were then: a citation still opens after the
    # document changed or was removed.
    """
    CREATE TABLE message_sources (
        message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        ordinal INTEGER NOT NULL,
        document TEXT NOT NULL,
        path TEXT NOT NULL,
        page INTEGER,
        heading TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (message_id, ordinal)
    )
    """,
    """
    CREATE TRIGGER doc_passages_fts_insert AFTER INSERT ON doc_passages BEGIN
        INSERT INTO passage_fts (rowid, heading, text) VALUES (new.id, new.heading, new.text);
    END
    """,
    """
    CREATE TRIGGER doc_passages_fts_delete AFTER DELETE ON doc_passages BEGIN
        INSERT INTO passage_fts (passage_fts, rowid, heading, text)
        VALUES ('delete', old.id, old.heading, old.text);
    END
    """,
)


def create_document_tables(connection: Connection) -> None:
    """Migration 2 -> 3: the (empty) document library."""
    for statement in _STATEMENTS:
        connection.execute(statement)


def index_vectors_by_model(connection: Connection) -> None:
    """Migration 3 -> 4: passage vectors indexed by model.

    Every search by meaning first asks how many vectors a model has (to know whether the
    matrix in memory is current); without this index that read every vector, 30 MB to
    decrypt for 10,000 pages, about 100 ms of each search. With it, a millisecond."""
    connection.execute(
        "CREATE INDEX passage_vectors_by_model ON passage_vectors (model, passage_id)"
    )
