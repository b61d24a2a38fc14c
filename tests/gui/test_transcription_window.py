"""A recorded consultation becomes a SOAP-note draft in the real window, with the real Whisper
base and the real starter model, over a real encrypted history; nothing of it lands on disk
in the clear, and the lock stops it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import wav_files
from plaintext import files_holding
from pytestqt.qtbot import QtBot
from speech_clips import ENGLISH, speak
from whisper_model import base_entry
from windows import speech_window

from clinichat.history.store import Role
from clinichat.presets import SOAP_PRESET
from clinichat.speech.audio_file import AudioFile
from clinichat.speech.installed import SpeechModels
from clinichat.ui.main_window import MainWindow

pytestmark = pytest.mark.slow
TIMEOUT_MS = 180_000
SENTINEL = "allergies"


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, starter_model: Path, whisper_dir: Path) -> MainWindow:
    return speech_window(qtbot, tmp_path, starter_model, whisper_dir, "en")


@pytest.fixture
def consultation(tmp_path: Path) -> Path:
    """The clinician's own recording (its file is theirs; only its text is ours to guard)."""
    folder = tmp_path / "recordings"
    folder.mkdir()
    _, voice, text = ENGLISH
    return speak(text, voice, folder / "consultation.wav")


def test_a_recording_becomes_a_soap_draft_that_the_model_answers(
    qtbot: QtBot, window: MainWindow, consultation: Path, tmp_path: Path
) -> None:
    window.transcription.transcribe(consultation)
    assert window.transcription.dialog is not None and window.transcription.dialog.isVisible()
    qtbot.waitUntil(lambda: "allergies" in window.input.toPlainText(), timeout=TIMEOUT_MS)
    assert window.transcription.dialog is None
    soap = next(p for p in window.preset_flow.presets if p.id == SOAP_PRESET)
    draft = window.input.toPlainText()
    assert draft.startswith(soap.instruction + "\n\n")
    assert "The patient has had a fever" in draft
    assert window.chat_page.preset == soap
    assert window.chat_stack.currentWidget() is window.chat_view
    with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS):
        window.send_button.click()
    conversation = window.current_conversation
    assert conversation is not None
    messages = window.controller.store.messages(conversation)
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT]
    assert "sore throat" in messages[0].text and messages[1].text.strip()
    assert window.controller.store.conversation(conversation).system_prompt == soap.system_prompt
    speeds = SpeechModels.beside(window.registry.models_dir).speeds
    assert (speeds.measured("base") or 0) > 1  # the model card now shows this PC's speed
    window.controller.store.connection.commit()
    skip = (consultation.parent, window.registry.models_dir)
    assert files_holding(tmp_path, SENTINEL, skip) == []


def test_the_lock_stops_a_transcription_and_drops_its_text(
    qtbot: QtBot, window: MainWindow, consultation: Path, tmp_path: Path
) -> None:
    with AudioFile(consultation) as audio:
        sentence = np.concatenate(list(audio.blocks(30)))
    long = tmp_path / "recordings" / "long.wav"
    wav_files.write(long, np.concatenate([sentence] * 8))
    before = window.current_conversation
    window.transcription.transcribe(long)
    dialog = window.transcription.dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: "long.wav" in dialog.labelText(), timeout=TIMEOUT_MS)
    window.set_locked(True)
    assert window.transcription.dialog is None and not dialog.isVisible()
    qtbot.waitUntil(lambda: window.transcription.worker is None, timeout=TIMEOUT_MS)
    window.set_locked(False)
    assert window.current_conversation == before
    assert "allergies" not in window.input.toPlainText()


def test_bad_recordings_and_a_missing_model_are_explained(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.m4a"
    notes.write_text("Not a recording.\n" * 20)
    window.transcription.transcribe(notes)
    qtbot.waitUntil(lambda: window.error_banner.isVisible(), timeout=TIMEOUT_MS)
    assert "'notes.m4a' could not be read as audio" in window.error_banner.text()
    assert window.transcription.dialog is None
    quiet = tmp_path / "quiet.wav"
    wav_files.write(quiet, np.zeros(16_000 * 4, dtype=np.float32))
    window.error_banner.hide()
    window.transcription.transcribe(quiet)
    qtbot.waitUntil(lambda: window.error_banner.isVisible(), timeout=TIMEOUT_MS)
    assert "No speech was heard" in window.error_banner.text()
    qtbot.waitUntil(lambda: window.transcription.worker is None, timeout=TIMEOUT_MS)
    SpeechModels.beside(window.registry.models_dir).remove(base_entry())
    window.error_banner.hide()
    window.transcription.transcribe(quiet)
    assert "No speech model is installed" in window.error_banner.text()
    assert window.transcription.worker is None
