"""The strip above the question box while the microphone is on: that it is, and how loud.

A clinician must never wonder whether the room is being recorded: the strip is red, says so
in words, and moves with the voice; it also says how to finish and how to cancel. It serves
dictation (finished with the Dictate button) and a consultation's recording, which shows how
long it has run and has its own Finish and Discard buttons (no stray key ends it).
"""

from __future__ import annotations

import enum
import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from clinichat.speech.recording_text import clock
from clinichat.ui.retranslating import Retranslating

#: Loudness shown from this many decibels below full scale (quieter reads as nothing).
FLOOR_DB = 60.0


class DictationState(enum.Enum):
    STARTING = enum.auto()  # the microphone is opening
    RECORDING = enum.auto()  # sound is coming in
    FINISHING = enum.auto()  # no more sound is taken; the last words are being written


def meter_value(level: float) -> int:
    """A loudness (root mean square, 0 to 1) as 0-100 on a decibel scale."""
    if level <= 0.0:
        return 0
    db = 20.0 * math.log10(min(level, 1.0))
    return max(0, min(100, round((db + FLOOR_DB) / FLOOR_DB * 100)))


class DictationBar(Retranslating, QFrame):
    """Hidden until a take starts; `show_state` and `set_level` drive it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dictationBar")
        self.state = DictationState.STARTING
        self.consultation = False
        self.elapsed_s = 0.0
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        self.dot = QLabel(self)  # a red disc, drawn by the style sheet
        self.dot.setTextFormat(Qt.TextFormat.PlainText)
        self.dot.setObjectName("recordingDot")
        self.dot.setFixedSize(12, 12)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.meter = QProgressBar(self)
        self.meter.setObjectName("levelMeter")
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setFixedWidth(140)
        self.hint = QLabel(self)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        row.addWidget(self.dot)
        row.addWidget(self.label)
        row.addWidget(self.meter)
        row.addWidget(self.hint, 1)
        self.finish_button = QPushButton(self)
        self.finish_button.setObjectName("sendButton")
        self.discard_button = QPushButton(self)
        row.addWidget(self.finish_button)
        row.addWidget(self.discard_button)
        self.hide()
        self.retranslate()

    def show_state(self, state: DictationState, *, consultation: bool | None = None) -> None:
        """Show `state`; `consultation` (when given) switches between the two uses."""
        self.state = state
        if consultation is not None:
            self.consultation = consultation
            self.elapsed_s = 0.0
        if state is not DictationState.RECORDING:
            self.meter.setValue(0)
        shown = self.consultation and state is not DictationState.FINISHING
        self.finish_button.setVisible(shown)
        self.discard_button.setVisible(shown)
        self.retranslate()
        self.show()

    def set_elapsed(self, seconds: float) -> None:
        shown = int(self.elapsed_s)
        self.elapsed_s = seconds
        if int(seconds) != shown:
            self.retranslate()

    def set_level(self, level: float) -> None:
        if self.state is DictationState.RECORDING:
            self.meter.setValue(meter_value(level))

    def retranslate(self) -> None:
        texts = {
            DictationState.STARTING: self.tr("Starting the microphone…"),
            DictationState.RECORDING: self.tr("Recording: speak now"),
            DictationState.FINISHING: self.tr("Writing the last words…"),
        }
        if self.consultation and self.state is DictationState.RECORDING:
            texts[self.state] = self.tr("Recording the consultation: %1").replace(
                "%1", clock(self.elapsed_s)
            )
        self.label.setText(texts[self.state])
        self.meter.setAccessibleName(self.tr("Microphone level"))
        if self.state is DictationState.FINISHING:
            self.hint.setText("")
        elif self.consultation:
            self.hint.setText(self.tr("Minimising is fine; locking stops the recording."))
        else:
            self.hint.setText(self.tr("Esc discards this dictation."))
        self.finish_button.setText(self.tr("Finish and transcribe"))
        self.discard_button.setText(self.tr("Discard"))
