"""Find the best thread count for this model on this machine, by measuring it.

The source study saw generation speed flatten past about 4 threads on a CPU server, and the
best count depends on the processor, the model and what else the machine runs. So rather
than guess, ClinicChat runs the same short, greedy answer at each thread count and picks the
smallest count within 5% of the fastest: more threads than that buy nothing and leave less
room for the rest of the computer (on a 2-core machine, a busy neighbour process can slow a
model that uses every core by an order of magnitude).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from clinichat.llm.engine import Engine, GenerationParams

TOLERANCE = 0.05
PROBE_PROMPT = "Explain in a few sentences how the kidneys filter blood."
PROBE_PARAMS = GenerationParams(max_tokens=64, temperature=0.0, top_k=1)


@dataclass(frozen=True)
class ThreadResult:
    threads: int
    tokens_per_second: float
    time_to_first_token: float


def measure(
    engine: Engine,
    counts: Sequence[int],
    system_prompt: str,
    *,
    params: GenerationParams = PROBE_PARAMS,
    on_progress: Callable[[int, int], None] | None = None,
    stop: threading.Event | None = None,
) -> list[ThreadResult]:
    """Answer the same question at each thread count; stops early (fewer rows) when asked.

    Each run starts from an empty context, so every count does the same work. The engine is
    left at the thread count it had before.
    """
    stop = stop or threading.Event()
    before = engine.threads
    results: list[ThreadResult] = []
    try:
        for done, threads in enumerate(counts):
            if stop.is_set():
                break
            if on_progress is not None:
                on_progress(done, len(counts))
            engine.set_threads(threads)
            engine.reset()
            result = engine.generate(system_prompt, [], PROBE_PROMPT, params, _ignore, stop)
            if stop.is_set() or result.time_to_first_token is None:
                break
            results.append(
                ThreadResult(threads, result.tokens_per_second, result.time_to_first_token)
            )
    finally:
        engine.set_threads(before)
        engine.reset()
    if on_progress is not None and not stop.is_set():
        on_progress(len(counts), len(counts))
    return results


def best_thread_count(results: Sequence[ThreadResult], tolerance: float = TOLERANCE) -> int:
    """The smallest thread count whose speed is within `tolerance` of the fastest."""
    if not results:
        raise ValueError("no measurements")
    fastest = max(result.tokens_per_second for result in results)
    good = [r.threads for r in results if r.tokens_per_second >= fastest * (1 - tolerance)]
    return min(good)


def _ignore(_piece: str) -> None:
    """The probe's text is never shown or kept."""
