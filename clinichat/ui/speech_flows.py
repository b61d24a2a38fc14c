"""Everything of the window that listens: dictation, a consultation's recording, and
transcribing a recording from a file, with what they share and the rules between them.

One speech model stays loaded for all three. One microphone use at a time: while a
consultation is recorded, dictation is off, and the other way round. While the microphone is
on, the window's title says so, which the taskbar shows even when the window is minimised.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QWidget

from clinichat.config.settings import Settings
from clinichat.speech.dictation import LoadedModel
from clinichat.ui import message_box
from clinichat.ui.consultation_flow import ConsultationFlow
from clinichat.ui.dictation_flow import DictationFlow
from clinichat.ui.pages import ChatPage
from clinichat.ui.transcription_flow import TranscriptionFlow

TITLE = "ClinicChat"


class SpeechFlows(QObject):
    """The window's speech commands and their state."""

    def __init__(
        self,
        window: QWidget,
        settings: Settings,
        models_dir: Path,
        page: ChatPage,
        report: tuple[Callable[[str], None], Callable[[str], None]],
        use_transcript: Callable[[str], None],
    ) -> None:
        """`report`: how to show an error and a notice. `use_transcript`: open a SOAP-note
        conversation with a transcript in its question box."""
        super().__init__(window)
        self._window = window
        show_error, _show_notice = report
        loaded = LoadedModel()
        self.transcription = TranscriptionFlow(
            window, settings, models_dir, show_error, use_transcript
        )
        self.dictation = DictationFlow(
            settings,
            models_dir,
            page.input,
            page.dictation_bar,
            page.dictate_button,
            show_error,
            loaded,
        )
        self.consultation = ConsultationFlow(
            window, settings, models_dir, page.dictation_bar, loaded, report, use_transcript
        )
        self._dictate_button = page.dictate_button
        self.dictation.active_changed.connect(self._show_microphone)
        self.consultation.active_changed.connect(self._show_microphone)

    def bind(self, bind: Callable[[str, Callable[[], None]], None]) -> None:
        bind("transcribe_recording", self.transcription.choose_and_transcribe)
        bind("dictate", self.dictate)
        bind("record_consultation", self.record_consultation)

    @Slot()
    def dictate(self) -> None:
        if not self.consultation.active:
            self.dictation.toggle()

    @Slot()
    def record_consultation(self) -> None:
        if not self.dictation.active:
            self.consultation.start()

    def escape(self) -> bool:
        """Esc: discard a dictation (True), never a consultation's recording."""
        if self.dictation.active:
            self.dictation.cancel()
            return True
        return False

    def set_locked(self, locked: bool) -> None:
        if locked:
            self.transcription.cancel()
            self.dictation.cancel()
        self.consultation.set_locked(locked)

    def may_close(self) -> bool:
        """Ask before closing the window ends a consultation's recording."""
        return not self.consultation.active or message_box.ask(
            self._window,
            self.tr("Recording a consultation"),
            self.tr("A consultation is being recorded. Quit and lose its transcript?"),
        )

    @Slot()
    def _show_microphone(self) -> None:
        on = self.dictation.active or self.consultation.active
        self._window.setWindowTitle(self.tr("● Recording — ClinicChat") if on else TITLE)
        self._dictate_button.setEnabled(not self.consultation.active)

    def shutdown(self) -> None:
        self.transcription.shutdown()
        self.dictation.shutdown()
        self.consultation.shutdown()
