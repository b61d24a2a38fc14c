"""The clinic's documents, indexed inside the encrypted history: add, list, search, remove.

Each file is read, cut into passages and stored in one transaction of its own, so a run that
is interrupted keeps every file it finished and the next run skips them (a file is known by
its path, size, modification time and SHA-256). A file that cannot be read is recorded with
the reason and never stops the others. The text goes from memory straight into SQLCipher:
no temporary or cache file ever holds it (the store keeps SQLite's temp store in memory).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from sqlcipher3.dbapi2 import Connection

from clinichat.documents.extract import DocumentError
from clinichat.documents.reading import Read, files_in, read
from clinichat.documents.search_terms import search_query
from clinichat.documents.vectors import PassageVectors, QueryMeaning
from clinichat.history.database import transaction
from clinichat.messages import QT_TRANSLATE_NOOP, UserError

DEFAULT_COLLECTION: Final = "General"
SEARCH_LIMIT: Final = 5
# Each ranking's best this many take part in the fusion; RRF's usual constant.
CANDIDATES: Final = 50
RRF_K: Final = 60


@dataclass(frozen=True)
class Outcome:
    """What happened to one file: "indexed", "unchanged", "failed" or "removed"."""

    path: Path
    status: str
    passages: int = 0
    problem: DocumentError | None = None  # str(): in English; render(tr): translated


@dataclass(frozen=True)
class DocumentRow:
    collection: str
    name: str
    path: Path
    pages: int | None
    passages: int
    problem: DocumentError | None


@dataclass(frozen=True)
class Passage:
    """One search hit: the passage and where it is (page None: a section of DOCX or text)."""

    document: str
    path: Path
    page: int | None
    heading: str
    text: str
    score: float
    id: int = 0  # the passage's row in this library (0: a citation kept with an answer)


@dataclass(frozen=True)
class PageText:
    """A page's text and where a cited passage lies in it (`start`:`end`)."""

    text: str
    start: int
    end: int


