"""Embedding models on llama.cpp: one vector per text, for finding passages by meaning.

Text search finds the words of a question; an embedding model also finds a passage that says
the same thing in other words ("¿qué antibiótico antes de operar la vesícula?" and
"colecistectomía: cefazolina 2 g"). llama.cpp's server runs such models (BERT, Gemma
embedding, Qwen3 embedding) with the pooling the file declares and returns vectors scaled to
length 1, so a dot product is the cosine similarity.

The server is thread-safe: the indexing thread and the window may both ask it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Final

import xllamacpp

from clinichat.llm.engines.base import ModelLoadError, read_header
from clinichat.messages import QT_TRANSLATE_NOOP, UserError

# Tokens the model reads of one text, and the words sent so that a text stays under it (a
# passage is 120 words; a word is 1-2.5 tokens in these vocabularies, Spanish the most).
MAX_TOKENS: Final = 512
MAX_WORDS: Final = 200
_LOG_ERRORS_ONLY: Final = 0


class EmbeddingError(UserError):
    """The embedding model refused a text or stopped working."""


class LlamaCppEmbedder:
    """An embedding model loaded in its own llama.cpp server."""

    def __init__(self, path: Path, server: xllamacpp.Server, dimensions: int) -> None:
        self.path = path
        self.dimensions = dimensions
        self._server: xllamacpp.Server | None = server
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """What the stored vectors are tied to: another model's vectors are not comparable."""
        return self.path.name

    @classmethod
    def load(cls, path: Path, threads: int) -> LlamaCppEmbedder:
        info = read_header(path)
        if not info.embedding_model:
            raise ModelLoadError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "This file is not an embedding model (it declares no pooling): it cannot"
                    " be used for document search.",
                )
            )
        context = min(info.context_length or MAX_TOKENS, MAX_TOKENS)
        params = xllamacpp.CommonParams()
        params.model.path = str(path)
        params.embedding = True
        params.n_ctx = context
        # Non-causal models read a whole text in one batch.
        params.n_batch = params.n_ubatch = context
        params.n_parallel = 1
        params.cpuparams.n_threads = params.cpuparams_batch.n_threads = threads
        params.n_gpu_layers = 0
        params.verbosity = _LOG_ERRORS_ONLY
        params.warmup = False
        try:
            server = xllamacpp.Server(params)
        except RuntimeError as error:
            raise ModelLoadError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "This model file could not be loaded: the backend rejected it. The file may"
                    " be damaged, or made for a newer program.",
                )
            ) from error
        embedder = cls(path, server, 0)
        embedder.dimensions = len(embedder.embed(["dimensions"])[0])
        return embedder

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per text, in order."""
        if not texts:
            return []
        with self._lock:
            server = self._server
            if server is None:
                raise EmbeddingError(QT_TRANSLATE_NOOP("Errors", "The model was unloaded."))
            cut = [" ".join(text.split()[:MAX_WORDS]) or "-" for text in texts]
            answer = server.handle_embeddings({"input": cut})
        data = answer.get("data") if isinstance(answer, dict) else None
        if not isinstance(data, list) or len(data) != len(texts):
            raise EmbeddingError(
                QT_TRANSLATE_NOOP("Errors", "The embedding model failed: {reason}"),
                reason=str(answer.get("error") if isinstance(answer, dict) else answer)[:300],
            )
        ordered = sorted(data, key=lambda item: int(item.get("index", 0)))
        return [[float(v) for v in item["embedding"]] for item in ordered]

    def close(self) -> None:
        with self._lock:
            self._server = None
