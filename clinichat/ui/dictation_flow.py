"""Dictate into the question box: the microphone button, its shortcut, and what they drive.

One take at a time, recorded and transcribed on a worker thread (`speech.dictation.Take`);
each finished utterance is written into the question box where the cursor was, while the
clinician goes on speaking. Nothing is sent: the words are editable text until Send. Esc or
the lock discards the take (its sound and the words it wrote); a failing microphone keeps
every word heard before it failed.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSize, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QPushButton, QStyle, QStyleOptionButton, QWidget

from clinichat.config.settings import Settings
from clinichat.messages import UserError
from clinichat.speech.dictation import LoadedModel, Take
from clinichat.speech.installed import SpeechModels
from clinichat.speech.microphone import Microphone
from clinichat.translate import translate
from clinichat.ui.dictation_bar import DictationBar, DictationState
from clinichat.ui.retranslating import Retranslating

log = logging.getLogger(__name__)


class DictationWorker(QThread):
    """Runs one take; reports by signals only."""

    listening = Signal()
    text = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        microphone: Microphone,
        model: Path,
        loaded: LoadedModel,
        settings: Settings,
        speech: SpeechModels,
    ) -> None:
        super().__init__()
        self.microphone = microphone
        self._model, self._speech = model, speech
        self.stop = threading.Event()
        self.cancel = threading.Event()
        threads = settings.threads
        self._take = Take(
            microphone,
            lambda: loaded.get(model, threads),
            settings.speech_language,
            self.listening.emit,
            self.text.emit,
            self.stop,
            self.cancel,
        )

    def run(self) -> None:
        try:
            self._take.run()
        except UserError as error:
            self.failed.emit(error.render(translate))
        except (OSError, RuntimeError, ValueError, MemoryError) as error:
            log.warning("dictation failed: %s", type(error).__name__)  # never the words
            self.failed.emit(str(error))
        finally:
            self._speech.record_speed(self._model, self._take.heard_s, self._take.work_s)


class DictateButton(Retranslating, QPushButton):
    """'Dictate', or 'Stop dictating' while a take is on."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dictateButton")
        self.setCheckable(True)
        self.toggled.connect(self.retranslate)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(self.tr("Stop dictating") if self.isChecked() else self.tr("Dictate"))
        self.setToolTip(self.tr("Speak instead of typing: the words go into the question box"))
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        """Wide enough for either text, so the question box does not jump when it changes
        (QPushButton's own hint, from the style, for each text; the wider one)."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        metrics = self.fontMetrics()
        sizes = []
        for text in (self.tr("Stop dictating"), self.tr("Dictate")):
            option.text = text
            content = QSize(metrics.horizontalAdvance(text), max(metrics.height(), 14))
            sizes.append(
                self.style().sizeFromContents(
                    QStyle.ContentsType.CT_PushButton, option, content, self
                )
            )
        return QSize(max(size.width() for size in sizes), max(size.height() for size in sizes))


class DictationFlow(QObject):
    """The dictation of one window's question box."""

    active_changed = Signal(bool)

    def __init__(
        self,
        settings: Settings,
        models_dir: Path,
        box: QPlainTextEdit,
        bar: DictationBar,
        button: DictateButton,
        show_error: Callable[[str], None],
        loaded: LoadedModel,
    ) -> None:
        super().__init__(box)
        self._settings = settings
        self._speech = SpeechModels.beside(models_dir)
        self._box, self._bar, self._button = box, bar, button
        self._show_error = show_error
        self._loaded = loaded
        self.worker: DictationWorker | None = None
        self._leaving: DictationWorker | None = None
        self._wrote = False  # this take put words in the box
        self._failed = False  # this take ended with an error, already shown
        # Where this take's words begin and end in the box (Qt moves both as text is edited).
        self._start = QTextCursor(box.document())
        self._end = QTextCursor(box.document())
        self._meter = QTimer(self)
        self._meter.setInterval(100)
        self._meter.timeout.connect(self._show_level)
        button.clicked.connect(self._on_button)

    @property
    def active(self) -> bool:
        return self.worker is not None

    @Slot()
    def toggle(self) -> None:
        """Start a take, or finish the one under way (its last words are still written)."""
        if self.worker is None:
            self.start()
        elif not self.worker.stop.is_set():
            self.worker.stop.set()
            self._button.setChecked(False)
            self._bar.show_state(DictationState.FINISHING)

    def _on_button(self) -> None:
        self.toggle()
        self._button.setChecked(self.worker is not None and not self.worker.stop.is_set())

    def start(self) -> None:
        if self._leaving is not None:  # a discarded take still closing its microphone
            self._leaving.wait()
        try:
            model = self._speech.resolve("", default=self._settings.speech_model)
        except UserError as error:
            self._button.setChecked(False)
            self._show_error(error.render(translate))
            return
        worker = DictationWorker(Microphone(), model, self._loaded, self._settings, self._speech)
        # Bound slots of this main-thread object: Qt queues the worker's signals to them.
        worker.listening.connect(self._on_listening)
        worker.text.connect(self._on_text)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(self._on_finished)
        self._start = QTextCursor(self._box.textCursor())
        self._start.clearSelection()
        self._start.setKeepPositionOnInsert(True)
        self._end = QTextCursor(self._start)
        self._end.setKeepPositionOnInsert(False)
        self.worker, self._wrote, self._failed = worker, False, False
        self._button.setChecked(True)
        self._bar.show_state(DictationState.STARTING, consultation=False)
        self._meter.start()
        self.active_changed.emit(True)
        worker.start()

    @Slot()
    def cancel(self) -> None:
        """Discard the take: its sound, and the words it wrote (Esc, and the lock)."""
        worker = self.worker
        if worker is None:
            return
        worker.cancel.set()
        self._leaving = worker
        # A fresh cursor: a copy of _start would bring its anchor, which insertions moved.
        selection = QTextCursor(self._box.document())
        selection.setPosition(self._start.position())
        selection.setPosition(self._end.position(), QTextCursor.MoveMode.KeepAnchor)
        selection.removeSelectedText()
        self._finished_take()

    @Slot()
    def _on_listening(self) -> None:
        worker = self.worker
        if self.sender() is worker and worker is not None and not worker.stop.is_set():
            self._bar.show_state(DictationState.RECORDING)

    @Slot(str)
    def _on_text(self, text: str) -> None:
        worker = self.worker
        if self.sender() is not worker or worker is None or worker.cancel.is_set():
            return
        before = self._end.position()
        joint = self._box.document().characterAt(before - 1) if before > 0 else " "
        self._end.insertText(text if joint.isspace() else " " + text)
        self._wrote = True
        self._box.setTextCursor(self._end)
        self._box.ensureCursorVisible()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self.sender() is self.worker:
            self._failed = True
            self._show_error(message)

    @Slot()
    def _on_finished(self) -> None:
        worker = self.sender()
        if worker is self.worker:
            self._finished_take()
            self._box.setFocus()
            if not (self._wrote or self._failed):
                self._show_error(
                    self.tr("No speech was heard. Speak once the strip says “Recording”.")
                )
        if worker is self._leaving:
            self._leaving = None
        worker.deleteLater()

    def _finished_take(self) -> None:
        self.worker = None
        self._meter.stop()
        self._bar.hide()
        self._button.setChecked(False)
        self.active_changed.emit(False)

    def _show_level(self) -> None:
        if self.worker is not None:
            self._bar.set_level(self.worker.microphone.level)

    def shutdown(self) -> None:
        """Before the window closes: end any take without keeping its sound."""
        self.cancel()
        if self._leaving is not None:
            self._leaving.wait()
