"""The gpt4all engine: one model on the gpt4all 2.8.2 bindings (llama.cpp of July 2024).

It runs GPT4All's own catalog models (Falcon, Mini Orca, MPT-7B Chat) and every file whose
architecture and pre-tokenizer that llama.cpp knows. The bindings' high-level `GPT4All` class
hides failures (a model that did not load makes `generate()` return ""), may reach the
network, and lets the backend silently drop the oldest 75% of the context, system prompt
included, when the window fills. This module talks to the bindings' `LLModel` and C prompt
call directly so that:

- a failed load raises `ModelLoadError` with a reason a clinician can act on;
- backend errors (token id -1) raise `GenerationError` and never become answer text;
- stop works during prompt processing and generation, within one token;
- context shifting is off: the engine trims the oldest whole turns itself, keeps the system
  prompt, and reports how many turns it left out.

The system prompt it is given is fed to the model raw, so it already carries the model's own
formatting (`templates.wrap_system_prompt`). Every call must come from one thread (the
worker's): the bindings are not thread-safe.
"""

from __future__ import annotations

import ctypes
import logging
import os
import re
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from importlib import metadata

from gpt4all import _pyllmodel
from gpt4all._pyllmodel import LLModel, PromptCallback, ResponseCallback, llmodel

from clinichat.llm.engines.base import (
    GPT4ALL,
    Engine,
    EngineDescription,
    GenerationError,
    GenerationParams,
    GenerationResult,
    ModelLoadError,
    ModelSpec,
    PromptTooLongError,
    StopReason,
    Turn,
    answer_reserve,
    estimate_tokens,
    read_header,
    turns_that_fit,
)
from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.gguf_support import check_loadable

_log = logging.getLogger(__name__)

# What gpt4all's C++ loader writes to fd 2 for each CUDA backend variant it cannot dlopen:
# on a computer without the CUDA runtime, that is every run, and it is not an error.
_CUDA_UNAVAILABLE = re.compile(rb"^Failed to load (lib)?llamamodel-mainline-cuda[\w-]*\.\w+: ")


def _scan_backends() -> None:
    """Make the C++ loader scan its backend libraries now, without loading any model.

    The scan happens once per process, on the first model the bindings are asked to create;
    a model path that cannot exist asks for none.
    """
    error = ctypes.c_char_p()
    model = llmodel.llmodel_model_create2(b"", b"cpu", ctypes.byref(error))
    if model:  # never expected for an empty path; do not leak it if it happens
        llmodel.llmodel_model_destroy(model)


def _scan_backends_quietly() -> None:
    """Scan the backends at import with fd 2 captured, so the CUDA noise never reaches a terminal.

    The C++ loader writes with std::cerr, below sys.stderr, so only redirecting file
    descriptor 2 catches it. The capture lasts for the scan only; every captured line is
    written back to stderr except the known "Failed to load …cuda…" lines, and those are
    dropped (to the debug log) only when the bindings found no CUDA runtime: with one
    installed, a CUDA library that fails to load is a real problem and stays visible.
    """
    cuda_runtime = bool(getattr(_pyllmodel, "cuda_found", False))
    try:
        if sys.stderr is not None:
            sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no stderr at all (a windowed build): nothing to keep out
        _scan_backends()
        return
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            _scan_backends()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        capture.seek(0)
        output = capture.read()
    for line in output.splitlines(keepends=True):
        if not cuda_runtime and _CUDA_UNAVAILABLE.match(line):
            _log.debug("backend scan: %s", line.decode(errors="replace").rstrip())
        else:
            os.write(2, line)


_scan_backends_quietly()


_NO_GPU = QT_TRANSLATE_NOOP(
    "Engine", "The graphics card could not be used; ClinicChat is using the processor."
)


def validate_template(template: str) -> None:
    if "%1" not in template:
        raise ModelLoadError(
            QT_TRANSLATE_NOOP(
                "Errors", "The prompt template has no %1 placeholder for the user's message."
            )
        )


def _backend_for(device: str) -> tuple[str, str | None]:
    """Map a device choice to the bindings' backend name and GPU to initialise."""
    if device == "cpu":
        return ("cpu" if sys.platform == "darwin" else "kompute"), None
    if sys.platform == "darwin":
        return "metal", None
    backend, _, name = device.partition(":")
    if backend in ("cuda", "kompute") and name:
        return backend, name
    return "kompute", device


def list_gpus() -> list[str]:
    """GPU devices the backend can use, as 'backend:name'; empty when there are none."""
    try:
        return list(LLModel.list_gpus())
    except ValueError:
        return []


