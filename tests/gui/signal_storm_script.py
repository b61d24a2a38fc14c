"""Signal storm run in a child process by tests/gui/test_signal_storm.py.

Why a separate script: PySide6 6.12.0 kills the interpreter ("Fatal Python error:
bool_dealloc") after a few thousand emissions, which no in-process test can catch.
Streaming chat tokens emits at this rate, so the app must survive it. Prints "ok" last
and exits 0 only if every emission arrived, on one thread and across threads.
"""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import QApplication

N = 100_000
WATCHDOG_MS = 120_000


class Emitter(QObject):
    """Carries the two signal shapes the chat uses: a bool flag and (index, token)."""

    flag = Signal(bool)
    token = Signal(int, str)
    done = Signal()

    @Slot()
    def storm(self) -> None:
        """Emit N of each; `done` last, so queued delivery order marks the end."""
        for i in range(N):
            self.flag.emit(i % 2 == 0)
            self.token.emit(i, "tok")
        self.done.emit()


class Receiver(QObject):
    """Counts deliveries; lives on the main thread like the chat view does."""

    def __init__(self) -> None:
        super().__init__()
        self.flags = 0
        self.trues = 0
        self.tokens = 0
        self.token_sum = 0

    @Slot(bool)
    def on_flag(self, value: bool) -> None:
        self.flags += 1
        self.trues += value is True

    @Slot(int, str)
    def on_token(self, index: int, text: str) -> None:
        self.tokens += 1
        self.token_sum += index + len(text) - 3


def check(name: str, receiver: Receiver) -> None:
    """Fail loudly (non-zero exit) if any emission was lost or mangled."""
    expected_sum = N * (N - 1) // 2
    got = (receiver.flags, receiver.trues, receiver.tokens, receiver.token_sum)
    want = (N, N // 2, N, expected_sum)
    if got != want:
        print(f"{name}: got {got}, want {want}", flush=True)
        sys.exit(1)


def same_thread(app: QApplication) -> None:
    """(a) Direct connections on the GUI thread."""
    emitter, receiver = Emitter(), Receiver()
    emitter.flag.connect(receiver.on_flag)
    emitter.token.connect(receiver.on_token)
    emitter.storm()
    app.processEvents()
    check("same thread", receiver)


def cross_thread(app: QApplication) -> None:
    """(b) Worker in a QThread, queued into the running main event loop."""
    thread = QThread()
    worker = Emitter()
    worker.moveToThread(thread)
    receiver = Receiver()
    queued = Qt.ConnectionType.QueuedConnection
    worker.flag.connect(receiver.on_flag, queued)
    worker.token.connect(receiver.on_token, queued)
    worker.done.connect(thread.quit, queued)
    thread.started.connect(worker.storm)
    thread.finished.connect(app.quit)

    def watchdog() -> None:
        print("cross thread: watchdog fired, event loop never finished", flush=True)
        app.exit(2)

    QTimer.singleShot(WATCHDOG_MS, watchdog)
    QTimer.singleShot(0, thread.start)
    code = app.exec()
    thread.quit()
    if not thread.wait(10_000):
        print("cross thread: worker thread did not stop", flush=True)
        sys.exit(3)
    if code != 0:
        sys.exit(code)
    check("cross thread", receiver)


def main() -> None:
    app = QApplication(sys.argv[:1])
    start = time.perf_counter()
    same_thread(app)
    middle = time.perf_counter()
    cross_thread(app)
    end = time.perf_counter()
    print(f"same thread: {middle - start:.2f} s, cross thread: {end - middle:.2f} s")
    print("ok", flush=True)


if __name__ == "__main__":
    main()
