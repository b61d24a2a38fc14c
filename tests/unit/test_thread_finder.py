"""The thread-count finder: the rule, a real measurement, and the stored results."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from clinichat.llm.engines import load_engine
from clinichat.llm.engines.base import GenerationParams, ModelSpec
from clinichat.llm.templates import CHATML_PROMPT_TEMPLATE
from clinichat.llm.thread_finder import (
    RESULTS_FILE,
    ThreadResult,
    best_thread_count,
    machine_description,
    measure,
    save_results,
)

SHORT = GenerationParams(max_tokens=16, temperature=0.0, top_k=1)


def rows(*speeds: float) -> list[ThreadResult]:
    return [ThreadResult(n, speed, 0.1) for n, speed in enumerate(speeds, start=1)]


def test_smallest_count_within_five_percent_of_the_fastest() -> None:
    assert best_thread_count(rows(50, 80, 96, 100)) == 3
    assert best_thread_count(rows(50, 80, 94, 100)) == 4
    assert best_thread_count(rows(100, 60)) == 1
    with pytest.raises(ValueError):
        best_thread_count([])


def test_measures_each_count_with_the_real_model(starter_model: Path) -> None:
    engine = load_engine(ModelSpec(starter_model, CHATML_PROMPT_TEMPLATE), threads=2)
    progress: list[tuple[int, int]] = []
    try:
        results = measure(
            engine, [1, 2], "", params=SHORT, on_progress=lambda d, t: progress.append((d, t))
        )
        assert [r.threads for r in results] == [1, 2]
        assert all(r.tokens_per_second > 0 and r.time_to_first_token > 0 for r in results)
        assert progress == [(0, 2), (1, 2), (2, 2)]
        assert engine.threads == 2, "the engine keeps its own thread count"
        stop = threading.Event()
        stop.set()
        assert measure(engine, [1, 2], "", params=SHORT, stop=stop) == []
    finally:
        engine.close()


def test_results_are_kept_per_model_and_machine(tmp_path: Path) -> None:
    save_results(tmp_path, "a.gguf", rows(10, 20), 2)
    save_results(tmp_path, "b.gguf", rows(30), 1)
    save_results(tmp_path, "a.gguf", rows(11, 12), 1)
    stored = json.loads((tmp_path / RESULTS_FILE).read_text())
    entries = {e["model"]: e for e in stored["entries"]}
    assert sorted(entries) == ["a.gguf", "b.gguf"]
    assert entries["a.gguf"]["best"] == 1
    assert entries["a.gguf"]["machine"] == machine_description()
    assert [r["tokens_per_second"] for r in entries["a.gguf"]["results"]] == [11, 12]
