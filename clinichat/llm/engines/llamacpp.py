"""The llama.cpp engine: one model on `xllamacpp`, a current llama.cpp with its own server.

gpt4all 2.8.2 carries llama.cpp of July 2024 and refuses every architecture since (gemma3
for MedGemma and Gemma 3, qwen3, gemma4). xllamacpp embeds llama.cpp's C++ server in the
process: the model's own Jinja chat template formats the conversation, so the system prompt
is a real system message, and the server keeps the previous prompt in its slot, so a
follow-up question only processes the new turn.

What this module adds on top, so the engine behaves like the gpt4all one:

- context honesty: context shifting is off, so the server refuses a conversation that does
  not fit instead of dropping its start; the engine chooses the newest whole turns that fit
  (measured costs where known) and, if the server still says the prompt is too long, leaves
  out one more turn and asks again. The system prompt is never left out;
- stop within one token while answering, and within one prompt batch while reading the
  prompt (the server reports progress per batch, and the callback's answer stops it);
- thread counts are fixed when the server is built, so a change rebuilds it (the file stays in
  the page cache; for the starter model that takes under a second);
- llama.cpp's log is set to errors only: at that level it never prints prompt or answer text,
  and a normal run writes nothing to the terminal.

Every call must come from one thread (the worker's).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Final

import xllamacpp

from clinichat.llm.engines.base import (
    LLAMACPP,
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
    chat_messages,
    estimate_tokens,
    read_header,
)
from clinichat.messages import QT_TRANSLATE_NOOP

_log = logging.getLogger(__name__)

# Tokens read per step of the prompt: stop and progress act once per batch. 256 keeps a stop
# during a long document under a second or two on a slow PC.
PROMPT_BATCH: Final = 256
# llama.cpp's common log: 0 keeps errors only (LOG_INF and LOG_WRN lines are dropped).
LOG_VERBOSITY: Final = 0
# Flash attention off (0; -1 is llama.cpp's "auto", which turns it on for the CPU): on the
# CPU build it slowed decoding after a ~2,000-token document to 23 tokens/s from 32 (gpt4all:
# 34), for a prompt read 1.3x faster; a clinician waits on the answer more than on the
# reading. Measured side by side in tests/bench/bench_engines.py.
FLASH_ATTENTION: Final = 0
# Offload every layer when a graphics card is chosen; llama.cpp caps it at the model's count.
ALL_LAYERS: Final = 999

_TOO_LONG: Final = "exceed_context_size_error"


def package_version() -> str:
    return str(xllamacpp.__version__)


def llama_cpp_build() -> str:
    """The llama.cpp inside xllamacpp: its release is named for the month it was cut."""
    info = xllamacpp.BUILD_INFO
    commit = str(info.get("commit") or "")
    year, _, rest = package_version().partition(".")
    month = rest.partition(".")[0]
    when = f"{year}-{month.zfill(2)}"
    return when if commit in ("", "unknown") else f"{when} ({commit[:10]})"


def list_gpus() -> list[str]:
    """Graphics devices this build of llama.cpp can use; empty for the CPU wheel."""
    cpu = xllamacpp.ggml_backend_dev_type.GGML_BACKEND_DEVICE_TYPE_CPU
    return [
        f"llamacpp:{device['name']}"
        for device in xllamacpp.get_device_info()
        if device.get("type") != cpu
    ]


class LlamaCppEngine(Engine):
    """One model on xllamacpp's in-process llama.cpp server."""

    name = LLAMACPP

    def __init__(
        self,
        spec: ModelSpec,
        server: xllamacpp.Server,
        threads: int,
        gpu: bool,
        device_notice: str | None = None,
    ) -> None:
        super().__init__(spec, device_notice)
        self._server: xllamacpp.Server | None = server
        self._threads = threads
        self._gpu = gpu
        # What each of the server's slots holds (one per answer written at once).
        self._slots = [_Slot() for _ in range(spec.slots)]
        self.last_reload_s = 0.0

    # -- loading -----------------------------------------------------------------------
    @classmethod
    def load(cls, spec: ModelSpec, threads: int) -> LlamaCppEngine:
        read_header(spec.path)
        gpu = spec.device in list_gpus()
        notice = None
        if spec.device != "cpu" and not gpu:
            notice = QT_TRANSLATE_NOOP(
                "Engine", "The graphics card could not be used; ClinicChat is using the processor."
            )
        return cls(spec, _build_server(spec, threads, gpu), threads, gpu, notice)

    @property
    def backend(self) -> str:
        return "llama.cpp"

    @property
    def device(self) -> str:
        if self._gpu:
            return self.spec.device.removeprefix("llamacpp:")
        return "CPU"

    @property
    def threads(self) -> int:
        return self._threads

    def set_threads(self, threads: int) -> None:
        """Rebuilds the server with the new count; the conversation is read again next time."""
        if threads == self._threads:
            return
        started = time.perf_counter()
        self._close_server()
        self._server = _build_server(self.spec, threads, self._gpu)
        self._threads = threads
        self._slots = [_Slot() for _ in self._slots]
        self.last_reload_s = time.perf_counter() - started
        _log.info("llama.cpp rebuilt for %d threads in %.2f s", threads, self.last_reload_s)

    def describe(self) -> EngineDescription:
        return EngineDescription(LLAMACPP, package_version(), llama_cpp_build(), self.device)

    @property
    def slots(self) -> int:
        return len(self._slots)

    def reset(self) -> None:
        for slot in self._slots:
            slot.held = None

    def close(self) -> None:
        self._close_server()

    def _close_server(self) -> None:
        # Dropping the last reference frees the model and its context.
        self._server = None

    # -- answering ---------------------------------------------------------------------
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
        """As `Engine.generate`; answers written at once each use their own `slot`."""
        started = time.perf_counter()
        held = self._slots[slot]
        reserve = answer_reserve(params, self.spec.n_ctx)
        kept = list(history)
        while True:
            # The server counts the prompt's tokens before it reads any of them, and says
            # so in its first progress chunk: a conversation that leaves too little room
            # for the answer is stopped there, at no cost, and asked again without its
            # oldest turns.
            answer = _Answer(on_text, on_reasoning, stop, self.spec.n_ctx - reserve if kept else 0)
            # Only a conversation that continues what the slot holds reuses its cache: a
            # reused prefix is read in other batches than a fresh one, which can change a
            # greedy answer after a few dozen tokens, so anything else is read afresh.
            reuse = held.held == (system_prompt, tuple(kept))
            messages = chat_messages(system_prompt, kept, prompt)
            self._request(messages, params, answer, reuse, slot)
            if answer.over_by is None:
                break
            if not kept:
                raise PromptTooLongError(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "This message is too long for the model's memory ({n_ctx} tokens)."
                        " Shorten it or split it into parts.",
                    ),
                    n_ctx=self.spec.n_ctx,
                )
            kept = self._without_oldest(system_prompt, kept, prompt, answer, held)
        if answer.error is not None:
            held.held = None
            raise GenerationError(
                QT_TRANSLATE_NOOP("Errors", "The model reported an error: {detail}"),
                detail=answer.error,
            )
        dropped = len(history) - len(kept)
        text = "".join(answer.pieces)
        context_tokens = answer.prompt_total + answer.tokens
        held.remember(system_prompt, tuple(kept), Turn(prompt, text), answer, context_tokens)
        if stop.is_set():
            reason = StopReason.STOPPED
        elif answer.finish == "length" and answer.tokens < params.max_tokens:
            reason = StopReason.CONTEXT_FULL
        else:
            reason = StopReason.FINISHED
        first = answer.first_token_at
        generating = answer.finished_at - first if first is not None else 0.0
        tokens = answer.tokens
        return GenerationResult(
            text,
            reason,
            answer.prompt_total - answer.prompt_cached,
            tokens,
            None if first is None else first - started,
            (tokens - 1) / generating if tokens > 1 and generating > 0 else 0.0,
            dropped,
            context_tokens,
            answer.prompt_cached,
            "".join(answer.reasoning),
        )

    def _without_oldest(
        self, system_prompt: str, kept: list[Turn], prompt: str, answer: _Answer, held: _Slot
    ) -> list[Turn]:
        """`kept` less enough of its oldest turns to clear what the server said is too many.

        A turn's cost is what it measured when it was answered here, else its byte-based
        guess scaled to the count the server just gave for the whole request; at least one
        turn goes, so the loop always ends.
        """
        over_by = answer.over_by or 1
        guesses = {t: estimate_tokens(t.user + t.assistant) + 16 for t in kept}
        guessed = _system_estimate(system_prompt) + estimate_tokens(prompt) + sum(guesses.values())
        scale = answer.prompt_total / guessed if answer.prompt_total and guessed else 1.0
        dropped, freed = 0, 0.0
        while dropped < len(kept) and (dropped == 0 or freed < over_by):
            turn = kept[dropped]
            freed += held.costs.get(turn) or guesses[turn] * scale
            dropped += 1
        return kept[dropped:]

    def _request(
        self,
        messages: list[dict[str, str]],
        params: GenerationParams,
        answer: _Answer,
        reuse: bool,
        slot: int,
    ) -> None:
        server = self._server
        if server is None:
            raise GenerationError(QT_TRANSLATE_NOOP("Errors", "The model is not loaded."))
        server.handle_chat_completions(
            {
                "messages": messages,
                "stream": True,
                "return_progress": True,
                "cache_prompt": reuse,
                "max_tokens": params.max_tokens,
                "temperature": params.temperature,
                "top_k": params.top_k,
                "top_p": params.top_p,
                "min_p": params.min_p,
                "repeat_penalty": params.repeat_penalty,
                "repeat_last_n": params.repeat_last_n,
                # Qwen3-style templates read this; templates without it ignore it.
                "chat_template_kwargs": {"enable_thinking": params.thinking},
                # Each answer written at once keeps to its own slot and its conversation.
                "id_slot": slot if len(self._slots) > 1 else -1,
            },
            answer.on_chunk,
        )
        answer.finished_at = time.perf_counter()


