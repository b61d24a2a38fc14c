"""Which documents a conversation asks, and the passages each answer was given.

Kept in the encrypted history beside the conversations they belong to (deleting a
conversation or an answer deletes them too). A source is stored as it was when the answer
was written, so "[2]" keeps opening the passage the model read even after the document has
changed or been removed from the library.
"""

from __future__ import annotations

from pathlib import Path

from sqlcipher3.dbapi2 import Connection

from clinichat.documents.library import Passage
from clinichat.history.database import transaction


class ConversationDocuments:
    """Per conversation: its collections and its "answer only from the documents" switch;
    per answer: its sources."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection

    def collections(self, conversation_id: int) -> list[str]:
        rows = self._db.execute(
            "SELECT c.name FROM conversation_documents AS d"
            " JOIN doc_collections AS c ON c.id = d.collection_id"
            " WHERE d.conversation_id = ? ORDER BY c.name",
            (conversation_id,),
        )
        return [name for (name,) in rows]

    def only_documents(self, conversation_id: int) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM conversation_documents_only WHERE conversation_id = ?",
            (conversation_id,),
        ).fetchone()
        return row is not None

    def choose(self, conversation_id: int, collections: list[str], only: bool) -> None:
        """Ask these collections (by name; unknown names are ignored) from now on."""
        marks = ", ".join("?" for _ in collections) or "NULL"
        with transaction(self._db):
            self._db.execute(
                "DELETE FROM conversation_documents WHERE conversation_id = ?", (conversation_id,)
            )
            self._db.execute(
                "INSERT INTO conversation_documents (conversation_id, collection_id)"
                f" SELECT ?, id FROM doc_collections WHERE name IN ({marks})",
                (conversation_id, *collections),
            )
            self._db.execute(
                "DELETE FROM conversation_documents_only WHERE conversation_id = ?",
                (conversation_id,),
            )
            if only and collections:
                self._db.execute(
                    "INSERT INTO conversation_documents_only (conversation_id) VALUES (?)",
                    (conversation_id,),
                )

    def save_sources(self, message_id: int, sources: list[Passage]) -> None:
        with transaction(self._db):
            self._db.execute("DELETE FROM message_sources WHERE message_id = ?", (message_id,))
            self._db.executemany(
                "INSERT INTO message_sources (message_id, ordinal, document, path, page,"
                " heading, text) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (message_id, n, s.document, str(s.path), s.page, s.heading, s.text)
                    for n, s in enumerate(sources, start=1)
                ],
            )

    def sources(self, message_ids: list[int]) -> dict[int, list[Passage]]:
        """The sources of these answers, in citation order ([1] first)."""
        found: dict[int, list[Passage]] = {}
        marks = ", ".join("?" for _ in message_ids)
        if not marks:
            return found
        rows = self._db.execute(
            "SELECT message_id, document, path, page, heading, text FROM message_sources"
            f" WHERE message_id IN ({marks}) ORDER BY message_id, ordinal",
            message_ids,
        )
        for message_id, document, path, page, heading, text in rows:
            found.setdefault(message_id, []).append(
                Passage(document, Path(path), page, heading, text, 0.0)
            )
        return found