class _BoundModel(LLModel):  # type: ignore[misc]
    """LLModel with the C prompt call exposed in full (prompt callback, fake reply, no shift)."""

    def run_prompt(
        self,
        prompt: str,
        template: str,
        params: GenerationParams,
        *,
        n_predict: int,
        on_prompt_token: Callable[[], bool],
        on_token: Callable[[int, str], bool],
        special: bool = False,
        fake_reply: str | None = None,
        reset: bool = False,
    ) -> None:
        self._set_context(
            n_predict=n_predict,
            top_k=params.top_k,
            top_p=params.top_p,
            min_p=params.min_p,
            temp=params.temperature,
            n_batch=params.n_batch,
            repeat_penalty=params.repeat_penalty,
            repeat_last_n=params.repeat_last_n,
            reset_context=reset,
        )
        self.buffer.clear()
        self.buff_expecting_cont_bytes = 0
        llmodel.llmodel_prompt(
            self.model,
            prompt.encode("utf-8"),
            template.encode("utf-8"),
            PromptCallback(lambda _token: on_prompt_token()),
            ResponseCallback(self._callback_decoder(on_token)),
            False,  # never shift the context: the engine trims whole turns itself
            self.context,
            special,
            None if fake_reply is None else fake_reply.encode("utf-8"),
        )

    @property
    def n_past(self) -> int:
        return 0 if self.context is None else int(self.context.n_past)


def package_version() -> str:
    try:
        return metadata.version("gpt4all")
    except metadata.PackageNotFoundError:  # a frozen build without the package's metadata
        return "2.8.2"


