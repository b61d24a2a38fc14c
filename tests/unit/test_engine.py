"""Both Qt-free engines (gpt4all and llama.cpp) against their real backends and the real
starter model: every test here runs once per engine, through the one engine interface."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinichat.llm.engines import ENGINES, load_engine
from clinichat.llm.engines.base import (
    GPT4ALL,
    LLAMACPP,
    Engine,
    GenerationError,
    GenerationParams,
    GenerationResult,
    ModelLoadError,
    ModelSpec,
    PromptTooLongError,
    StopReason,
    Turn,
)
from clinichat.llm.templates import CHATML_PROMPT_TEMPLATE

# gpt4all is given the system prompt in the model's own format, llama.cpp as plain text.
SYSTEM_TEXT = "You are a careful medical assistant."
SYSTEMS = {
    GPT4ALL: f"<|im_start|>system\n{SYSTEM_TEXT}<|im_end|>\n",
    LLAMACPP: SYSTEM_TEXT,
}
GREEDY = GenerationParams(max_tokens=24, temperature=0.0, top_k=1)


@pytest.fixture(scope="module", params=ENGINES)
def engine_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def make_engine(model: Path, engine_name: str, n_ctx: int = 2048) -> Engine:
    spec = ModelSpec(model, CHATML_PROMPT_TEMPLATE, n_ctx, engine=engine_name)
    return load_engine(spec, threads=2)


def ask(
    engine: Engine,
    history: list[Turn],
    prompt: str,
    params: GenerationParams = GREEDY,
    system: str | None = None,
) -> tuple[str, list[str], GenerationResult]:
    system = SYSTEMS[engine.name] if system is None else system
    pieces: list[str] = []
    result = engine.generate(system, history, prompt, params, pieces.append, threading.Event())
    return result.text, pieces, result


@pytest.fixture(scope="module")
def engine(starter_model: Path, engine_name: str) -> Iterator[Engine]:
    loaded = make_engine(starter_model, engine_name)
    yield loaded
    loaded.close()


def test_answers_with_streamed_pieces_and_stats(engine: Engine) -> None:
    pieces: list[str] = []
    result = engine.generate(
        SYSTEMS[engine.name], [], "What is hypertension?", GREEDY, pieces.append, threading.Event()
    )
    assert result.text.strip()
    assert "".join(pieces) == result.text
    assert result.tokens == len(pieces) > 1
    assert result.reason in (StopReason.FINISHED, StopReason.CONTEXT_FULL)
    assert result.time_to_first_token is not None and result.time_to_first_token > 0
    assert result.tokens_per_second > 0
    assert result.prompt_tokens > 0


def test_greedy_answers_are_reproducible(engine: Engine) -> None:
    first, _, _ = ask(engine, [], "Name one symptom of anaemia.")
    second, _, _ = ask(engine, [], "Name one symptom of anaemia.")
    assert first == second


def test_stop_takes_effect_within_one_token(engine: Engine) -> None:
    stop = threading.Event()
    pieces: list[str] = []

    def on_text(piece: str) -> None:
        pieces.append(piece)
        if len(pieces) == 3:
            stop.set()

    params = GenerationParams(max_tokens=200, temperature=0.0, top_k=1)
    result = engine.generate(
        SYSTEMS[engine.name], [], "Describe the heart in detail.", params, on_text, stop
    )
    assert result.reason is StopReason.STOPPED
    assert result.tokens == 3
    assert result.text == "".join(pieces)


def test_stop_before_start_returns_nothing_and_engine_recovers(engine: Engine) -> None:
    stop = threading.Event()
    stop.set()
    result = engine.generate(SYSTEMS[engine.name], [], "Hello", GREEDY, lambda _p: None, stop)
    assert result.reason is StopReason.STOPPED
    assert result.tokens == 0
    text, _, _ = ask(engine, [], "What is a fever?")
    assert text.strip()


def test_follow_up_feeds_only_the_new_turn_and_replay_rebuilds_the_same(
    starter_model: Path, engine_name: str
) -> None:
    """A follow-up in a live conversation adds only the new question and answer to the
    context; the same conversation rebuilt from its stored turns (as after reopening it)
    fills the context to exactly the same size."""
    one_token = GenerationParams(max_tokens=1, temperature=0.0, top_k=1)
    live = make_engine(starter_model, engine_name)
    try:
        _, _, first = ask(live, [], "What is asthma?")
        history = [Turn("What is asthma?", first.text)]
        _, _, follow_up = ask(live, history, "How is it treated?", one_token)
    finally:
        live.close()
    assert follow_up.context_tokens == (
        follow_up.cached_tokens + follow_up.prompt_tokens + follow_up.tokens
    )
    # Only the new turn is read: the context still holds the first exchange (llama.cpp reads
    # the first answer's last token again, since it was sampled but never evaluated).
    assert first.context_tokens - 1 <= follow_up.cached_tokens <= first.context_tokens
    assert follow_up.prompt_tokens < 40
    fresh = make_engine(starter_model, engine_name)
    try:
        _, _, replayed = ask(fresh, history, "How is it treated?", one_token)
    finally:
        fresh.close()
    assert replayed.context_tokens == follow_up.context_tokens
    assert replayed.dropped_turns == 0


def test_backend_error_token_is_raised_not_shown(starter_model: Path, engine_name: str) -> None:
    small = make_engine(starter_model, engine_name, n_ctx=256)
    try:
        pieces: list[str] = []
        with pytest.raises(PromptTooLongError) as raised:
            small.generate(
                SYSTEMS[small.name], [], "fever " * 400, GREEDY, pieces.append, threading.Event()
            )
        assert pieces == []
        assert "256" in str(raised.value)
        assert isinstance(raised.value, GenerationError)
        text, _, _ = ask(small, [], "What is a fever?")
        assert text.strip() and "ERROR" not in text
    finally:
        small.close()


def test_context_trimming_keeps_system_prompt_and_newest_turns(
    starter_model: Path, engine_name: str
) -> None:
    n_ctx = 512
    history = [
        Turn(f"Question {i}: tell me about organ number {i}.", "It is an organ. " * 12)
        for i in range(12)
    ]
    trimmed = make_engine(starter_model, engine_name, n_ctx)
    try:
        text, _, result = ask(trimmed, history, "Which organ did I ask about last?")
        assert result.dropped_turns > 0
        kept = history[result.dropped_turns :]
        assert kept, "the newest turns must be kept"
    finally:
        trimmed.close()
    # The same system prompt and kept turns, given without the dropped ones, produce the
    # same greedy answer: the trimmed context was exactly system prompt + newest turns.
    reference = make_engine(starter_model, engine_name, n_ctx)
    try:
        expected, _, reference_result = ask(reference, kept, "Which organ did I ask about last?")
        assert reference_result.dropped_turns == 0
    finally:
        reference.close()
    assert text == expected


def test_thread_count_changes_apply_from_the_next_answer(engine: Engine) -> None:
    engine.set_threads(1)
    assert engine.threads == 1
    one, _, _ = ask(engine, [], "What is a pulse?")
    engine.set_threads(2)
    assert engine.threads == 2
    two, _, _ = ask(engine, [], "What is a pulse?")
    assert one.strip() and two.strip()


def test_truncated_file_gives_clear_error(
    starter_model: Path, tmp_path: Path, engine_name: str
) -> None:
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(starter_model.read_bytes()[:40_000_000])
    with pytest.raises(ModelLoadError) as raised:
        make_engine(broken, engine_name)
    assert "could not be loaded" in str(raised.value)
    assert "incomplete" in str(raised.value)


def test_non_gguf_file_gives_clear_error(tmp_path: Path, engine_name: str) -> None:
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("not a model", encoding="utf-8")
    with pytest.raises(ModelLoadError) as raised:
        make_engine(bogus, engine_name)
    assert "not a GGUF model file" in str(raised.value)


def test_gpt4all_refuses_a_template_without_placeholder(starter_model: Path) -> None:
    with pytest.raises(ModelLoadError):
        load_engine(ModelSpec(starter_model, "no placeholder here", 2048), threads=1)


def test_a_long_document_turn_that_fits_is_kept_for_the_follow_up(
    starter_model: Path, engine_name: str
) -> None:
    """The byte-based guess says a 4.5 kB document needs ~2,300 tokens; it takes ~1,000. Once
    the document has been read, its measured cost decides, so the follow-up keeps it (and
    reads only the new question) instead of silently answering without it."""
    document = "The patient reports mild chest pain after exercise. " * 90
    engine = make_engine(starter_model, engine_name, n_ctx=2048)
    try:
        _, _, first = ask(engine, [], document)
        assert first.context_tokens < 1500
        history = [Turn(document, first.text)]
        _, _, follow_up = ask(engine, history, "When does the pain start?")
    finally:
        engine.close()
    assert follow_up.dropped_turns == 0
    assert follow_up.cached_tokens >= first.context_tokens - 1
