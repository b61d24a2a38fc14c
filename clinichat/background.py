"""Run one slow, self-contained job (copying a model file) off the GUI thread.

The job gets no Qt objects and touches no widgets; its result or exception comes back as a
signal, delivered on the main thread because the task object lives there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject, QThread, Signal

T = TypeVar("T")


class BackgroundTask(QThread):
    """A thread that runs `job()` once and reports its result or the exception it raised."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Callable[[], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._job = job

    def run(self) -> None:
        try:
            result = self._job()
        except Exception as error:  # reported to the user by whoever started the job
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)


class TaskRunner(QObject):
    """Starts background tasks and keeps them alive until they finish, so none is collected
    mid-run and shutdown can wait for all of them."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: set[BackgroundTask] = set()

    def run(
        self,
        job: Callable[[], T],
        done: Callable[[T], None],
        failed: Callable[[Exception], None],
    ) -> None:
        task = BackgroundTask(job, self)
        task.succeeded.connect(done)
        task.failed.connect(failed)
        task.finished.connect(lambda: self._tasks.discard(task))
        self._tasks.add(task)
        task.start()

    def wait_all(self) -> None:
        for task in list(self._tasks):
            task.wait()