class _Slot:
    """What one of the server's slots holds after its last answer, and what that cost:
    (system prompt, turns) -> prompt + answer tokens. Lets the next answer in the same slot
    measure the cost of the turn it adds."""

    def __init__(self) -> None:
        self.held: tuple[str, tuple[Turn, ...]] | None = None
        self.held_tokens = 0
        self.costs: dict[Turn, int] = {}

    def remember(
        self,
        system_prompt: str,
        kept: tuple[Turn, ...],
        turn: Turn,
        answer: _Answer,
        context_tokens: int,
    ) -> None:
        """Note what the slot now holds, and the measured cost of the turn just added."""
        if answer.first_token_at is None:
            self.held = None  # stopped before answering: the slot holds half a turn
            return
        if self.held == (system_prompt, kept):
            self.costs[turn] = context_tokens - self.held_tokens
        elif not kept:  # the first turn: all but the (estimated) system prompt is this turn
            self.costs[turn] = max(1, context_tokens - _system_estimate(system_prompt))
        self.costs = {t: c for t, c in self.costs.items() if t in kept or t == turn}
        self.held = (system_prompt, (*kept, turn))
        self.held_tokens = context_tokens


class _Answer:
    """Collects one streamed answer from the server's chunks (plain dicts, untrusted)."""

    def __init__(
        self,
        on_text: Callable[[str], None],
        on_reasoning: Callable[[str], None] | None,
        stop: threading.Event,
        prompt_limit: int,
    ) -> None:
        """`prompt_limit`: the most prompt tokens that leave room for the answer (0: any
        prompt the context holds is read)."""
        self._on_text = on_text
        self._on_reasoning = on_reasoning
        self._prompt_limit = prompt_limit
        # Prompt tokens beyond what fits (the context, or room for the answer); None: fits.
        self.over_by: int | None = None
        self._stop = stop
        self.pieces: list[str] = []
        self.reasoning: list[str] = []
        self.tokens = 0
        self.prompt_total = 0  # the whole prompt, cached part included
        self.prompt_cached = 0
        self.first_token_at: float | None = None  # the first generated token, thinking or not
        self.finished_at = 0.0
        self.finish: str | None = None
        self.error: str | None = None

    def on_chunk(self, chunk: Mapping[str, object]) -> bool:
        """Return True to stop the server."""
        error = chunk.get("error")
        if isinstance(error, Mapping):
            if error.get("type") == _TOO_LONG:
                self.prompt_total = _int(error.get("n_prompt_tokens"))
                limit = self._prompt_limit or _int(error.get("n_ctx"))
                self.over_by = max(1, self.prompt_total - limit)
                return True
            self.error = str(error.get("message") or error)
            return True
        for choice in _list(chunk.get("choices")):
            delta = choice.get("delta")
            if isinstance(delta, Mapping):
                self._delta(delta)
            finish = choice.get("finish_reason")
            if isinstance(finish, str):
                self.finish = finish
        progress = chunk.get("prompt_progress")
        if isinstance(progress, Mapping):
            self.prompt_total = _int(progress.get("total"))
            self.prompt_cached = _int(progress.get("cache"))
            if self._prompt_limit and self.prompt_total > self._prompt_limit:
                self.over_by = self.prompt_total - self._prompt_limit
                return True  # before the first batch is read
        timings = chunk.get("timings")  # only in the last chunk, absent when stopped
        if isinstance(timings, Mapping):
            self.prompt_cached = _int(timings.get("cache_n"))
            self.prompt_total = self.prompt_cached + _int(timings.get("prompt_n"))
            self.tokens = _int(timings.get("predicted_n"))
        return self._stop.is_set()

    def _delta(self, delta: Mapping[str, object]) -> None:
        reasoning = delta.get("reasoning_content")
        if isinstance(reasoning, str) and reasoning:
            self._generated()
            self.reasoning.append(reasoning)
            if self._on_reasoning is not None:
                self._on_reasoning(reasoning)
        content = delta.get("content")
        if isinstance(content, str) and content:
            self._generated()
            self.pieces.append(content)
            self._on_text(content)

    def _generated(self) -> None:
        """Count one generated token (one piece each, until the last chunk gives the count)."""
        if self.first_token_at is None:
            self.first_token_at = time.perf_counter()
        self.tokens += 1


