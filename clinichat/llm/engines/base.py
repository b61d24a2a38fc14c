"""The one interface every engine implements, and the plain data that crosses it.

The worker, session, thread finder, self-test and bench see only `Engine` and these types;
nothing outside an engine's own module imports its backend (`gpt4all`, `xllamacpp`). An
engine holds one loaded model and the conversation its context currently holds, and keeps
the context honest: it never lets the backend silently drop the system prompt, trims the
oldest whole turns itself and reports how many it left out.

Every call on one engine must come from one thread (the worker's), except `generate` on an
engine with several `slots`: each slot's answers may come from a thread of their own.
"""

from __future__ import annotations

import abc
import enum
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from clinichat.messages import QT_TRANSLATE_NOOP, UserError
from clinichat.models.gguf import GGUFError, GGUFInfo, read_info
from clinichat.remote.server import RemoteServer

GPT4ALL = "gpt4all"
LLAMACPP = "llamacpp"
# A clinic's OpenAI-compatible server: no file here, the model named by the server.
REMOTE = "remote"
# Not a chat engine: llama.cpp running an embedding model for document search (the probe and
# the registry name it so).
EMBEDDING = "embedding"
#: As a person reads them.
ENGINE_LABELS = {GPT4ALL: "GPT4All", LLAMACPP: "llama.cpp"}


class ModelLoadError(UserError):
    """The model file could not be loaded; the app stays usable with another model."""


class GenerationError(UserError):
    """The backend reported an error while answering."""


class PromptTooLongError(GenerationError):
    """The message alone does not fit in the model's context window."""


class StopReason(enum.Enum):
    FINISHED = "finished"
    STOPPED = "stopped"
    CONTEXT_FULL = "context_full"


@dataclass(frozen=True)
class Turn:
    """One completed exchange, as the model saw it."""

    user: str
    assistant: str


@dataclass(frozen=True)
class ModelSpec:
    """What to load and how to talk to it.

    `prompt_template` (GPT4All's %1/%2 format) is read by the gpt4all engine only; the
    llama.cpp engine uses the chat template inside the GGUF file. A clinic server's model
    (engine REMOTE) has no file: `server` says where it is and `remote_model` which of its
    models answers; `n_ctx` is then what the conversation is trimmed to.
    """

    path: Path
    prompt_template: str
    n_ctx: int = 2048
    device: str = "cpu"
    engine: str = GPT4ALL
    server: RemoteServer | None = None
    remote_model: str = ""
    # Answers the engine writes at once (llama.cpp's parallel slots); the others write one.
    slots: int = 1

    @property
    def label(self) -> str:
        """The model as a log line names it: its file, or the server's model id."""
        if self.server is not None:
            return f"clinic server model {self.remote_model}"
        return f"model file {self.path.name}"


@dataclass(frozen=True)
class GenerationParams:
    """Sampling settings; defaults are GPT4All's desktop app's, with its prompt batch of 128."""

    max_tokens: int = 1024
    temperature: float = 0.7
    top_k: int = 40
    top_p: float = 0.4
    min_p: float = 0.0
    repeat_penalty: float = 1.18
    repeat_last_n: int = 64
    n_batch: int = 128
    # Reasoning models (Qwen3 and the like) think before answering unless this is off; read
    # by the llama.cpp engine, through the model's chat template.
    thinking: bool = True


@dataclass(frozen=True)
class GenerationResult:
    text: str
    reason: StopReason
    prompt_tokens: int  # prompt tokens read for this answer (what the context did not hold)
    tokens: int
    time_to_first_token: float | None
    tokens_per_second: float
    dropped_turns: int
    context_tokens: int  # how much of the context window the conversation now fills
    cached_tokens: int = 0  # prompt tokens the context already held from earlier answers
    # A reasoning model's thinking, kept apart from the answer: never copied, exported or
    # saved as the answer.
    reasoning: str = ""


@dataclass(frozen=True)
class EngineDescription:
    """What About, the status bar and bug reports say about the engine that runs a model."""

    engine: str  # GPT4ALL or LLAMACPP
    version: str  # the Python package's version
    llama_cpp: str  # the llama.cpp build inside it, as far as the package says
    device: str


