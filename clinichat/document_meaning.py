"""Document search by meaning, kept up to date in the background of the window.

With an embedding model installed, every passage of the library gets a vector, a small batch
at a time on a worker thread (Qwen3 Embedding needs seconds per batch on a slow PC), and
each is stored on the main thread, where the library's connection lives. Nothing is kept
outside the encrypted history, so a restart goes on with the passages still missing. A
question's own vector is made off the main thread too, and the answer waits for it; without
a model, or while it loads, questions are searched by their words alone.

Locking the history hands over no library: batches finished after that are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, Signal, Slot
from sqlcipher3.dbapi2 import DatabaseError

from clinichat.background import TaskRunner
from clinichat.documents.library import DocumentLibrary
from clinichat.documents.vectors import QueryMeaning, meaning_of
from clinichat.llm.engines.base import EMBEDDING
from clinichat.llm.engines.llamacpp_embedding import LlamaCppEmbedder
from clinichat.messages import UserError
from clinichat.models.probe import probe_load
from clinichat.translate import translate

log = logging.getLogger(__name__)

# Passages per background batch: a question waits for at most one batch.
BATCH: Final = 8

#: The embedding model to use now (one the registry lists as such), or None: words only.
ModelChoice = Callable[[], "Path | None"]


def _probed_load(path: Path, threads: int) -> LlamaCppEmbedder:
    """Load in a throwaway child first: the model is loaded without asking at each unlock, so
    a file that aborts llama.cpp (one copied into the folder by hand) must not take the app
    down every time; the child's death is a ModelProbeError instead."""
    probe_load(path, path.name, EMBEDDING)
    return LlamaCppEmbedder.load(path, threads, declared=True)


class DocumentMeaning(QObject):
    """Loads the chosen embedding model and gives every passage of the library a vector."""

    progress = Signal(int, int)  # passages with a vector from the model, passages in all
    failed = Signal(str)  # the model could not load or stopped: searches use words only

    def __init__(self, choose: ModelChoice, threads: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._choose = choose
        self._threads = threads
        self._tasks = TaskRunner(self)
        self._library: DocumentLibrary | None = None
        self._embedder: LlamaCppEmbedder | None = None
        self._wanted: Path | None = None  # the model loaded or loading
        self._busy = False  # a batch is being embedded
        self.held = False  # an answer is being written: the cores are the model's

    @property
    def ready(self) -> bool:
        """Whether questions are searched by meaning too."""
        return self._embedder is not None

    def use(self, library: DocumentLibrary | None) -> None:
        """The library of the unlocked history (None: locked, or history off)."""
        self._library = library
        self.refresh()

    def refresh(self) -> None:
        """Pick up a model installed, chosen or removed since, then embed what is missing."""
        path = self._choose()
        if path == self._wanted:
            self.catch_up()
            return
        self._close()
        self._wanted = path
        if path is not None:
            load = partial(_probed_load, path, self._threads)
            self._tasks.run(load, partial(self._loaded, path), self._load_failed)

    @Slot(object)
    def _loaded(self, path: Path, embedder: LlamaCppEmbedder) -> None:
        if path != self._wanted:
            embedder.close()  # another model was chosen meanwhile
            return
        self._embedder = embedder
        log.info("embedding model %s loaded (%d dimensions)", path.name, embedder.dimensions)
        self.catch_up()

    @Slot(object)
    def _load_failed(self, error: Exception) -> None:
        self._wanted = None
        self._report_failure(error)

    def hold(self, held: bool) -> None:
        """Start no new batch while `held` (an answer streams on the same cores); questions
        are still embedded."""
        self.held = held
        if not held:
            self.catch_up()

    def catch_up(self) -> None:
        """Embed the next batch of passages that have no vector yet, and so on to the end."""
        embedder, library = self._embedder, self._library
        if self._busy or self.held or embedder is None or library is None:
            return
        batch = library.vectors.missing(embedder.name, BATCH)
        done, total = library.vectors.coverage(embedder.name)
        self.progress.emit(done, total)
        if not batch:
            return
        self._busy = True
        ids = [i for i, _ in batch]
        job = partial(embedder.embed_passages, [text for _, text in batch])
        self._tasks.run(job, partial(self._embedded, library, embedder, ids), self._embed_failed)

    def _embedded(
        self,
        library: DocumentLibrary,
        embedder: LlamaCppEmbedder,
        ids: list[int],
        vectors: list[list[float]],
    ) -> None:
        self._busy = False
        if library is not self._library or embedder is not self._embedder:
            return  # locked, or another model, meanwhile
        try:
            library.vectors.store(embedder.name, ids, vectors)
        except DatabaseError:
            log.info("passages removed while they were embedded; skipped")
        self.catch_up()

    @Slot(object)
    def _embed_failed(self, error: Exception) -> None:
        self._busy = False
        self._close()
        self._wanted = None
        self._report_failure(error)

    def question(self, text: str, done: Callable[[QueryMeaning | None], None]) -> None:
        """`done(meaning)` on the main thread, with None when words alone must do."""
        embedder = self._embedder
        if embedder is None:
            done(None)
            return

        def failed(error: Exception) -> None:
            self._report_failure(error)
            done(None)

        self._tasks.run(partial(meaning_of, embedder, text), done, failed)

    def _report_failure(self, error: Exception) -> None:
        # Never the text (a passage or a question): the error's kind is enough for the log.
        log.warning("embedding model failed: %s", type(error).__name__)
        reason = error.render(translate) if isinstance(error, UserError) else type(error).__name__
        self.failed.emit(reason)

    def _close(self) -> None:
        if self._embedder is not None:
            self._embedder.close()
            self._embedder = None

    def shutdown(self) -> None:
        """Wait for the batch or question in progress, then unload the model."""
        self._library = None
        self._tasks.wait_all()
        self._close()