class DocumentLibrary:
    """Collections of files and their passages, in the history's encrypted database."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection
        self.vectors = PassageVectors(connection)

    @property
    def connection(self) -> Connection:
        return self._db

    # -- adding ----------------------------------------------------------------------------
    def add(
        self,
        paths: Iterable[Path],
        collection: str = DEFAULT_COLLECTION,
        progress: Callable[[Outcome], None] | None = None,
    ) -> list[Outcome]:
        """Index files and (recursively) the readable files in folders; one outcome each."""
        collection_id = self.collection_id(collection)
        outcomes = []
        for path in files_in(paths):
            outcome = self._index(collection_id, path)
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
        return outcomes

    def reindex(self, progress: Callable[[Outcome], None] | None = None) -> list[Outcome]:
        """Every known file again: changed ones re-read, missing ones removed."""
        outcomes = []
        rows = self._db.execute("SELECT id, collection_id, path FROM documents ORDER BY id")
        for document_id, collection_id, path_text in rows.fetchall():
            path = Path(path_text)
            if path.exists():
                outcome = self._index(collection_id, path)
            else:
                with transaction(self._db):
                    self._db.execute("DELETE FROM documents WHERE id = ?", (document_id,))
                outcome = Outcome(path, "removed")
            outcomes.append(outcome)
            if progress is not None:
                progress(outcome)
        return outcomes

    def _index(self, collection_id: int, path: Path) -> Outcome:
        return self.unchanged(collection_id, path) or self.store(collection_id, read(path))

    def unchanged(self, collection_id: int, path: Path) -> Outcome | None:
        """The outcome for a file indexed as it is now (same size and modification time),
        without reading it again; None when it must be read."""
        path = path.resolve()
        try:
            stat = path.stat()
        except OSError:
            return None
        row = self._db.execute(
            "SELECT id, size, mtime, problem FROM documents WHERE collection_id = ? AND path = ?",
            (collection_id, str(path)),
        ).fetchone()
        if row is None or tuple(row[1:3]) != (stat.st_size, stat.st_mtime):
            return None
        if row[3]:
            return Outcome(path, "failed", problem=_decoded(row[3]))
        return Outcome(path, "unchanged", self._passage_count(row[0]))

    def store(self, collection_id: int, found: Read) -> Outcome:
        """Put what `read` found into the library, in one transaction (main thread only)."""
        if found.digest is None:  # not readable now: what was indexed stays as it was
            return Outcome(found.path, "failed", problem=found.problem)
        known = self._db.execute(
            "SELECT id, size, mtime, sha256, problem FROM documents"
            " WHERE collection_id = ? AND path = ?",
            (collection_id, str(found.path)),
        ).fetchone()
        if known is not None and tuple(known[1:4]) == (found.size, found.mtime, found.digest):
            count = self._passage_count(known[0])
            problem = _decoded(known[4]) if known[4] else None
            return Outcome(found.path, "failed" if problem else "unchanged", count, problem)
        with transaction(self._db):
            if known is not None:
                self._db.execute("DELETE FROM documents WHERE id = ?", (known[0],))
            document_id = self._db.execute(
                "INSERT INTO documents (collection_id, path, name, size, mtime, sha256, pages,"
                " problem, indexed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    collection_id,
                    str(found.path),
                    found.path.name,
                    found.size,
                    found.mtime,
                    found.digest,
                    found.page_count,
                    _encoded(found.problem) if found.problem else None,
                    time.time(),
                ),
            ).lastrowid
            self._db.executemany(
                "INSERT INTO doc_passages (document_id, ordinal, page, heading, text)"
                " VALUES (?, ?, ?, ?, ?)",
                [(document_id, n, p.page, p.heading, p.text) for n, p in enumerate(found.passages)],
            )
            self._db.executemany(
                "INSERT INTO doc_pages (document_id, ordinal, page, heading, text)"
                " VALUES (?, ?, ?, ?, ?)",
                [(document_id, n, p.number, p.heading, p.text) for n, p in enumerate(found.pages)],
            )
        if found.problem is not None:
            return Outcome(found.path, "failed", problem=found.problem)
        return Outcome(found.path, "indexed", len(found.passages))

    # -- reading ---------------------------------------------------------------------------
    def documents(self) -> list[DocumentRow]:
        rows = self._db.execute(
            "SELECT c.name, d.name, d.path, d.pages, d.problem,"
            " (SELECT count(*) FROM doc_passages AS p WHERE p.document_id = d.id)"
            " FROM documents AS d JOIN doc_collections AS c ON c.id = d.collection_id"
            " ORDER BY c.name, d.name, d.id"
        )
        return [
            DocumentRow(
                collection, name, Path(path), pages, count, _decoded(problem) if problem else None
            )
            for collection, name, path, pages, problem, count in rows
        ]

    def search(
        self,
        query: str,
        *,
        collections: Sequence[str] | None = None,
        limit: int = SEARCH_LIMIT,
        meaning: QueryMeaning | None = None,
    ) -> list[Passage]:
        """The passages that best match `query`, best first; from the named collections only,
        when given. By words (bm25, headings weigh double) and, given the query's `meaning`,
        also by meaning, the two rankings fused by reciprocal rank (each passage scores
        1/(RRF_K + rank) in each list it is in), so neither kind of match can drown the other.
        """
        if limit <= 0 or collections == []:
            return []
        names = list(collections or [])
        pool = CANDIDATES if meaning is not None else limit
        match = search_query(query)
        by_words = self._by_words(match, names, pool) if match else []
        if meaning is None:
            return self._passages(by_words)
        within = self._collection_ids(names) if names else None
        nearest = self.vectors.nearest(meaning.model, meaning.vector, within, pool)
        by_meaning = [i for i, _ in nearest]
        fused: dict[int, float] = {}
        for ranking in (by_words, by_meaning):
            for rank, passage_id in enumerate(ranking):
                fused[passage_id] = fused.get(passage_id, 0.0) + 1.0 / (RRF_K + rank + 1)
        best = sorted(fused, key=lambda i: (-fused[i], i))[:limit]
        return [replace(p, score=fused[p.id]) for p in self._passages(best)]

    def _by_words(self, match: str, names: list[str], limit: int) -> list[int]:
        within = f" AND c.name IN ({', '.join('?' for _ in names)})" if names else ""
        rows = self._db.execute(
            "SELECT p.id FROM passage_fts"
            " JOIN doc_passages AS p ON p.id = passage_fts.rowid"
            " JOIN documents AS d ON d.id = p.document_id"
            " JOIN doc_collections AS c ON c.id = d.collection_id"
            f" WHERE passage_fts MATCH ?{within}"
            " ORDER BY bm25(passage_fts, 2.0, 1.0), p.id LIMIT ?",
            (match, *names, limit),
        )
        return [int(i) for (i,) in rows]

    def _passages(self, ids: list[int]) -> list[Passage]:
        """The passages with these ids, in this order (score: 1/rank)."""
        if not ids:
            return []
        rows = self._db.execute(
            "SELECT p.id, d.name, d.path, p.page, p.heading, p.text FROM doc_passages AS p"
            " JOIN documents AS d ON d.id = p.document_id"
            f" WHERE p.id IN ({', '.join('?' for _ in ids)})",
            ids,
        )
        found = {
            int(i): Passage(name, Path(path), page, heading, text, 0.0, int(i))
            for i, name, path, page, heading, text in rows
        }
        ranked = [found[i] for i in ids if i in found]
        return [replace(p, score=1.0 / rank) for rank, p in enumerate(ranked, 1)]

    def _collection_ids(self, names: list[str]) -> list[int]:
        rows = self._db.execute(
            f"SELECT id FROM doc_collections WHERE name IN ({', '.join('?' for _ in names)})",
            names,
        )
        return [int(i) for (i,) in rows]

    def page_text(self, source: Passage) -> PageText | None:
        """The whole page (or section) a passage came from, as indexed now, with where the
        passage is in it; None when the document is gone, changed, or has no such passage."""
        words = source.text.split()
        if not words:
            return None
        section = "p.page = ?" if source.page is not None else "p.page IS NULL AND p.heading = ?"
        rows = self._db.execute(
            "SELECT p.text FROM doc_pages AS p JOIN documents AS d ON d.id = p.document_id"
            f" WHERE d.path = ? AND {section} ORDER BY d.id, p.ordinal",
            (str(source.path), source.page if source.page is not None else source.heading),
        )
        # Passages are the page's words joined by single spaces: match them across any
        # run of white space (line breaks, tabs) in the page.
        pattern = re.compile(r"\s+".join(re.escape(word) for word in words))
        for (text,) in rows:
            found = pattern.search(text)
            if found is not None:
                return PageText(text, found.start(), found.end())
        return None

    def collections(self) -> list[str]:
        return [n for (n,) in self._db.execute("SELECT name FROM doc_collections ORDER BY name")]

    # -- removing --------------------------------------------------------------------------
    def remove(self, name_or_path: str) -> int:
        """Forget the documents with this file name or path, or a whole collection by name;
        their passages go with them. Returns how many documents went."""
        path = str(Path(name_or_path).expanduser().resolve())
        with transaction(self._db):
            removed = self._db.execute(
                "DELETE FROM documents WHERE path = ? OR name = ?"
                " OR collection_id IN (SELECT id FROM doc_collections WHERE name = ?)",
                (path, name_or_path, name_or_path),
            ).rowcount
            self._db.execute(  # emptied collections go, unless a watched folder fills one
                "DELETE FROM doc_collections WHERE id NOT IN (SELECT collection_id FROM documents)"
                " AND id NOT IN (SELECT collection_id FROM doc_watched)"
            )
        return int(removed)

    # -- helpers ---------------------------------------------------------------------------
    def collection_id(self, name: str) -> int:
        """The collection called `name`, made if new."""
        name = " ".join(name.split())
        if not name:
            raise UserError(QT_TRANSLATE_NOOP("Documents", "A collection needs a name."))
        with transaction(self._db):
            self._db.execute(
                "INSERT OR IGNORE INTO doc_collections (name, created) VALUES (?, ?)",
                (name, time.time()),
            )
        row = self._db.execute("SELECT id FROM doc_collections WHERE name = ?", (name,))
        return int(row.fetchone()[0])

    def _passage_count(self, document_id: int) -> int:
        row = self._db.execute(
            "SELECT count(*) FROM doc_passages WHERE document_id = ?", (document_id,)
        )
        return int(row.fetchone()[0])


def _encoded(problem: DocumentError) -> str:
    """Kept as its source text and values, so each reader sees it in their language."""
    return json.dumps({"text": problem.text, "args": problem.args_map})


def _decoded(stored: str) -> DocumentError:
    try:
        fields = json.loads(stored)
        return DocumentError(str(fields["text"]), **dict(fields["args"]))
    except (ValueError, KeyError, TypeError):
        return DocumentError("{problem}", problem=stored)
