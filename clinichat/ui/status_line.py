"""The status bar: the model's state, how many answers are being written and how many wait,
a busy indicator, and the last answer's speed.

It shows facts about the model only, never conversation text, so it can stay visible while
the history is locked; passing messages (which may name a preset) are cleared on lock.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QLocale, Qt, QTimer, Slot
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar

from clinichat.llm.engines.base import GenerationResult
from clinichat.ui.retranslating import Retranslating


class StatusLine(Retranslating, QStatusBar):
    """Keeps the current state and the passing message as functions, so a language switch
    re-translates them at once."""

    def __init__(self) -> None:
        super().__init__()
        self._status: Callable[[], str] = lambda: ""
        self._speed: GenerationResult | None = None
        self._answers = (0, 0)  # being written, waiting for a free slot
        self._message: Callable[[], str] | None = None
        # The message's own timer: showing it again in the new language keeps its time left.
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.clearMessage)
        self.messageChanged.connect(self._on_message_changed)
        self.model_status = QLabel(self)
        self.model_status.setTextFormat(Qt.TextFormat.PlainText)
        self.load_progress = QProgressBar(self)
        self.load_progress.setRange(0, 0)
        self.load_progress.setMaximumWidth(160)
        self.load_progress.hide()
        self.speed_status = QLabel(self)
        self.speed_status.setTextFormat(Qt.TextFormat.PlainText)
        self.answers_status = QLabel(self)
        self.answers_status.setTextFormat(Qt.TextFormat.PlainText)
        self.addWidget(self.model_status, 1)
        self.addPermanentWidget(self.answers_status)
        self.addPermanentWidget(self.load_progress)
        self.addPermanentWidget(self.speed_status)
        self.retranslate()

    def retranslate(self) -> None:
        self.load_progress.setAccessibleName(self.tr("Working"))
        self.model_status.setText(self._status())
        self.speed_status.setText(self._speed_text())
        self.answers_status.setText(self._answers_text())
        if self._message is not None:
            self.showMessage(self._message())

    def show_message(self, text: Callable[[], str], timeout_ms: int) -> None:
        """Show a passing message for `timeout_ms`, in whatever language is current."""
        self._message = None  # the message being replaced is forgotten first
        self.showMessage(text())
        self._message = text
        self._message_timer.start(timeout_ms)

    @Slot(str)
    def _on_message_changed(self, text: str) -> None:
        if not text:  # cleared: timed out, or the window locked
            self._message = None
            self._message_timer.stop()

    def set_status(self, text: Callable[[], str]) -> None:
        self._status = text
        self.model_status.setText(text())

    def set_busy(self, busy: bool) -> None:
        self.load_progress.setVisible(busy)

    def set_answers(self, running: int, waiting: int) -> None:
        """How many answers are being written at once, and how many wait for a free slot."""
        self._answers = (running, waiting)
        self.answers_status.setText(self._answers_text())

    def _answers_text(self) -> str:
        running, waiting = self._answers
        if not running and not waiting:
            return ""
        text = self.tr("%1 answering").replace("%1", str(running))
        if waiting:
            text += " · " + self.tr("%1 waiting").replace("%1", str(waiting))
        return text

    def show_speed(self, result: GenerationResult) -> None:
        if result.tokens:
            self._speed = result
            self.speed_status.setText(self._speed_text())

    def _speed_text(self) -> str:
        if self._speed is None:
            return ""
        return (
            self.tr("%1 tokens/s · first word after %2 s")
            .replace("%1", QLocale().toString(self._speed.tokens_per_second, "f", 1))
            .replace("%2", QLocale().toString(self._speed.time_to_first_token or 0.0, "f", 2))
        )
