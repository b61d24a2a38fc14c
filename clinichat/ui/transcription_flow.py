"""Transcribe a recording: choose the file, watch the progress, get a SOAP-note draft.

The sound is decoded and transcribed on a worker thread (minutes for a long consultation),
with a progress dialog that cancels it; the transcript lives only in memory until it is put
into a new conversation's question box under the SOAP-note preset, where the clinician reads
and edits it before anything is sent. Locking the window cancels the work and drops the
transcript, as it hides every conversation.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot
from PySide6.QtWidgets import QFileDialog, QProgressDialog, QWidget

from clinichat.config.settings import Settings
from clinichat.messages import UserError
from clinichat.speech.audio_file import AudioFile
from clinichat.speech.installed import SpeechModels
from clinichat.speech.recording_text import clock, transcript_text
from clinichat.speech.transcriber import Segment, Transcriber
from clinichat.translate import translate
from clinichat.ui import file_dialogs

log = logging.getLogger(__name__)
AUDIO_PATTERNS = "*.wav *.mp3 *.m4a *.ogg *.oga *.opus *.flac *.aac *.webm *.wma"


class TranscriptionWorker(QThread):
    """Loads the speech model and transcribes one file; reports by signals only."""

    #: (seconds transcribed, seconds in the file or 0 when it does not say)
    progressed = Signal(float, float)
    #: The transcript (empty when no speech was heard).
    transcribed = Signal(str)
    failed = Signal(str)

    def __init__(
        self,
        audio: Path,
        model: Path,
        language: str | None,
        threads: int,
        speech: SpeechModels,
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self._speech = speech
        self._audio, self._model = audio, model
        self._language, self._threads = language, threads
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    def run(self) -> None:
        try:
            with AudioFile(self._audio) as audio:
                total = audio.duration_s or 0.0
                self.progressed.emit(0.0, total)
                transcriber = Transcriber(self._model, self._threads)
                started = time.perf_counter()
                segments: list[Segment] = []
                for segment in transcriber.transcribe(
                    audio.blocks(30), language=self._language, cancelled=self._stop.is_set
                ):
                    segments.append(segment)
                    self.progressed.emit(segment.end, total)
                if not self._stop.is_set():
                    self._speech.record_speed(self._model, total, time.perf_counter() - started)
        except UserError as error:
            self.failed.emit(error.render(translate))
            return
        except (OSError, RuntimeError, ValueError, MemoryError) as error:
            log.warning("transcription failed: %s", type(error).__name__)  # never the text
            self.failed.emit(str(error))
            return
        if not self._stop.is_set():
            self.transcribed.emit(transcript_text(segments))


class TranscriptionFlow(QObject):
    """The 'Transcribe a recording…' command of one window."""

    def __init__(
        self,
        window: QWidget,
        settings: Settings,
        models_dir: Path,
        show_error: Callable[[str], None],
        use_transcript: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._speech = SpeechModels.beside(models_dir)
        self._show_error = show_error
        self._use_transcript = use_transcript
        self.worker: TranscriptionWorker | None = None
        self.dialog: QProgressDialog | None = None

    @Slot()
    def choose_and_transcribe(self) -> None:
        if self.worker is not None:
            return
        path, _filter = QFileDialog.getOpenFileName(
            self._window,
            self.tr("Transcribe a recording"),
            str(Path.home()),
            self.tr("Recordings (%1);;All files (*)").replace("%1", AUDIO_PATTERNS),
            options=file_dialogs.OPTIONS,
        )
        if path:
            self.transcribe(Path(path))

    def transcribe(self, path: Path) -> None:
        try:
            model = self._speech.resolve("", default=self._settings.speech_model)
        except UserError as error:
            self._show_error(error.render(translate))
            return
        worker = TranscriptionWorker(
            path,
            model,
            self._settings.speech_language,
            self._settings.threads,
            self._speech,
            self,
        )
        dialog = QProgressDialog(self._window)
        dialog.setWindowTitle(self.tr("Transcribing"))
        dialog.setLabelText(self.tr("Loading the speech model…"))
        dialog.setCancelButtonText(self.tr("Cancel"))
        dialog.setRange(0, 0)
        dialog.setMinimumDuration(0)
        dialog.setMinimumWidth(460)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        worker.progressed.connect(lambda done, total: self._on_progress(path.name, done, total))
        worker.transcribed.connect(self._on_transcribed)
        worker.failed.connect(self._on_failed)
        worker.finished.connect(lambda: self._on_finished(worker))
        self.worker, self.dialog = worker, dialog
        dialog.show()
        worker.start()

    @Slot()
    def cancel(self) -> None:
        """Stop at the next segment and drop what was heard (also on lock)."""
        if self.worker is not None:
            self.worker.cancel()
        self._close_dialog()

    def _close_dialog(self) -> None:
        dialog, self.dialog = self.dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)
            dialog.close()
            dialog.deleteLater()

    def _on_progress(self, name: str, done: float, total: float) -> None:
        if self.dialog is None:
            return
        if total > 0:
            self.dialog.setRange(0, 1000)
            self.dialog.setValue(min(1000, int(done / total * 1000)))
            text = self.tr("Transcribing %1: %2 of %3").replace("%1", name)
            text = text.replace("%2", clock(done)).replace("%3", clock(total))
        else:
            text = self.tr("Transcribing %1: %2").replace("%1", name).replace("%2", clock(done))
        self.dialog.setLabelText(text)

    def _on_transcribed(self, text: str) -> None:
        if self.dialog is None:  # cancelled or locked meanwhile: the text is dropped
            return
        self._close_dialog()
        if not text.strip():
            self._show_error(self.tr("No speech was heard in this recording."))
            return
        self._use_transcript(text)

    def _on_failed(self, message: str) -> None:
        if self.dialog is None:
            return
        self._close_dialog()
        self._show_error(message)

    def _on_finished(self, worker: TranscriptionWorker) -> None:
        if self.worker is worker:
            self.worker = None
        worker.deleteLater()

    def shutdown(self) -> None:
        if self.worker is not None:
            self.worker.cancel()
            self.worker.wait()