def _system_estimate(system_prompt: str) -> int:
    return estimate_tokens(system_prompt) + 16 if system_prompt else 0


def _list(value: object) -> list[Mapping[str, object]]:
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _build_server(spec: ModelSpec, threads: int, gpu: bool) -> xllamacpp.Server:
    params = xllamacpp.CommonParams()
    params.model.path = str(spec.path)
    # Each slot gets the whole context the model was given (llama.cpp splits n_ctx evenly).
    params.n_ctx = spec.n_ctx * spec.slots
    params.n_parallel = spec.slots
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.n_batch = PROMPT_BATCH
    params.n_ubatch = PROMPT_BATCH
    params.ctx_shift = False  # never drop the start of a conversation behind our back
    params.flash_attn_type = FLASH_ATTENTION if not gpu else -1
    # A reasoning model's thinking arrives apart from the answer (`reasoning_content`).
    params.reasoning_format = xllamacpp.common_reasoning_format.COMMON_REASONING_FORMAT_DEEPSEEK
    params.n_gpu_layers = ALL_LAYERS if gpu else 0
    params.verbosity = LOG_VERBOSITY
    params.warmup = False
    server = start_server(params)
    _wait_until_serving(server)
    return server


def start_server(params: xllamacpp.CommonParams) -> xllamacpp.Server:
    """xllamacpp's server for `params`; a file the backend rejects is a ModelLoadError."""
    try:
        return xllamacpp.Server(params)
    except RuntimeError as error:
        raise ModelLoadError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This model file could not be loaded: the backend rejected it. The file may"
                " be damaged, or made for a newer program.",
            )
        ) from error


def _wait_until_serving(server: xllamacpp.Server) -> None:
    """Hand the new server one tiny request, so its task loop is known to be running.

    Destroying a server whose loop thread has not started waiting yet can hang for ever
    (xllamacpp 2026.10.11549: measured 2 in 15 loads closed at once; 0 in 30 after one
    request), and the app closes servers on a thread change, a model switch and at exit.
    The request also decodes one token, so a load that cannot compute fails here.
    """
    answer = server.handle_completions({"prompt": "Hi", "n_predict": 1, "cache_prompt": False})
    if isinstance(answer, dict) and "error" in answer:
        raise ModelLoadError(
            QT_TRANSLATE_NOOP("Errors", "This model file could not be loaded: {reason}"),
            reason=str(answer["error"]),
        )
