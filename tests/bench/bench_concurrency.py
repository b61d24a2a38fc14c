"""Several clinicians at once: the source study's concurrency experiment, on today's llama.cpp.

Run with ``.venv/bin/python tests/bench/bench_concurrency.py [--model FILE.gguf]
[--clients 1,2,3,10,15] [--tokens 150] [--slots N] [--chart FILE.png]``.

The source study sent 2 to 15 simultaneous questions to GPT4All and LocalAI on a
hospital's CPU servers and found no concurrency: each question waited for the one before
(13-18.5 s mean response).
Here the same llama.cpp server (xllamacpp's embedded server, listening on 127.0.0.1, the
starter model by default) answers the same questions twice, side by side in one run:

(a) with one slot, so questions are answered one after another, as the study's LocalAI did;
(b) with N slots and continuous batching, so every question in flight shares each decode step.

Each question is a streamed OpenAI-style chat completion, greedy, with a fixed answer length
(the end-of-text token is ignored), sent by its own client thread at the same moment.
For each number of simultaneous questions the table gives the mean and p95 response time,
the mean time to the first token and the total tokens per second, and (a) ÷ (b) ratios; the
chart (PNG) draws mean response time and total tokens/s against simultaneous questions.
The goal checked at 10 simultaneous questions: total tokens/s at least 2x the sequential
server's, and mean time to first token at most 0.15x of it.

Numbers, not assertions: the script always exits 0.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import xllamacpp
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from llama_server import address_of, llama_server

from clinichat.models.registry import ModelRegistry
from clinichat.models.starter import install_starter

CACHE = Path(__file__).resolve().parents[2] / ".cache" / "test"
QUESTIONS = [
    "What are the signs of sepsis in an adult?",
    "¿Cuáles son los síntomas de una crisis asmática grave?",
    "How is community-acquired pneumonia treated in adults?",
    "¿Qué pauta de profilaxis antibiótica se usa en una colecistectomía?",
    "Explain diabetic ketoacidosis to a nursing student.",
]
GOAL_THROUGHPUT, GOAL_FIRST_TOKEN = 2.0, 0.15


@dataclass(frozen=True)
class Answer:
    first_token_s: float
    total_s: float
    tokens: int


@dataclass(frozen=True)
class Round:
    clients: int
    answers: list[Answer]
    wall_s: float

    @property
    def mean_s(self) -> float:
        return statistics.fmean(a.total_s for a in self.answers)

    @property
    def p95_s(self) -> float:
        times = sorted(a.total_s for a in self.answers)
        return times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]

    @property
    def first_token_s(self) -> float:
        return statistics.fmean(a.first_token_s for a in self.answers)

    @property
    def tokens_per_s(self) -> float:
        return sum(a.tokens for a in self.answers) / self.wall_s


def ask(address: tuple[str, int], question: str, tokens: int, start: threading.Event) -> Answer:
    """One streamed chat completion; times from the moment every client is let go."""
    connection = http.client.HTTPConnection(*address, timeout=600)
    body = json.dumps(
        {
            "messages": [{"role": "user", "content": question}],
            "stream": True,
            "max_tokens": tokens,
            "temperature": 0,
            "ignore_eos": True,
        }
    )
    start.wait()
    began = time.perf_counter()
    connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    first, pieces = 0.0, 0
    for line in response:
        if not line.startswith(b"data: {"):
            continue
        delta = json.loads(line[6:])["choices"]
        if delta and delta[0].get("delta", {}).get("content"):
            pieces += 1
            first = first or time.perf_counter() - began
    connection.close()
    return Answer(first, time.perf_counter() - began, pieces)


def run_round(address: tuple[str, int], clients: int, tokens: int) -> Round:
    start = threading.Event()
    answers: list[Answer] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        answer = ask(address, QUESTIONS[n % len(QUESTIONS)], tokens, start)
        with lock:
            answers.append(answer)

    workers = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for worker in workers:
        worker.start()
    began = time.perf_counter()
    start.set()
    for worker in workers:
        worker.join()
    return Round(clients, answers, time.perf_counter() - began)


def measure(model: Path, slots: int, counts: list[int], tokens: int) -> dict[int, Round]:
    # Each slot holds a question and its answer.
    server = llama_server(model, slots=slots, slot_ctx=tokens + 256, threads=os.cpu_count() or 2)
    address = address_of(server)
    run_round(address, 1, 8)  # warm-up: the first decode allocates the compute buffers
    rounds = {n: run_round(address, n, tokens) for n in counts}
    del server
    return rounds


def table(sequential: dict[int, Round], parallel: dict[int, Round], slots: int) -> None:
    print(
        f"{'questions':>9} | {'1 slot: mean':>12} {'p95':>7} {'1st tok':>7} {'tok/s':>6}"
        f" | {slots} slots: mean {'p95':>7} {'1st tok':>7} {'tok/s':>6}"
        f" | tok/s x  1st tok x"
    )
    for n, one in sequential.items():
        many = parallel[n]
        print(
            f"{n:>9} | {one.mean_s:>11.2f}s {one.p95_s:>6.2f}s {one.first_token_s:>6.2f}s"
            f" {one.tokens_per_s:>6.1f} | {many.mean_s:>11.2f}s {many.p95_s:>6.2f}s"
            f" {many.first_token_s:>6.2f}s {many.tokens_per_s:>6.1f}"
            f" | {many.tokens_per_s / one.tokens_per_s:>7.2f}"
            f"  {many.first_token_s / one.first_token_s:>8.2f}"
        )
    if 10 in sequential:
        one, many = sequential[10], parallel[10]
        throughput = many.tokens_per_s / one.tokens_per_s
        first = many.first_token_s / one.first_token_s
        verdict = "PASS" if throughput >= GOAL_THROUGHPUT and first <= GOAL_FIRST_TOKEN else "MISS"
        print(
            f"10 simultaneous: total tokens/s {throughput:.2f}x (goal ≥ {GOAL_THROUGHPUT}x),"
            f" mean first token {first:.2f}x (goal ≤ {GOAL_FIRST_TOKEN}x): {verdict}"
        )


def chart(path: Path, sequential: dict[int, Round], parallel: dict[int, Round], slots: int) -> None:
    """Two panels, drawn with Qt: mean response time and total tokens/s per question count."""
    image = QImage(1200, 520, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(QFont("DejaVu Sans", 11))
    counts = list(sequential)
    series: tuple[tuple[str, Callable[[Round], float]], ...] = (
        ("Mean response time (s)", lambda r: r.mean_s),
        ("Total tokens per second", lambda r: r.tokens_per_s),
    )
    for panel, (title, value) in enumerate(series):
        area = QRectF(70 + panel * 600, 60, 480, 380)
        top = max(value(r) for rounds in (sequential, parallel) for r in rounds.values()) * 1.1
        painter.setPen(QPen(QColor("black"), 1))
        painter.drawRect(area)
        painter.drawText(QRectF(area.left(), 15, area.width(), 30), Qt.AlignmentFlag.AlignCenter,
                         title)  # fmt: skip
        for tick in range(6):
            y = area.bottom() - tick / 5 * area.height()
            painter.drawText(QRectF(area.left() - 65, y - 10, 60, 20),
                             Qt.AlignmentFlag.AlignRight, f"{top * tick / 5:.1f}")  # fmt: skip

        def point(n: int, v: float, a: QRectF = area, t: float = top) -> QPointF:
            x = a.left() + counts.index(n) / max(1, len(counts) - 1) * a.width()
            return QPointF(x, a.bottom() - v / t * a.height())

        for n in counts:
            painter.setPen(QPen(QColor("black"), 1))
            painter.drawText(QRectF(point(n, 0).x() - 20, area.bottom() + 5, 40, 20),
                             Qt.AlignmentFlag.AlignCenter, str(n))  # fmt: skip
        for colour, rounds in (("#c0392b", sequential), ("#2471a3", parallel)):
            painter.setPen(QPen(QColor(colour), 3))
            points = [point(n, value(rounds[n])) for n in counts]
            for a, b in itertools.pairwise(points):
                painter.drawLine(a, b)
            for p in points:
                painter.drawEllipse(p, 4, 4)
        painter.setPen(QPen(QColor("black"), 1))
        below = QRectF(area.left(), area.bottom() + 28, area.width(), 20)
        painter.drawText(
            below, Qt.AlignmentFlag.AlignCenter, "simultaneous questions (not to scale)"
        )
    for row, (colour, label) in enumerate(
        (
            ("#c0392b", "1 slot (one after another)"),
            ("#2471a3", f"{slots} slots, continuous batching"),
        )
    ):
        painter.setPen(QPen(QColor(colour), 3))
        painter.drawLine(QPointF(400 + row * 330, 497), QPointF(430 + row * 330, 497))
        painter.setPen(QPen(QColor("black"), 1))
        painter.drawText(QPointF(438 + row * 330, 502), label)
    painter.end()
    image.save(str(path))
    print(f"chart: {path}")


def main() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, help="a GGUF chat model (default: the starter)")
    parser.add_argument("--clients", default="1,2,3,10,15")
    parser.add_argument("--tokens", type=int, default=150)
    parser.add_argument("--slots", type=int, help="parallel slots (default: the most clients)")
    parser.add_argument("--chart", type=Path, default=Path("concurrency.png"))
    args = parser.parse_args()
    app = QGuiApplication(sys.argv[:1])
    counts = [int(n) for n in args.clients.split(",")]
    slots = args.slots or max(counts)
    with tempfile.TemporaryDirectory(prefix="bench-concurrency-") as temp:
        model = args.model or install_starter(ModelRegistry(Path(temp), []), CACHE).path
        print(
            f"model {model.name}, {os.cpu_count()} cores, {args.tokens} tokens per answer,"
            f" greedy; xllamacpp {xllamacpp.__version__}"
        )
        sequential = measure(model, 1, counts, args.tokens)
        parallel = measure(model, slots, counts, args.tokens)
    table(sequential, parallel, slots)
    chart(args.chart, sequential, parallel, slots)
    del app


if __name__ == "__main__":
    main()
