"""Record a consultation: the patient's consent, the recording, and a SOAP-note draft from it.

The recording is a long dictation take (`speech.dictation.Take`): each utterance is
transcribed while the consultation goes on and its sound dropped, so an hour needs no more
memory than a minute, and the transcript is ready moments after Finish. Nothing of the sound
is kept or written. A stray key must not end twenty minutes of work, so only the strip's own
Finish and Discard buttons do (Discard asks first). Locking stops the recording at once, as
it must; the words heard until then wait, unseen, and open in the SOAP-note conversation
after unlocking, with a notice saying why the recording ended early.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

from clinichat.config.settings import Settings
from clinichat.messages import UserError
from clinichat.speech.dictation import LoadedModel
from clinichat.speech.installed import SpeechModels
from clinichat.speech.microphone import Microphone
from clinichat.translate import translate
from clinichat.ui import message_box
from clinichat.ui.dictation_bar import DictationBar, DictationState
from clinichat.ui.dictation_flow import DictationWorker


class ConsultationFlow(QObject):
    """The 'Record a consultation…' command of one window."""

    active_changed = Signal(bool)

    def __init__(
        self,
        window: QWidget,
        settings: Settings,
        models_dir: Path,
        bar: DictationBar,
        loaded: LoadedModel,
        report: tuple[Callable[[str], None], Callable[[str], None]],
        use_transcript: Callable[[str], None],
    ) -> None:
        """`report`: how to show an error and a notice."""
        super().__init__(window)
        self._window, self._settings, self._bar = window, settings, bar
        self._speech = SpeechModels.beside(models_dir)
        self._loaded = loaded
        self._show_error, self._show_notice = report
        self._use_transcript = use_transcript
        self.worker: DictationWorker | None = None
        self._parts: list[str] = []
        self._started = 0.0
        self._locked = False
        self._held: str | None = None  # a transcript kept through the lock
        self._ticker = QTimer(self)
        self._ticker.setInterval(100)
        self._ticker.timeout.connect(self._tick)
        bar.finish_button.clicked.connect(self.finish)
        bar.discard_button.clicked.connect(self.discard)

    @property
    def active(self) -> bool:
        return self.worker is not None

    @Slot()
    def start(self) -> None:
        if self.worker is not None:
            return
        try:
            model = self._speech.resolve("", default=self._settings.speech_model)
        except UserError as error:
            self._show_error(error.render(translate))
            return
        if not message_box.choose(
            self._window,
            QMessageBox.Icon.Information,
            self.tr("Record a consultation"),
            self.tr(
                "Before recording, tell the patient and ask for their consent.\n\n"
                "ClinicChat writes down what is said, on this computer only; the sound is"
                " never saved and is dropped as soon as it is transcribed. When you finish,"
                " the transcript opens in a new conversation, ready for a SOAP note, for"
                " you to read and correct before anything is sent to the model."
            ),
            self.tr("The patient agrees: record"),
        ):
            return
        worker = DictationWorker(Microphone(), model, self._loaded, self._settings, self._speech)
        worker.text.connect(self._on_text)
        worker.failed.connect(self._on_failed)
        worker.listening.connect(self._on_listening)
        worker.finished.connect(self._on_finished)
        self.worker, self._parts = worker, []
        self._bar.show_state(DictationState.STARTING, consultation=True)
        self._ticker.start()
        self.active_changed.emit(True)
        worker.start()

    @Slot()
    def finish(self) -> None:
        """Stop recording; the transcript follows once the last words are written."""
        if self.worker is not None and not self.worker.stop.is_set():
            self.worker.stop.set()
            self._bar.show_state(DictationState.FINISHING)

    @Slot()
    def discard(self) -> None:
        worker = self.worker
        if worker is None or not message_box.ask(
            self._window,
            self.tr("Discard the recording"),
            self.tr("Discard this recording? Its transcript so far is lost."),
        ):
            return
        worker.cancel.set()
        self._parts = []

    def set_locked(self, locked: bool) -> None:
        """The lock stops the recording; what was heard is handed over after unlocking."""
        self._locked = locked
        if locked:
            self.finish()
        elif self._held is not None:
            held, self._held = self._held, None
            self._use_transcript(held)
            self._show_notice(
                self.tr(
                    "The consultation's recording stopped when ClinicChat locked; below is"
                    " its transcript up to that moment."
                )
            )

    @Slot()
    def _on_listening(self) -> None:
        if self.worker is not None and not self.worker.stop.is_set():
            self._started = time.monotonic()
            self._bar.show_state(DictationState.RECORDING)

    @Slot(str)
    def _on_text(self, text: str) -> None:
        if self.sender() is self.worker:
            self._parts.append(text)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if self.sender() is self.worker:
            self._show_error(message)

    @Slot()
    def _on_finished(self) -> None:
        worker = self.sender()
        if worker is not self.worker or self.worker is None:
            return
        cancelled = self.worker.cancel.is_set()
        self.worker = None
        self._ticker.stop()
        self._bar.hide()
        self.active_changed.emit(False)
        worker.deleteLater()
        transcript, self._parts = " ".join(self._parts), []
        if cancelled:
            return
        if self._locked:
            self._held = transcript or None
        elif transcript:
            self._use_transcript(transcript)
        else:
            self._show_error(self.tr("No speech was heard in this recording."))

    def _tick(self) -> None:
        worker = self.worker
        if worker is None:
            return
        self._bar.set_level(worker.microphone.level)
        if self._bar.state is DictationState.RECORDING:
            self._bar.set_elapsed(time.monotonic() - self._started)

    def shutdown(self) -> None:
        """Before the window closes: end the recording without keeping anything."""
        worker = self.worker
        if worker is not None:
            worker.cancel.set()
            worker.wait()