def estimate_tokens(text: str) -> int:
    """A deliberately high guess for text the model has not seen yet.

    Real tokenizers average 3-4 UTF-8 bytes per token on prose; two bytes per token leaves
    room for numbers and lab values, which split finely. Measured counts replace this guess
    as soon as a turn has been through the model.
    """
    return len(text.encode("utf-8")) // 2 + 8


def read_header(path: Path, check: Callable[[GGUFInfo], None] | None = None) -> GGUFInfo:
    """The file's header, checked by `check` if given; `ModelLoadError` saying why not."""
    try:
        info = read_info(path)
        if check is not None:
            check(info)
    except GGUFError as error:
        raise ModelLoadError(
            QT_TRANSLATE_NOOP("Errors", "This model file could not be loaded: {reason}"),
            reason=error,
        ) from error
    except OSError as error:
        raise ModelLoadError(
            QT_TRANSLATE_NOOP("Errors", "This model file could not be read: {reason}"),
            reason=error.strerror or error,
        ) from error
    return info


def turns_that_fit(history: Sequence[Turn], costs: Mapping[Turn, int], budget: int) -> list[Turn]:
    """The newest whole turns whose measured (else estimated) token costs fit in `budget`."""
    keep = 0
    for turn in reversed(history):
        cost = costs.get(turn) or estimate_tokens(turn.user + turn.assistant) + 16
        if cost > budget:
            break
        budget -= cost
        keep += 1
    return list(history[len(history) - keep :])


def chat_messages(system_prompt: str, turns: Sequence[Turn], prompt: str) -> list[dict[str, str]]:
    """The conversation as chat-completion messages (engines that use the model's own chat
    template: llama.cpp here, or a clinic's server); no system message when it is blank."""
    messages = [{"role": "system", "content": system_prompt}] if system_prompt.strip() else []
    for turn in turns:
        messages.append({"role": "user", "content": turn.user})
        messages.append({"role": "assistant", "content": turn.assistant})
    messages.append({"role": "user", "content": prompt})
    return messages


def answer_reserve(params: GenerationParams, n_ctx: int) -> int:
    """Room kept free for the answer when choosing which turns to keep."""
    return min(params.max_tokens, n_ctx // 4)


class Engine(abc.ABC):
    """One loaded model and the conversation state held in its context window."""

    #: GPT4ALL or LLAMACPP.
    name: ClassVar[str]

    def __init__(self, spec: ModelSpec, device_notice: str | None) -> None:
        self.spec = spec
        #: Set when the load fell back from the chosen device (a translatable source text).
        self.device_notice = device_notice

    @classmethod
    @abc.abstractmethod
    def load(cls, spec: ModelSpec, threads: int) -> Engine:
        """Load the file or raise `ModelLoadError` saying why, in plain words."""

    @property
    @abc.abstractmethod
    def backend(self) -> str:
        """The compute backend in use (e.g. 'cpu', 'kompute', 'cuda')."""

    @property
    @abc.abstractmethod
    def device(self) -> str:
        """The device the model runs on, as a person would name it."""

    @property
    @abc.abstractmethod
    def threads(self) -> int: ...

    @abc.abstractmethod
    def set_threads(self, threads: int) -> None:
        """Use this many threads from the next answer on."""

    @abc.abstractmethod
    def describe(self) -> EngineDescription: ...

    @property
    def slots(self) -> int:
        """How many answers `generate` can write at once, each called from its own thread
        with its own `slot`; 1 for an engine whose backend is not thread-safe (gpt4all)."""
        return 1

    @abc.abstractmethod
    def reset(self) -> None:
        """Forget the conversation held in the context; the next answer starts afresh."""

    @abc.abstractmethod
    def close(self) -> None:
        """Free the model; the engine is unusable afterwards."""

    @abc.abstractmethod
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

        `slot` (below `slots`) tells apart answers written at once: each has its own, and
        every other call on the engine waits until none is being written. `on_wait(attempt,
        seconds)` is told when the answer waits before asking again: only a clinic's server
        that is busy makes an engine wait.

        A reasoning model's thinking streams to `on_reasoning` instead, and is returned in
        `GenerationResult.reasoning`, never in the answer; an engine that cannot tell the
        two apart (gpt4all) never calls it.

        Stops when `stop` is set (the partial answer is returned, reason STOPPED) within one
        token, at the end of the answer, at `max_tokens`, or when the context window is full
        (CONTEXT_FULL). Raises `GenerationError` (or `PromptTooLongError`) on backend errors;
        an error never becomes answer text.
        """
