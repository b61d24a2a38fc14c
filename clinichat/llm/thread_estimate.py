"""How long 'Find best thread count' will take, worked out before it starts.

The finder answers one short question (`PROBE_PROMPT`, up to `PROBE_PARAMS.max_tokens`
tokens) once per thread count, each from an empty context, so the time is the sum over the
counts of reading the prompt and writing the answer. The clinician is asked before it runs,
with that time in plain words.

When this model has been measured on this machine before, the earlier speeds give the time
(the finder saves them in the config folder). Otherwise the time can only be a rough guess
from the model's file size: on a CPU every generated token reads all the weights once, so a
core handles a few GB of weights per second until the memory bus is the limit. The guess
says which of the two it is, so the clinician is never promised more precision than there is.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from clinichat.llm.engines.base import estimate_tokens
from clinichat.llm.thread_finder import (
    PROBE_PARAMS,
    PROBE_PROMPT,
    RESULTS_FILE,
    ThreadResult,
    machine_description,
)

# Weights one core gets through per second when generating (quantised models, recent CPUs),
# and what a desktop's memory delivers to all cores together; the second caps the first.
CORE_BYTES_PER_SECOND: Final = 3e9
MEMORY_BYTES_PER_SECOND: Final = 15e9
# Reading the prompt goes in batches, several times faster per token than writing.
PROMPT_SPEEDUP: Final = 5.0
RUN_OVERHEAD_SECONDS: Final = 0.2  # clearing the context between runs


@dataclass(frozen=True)
class Estimate:
    seconds: float
    measured: bool  # from an earlier measurement of this model on this machine


def estimate(
    counts: Sequence[int],
    system_prompt: str,
    model_bytes: int,
    earlier: Sequence[ThreadResult] = (),
) -> Estimate:
    """The finder's running time for `counts` with this model and system prompt."""
    answer = PROBE_PARAMS.max_tokens
    if earlier:
        seconds = sum(_measured_run(_nearest(earlier, n), answer) for n in counts)
        return Estimate(seconds, measured=True)
    prompt = estimate_tokens(system_prompt) + estimate_tokens(PROBE_PROMPT)
    seconds = 0.0
    for threads in counts:
        speed = _guessed_speed(threads, model_bytes)
        seconds += prompt / (speed * PROMPT_SPEEDUP) + answer / speed + RUN_OVERHEAD_SECONDS
    return Estimate(seconds, measured=False)


def _guessed_speed(threads: int, model_bytes: int) -> float:
    """Tokens per second: weights read per second over the weights read per token."""
    throughput = min(threads * CORE_BYTES_PER_SECOND, MEMORY_BYTES_PER_SECOND)
    return throughput / max(model_bytes, 1)


def _nearest(results: Sequence[ThreadResult], threads: int) -> ThreadResult:
    return min(results, key=lambda r: abs(r.threads - threads))


def _measured_run(result: ThreadResult, answer_tokens: int) -> float:
    speed = max(result.tokens_per_second, 0.01)
    return result.time_to_first_token + answer_tokens / speed + RUN_OVERHEAD_SECONDS


def earlier_results(config_dir: Path | None, model: str | None) -> list[ThreadResult]:
    """The last measurement of `model` on this machine (as the finder saved it), or []."""
    if config_dir is None or model is None:
        return []
    try:
        stored = json.loads((config_dir / RESULTS_FILE).read_text(encoding="utf-8"))
        machine = machine_description()
        for entry in stored.get("entries", []):
            if entry.get("model") == model and entry.get("machine") == machine:
                return [
                    ThreadResult(
                        int(row["threads"]),
                        float(row["tokens_per_second"]),
                        float(row["time_to_first_token"]),
                    )
                    for row in entry.get("results", [])
                ]
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        pass  # a damaged file only costs the better estimate
    return []
