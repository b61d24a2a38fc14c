"""Run one Qt job from the command line until it ends, with Ctrl+C meaning "stop, keep what
was done" (a download keeps its part for the next run).

Qt's event loop holds the interpreter in C++, so Python would see a Ctrl+C only when the loop
ends; a timer waking the loop a few times a second lets the SIGINT handler run promptly.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType

from PySide6.QtCore import QCoreApplication, QTimer


def run_until_done(
    app: QCoreApplication,
    stop: Callable[[], None],
    tick: Callable[[], None] | None = None,
    every_ms: int = 200,
) -> bool:
    """Run `app`'s loop until something calls `app.quit()`; True when Ctrl+C ended it (after
    calling `stop`). `tick` runs every `every_ms` milliseconds meanwhile (progress lines)."""
    interrupted = False

    def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
        nonlocal interrupted
        interrupted = True
        stop()
        app.quit()

    previous = signal.signal(signal.SIGINT, on_interrupt)
    ticker = QTimer()
    if tick is not None:
        ticker.timeout.connect(tick)
    ticker.start(every_ms)
    try:
        app.exec()
    finally:
        signal.signal(signal.SIGINT, previous)
        ticker.stop()
    return interrupted
