"""A reasoning model on the llama.cpp engine: its thinking is kept apart from the answer.

The model is real (Gemma 3 270M) with a Qwen3-style thinking template (`thinking_model`);
llama.cpp's chat parser does the splitting, so these tests check what the app receives
from the real engine: thinking streamed to its own callback and returned apart, never in
the answer text, and no thinking at all when the model's setting turns it off.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from thinking_model import ANSWER_START, EXAMPLES, QUESTION, THOUGHT

from clinichat.llm.engines import load_engine
from clinichat.llm.engines.base import LLAMACPP, Engine, GenerationParams, ModelSpec, StopReason

pytestmark = pytest.mark.slow

GREEDY = GenerationParams(max_tokens=24, temperature=0.0, top_k=1)


@pytest.fixture(scope="module")
def engine(thinking_file: Path) -> Iterator[Engine]:
    loaded = load_engine(ModelSpec(thinking_file, "", 1024, engine=LLAMACPP), threads=2)
    yield loaded
    loaded.close()


def test_thinking_streams_apart_from_the_answer(engine: Engine) -> None:
    text: list[str] = []
    thought: list[str] = []
    result = engine.generate(
        "", EXAMPLES, QUESTION, GREEDY, text.append, threading.Event(), thought.append
    )
    assert result.reasoning.strip() == THOUGHT
    assert "".join(thought) == result.reasoning
    assert result.text.startswith(ANSWER_START), result.text
    assert "".join(text) == result.text
    assert THOUGHT not in result.text and "think>" not in result.text
    # Thinking tokens are generated tokens: counted, and the first one starts the clock.
    assert result.tokens > len(text)
    assert result.time_to_first_token is not None


def test_thinking_off_gives_no_thinking(engine: Engine) -> None:
    thought: list[str] = []
    params = GenerationParams(max_tokens=24, temperature=0.0, top_k=1, thinking=False)
    result = engine.generate(
        "", EXAMPLES, QUESTION, params, lambda _t: None, threading.Event(), thought.append
    )
    assert thought == [] and result.reasoning == ""
    assert result.text.strip()
    assert THOUGHT not in result.text


def test_stop_while_thinking_returns_no_answer(engine: Engine) -> None:
    stop = threading.Event()

    def on_thought(_piece: str) -> None:
        stop.set()

    result = engine.generate("", EXAMPLES, QUESTION, GREEDY, lambda _t: None, stop, on_thought)
    assert result.reason is StopReason.STOPPED and result.text == ""
    assert result.reasoning and len(result.reasoning) < len(THOUGHT)
