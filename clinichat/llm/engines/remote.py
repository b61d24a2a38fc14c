"""The clinic-server engine: a model on the clinic's own inference server, behind `Engine`.

The server (llama.cpp's llama-server, vLLM, LocalAI, Ollama) formats the conversation with
its model's chat template, so the engine sends plain messages; everything else stays here:
history, lock, documents and presets never leave the PC except as the question's text.

Unlike the local engines this one uses Qt (the network stack, through `remote.client`), and
a client must stay on the thread that made it. The one made by `load`, on the worker's
thread, writes the first slot's answers. The server batches answers written at once
(llama-server's slots, vLLM's continuous batching), so the engine has as many slots as the
clinic-server settings give; each further slot's answer is written on a lane thread of its
own, with a client made, used and dropped there. It keeps
the context honest as the local engines do: it sends the newest whole turns that fit in the
context it was given, and when the server still says the conversation is too long it leaves
out one more turn and asks again; the system prompt is never left out.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Final

from PySide6 import __version__ as pyside_version

from clinichat.llm.engines.base import (
    REMOTE,
    Engine,
    EngineDescription,
    GenerationParams,
    GenerationResult,
    ModelSpec,
    PromptTooLongError,
    StopReason,
    Turn,
    answer_reserve,
    chat_messages,
    estimate_tokens,
    turns_that_fit,
)
from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.remote.client import OpenAIClient, Streamed
from clinichat.remote.errors import Failure, RemoteError

# What llama.cpp ("exceeds the available context size") and vLLM ("maximum context length")
# say about a conversation that is too long for the model.
_TOO_LONG_WORDS: Final = ("context size", "context length")


class RemoteEngine(Engine):
    """One model on a clinic's OpenAI-compatible server."""

    name = REMOTE

    def __init__(self, spec: ModelSpec, client: OpenAIClient) -> None:
        super().__init__(spec, None)
        self._client = client

    @classmethod
    def load(cls, spec: ModelSpec, threads: int) -> RemoteEngine:
        """Connects and checks that the server offers the model; nothing is loaded here.

        A server that lists models but not this one is refused now, not at the first
        question; an empty list (some servers list none) lets the question decide.
        """
        if spec.server is None:
            raise RemoteError(Failure.REFUSED_ADDRESS, url="")
        client = OpenAIClient(spec.server)
        offered = client.models()
        if offered and spec.remote_model not in offered:
            raise RemoteError(Failure.NO_MODEL, model=spec.remote_model)
        return cls(spec, client)

    @property
    def backend(self) -> str:
        return "remote"

    @property
    def device(self) -> str:
        """Where the questions go, as the indicator names it."""
        return self._client.url

    @property
    def threads(self) -> int:
        return 0  # the server's own business

    @property
    def slots(self) -> int:
        return max(1, self.spec.slots)

    def set_threads(self, threads: int) -> None:
        """The server decides how it computes; nothing here changes."""

    def describe(self) -> EngineDescription:
        return EngineDescription(REMOTE, pyside_version, "", self.device)

    def reset(self) -> None:
        """Every question carries its conversation; the server holds nothing of ours."""

    def close(self) -> None:
        """Nothing is held open between questions (each transfer ends with its answer)."""

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
        started = time.perf_counter()
        budget = (
            self.spec.n_ctx
            - answer_reserve(params, self.spec.n_ctx)
            - estimate_tokens(system_prompt)
            - estimate_tokens(prompt)
        )
        kept = turns_that_fit(history, {}, budget)
        # The worker's client cannot cross to a lane's thread: a lane has one of its own.
        client = self._client if slot == 0 else OpenAIClient(self._client.server)
        while True:
            body = {"messages": chat_messages(system_prompt, kept, prompt), **_sampling(params)}
            try:
                streamed = client.chat(
                    {"model": self.spec.remote_model, **body},
                    on_text,
                    stop,
                    on_reasoning=on_reasoning,
                    on_wait=on_wait,
                )
                break
            except RemoteError as error:
                if not _too_long(error):
                    raise
                if not kept:
                    raise PromptTooLongError(
                        QT_TRANSLATE_NOOP(
                            "Errors",
                            "This message is too long for the model on the clinic's server."
                            " Shorten it or split it into parts.",
                        )
                    ) from error
                kept = kept[1:]
        return _result(streamed, started, len(history) - len(kept), system_prompt, kept, prompt)


def _sampling(params: GenerationParams) -> dict[str, Any]:
    """The settings every server reads, and the llama.cpp/vLLM extras others ignore."""
    body: dict[str, Any] = {
        "max_tokens": params.max_tokens,
        "temperature": params.temperature,
        "top_p": params.top_p,
        "top_k": params.top_k,
        "min_p": params.min_p,
        "repeat_penalty": params.repeat_penalty,  # llama.cpp's name
        "repetition_penalty": params.repeat_penalty,  # vLLM's
    }
    if not params.thinking:
        body["chat_template_kwargs"] = {"enable_thinking": False}
    return body


def _too_long(error: RemoteError) -> bool:
    detail = error.args_map.get("detail", "").lower()
    status = error.args_map.get("status")
    return (
        error.failure is Failure.SERVER
        and status == "400"
        and any(w in detail for w in _TOO_LONG_WORDS)
    )


def _result(
    streamed: Streamed,
    started: float,
    dropped: int,
    system_prompt: str,
    kept: Sequence[Turn],
    prompt: str,
) -> GenerationResult:
    elapsed = time.perf_counter() - started
    first = streamed.first_token_s
    generating = elapsed - first if first is not None else 0.0
    tokens = streamed.tokens
    prompt_tokens = streamed.prompt_tokens
    if prompt_tokens is None:  # a server that reports no usage: the guess the trimming used
        sent = "".join(t.user + t.assistant for t in kept)
        prompt_tokens = estimate_tokens(system_prompt + sent + prompt)
    return GenerationResult(
        streamed.text,
        StopReason.FINISHED if streamed.finish_reason else StopReason.STOPPED,
        prompt_tokens,
        tokens,
        first,
        (tokens - 1) / generating if tokens > 1 and generating > 0 else 0.0,
        dropped,
        prompt_tokens + tokens,
        0,
        streamed.reasoning,
    )
