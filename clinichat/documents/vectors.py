"""Passages by meaning: each passage's embedding, stored beside its text, and the nearest ones.

Vectors live in the encrypted history like the text (float32 bytes, one row per passage) and
go with their passage. They are tied to the model that made them: vectors from two models do
not compare, so a search uses only those of the embedder it is given, and passages without one
(indexed before a model was installed) are found by `missing` and embedded later.

Search is exact: every stored vector of the chosen collections against the question's, with
NumPy, from a matrix kept in memory (never on disk) until the library changes. 30,000
passages of 384 numbers are 46 MB and one search over them takes a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

import numpy as np
from numpy.typing import NDArray
from sqlcipher3.dbapi2 import Connection

from clinichat.history.database import transaction

BATCH: Final = 16  # passages per call to the model: progress and stop act between batches
# Asked before every search by meaning; answered from the index on (model, passage_id)
# without reading a vector (schema version 4).
STATE_QUERY: Final = (
    "SELECT count(*), coalesce(max(passage_id), 0) FROM passage_vectors WHERE model = ?"
)


class Embedder(Protocol):
    """What document search needs of an embedding model (see llm.engines.llamacpp_embedding)."""

    @property
    def name(self) -> str: ...

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]: ...

    def embed_question(self, text: str) -> list[float]: ...


@dataclass(frozen=True)
class QueryMeaning:
    """A question's embedding and the model that made it: only that model's vectors compare.

    Made apart from the search so that the window can embed a question off its own thread
    and then search on it."""

    model: str
    vector: Sequence[float]


def meaning_of(embedder: Embedder, question: str) -> QueryMeaning:
    return QueryMeaning(embedder.name, embedder.embed_question(question))


@dataclass
class _Matrix:
    state: tuple[int, int]  # (vectors, highest passage id) when it was read
    ids: NDArray[np.int64]
    collections: NDArray[np.int64]
    vectors: NDArray[np.float32]


class PassageVectors:
    """The embeddings of the library's passages, for one connection (main thread)."""

    def __init__(self, connection: Connection) -> None:
        self._db = connection
        self._cache: dict[str, _Matrix] = {}

    def missing(self, model: str, limit: int = BATCH) -> list[tuple[int, str]]:
        """Passages that have no vector from `model` yet: (id, heading and text)."""
        rows = self._db.execute(
            "SELECT p.id, p.heading, p.text FROM doc_passages AS p"
            " LEFT JOIN passage_vectors AS v ON v.passage_id = p.id AND v.model = ?"
            " WHERE v.passage_id IS NULL ORDER BY p.id LIMIT ?",
            (model, limit),
        )
        return [(int(i), f"{heading}\n{text}" if heading else text) for i, heading, text in rows]

    def store(self, model: str, ids: Sequence[int], vectors: Sequence[Sequence[float]]) -> None:
        with transaction(self._db):
            self._db.executemany(
                "INSERT OR REPLACE INTO passage_vectors (passage_id, model, vector)"
                " VALUES (?, ?, ?)",
                [
                    (i, model, np.asarray(v, dtype="<f4").tobytes())
                    for i, v in zip(ids, vectors, strict=True)
                ],
            )

    def coverage(self, model: str) -> tuple[int, int]:
        """(passages with a vector from `model`, passages in the library)."""
        total = self._db.execute("SELECT count(*) FROM doc_passages").fetchone()[0]
        return self.count(model), int(total)

    def count(self, model: str) -> int:
        row = self._db.execute("SELECT count(*) FROM passage_vectors WHERE model = ?", (model,))
        return int(row.fetchone()[0])

    def nearest(
        self, model: str, vector: Sequence[float], collection_ids: Sequence[int] | None, limit: int
    ) -> list[tuple[int, float]]:
        """The `limit` passages closest to `vector` (id, cosine), best first."""
        matrix = self._matrix(model)
        if not len(matrix.ids):
            return []
        query = np.asarray(vector, dtype=np.float32)
        if query.shape != (matrix.vectors.shape[1],):
            return []  # another model's length: nothing comparable
        scores = matrix.vectors @ query
        if collection_ids is not None:
            scores = np.where(np.isin(matrix.collections, collection_ids), scores, -np.inf)
        count = min(limit, len(scores))
        best = np.argpartition(-scores, count - 1)[:count]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [(int(matrix.ids[i]), float(scores[i])) for i in best if np.isfinite(scores[i])]

    def _matrix(self, model: str) -> _Matrix:
        # Not the connection's total_changes: the history writes each streamed answer to the
        # same database, and the matrix would be read again after every answer. Passages only
        # ever get new ids, so the count and the highest id change whenever the vectors do.
        state = self._db.execute(STATE_QUERY, (model,)).fetchone()
        state = (int(state[0]), int(state[1]))
        cached = self._cache.get(model)
        if cached is not None and cached.state == state:
            return cached
        rows = self._db.execute(
            "SELECT v.passage_id, d.collection_id, v.vector FROM passage_vectors AS v"
            " JOIN doc_passages AS p ON p.id = v.passage_id"
            " JOIN documents AS d ON d.id = p.document_id WHERE v.model = ?",
            (model,),
        ).fetchall()
        if rows:
            width = len(rows[0][2]) // 4
            rows = [r for r in rows if len(r[2]) == width * 4]
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        collections = np.array([r[1] for r in rows], dtype=np.int64)
        vectors = (
            np.frombuffer(b"".join(r[2] for r in rows), dtype="<f4").reshape(len(rows), -1)
            if rows
            else np.zeros((0, 0), dtype=np.float32)
        )
        matrix = _Matrix(state, ids, collections, vectors.astype(np.float32))
        self._cache = {model: matrix}
        return matrix


def embed_missing(
    vectors: PassageVectors,
    embedder: Embedder,
    progress: Callable[[int], bool] | None = None,
) -> int:
    """Give every passage without one a vector from `embedder`, a batch at a time;
    `progress(done)` after each batch, returning False to stop. Returns how many were made."""
    done = 0
    while batch := vectors.missing(embedder.name):
        ids = [i for i, _ in batch]
        vectors.store(embedder.name, ids, embedder.embed_passages([text for _, text in batch]))
        done += len(batch)
        if progress is not None and not progress(done):
            break
    return done
