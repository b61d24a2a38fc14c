"""Engine benchmark: llama.cpp engine against gpt4all engine (and bare xllamacpp), side by side.

Run with ``.venv/bin/python tests/bench/bench_engines.py [--reps N] [--threads 1 2]``.

The same GGUF (the installed starter, SmolLM2 135M), the same thread counts, greedy decoding,
at most 200 tokens, runs interleaved (one warm-up of each first) and medians reported:

1. llama.cpp engine ÷ gpt4all engine: decode tokens/s and time to first token (TTFT), for a
   short question and for a ~2,000-token document;
2. the app's llama.cpp engine ÷ bare ``xllamacpp.Server`` with the same settings and request
   (targets: ≥ 0.97 tokens/s, ≤ 1.10 TTFT);
3. a second turn's TTFT with the server's prompt cache (same engine, the first exchange
   still in its slot) ÷ the same conversation read by a fresh engine;
4. a thread change on the llama.cpp engine (it rebuilds the server): seconds;
5. peak resident memory of each engine with the same model, each in its own process.

Other processes may share the machine; numbers are ratios measured in one run, never
timed assertions. The script always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from clinichat.llm.engines import load_engine
from clinichat.llm.engines.base import (
    GPT4ALL,
    LLAMACPP,
    Engine,
    GenerationParams,
    ModelSpec,
    Turn,
)
from clinichat.llm.templates import CHATML_PROMPT_TEMPLATE
from clinichat.models.catalog import load_catalog
from clinichat.models.registry import ModelRegistry
from clinichat.models.starter import install_starter
from clinichat.resources import bundled_catalog_path

REPO_ROOT = Path(__file__).resolve().parents[2]
SYSTEM = "You are a careful medical assistant."
SYSTEMS = {GPT4ALL: f"<|im_start|>system\n{SYSTEM}<|im_end|>\n", LLAMACPP: SYSTEM}
SHORT = "Write a detailed explanation of how the heart pumps blood through the body."
MAX_TOKENS = 200
PARAMS = GenerationParams(
    max_tokens=MAX_TOKENS, temperature=0.0, top_k=1, repeat_penalty=1.0, n_batch=128
)
N_CTX = 4096
TPS_TARGET = 0.97
TTFT_TARGET = 1.10

Run = tuple[float, float]  # (time to first token s, decode tokens/s)


def document() -> str:
    """About 2,000 tokens of clinical-looking prose (README text is the same every run)."""
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")[:8000]
    return "Summarise this document for a colleague:\n\n" + text


def starter() -> Path:
    cache = REPO_ROOT / ".cache" / "test"
    cache.mkdir(parents=True, exist_ok=True)
    catalog, _ = load_catalog(bundled_catalog_path())
    folder = Path(tempfile.mkdtemp(prefix="bench-engines-"))
    return install_starter(ModelRegistry(folder, catalog), cache).path


def engine_run(engine: Engine, prompt: str) -> Run:
    engine.reset()
    result = engine.generate(
        SYSTEMS[engine.name], [], prompt, PARAMS, lambda _t: None, threading.Event()
    )
    assert result.time_to_first_token is not None
    return result.time_to_first_token, result.tokens_per_second


def bare_run(server: object, prompt: str) -> Run:
    """The same request straight to xllamacpp, timed the same way as the engine times it."""
    started = time.perf_counter()
    first: float | None = None
    count = 0

    def on_chunk(chunk: dict[str, object]) -> bool:
        nonlocal first, count
        for choice in chunk.get("choices") or []:  # type: ignore[attr-defined]
            content = (choice.get("delta") or {}).get("content")
            if content:
                count += 1
                if first is None:
                    first = time.perf_counter()
        return False

    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}]
    server.handle_chat_completions(  # type: ignore[attr-defined]
        {
            "messages": messages,
            "stream": True,
            "return_progress": True,
            "cache_prompt": False,
            "max_tokens": MAX_TOKENS,
            "temperature": 0.0,
            "top_k": 1,
            "repeat_penalty": 1.0,
        },
        on_chunk,
    )
    finished = time.perf_counter()
    assert first is not None
    return first - started, (count - 1) / (finished - first)


def bare_server(model: Path, threads: int) -> object:
    """xllamacpp with the settings the engine uses (see llamacpp._build_server)."""
    import xllamacpp

    from clinichat.llm.engines import llamacpp

    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.n_ctx = N_CTX
    params.n_parallel = 1
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.n_batch = llamacpp.PROMPT_BATCH
    params.n_ubatch = llamacpp.PROMPT_BATCH
    params.flash_attn_type = llamacpp.FLASH_ATTENTION
    params.ctx_shift = False
    params.verbosity = llamacpp.LOG_VERBOSITY
    return xllamacpp.Server(params)


def interleave(reps: int, runs: dict[str, Callable[[], Run]]) -> dict[str, list[Run]]:
    for run in runs.values():  # warm-up
        run()
    results: dict[str, list[Run]] = {name: [] for name in runs}
    for _ in range(reps):
        for name, run in runs.items():
            results[name].append(run())
    return results


def medians(rows: list[Run]) -> Run:
    return statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows)


def ratio_line(label: str, mine: Run, other: Run) -> str:
    return (
        f"  {label:<28} TTFT {mine[0]:6.2f} s ÷ {other[0]:6.2f} s = {mine[0] / other[0]:5.2f}"
        f"   decode {mine[1]:6.1f} ÷ {other[1]:6.1f} tok/s = {mine[1] / other[1]:5.2f}"
    )


def engines_side_by_side(model: Path, threads: int, reps: int) -> None:
    spec = {name: ModelSpec(model, CHATML_PROMPT_TEMPLATE, N_CTX, engine=name) for name in SYSTEMS}
    gpt4all = load_engine(spec[GPT4ALL], threads)
    llama = load_engine(spec[LLAMACPP], threads)
    bare = bare_server(model, threads)
    try:
        for label, prompt in (("short question", SHORT), ("~2,000-token document", document())):
            results = interleave(
                reps,
                {
                    "llamacpp": lambda p=prompt: engine_run(llama, p),  # type: ignore[misc]
                    "gpt4all": lambda p=prompt: engine_run(gpt4all, p),  # type: ignore[misc]
                    "bare": lambda p=prompt: bare_run(bare, p),  # type: ignore[misc]
                },
            )
            mine, theirs, raw = (medians(results[k]) for k in ("llamacpp", "gpt4all", "bare"))
            print(f"threads {threads}, {label} (median of {reps}):")
            print(ratio_line("llama.cpp ÷ gpt4all", mine, theirs))
            line = ratio_line("app ÷ bare xllamacpp", mine, raw)
            ok = mine[1] / raw[1] >= TPS_TARGET and mine[0] / raw[0] <= TTFT_TARGET
            print(line + ("   PASS" if ok else "   MISS"))
    finally:
        gpt4all.close()
        llama.close()


def prompt_cache(model: Path, threads: int, reps: int) -> None:
    """Second turn after a ~2,000-token document, in the app's engine (the slot still holds
    the first exchange) ÷ the same second request read afresh by the same server.

    "Afresh" is measured on a bare server with `cache_prompt` off: the same request with
    nothing held, without the cost of building a second engine in each repetition."""
    spec = ModelSpec(model, CHATML_PROMPT_TEMPLATE, N_CTX, engine=LLAMACPP)
    question = "Which three points matter most for a clinician?"
    params = GenerationParams(max_tokens=32, temperature=0.0, top_k=1)
    cached, fresh, reused = [], [], 0
    bare = bare_server(model, threads)
    for _ in range(reps):
        live = load_engine(spec, threads)
        first = live.generate(SYSTEM, [], document(), params, lambda _t: None, threading.Event())
        history = [Turn(document(), first.text)]
        again = live.generate(SYSTEM, history, question, params, lambda _t: None, threading.Event())
        live.close()
        assert again.time_to_first_token is not None and again.dropped_turns == 0
        cached.append(again.time_to_first_token)
        reused = again.cached_tokens
        fresh.append(_second_turn_afresh(bare, first.text, question))
    c, f = statistics.median(cached), statistics.median(fresh)
    print(
        f"threads {threads}, second turn TTFT, prompt cache ÷ read afresh: {c:.2f} s ÷ {f:.2f} s"
        f" = {c / f:.3f} ({reused} prompt tokens reused)"
    )


def _second_turn_afresh(server: object, answer: str, question: str) -> float:
    started = time.perf_counter()
    first: list[float] = []

    def on_chunk(chunk: dict[str, object]) -> bool:
        for choice in chunk.get("choices") or []:  # type: ignore[attr-defined]
            if (choice.get("delta") or {}).get("content") and not first:
                first.append(time.perf_counter())
        return False

    messages = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": document()},
        {"role": "assistant", "content": answer},
        {"role": "user", "content": question},
    ]
    server.handle_chat_completions(  # type: ignore[attr-defined]
        {"messages": messages, "stream": True, "cache_prompt": False, "max_tokens": 32,
         "temperature": 0.0, "top_k": 1},
        on_chunk,
    )  # fmt: skip
    return first[0] - started


def thread_change(model: Path) -> None:
    engine = load_engine(ModelSpec(model, "%1", N_CTX, engine=LLAMACPP), 2)
    seconds = []
    for threads in (1, 2, 1, 2):
        engine.set_threads(threads)
        seconds.append(engine.last_reload_s)  # type: ignore[attr-defined]
    engine.close()
    print(f"llama.cpp thread change (server rebuilt): median {statistics.median(seconds):.2f} s")


def peak_rss(model: Path) -> None:
    """Each engine in a child process: load, answer the short question, report ru_maxrss."""
    rows = {}
    for name in (GPT4ALL, LLAMACPP):
        child = subprocess.run(
            [sys.executable, __file__, "--rss-child", name, str(model)],
            capture_output=True,
            text=True,
            check=True,
        )
        rows[name] = json.loads(child.stdout.strip().splitlines()[-1])["rss_mb"]
    print(
        f"peak RSS: llama.cpp {rows[LLAMACPP]:.0f} MB, gpt4all {rows[GPT4ALL]:.0f} MB"
        f" (ratio {rows[LLAMACPP] / rows[GPT4ALL]:.2f})"
    )


def rss_child(name: str, model: Path) -> None:
    engine = load_engine(ModelSpec(model, CHATML_PROMPT_TEMPLATE, N_CTX, engine=name), 2)
    engine_run(engine, SHORT)
    engine.close()
    print(json.dumps({"rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rss-child", nargs=2, metavar=("ENGINE", "MODEL"))
    args = parser.parse_args()
    if args.rss_child:
        rss_child(args.rss_child[0], Path(args.rss_child[1]))
        return
    model = starter()
    print(f"model: {model.name}, greedy, at most {MAX_TOKENS} tokens, context {N_CTX}")
    for threads in args.threads:
        engines_side_by_side(model, threads, args.reps)
    prompt_cache(model, max(args.threads), args.reps)
    thread_change(model)
    peak_rss(model)


if __name__ == "__main__":
    main()
