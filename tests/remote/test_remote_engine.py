"""The clinic-server engine behind the Engine interface, against a real llama.cpp server on
127.0.0.1 with the starter model: the worker thread runs it as it runs a local model."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import xllamacpp
from llama_server import TEST_API_KEY, FrontProxy
from pytestqt.qtbot import QtBot

from clinichat.llm.engines import load_engine
from clinichat.llm.engines.base import (
    REMOTE,
    GenerationParams,
    ModelSpec,
    PromptTooLongError,
    StopReason,
    Turn,
)
from clinichat.llm.session import ChatSession
from clinichat.remote.errors import Failure, RemoteError
from clinichat.remote.server import RemoteServer

pytestmark = pytest.mark.slow
GREEDY = GenerationParams(max_tokens=24, temperature=0.0, top_k=1)


def remote_spec(url: str, model: str, *, key: str = TEST_API_KEY, n_ctx: int = 4096) -> ModelSpec:
    return ModelSpec(
        Path(), "", n_ctx, engine=REMOTE, server=RemoteServer(url, key), remote_model=model
    )


def test_the_engine_answers_with_the_conversation(server: xllamacpp.Server, model_id: str) -> None:
    engine = load_engine(remote_spec(server.listening_address, model_id), threads=4)
    pieces: list[str] = []
    history = [Turn("My patient is called Marta.", "Noted: your patient is Marta.")]
    result = engine.generate(
        "You are a concise clinical assistant.",
        history,
        "What is my patient called?",
        GREEDY,
        pieces.append,
        threading.Event(),
    )
    assert engine.device == server.listening_address
    assert result.reason is StopReason.FINISHED and result.text == "".join(pieces)
    # The server's count, which includes the end-of-answer token it sends no text for.
    assert 2 <= len(pieces) <= result.tokens <= GREEDY.max_tokens
    # The server's own count of the prompt: the system prompt and the earlier turn came too.
    alone = engine.generate(
        "", [], "What is my patient called?", GREEDY, [].append, threading.Event()
    )
    assert result.prompt_tokens > alone.prompt_tokens + 15
    assert result.time_to_first_token is not None and result.dropped_turns == 0


def test_a_model_the_server_does_not_offer_is_refused_at_load(server: xllamacpp.Server) -> None:
    with pytest.raises(RemoteError) as caught:
        load_engine(remote_spec(server.listening_address, "medgemma-27b"), threads=1)
    assert caught.value.failure is Failure.NO_MODEL and "medgemma-27b" in str(caught.value)


def test_a_wrong_key_is_refused_at_load(server: xllamacpp.Server, model_id: str) -> None:
    with pytest.raises(RemoteError) as caught:
        load_engine(remote_spec(server.listening_address, model_id, key="wrong"), threads=1)
    assert caught.value.failure is Failure.ACCESS


def test_old_turns_are_left_out_when_the_context_is_small(
    server: xllamacpp.Server, model_id: str
) -> None:
    """Trimmed here to the context IT set; the server (1,024 tokens a slot) is never overrun."""
    engine = load_engine(remote_spec(server.listening_address, model_id, n_ctx=600), threads=1)
    history = [Turn(f"Case {n}: " + "fever and cough " * 20, "Noted.") for n in range(8)]
    result = engine.generate("", history, "Summarise.", GREEDY, [].append, threading.Event())
    assert result.reason is StopReason.FINISHED
    assert 0 < result.dropped_turns < len(history)


def test_a_conversation_the_server_cannot_hold_is_asked_again_shorter(
    server: xllamacpp.Server, model_id: str
) -> None:
    """The context IT set (8,192) is larger than the server's real one (1,024): the server
    refuses, and the engine leaves out old turns until it fits."""
    engine = load_engine(remote_spec(server.listening_address, model_id, n_ctx=8192), threads=1)
    history = [Turn(f"Case {n}: " + "fever and cough " * 40, "Noted.") for n in range(10)]
    result = engine.generate("", history, "Summarise.", GREEDY, [].append, threading.Event())
    assert result.reason is StopReason.FINISHED
    assert 0 < result.dropped_turns < len(history)
    with pytest.raises(PromptTooLongError):
        engine.generate("", [], "fever " * 3000, GREEDY, [].append, threading.Event())


def test_the_session_reports_a_busy_server_and_answers_after_it(
    qtbot: QtBot, front: FrontProxy, model_id: str
) -> None:
    """Through the worker thread, as the window uses it: two 503s are reported as waits."""
    session = ChatSession()
    waits: list[tuple[int, int, float]] = []
    session.answer_waiting.connect(lambda *wait: waits.append(wait))
    try:
        with qtbot.waitSignal(session.model_loaded, timeout=30_000):
            session.load_model(remote_spec(front.url, model_id), "starter on the server", 2)
        front.busy = 2
        with qtbot.waitSignal(session.answer_finished, timeout=60_000) as done:
            request = session.ask("Say hello.", lambda: ("", []), GREEDY)
        assert done.args[0] == request and done.args[1].tokens > 0
        assert [(r, attempt) for r, attempt, _s in waits] == [(request, 1), (request, 2)]
        assert all(seconds == 1.0 for *_rest, seconds in waits)  # the front's Retry-After
    finally:
        session.shutdown()
