"""Find the best thread count for this model on this machine, by measuring it.

The source study saw generation speed flatten past about 4 threads on a CPU server, and the
best count depends on the processor, the model and what else the machine runs. So rather
than guess, ClinicChat runs the same short, greedy answer at each thread count and picks the
smallest count within 5% of the fastest: more threads than that buy nothing and leave less
room for the rest of the computer (on a 2-core machine, a busy neighbour process can slow a
model that uses every core by an order of magnitude).
"""

from __future__ import annotations

import json
import os
import platform
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from clinichat.atomic import write_atomically
from clinichat.llm.engines.base import Engine, GenerationParams

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


RESULTS_FILE = "thread-counts.json"


def machine_description() -> str:
    """Which machine a measurement belongs to: results do not carry over to another CPU."""
    processor = platform.processor() or platform.machine()
    return f"{processor}, {os.cpu_count() or 1} logical cores"


def save_results(config_dir: Path, model: str, results: Sequence[ThreadResult], best: int) -> None:
    """Keep the latest measurement per model and machine in the config folder."""
    path = config_dir / RESULTS_FILE
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        entries = [e for e in stored.get("entries", []) if isinstance(e, dict)]
    except (OSError, ValueError, AttributeError):
        entries = []
    machine = machine_description()
    entries = [e for e in entries if (e.get("model"), e.get("machine")) != (model, machine)]
    entries.append(
        {
            "model": model,
            "machine": machine,
            "measured": time.time(),
            "best": best,
            "results": [asdict(result) for result in results],
        }
    )
    config_dir.mkdir(parents=True, exist_ok=True)
    data = {"version": 1, "entries": entries}
    write_atomically(path, json.dumps(data, indent=2).encode("utf-8"))
