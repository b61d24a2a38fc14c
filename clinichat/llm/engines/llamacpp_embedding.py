"""Embedding models on llama.cpp: one vector per text, for finding passages by meaning.

Text search finds the words of a question; an embedding model also finds a passage that says
the same thing in other words ("¿qué antibiótico antes de operar la vesícula?" and
"colecistectomía: cefazolina 2 g"). llama.cpp's server runs such models (BERT, Gemma
embedding, Qwen3 embedding) with the pooling the file declares and returns vectors scaled to
length 1, so a dot product is the cosine similarity.

Some models were trained to read a question and a passage differently and want each marked
as such (`Instructions`, by architecture, from their model cards); the others read both as
they are. The server is thread-safe: the indexing thread and the window may both ask it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import xllamacpp

from clinichat.llm.engines.base import ModelLoadError, read_header
from clinichat.llm.engines.llamacpp import LOG_VERBOSITY, start_server
from clinichat.messages import QT_TRANSLATE_NOOP, UserError

# Tokens the model reads of one text, and the words sent so that a text stays under it (a
# passage is 120 words; a word is 1-2.5 tokens in these vocabularies, Spanish the most).
MAX_TOKENS: Final = 512
MAX_WORDS: Final = 200


class EmbeddingError(UserError):
    """The embedding model refused a text or stopped working."""


@dataclass(frozen=True)
class Instructions:
    """What a model wants written before a question and before a passage."""

    question: str = ""
    passage: str = ""


# By GGUF architecture. Qwen3-Embedding: an instruction before the query only (its model
# card); EmbeddingGemma: a task before each (its model card). BERT-family models (MiniLM,
# BGE-M3) take plain text.
INSTRUCTIONS: Final = {
    "qwen3": Instructions(
        question="Instruct: Given a clinician's question, retrieve the passages of clinical"
        " documents that answer it\nQuery: "
    ),
    "gemma-embedding": Instructions(
        question="task: search result | query: ", passage="title: none | text: "
    ),
}


class LlamaCppEmbedder:
    """An embedding model loaded in its own llama.cpp server."""

    def __init__(self, path: Path, server: xllamacpp.Server, instructions: Instructions) -> None:
        self.path = path
        self.instructions = instructions
        self.dimensions = 0
        self._server: xllamacpp.Server | None = server
        self._lock = threading.Lock()

    @property
    def name(self) -> str:
        """What the stored vectors are tied to: another model's vectors are not comparable."""
        return self.path.name

    @classmethod
    def load(cls, path: Path, threads: int, *, declared: bool = False) -> LlamaCppEmbedder:
        """Load `path`, which must declare its pooling, or be `declared` an embedding model by
        the catalog (official Qwen3-Embedding files leave pooling to llama.cpp's default)."""
        info = read_header(path)
        if not (info.embedding_model or declared):
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
        params.verbosity = LOG_VERBOSITY
        params.warmup = False
        server = start_server(params)
        embedder = cls(path, server, INSTRUCTIONS.get(info.architecture or "", Instructions()))
        # Also the new server's first request: its task loop is known to run (see
        # llamacpp._wait_until_serving).
        embedder.dimensions = len(embedder.embed_question("dimensions"))
        return embedder

    def embed_passages(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector per passage, in order."""
        return self._embed([self.instructions.passage + text for text in texts])

    def embed_question(self, text: str) -> list[float]:
        [vector] = self._embed([self.instructions.question + text])
        return vector

    def _embed(self, texts: Sequence[str]) -> list[list[float]]:
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
