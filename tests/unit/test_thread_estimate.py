"""The thread finder's running time, worked out from what it will run (issue 11, item 10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from clinichat.llm.thread_estimate import RUN_OVERHEAD_SECONDS, earlier_results, estimate
from clinichat.llm.thread_finder import (
    PROBE_PARAMS,
    RESULTS_FILE,
    ThreadResult,
    save_results,
)

STARTER_BYTES = 98_362_432
EARLIER = [ThreadResult(1, 32.0, 0.4), ThreadResult(2, 64.0, 0.2)]


def test_a_guess_grows_with_the_thread_counts_and_the_model() -> None:
    two = estimate([1, 2], "", STARTER_BYTES)
    eight = estimate(list(range(1, 9)), "", STARTER_BYTES)
    big = estimate([1, 2], "", 4_000_000_000)
    assert not two.measured
    assert 0 < two.seconds < eight.seconds < 8 * two.seconds
    assert big.seconds > 20 * two.seconds, "a 4 GB model writes ~40x slower than 98 MB"
    longer_prompt = estimate([1, 2], "You are a careful assistant. " * 40, STARTER_BYTES)
    assert longer_prompt.seconds > two.seconds, "the system prompt is read on every run"


def test_the_starter_guess_is_seconds_not_minutes() -> None:
    """60-100 tokens/s on two cores here: two runs of 64 tokens take a few seconds."""
    guess = estimate([1, 2], "", STARTER_BYTES)
    assert 1 < guess.seconds < 15


def test_an_earlier_measurement_gives_the_time() -> None:
    answer = PROBE_PARAMS.max_tokens
    measured = estimate([1, 2, 3], "", STARTER_BYTES, EARLIER)
    assert measured.measured
    # Three runs: 1 thread as measured, 2 as measured, 3 like its nearest (2).
    runs = (0.4 + answer / 32.0) + 2 * (0.2 + answer / 64.0) + 3 * RUN_OVERHEAD_SECONDS
    assert measured.seconds == pytest.approx(runs)


def test_earlier_results_are_this_models_on_this_machine(tmp_path: Path) -> None:
    assert earlier_results(tmp_path, "m.gguf") == []
    save_results(tmp_path, "m.gguf", EARLIER, 2)
    save_results(tmp_path, "other.gguf", [ThreadResult(1, 1.0, 9.0)], 1)
    assert earlier_results(tmp_path, "m.gguf") == EARLIER
    assert earlier_results(tmp_path, "unknown.gguf") == []
    assert earlier_results(None, "m.gguf") == []
    stored = json.loads((tmp_path / RESULTS_FILE).read_text())
    for entry in stored["entries"]:
        entry["machine"] = "another computer"
    (tmp_path / RESULTS_FILE).write_text(json.dumps(stored))
    assert earlier_results(tmp_path, "m.gguf") == [], "speeds do not carry over"
    (tmp_path / RESULTS_FILE).write_text('{"entries": [{"model": "m.gguf", "results": 3}]')
    assert earlier_results(tmp_path, "m.gguf") == []
