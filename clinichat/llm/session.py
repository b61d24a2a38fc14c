"""The main-thread face of generation: all the UI ever talks to.

`ChatSession` owns the worker and its QThread, queues questions asked while the model is busy
or still loading (the source study's servers failed under concurrent requests; one
workstation should simply wait its turn, visibly), and shuts everything down cleanly.

An engine with several slots (llama.cpp's continuous batching) writes that many answers at
once: the worker writes the first slot's, and one `AnswerLane` per further slot, each on its
own thread with its own stop, writes the others. Anything else that touches the engine (a
thread change, the thread-count probe, a new model) waits until no answer is being written.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from clinichat.llm.engines.base import GenerationParams, GenerationResult, ModelSpec, Turn
from clinichat.llm.worker import AnswerLane, ChatRequest, GenerationWorker, LoadedModel
from clinichat.messages import UserError
from clinichat.models.load_guard import LoadGuard

# Returns (system prompt, completed turns) for the conversation a question belongs to.
ContextProvider = Callable[[], tuple[str, Sequence[Turn]]]


@dataclass(frozen=True)
class _Pending:
    request_id: int
    prompt: str
    context: ContextProvider
    params: GenerationParams


class _Lane(QObject):
    """Where one answer at a time is written: the worker (slot 0) or an `AnswerLane`."""

    generate = Signal(object)  # ChatRequest, queued to the lane's thread

    def __init__(
        self,
        stop: threading.Event,
        thread: QThread | None = None,
        worker: AnswerLane | None = None,
    ) -> None:
        super().__init__()
        self.stop = stop
        # None for the worker's own lane. The lane's worker is kept here: a connection
        # alone does not keep a Python QObject alive.
        self.lane_thread, self.lane_worker = thread, worker
        self.request: int | None = None


class ChatSession(QObject):
    """Loads a model on a worker thread and answers questions in order, as many at once as
    the engine has slots."""

    model_loading = Signal(str)  # display name
    model_loaded = Signal(object)  # LoadedModel
    model_load_failed = Signal(object)  # UserError
    answer_queued = Signal(int)  # request id
    answer_started = Signal(int)
    answer_text = Signal(int, str)  # request id, newly streamed text
    answer_reasoning = Signal(int, str)  # request id, newly streamed thinking (not the answer)
    answer_finished = Signal(int, object)  # request id, GenerationResult
    answer_stopped = Signal(int, object)  # request id, GenerationResult (partial answer)
    answer_failed = Signal(int, object)  # request id, UserError
    answer_waiting = Signal(int, int, float)  # request id, attempt, seconds: server busy
    threads_changed = Signal(int)
    threads_progress = Signal(int, int)
    threads_measured = Signal(object)  # list[ThreadResult]

    # Internal: queued across to the worker thread.
    _load = Signal(int)
    _set_threads = Signal(int)
    _find_threads = Signal(object, str)
    _shutdown = Signal()

    def __init__(self, parent: QObject | None = None, load_guard: LoadGuard | None = None) -> None:
        """`load_guard` notes each load in the data folder, so a load that kills the app is
        not repeated at the next start (see load_guard.py); the app passes one, tests may."""
        super().__init__(parent)
        self.load_guard = load_guard
        self._stop = threading.Event()
        self._thread: QThread | None = None
        self._worker: GenerationWorker | None = None
        self._ready = False
        self._lanes: list[_Lane] = []
        # The thread-count probe, or a thread change, is running: no answer starts.
        self._measuring = False
        self._changing_threads = False
        self._threads_pending: int | None = None
        self._queue: deque[_Pending] = deque()
        # Exactly what was last handed to the engine (system prompt, history, question).
        self.last_request: ChatRequest | None = None
        self._next_id = 1
        self._threads = 1
        self.model_name = ""
        self.loaded_model: LoadedModel | None = None

    # -- model ------------------------------------------------------------------------
    def load_model(self, spec: ModelSpec, name: str, threads: int) -> None:
        """Replace the current model (if any) and start loading `spec` in the background.

        Questions already queued stay queued and are answered by the new model.
        """
        self._stop_worker()
        self._threads = threads
        self.model_name = name
        self.loaded_model = None
        self._stop.clear()
        thread = QThread()
        thread.setObjectName("generation")
        worker = GenerationWorker(spec, self._stop, self.load_guard)
        worker.moveToThread(thread)
        self._load.connect(worker.load)
        first = _Lane(self._stop)
        first.generate.connect(worker.generate)
        self._lanes = [first]
        self._set_threads.connect(worker.set_threads)
        self._find_threads.connect(worker.find_threads)
        worker.threads_progress.connect(self.threads_progress)
        worker.threads_measured.connect(self._on_threads_measured)
        self._shutdown.connect(worker.shutdown)
        worker.loaded.connect(self._on_loaded)
        worker.load_failed.connect(self._on_load_failed)
        self._connect_answers(worker)
        worker.threads_changed.connect(self._on_threads_changed)
        # Deleted on its own thread as that thread's event loop winds down.
        thread.finished.connect(worker.deleteLater)
        self._thread, self._worker = thread, worker
        thread.start()
        self.model_loading.emit(name)
        self._load.emit(threads)

    @property
    def is_ready(self) -> bool:
        return self._ready

    @property
    def is_busy(self) -> bool:
        return self._measuring or bool(self.running_ids())

    def running_ids(self) -> list[int]:
        """The questions being answered now (several when the engine has slots)."""
        return [lane.request for lane in self._lanes if lane.request is not None]

    @property
    def slots(self) -> int:
        """Answers written at once by the loaded model (1 until it has loaded)."""
        return len(self._lanes) if self._ready else 1

    @property
    def has_model(self) -> bool:
        return self._worker is not None

    @property
    def threads(self) -> int:
        return self._threads

    def set_threads(self, threads: int) -> None:
        """Applies from the next answer on; waits until no answer is being written."""
        self._threads = threads
        if self._worker is not None:
            self._threads_pending = threads
            self._apply_threads()

    # -- answers ----------------------------------------------------------------------
    def ask(
        self,
        prompt: str,
        context: ContextProvider,
        params: GenerationParams | None = None,
    ) -> int:
        """Queue a question; returns its request id. Answered as soon as the model is free.

        `context()` is called when the answer starts, not now, so a question asked while an
        earlier one is still streaming sees that earlier answer in its history.
        """
        request_id = self._next_id
        self._next_id += 1
        self._queue.append(_Pending(request_id, prompt, context, params or GenerationParams()))
        self.answer_queued.emit(request_id)
        self._dispatch()
        return request_id

    def find_best_threads(self, counts: list[int], system_prompt: str) -> bool:
        """Measure each thread count on the loaded model; False if the model is busy or absent.

        Runs between answers like an answer would; `stop()` cancels it.
        """
        if not self._ready or self.is_busy:
            return False
        self._measuring = True
        self._stop.clear()
        self._find_threads.emit(counts, system_prompt)
        return True

    def stop(self, request_ids: Sequence[int] | None = None) -> None:
        """Stop the running answers (these ones, if given) within one token; each keeps
        what it said so far. Also cancels the thread-count probe."""
        if self._measuring:
            self._stop.set()
        for lane in self._lanes:
            if lane.request is not None and (request_ids is None or lane.request in request_ids):
                lane.stop.set()

    def cancel(self, request_ids: Sequence[int]) -> None:
        """Drop these questions if they have not started yet."""
        self._queue = deque(p for p in self._queue if p.request_id not in request_ids)

    def queued_ids(self) -> list[int]:
        return [pending.request_id for pending in self._queue]

    def shutdown(self) -> None:
        """Stop any answer, free the model on its thread and join the thread."""
        self._queue.clear()
        self._stop_worker()

    # -- internals --------------------------------------------------------------------
    def _connect_answers(self, lane: GenerationWorker | AnswerLane) -> None:
        lane.started.connect(self.answer_started)
        lane.text.connect(self.answer_text)
        lane.reasoning.connect(self.answer_reasoning)
        lane.finished.connect(self._on_finished)
        lane.stopped.connect(self._on_stopped)
        lane.failed.connect(self._on_failed)
        lane.waiting.connect(self.answer_waiting)

    def _dispatch(self) -> None:
        if not self._ready or self._measuring or self._apply_threads():
            return  # the worker's thread change or probe runs first
        for lane in self._lanes:
            if not self._queue:
                return
            if lane.request is not None:
                continue
            pending = self._queue.popleft()
            system_prompt, history = pending.context()
            lane.request = pending.request_id
            lane.stop.clear()
            self.last_request = ChatRequest(
                pending.request_id, system_prompt, tuple(history), pending.prompt, pending.params
            )
            lane.generate.emit(self.last_request)

    def _apply_threads(self) -> bool:
        """Hand a thread change to the worker once no answer is written; True while one
        is pending or under way (answers then wait for it: llama.cpp rebuilds its server)."""
        if self._threads_pending is not None and self._ready and not self.is_busy:
            self._changing_threads = True
            self._set_threads.emit(self._threads_pending)
            self._threads_pending = None
        return self._changing_threads or self._threads_pending is not None

    def _start_lanes(self, worker: GenerationWorker, slots: int) -> None:
        engine = worker.engine
        if engine is None:
            return
        for slot in range(1, slots):
            thread = QThread()
            thread.setObjectName(f"generation-{slot}")
            stop = threading.Event()
            lane_worker = AnswerLane(engine, slot, stop)
            lane_worker.moveToThread(thread)
            lane = _Lane(stop, thread, lane_worker)
            lane.generate.connect(lane_worker.generate)
            self._shutdown.connect(lane_worker.shutdown)
            self._connect_answers(lane_worker)
            thread.finished.connect(lane_worker.deleteLater)
            thread.start()
            self._lanes.append(lane)

    def _stop_worker(self) -> None:
        thread, worker = self._thread, self._worker
        if thread is None or worker is None:
            return
        self._stop.set()
        for lane in self._lanes:
            lane.stop.set()
        self._shutdown.emit()
        for lane in self._lanes[1:]:
            if lane.lane_thread is not None:
                lane.lane_thread.wait()
                lane.lane_thread.deleteLater()
        thread.wait()
        # The worker was deleted as its thread finished, which also removed its connections.
        thread.deleteLater()
        self._thread = self._worker = None
        self._lanes = []
        self._ready = False
        self._measuring = False
        self._changing_threads = False
        self._threads_pending = None

    def _free(self, request_id: int) -> None:
        for lane in self._lanes:
            if lane.request == request_id:
                lane.request = None

    @Slot(object)
    def _on_loaded(self, info: LoadedModel) -> None:
        if self._worker is not None:
            self._start_lanes(self._worker, info.slots)
        self._ready = True
        self.loaded_model = info
        self.model_loaded.emit(info)
        self._dispatch()

    @Slot(object)
    def _on_load_failed(self, error: UserError) -> None:
        self._stop_worker()
        self.model_load_failed.emit(error)

    @Slot(int, object)
    def _on_finished(self, request_id: int, result: GenerationResult) -> None:
        self._free(request_id)
        self.answer_finished.emit(request_id, result)
        self._dispatch()

    @Slot(int, object)
    def _on_stopped(self, request_id: int, result: GenerationResult) -> None:
        self._free(request_id)
        self.answer_stopped.emit(request_id, result)
        self._dispatch()

    @Slot(int, object)
    def _on_failed(self, request_id: int, error: UserError) -> None:
        self._free(request_id)
        self.answer_failed.emit(request_id, error)
        self._dispatch()

    @Slot(object)
    def _on_threads_measured(self, results: object) -> None:
        self._measuring = False
        self.threads_measured.emit(results)
        self._dispatch()

    @Slot(int)
    def _on_threads_changed(self, threads: int) -> None:
        self._changing_threads = False
        self.threads_changed.emit(threads)
        self._dispatch()
