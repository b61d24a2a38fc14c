"""What only the llama.cpp engine does: a quiet log, rebuilt threads, the thinking switch,
and trimming by the server's own token count."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from clinichat.llm.engines import load_engine
from clinichat.llm.engines.base import (
    LLAMACPP,
    Engine,
    GenerationParams,
    GenerationResult,
    ModelSpec,
    Turn,
    estimate_tokens,
)

pytestmark = pytest.mark.slow

SCRIPT = """
import sys, threading
from pathlib import Path
from clinichat.llm.engines import load_engine
from clinichat.llm.engines.base import GenerationParams, ModelSpec
engine = load_engine(ModelSpec(Path(sys.argv[1]), "%1", 512, engine="llamacpp"), threads=1)
params = GenerationParams(max_tokens=8, temperature=0.0, top_k=1)
result = engine.generate(sys.argv[2], [], sys.argv[3], params, lambda _t: None, threading.Event())
engine.set_threads(2)
engine.generate(sys.argv[2], [], sys.argv[3], params, lambda _t: None, threading.Event())
engine.close()
print("answered", result.tokens)
"""


def test_loading_and_answering_print_nothing_to_the_terminal(
    starter_model: Path, tmp_path: Path
) -> None:
    """llama.cpp logs to stderr; at the level the engine sets, a normal run writes nothing
    there, and so certainly no question or answer text."""
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(starter_model), "Patient Zyxwv", "Fever in Qwerty?"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("answered ")
    assert done.stderr == ""


def test_a_thread_change_rebuilds_the_server_and_keeps_answering(starter_model: Path) -> None:
    engine = load_engine(ModelSpec(starter_model, "%1", 512, engine=LLAMACPP), threads=1)
    try:
        params = GenerationParams(max_tokens=8, temperature=0.0, top_k=1)
        before = engine.generate("", [], "What is a pulse?", params, str, threading.Event())
        engine.set_threads(2)
        assert engine.threads == 2
        assert 0 < engine.last_reload_s < 30  # type: ignore[attr-defined]
        after = engine.generate("", [], "What is a pulse?", params, str, threading.Event())
        assert after.text == before.text, "the same greedy answer on 1 and 2 threads"
        assert after.cached_tokens == 0, "a new server starts with an empty prompt cache"
    finally:
        engine.close()


def test_thinking_off_is_accepted_by_a_template_without_it(starter_model: Path) -> None:
    """The switch reaches the chat template; one that does not read it answers as before."""
    engine = load_engine(ModelSpec(starter_model, "%1", 512, engine=LLAMACPP), threads=2)
    try:
        answers = [
            engine.generate(
                "",
                [],
                "What is a pulse?",
                GenerationParams(max_tokens=8, temperature=0.0, top_k=1, thinking=thinking),
                str,
                threading.Event(),
            )
            for thinking in (True, False)
        ]
    finally:
        engine.close()
    assert answers[0].text == answers[1].text and answers[0].text.strip()
    assert answers[0].reasoning == answers[1].reasoning == ""


GREEDY = GenerationParams(max_tokens=32, temperature=0.0, top_k=1)
DOCUMENT = "The patient reports mild chest pain after exercise. " * 90  # ~1,000 tokens


def _answer(engine: Engine, history: list[Turn], prompt: str) -> GenerationResult:
    return engine.generate("Be brief.", history, prompt, GREEDY, lambda _t: None, threading.Event())


def test_a_reopened_conversation_keeps_a_document_that_fits(starter_model: Path) -> None:
    """A fresh engine (the app restarted, the conversation reopened) has measured nothing;
    the server's own count decides, so a ~1,000-token document that a 2-bytes-per-token
    guess puts at ~2,300 tokens stays in a 2,048-token context."""
    spec = ModelSpec(starter_model, "%1", 2048, engine=LLAMACPP)
    first = load_engine(spec, threads=2)
    try:
        read = _answer(first, [], DOCUMENT)
    finally:
        first.close()
    history = [Turn(DOCUMENT, read.text)]
    assert estimate_tokens(DOCUMENT) > 2048 - 32 > read.context_tokens
    reopened = load_engine(spec, threads=2)
    try:
        follow_up = _answer(reopened, history, "When does the pain start?")
    finally:
        reopened.close()
    assert follow_up.dropped_turns == 0
    assert follow_up.prompt_tokens > read.context_tokens, "the document was read again"


def test_only_the_turns_that_do_not_fit_are_dropped(starter_model: Path) -> None:
    """Trimmed to the server's count: keeping one more of the dropped turns would not fit."""
    history = [
        Turn(f"Question {i}: tell me about organ number {i}.", "It is an organ. " * 12)
        for i in range(12)
    ]
    question = "Which organ did I ask about last?"
    engine = load_engine(ModelSpec(starter_model, "%1", 512, engine=LLAMACPP), threads=2)
    try:
        trimmed = _answer(engine, history, question)
        assert 0 < trimmed.dropped_turns < len(history)
        assert trimmed.prompt_tokens + 32 <= 512
        one_more = _answer(engine, history[trimmed.dropped_turns - 1 :], question)
    finally:
        engine.close()
    assert one_more.dropped_turns >= 1
