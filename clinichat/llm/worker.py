"""The generation worker: a QObject that lives on its own QThread and owns one Engine.

gpt4all's bindings are not thread-safe, so every call into the model (load, generate, thread
count, close) happens in this object's slots, on its thread. The main thread reaches it only
through queued signals, and it reports back only through its own signals; it never touches a
widget. Stop is a `threading.Event` read by the token callback, because a queued "stop"
signal would sit behind the generation it is meant to interrupt; the session clears it
before it hands over each request, so a stop pressed in between is never lost.

A load is bracketed by the load guard's marker and a line for the native crash log, both
naming the file: if llama.cpp aborts inside it, nothing runs afterwards to say which file
it was, so both are written before the load and withdrawn once it has ended either way.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from clinichat import crash
from clinichat.llm.engines import load_engine
from clinichat.llm.engines.base import Engine, GenerationParams, ModelSpec, StopReason, Turn
from clinichat.llm.thread_finder import measure
from clinichat.messages import UserError
from clinichat.models.load_guard import LoadGuard

log = logging.getLogger(__name__)

# Coalesce streamed text into one signal per this many seconds: enough for smooth reading,
# and a 100 tokens/s model then costs the GUI thread 20 updates a second, not 100.
EMIT_INTERVAL_S = 0.05


@dataclass(frozen=True)
class ChatRequest:
    """One question to answer, with the conversation it belongs to."""

    request_id: int
    system_prompt: str
    history: tuple[Turn, ...]
    prompt: str
    params: GenerationParams


@dataclass(frozen=True)
class LoadedModel:
    """What the status bar shows once a model is ready."""

    backend: str
    device: str
    threads: int
    notice: str | None
    # The file that loaded: the window makes it the default only now, never before.
    path: Path | None = None
    engine: str = ""  # GPT4ALL, LLAMACPP or REMOTE
    slots: int = 1  # answers written at once


class _Answering(QObject):
    """Writes answers on its own thread, reporting each through its signals."""

    started = Signal(int)  # request id
    text = Signal(int, str)  # request id, text since the previous emission
    reasoning = Signal(int, str)  # request id, a reasoning model's thinking, likewise
    finished = Signal(int, object)  # request id, GenerationResult
    stopped = Signal(int, object)  # request id, GenerationResult with the partial answer
    failed = Signal(int, object)  # request id, UserError
    waiting = Signal(int, int, float)  # request id, attempt, seconds: a busy server

    def answer(
        self, engine: Engine, request: ChatRequest, stop: threading.Event, slot: int
    ) -> None:
        self.started.emit(request.request_id)
        reasoning = _Coalesced(lambda piece: self.reasoning.emit(request.request_id, piece))
        text = _Coalesced(lambda piece: self.text.emit(request.request_id, piece), reasoning)

        def wait(attempt: int, seconds: float) -> None:
            text.flush()
            self.waiting.emit(request.request_id, attempt, seconds)

        try:
            result = engine.generate(
                request.system_prompt,
                request.history,
                request.prompt,
                request.params,
                text.add,
                stop,
                reasoning.add,
                slot,
                wait,
            )
        except UserError as error:
            text.flush()
            self.failed.emit(request.request_id, error)
            return
        text.flush()
        done = self.stopped if result.reason is StopReason.STOPPED else self.finished
        done.emit(request.request_id, result)


class AnswerLane(_Answering):
    """One more answer written at once on an engine with several slots, on its own thread:
    the worker owns the engine; a lane only calls `generate` with its own slot and stop."""

    def __init__(self, engine: Engine, slot: int, stop: threading.Event) -> None:
        super().__init__()
        self._engine, self._slot, self._stop = engine, slot, stop

    @Slot(object)
    def generate(self, request: ChatRequest) -> None:
        self.answer(self._engine, request, self._stop, self._slot)

    @Slot()
    def shutdown(self) -> None:
        QThread.currentThread().quit()


class GenerationWorker(_Answering):
    """Loads one model and answers its requests (the first slot's), one at a time, in order."""

    loaded = Signal(object)  # LoadedModel
    load_failed = Signal(object)  # UserError
    threads_changed = Signal(int)
    threads_progress = Signal(int, int)  # counts measured, counts in all
    threads_measured = Signal(object)  # list[ThreadResult]; fewer rows if stopped

    def __init__(
        self, spec: ModelSpec, stop: threading.Event, guard: LoadGuard | None = None
    ) -> None:
        super().__init__()
        self._spec = spec
        self._stop = stop
        self._guard = guard
        self._engine: Engine | None = None

    @Slot(int)
    def load(self, threads: int) -> None:
        name = self._spec.label
        # A clinic server's model loads nothing here: no native code can die loading it.
        guard = self._guard if self._spec.server is None else None
        log.info("loading %s", name)
        if guard is not None:
            guard.loading(self._spec.path)
        try:
            with crash.native_context(f"loading {name}"):
                self._engine = load_engine(self._spec, threads)
        except UserError as error:
            log.info("%s was not loaded", name)
            self.load_failed.emit(error)
            return
        finally:
            # Reached whenever the process survived the load, whatever its outcome.
            if guard is not None:
                guard.finished()
        engine = self._engine
        log.info("%s loaded", name)
        self.loaded.emit(
            LoadedModel(
                engine.backend,
                engine.device,
                engine.threads,
                engine.device_notice,
                self._spec.path,
                engine.name,
                engine.slots,
            )
        )

    @property
    def engine(self) -> Engine | None:
        """The loaded engine, for the answer lanes of an engine with several slots."""
        return self._engine

    @Slot(object)
    def generate(self, request: ChatRequest) -> None:
        if self._engine is not None:
            self.answer(self._engine, request, self._stop, 0)

    @Slot(object, str)
    def find_threads(self, counts: list[int], system_prompt: str) -> None:
        """Run the thread-count probe here, where the model lives; stop cancels it."""
        if self._engine is None:
            return
        try:
            results = measure(
                self._engine,
                counts,
                system_prompt,
                on_progress=self.threads_progress.emit,
                stop=self._stop,
            )
        except UserError as error:
            self._lost(error)
            return
        self.threads_measured.emit(results)

    @Slot(int)
    def set_threads(self, threads: int) -> None:
        if self._engine is None:
            return
        try:
            self._engine.set_threads(threads)
        except UserError as error:
            self._lost(error)
            return
        self.threads_changed.emit(self._engine.threads)

    def _lost(self, error: UserError) -> None:
        """An engine that reloads for a thread change (llama.cpp) may fail to come back, e.g.
        for lack of memory: the model is then gone, and the window says so as for a load."""
        log.info("%s was lost on a thread change", self._spec.label)
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        self.load_failed.emit(error)

    @Slot()
    def shutdown(self) -> None:
        """Free the model on the thread that made it, then end that thread's event loop."""
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        thread = QThread.currentThread()
        thread.quit()


class _Coalesced:
    """Streamed pieces handed on at most once per EMIT_INTERVAL_S (and once more at the end).

    `earlier` (the thinking, for the answer text) is flushed first, so the window never gets
    the start of an answer before the end of the thinking that came before it.
    """

    def __init__(self, emit: Callable[[str], None], earlier: _Coalesced | None = None) -> None:
        self._emit = emit
        self._earlier = earlier
        self._pending: list[str] = []
        self._last = 0.0

    def add(self, piece: str) -> None:
        self._pending.append(piece)
        now = time.monotonic()
        if now - self._last >= EMIT_INTERVAL_S:
            self._last = now
            self.flush()

    def flush(self) -> None:
        if self._earlier is not None:
            self._earlier.flush()
        if self._pending:
            self._emit("".join(self._pending))
            self._pending.clear()