class Gpt4AllEngine(Engine):
    """One model on the gpt4all bindings."""

    name = GPT4ALL

    def __init__(self, spec: ModelSpec, model: _BoundModel, device_notice: str | None) -> None:
        super().__init__(spec, device_notice)
        self._model = model
        # What the model's context currently holds, so a follow-up question only feeds the
        # new turn. None means unknown: the next answer rebuilds the context.
        self._system_prompt: str | None = None
        self._ingested: list[Turn] | None = None
        self._dropped = 0
        self._costs: dict[Turn, int] = {}
        self._system_cost = 0
        self._system_prompt_measured: str | None = None

    @classmethod
    def load(cls, spec: ModelSpec, threads: int) -> Gpt4AllEngine:
        """Load the file or raise `ModelLoadError` saying why, in plain words."""
        validate_template(spec.prompt_template)
        read_header(spec.path, check_loadable)
        notice = None
        device = spec.device
        if device.startswith("llamacpp:"):  # a card only the llama.cpp engine can drive
            device = "cpu"
            notice = _NO_GPU
        backend, gpu = _backend_for(device)
        try:
            model = cls._load_on(spec, backend, gpu)
        except (RuntimeError, ValueError) as error:
            if gpu is None and device == "cpu":
                raise ModelLoadError(
                    QT_TRANSLATE_NOOP("Errors", "This model file could not be loaded: {reason}"),
                    reason=error,
                ) from error
            notice = _NO_GPU
            model = cls._load_on(spec, *_backend_for("cpu"))
        model.set_thread_count(threads)
        return cls(spec, model, notice)

    @staticmethod
    def _load_on(spec: ModelSpec, backend: str, gpu: str | None) -> _BoundModel:
        try:
            model = _BoundModel(str(spec.path), spec.n_ctx, 100, backend)
        except RuntimeError as error:
            raise ModelLoadError(
                QT_TRANSLATE_NOOP("Errors", "This model file could not be loaded: {reason}"),
                reason=error,
            ) from error
        if gpu is not None:
            model.init_gpu(gpu)
        # The bindings ignore load_model()'s result; a model that failed to load would then
        # answer every question with an empty string.
        if not model.load_model() or not llmodel.llmodel_isModelLoaded(model.model):
            model.close()
            raise ModelLoadError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "This model file could not be loaded: the backend rejected it. The file may"
                    " be damaged, or made for a newer program.",
                )
            )
        return model

    @property
    def backend(self) -> str:
        return str(self._model.backend)

    @property
    def device(self) -> str:
        return str(self._model.device or "CPU")

    @property
    def threads(self) -> int:
        return int(self._model.thread_count())

    def set_threads(self, threads: int) -> None:
        """Takes effect from the next answer; no reload needed."""
        self._model.set_thread_count(threads)

    def describe(self) -> EngineDescription:
        return EngineDescription(GPT4ALL, package_version(), "July 2024", self.device)

    def close(self) -> None:
        self._model.close()

    def reset(self) -> None:
        """Forget the conversation held in the context; the next answer starts afresh."""
        self._forget()

    def generate(
        self,
        system_prompt: str,
        history: Sequence[Turn],
        prompt: str,
        params: GenerationParams,
        on_text: Callable[[str], None],
        stop: threading.Event,
        on_reasoning: Callable[[str], None] | None = None,
        slot: int = 0,
        on_wait: Callable[[int, float], None] | None = None,
    ) -> GenerationResult:
        """Answer `prompt` after `history`, streaming text pieces to `on_text`.

        gpt4all has no reasoning parser: a thinking model's tags arrive as answer text, so
        `on_reasoning` is never called (such models run on llama.cpp by default).

        Stops when `stop` is set (the partial answer is returned, reason STOPPED), at the end
        of the answer, at `max_tokens`, or when the context window is full (CONTEXT_FULL).
        """
        started = time.perf_counter()
        needed = estimate_tokens(prompt) + answer_reserve(params, self.spec.n_ctx)
        dropped = self._dropped
        if not self._can_continue(system_prompt, history, needed):
            dropped = self._rebuild(system_prompt, history, needed, params, stop)
        if stop.is_set():
            return GenerationResult(
                "", StopReason.STOPPED, 0, 0, None, 0.0, dropped, self._model.n_past
            )

        pieces: list[str] = []
        prompt_tokens = 0
        first_token_at: float | None = None
        error: str | None = None

        def on_prompt_token() -> bool:
            nonlocal prompt_tokens
            prompt_tokens += 1
            return not stop.is_set()

        def on_token(token_id: int, piece: str) -> bool:
            nonlocal first_token_at, error
            if token_id == -1:
                error = piece
                return False
            if first_token_at is None:
                first_token_at = time.perf_counter()
            pieces.append(piece)
            on_text(piece)
            return not stop.is_set()

        before = self._model.n_past
        self._model.run_prompt(
            prompt,
            self.spec.prompt_template,
            params,
            n_predict=params.max_tokens,
            on_prompt_token=on_prompt_token,
            on_token=on_token,
        )
        finished = time.perf_counter()
        text = "".join(pieces)
        if error is not None:
            self._forget()
            if "exceeds the context window" in error:
                raise PromptTooLongError(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "This message is too long for the model's memory ({n_ctx} tokens)."
                        " Shorten it or split it into parts.",
                    ),
                    n_ctx=self.spec.n_ctx,
                )
            raise GenerationError(
                QT_TRANSLATE_NOOP("Errors", "The model reported an error: {detail}"),
                detail=error.removeprefix("ERROR: "),
            )
        tokens = len(pieces)
        if stop.is_set():
            reason = StopReason.STOPPED
        elif tokens < params.max_tokens and self._model.n_past >= self.spec.n_ctx - 2:
            reason = StopReason.CONTEXT_FULL
        else:
            reason = StopReason.FINISHED
        if first_token_at is None and stop.is_set():
            # Stopped before the answer began: the context holds half a turn.
            self._forget()
        else:
            turn = Turn(prompt, text)
            assert self._ingested is not None
            self._ingested.append(turn)
            self._costs[turn] = self._model.n_past - before
        ttft = None if first_token_at is None else first_token_at - started
        generating = finished - first_token_at if first_token_at is not None else 0.0
        rate = (tokens - 1) / generating if tokens > 1 and generating > 0 else 0.0
        return GenerationResult(
            text, reason, prompt_tokens, tokens, ttft, rate, dropped, self._model.n_past, before
        )

    def _forget(self) -> None:
        self._ingested = None
        self._system_prompt = None

    def _can_continue(self, system_prompt: str, history: Sequence[Turn], needed: int) -> bool:
        """True when the context already holds exactly this conversation and has room."""
        return (
            self._ingested is not None
            and self._system_prompt == system_prompt
            and list(history[self._dropped :]) == self._ingested
            and self._model.n_past + needed <= self.spec.n_ctx
        )

    def _rebuild(
        self,
        system_prompt: str,
        history: Sequence[Turn],
        needed: int,
        params: GenerationParams,
        stop: threading.Event,
    ) -> int:
        """Refill the context: system prompt, then the newest turns that fit. Returns how
        many of the oldest turns were left out."""
        self._forget()
        self._costs = {turn: cost for turn, cost in self._costs.items() if turn in history}
        if system_prompt != self._system_prompt_measured:
            self._system_cost = estimate_tokens(system_prompt)
        kept = turns_that_fit(history, self._costs, self.spec.n_ctx - needed - self._system_cost)
        keep = len(kept)

        def keep_going() -> bool:
            return not stop.is_set()

        def ignore(_token_id: int, _piece: str) -> bool:
            return not stop.is_set()

        self._model.run_prompt(
            system_prompt,
            "%1%2",
            params,
            n_predict=0,
            on_prompt_token=keep_going,
            on_token=ignore,
            special=True,
            reset=True,
        )
        self._system_cost = self._model.n_past
        self._system_prompt_measured = system_prompt
        for turn in kept:
            if stop.is_set():
                return len(history) - keep
            before = self._model.n_past
            self._model.run_prompt(
                turn.user,
                self.spec.prompt_template,
                params,
                n_predict=0,
                on_prompt_token=keep_going,
                on_token=ignore,
                fake_reply=turn.assistant,
            )
            self._costs[turn] = self._model.n_past - before
        if stop.is_set():
            return len(history) - keep
        self._system_prompt = system_prompt
        self._ingested = kept
        self._dropped = len(history) - keep
        return self._dropped
