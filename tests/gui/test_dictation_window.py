"""Dictation in the real window: the real microphone path (PortAudio, ALSA, a PulseAudio server
the test speaks into), the real Whisper base and the real starter model, over a real encrypted
history; the words appear while speaking, stay editable, and never land on disk in the clear."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import wav_files
from plaintext import files_holding
from pulse_audio import PulseAudio
from pytestqt.qtbot import QtBot
from speech_clips import dictate, word_error_rate, words
from whisper_model import base_entry
from windows import speech_window

from clinichat.history.store import Role
from clinichat.speech.installed import SpeechModels
from clinichat.ui.dictation_bar import DictationState
from clinichat.ui.main_window import MainWindow

pytestmark = pytest.mark.slow
TIMEOUT_MS = 120_000
SPANISH = [
    "El paciente tiene fiebre desde hace tres días.",
    "Le duele la garganta.",
    "No tiene alergias.",
]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, starter_model: Path, whisper_dir: Path) -> MainWindow:
    return speech_window(qtbot, tmp_path, starter_model, whisper_dir, "es")


@pytest.fixture
def voice(tmp_path: Path) -> Path:
    """The clinician's voice, as a file the test plays into the microphone."""
    folder = tmp_path / "voice"
    folder.mkdir()
    return dictate(SPANISH, "es+klatt2", folder / "dictation.wav")


def _recording(window: MainWindow) -> bool:
    return window.chat_page.dictation_bar.state is DictationState.RECORDING


def test_a_clinician_dictates_in_spanish_edits_the_words_and_sends(
    qtbot: QtBot, window: MainWindow, pulse: PulseAudio, voice: Path, tmp_path: Path
) -> None:
    window.input.setPlainText("Nota:")
    window.input.moveCursor(window.input.textCursor().MoveOperation.End)
    width = window.chat_page.dictate_button.sizeHint().width()
    window.chat_page.dictate_button.click()
    bar = window.chat_page.dictation_bar
    assert bar.isVisible() and window.chat_page.dictate_button.isChecked()
    # "Stop dictating" is longer than "Dictate": the button keeps one width (±1 px of
    # rounding), so the question box beside it does not jump.
    assert abs(window.chat_page.dictate_button.sizeHint().width() - width) <= 1
    qtbot.waitUntil(lambda: _recording(window), timeout=TIMEOUT_MS)
    levels: list[int] = []
    bar.meter.valueChanged.connect(levels.append)
    player = pulse.play(voice)
    qtbot.waitUntil(lambda: len(window.input.toPlainText()) > len("Nota: "), timeout=TIMEOUT_MS)
    assert player.poll() is None  # the first words are in the box while the voice goes on
    assert max(levels) > 50  # and the meter moved with the voice
    qtbot.waitUntil(lambda: player.poll() is not None, timeout=TIMEOUT_MS)
    window.chat_page.dictate_button.click()  # "Stop dictating"
    assert bar.state is DictationState.FINISHING
    qtbot.waitUntil(lambda: not window.dictation.active, timeout=TIMEOUT_MS)
    assert not bar.isVisible() and not window.chat_page.dictate_button.isChecked()
    text = window.input.toPlainText()
    assert text.startswith("Nota: ")
    dictated = text.removeprefix("Nota: ")
    rate = word_error_rate(" ".join(SPANISH), dictated)
    # espeak's Spanish voice is hard for Whisper base: tests/bench/bench_dictation.py measured
    # 0.40-0.53 live (0.27 for the same sound as one file); a loop or lost words is over 1.
    assert rate <= 0.6, (rate, dictated)
    window.input.moveCursor(window.input.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.input, " Revisar en 48 horas.")
    with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS):
        window.send_button.click()
    conversation = window.current_conversation
    assert conversation is not None
    messages = window.controller.store.messages(conversation)
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT]
    assert messages[0].text == text + " Revisar en 48 horas."
    window.controller.store.connection.commit()
    sentinel = max(words(dictated), key=len)
    assert len(sentinel) >= 5, dictated
    skip = (voice.parent, window.registry.models_dir)
    assert files_holding(tmp_path, sentinel, skip) == []


def test_esc_discards_the_dictation_and_keeps_what_was_typed(
    qtbot: QtBot, window: MainWindow, pulse: PulseAudio, voice: Path
) -> None:
    window.input.setPlainText("Nota previa.")
    window.input.moveCursor(window.input.textCursor().MoveOperation.End)
    window.commands.actions["dictate"].trigger()
    qtbot.waitUntil(lambda: _recording(window), timeout=TIMEOUT_MS)
    player = pulse.play(voice)
    qtbot.waitUntil(lambda: window.input.toPlainText() != "Nota previa.", timeout=TIMEOUT_MS)
    window.commands.actions["stop"].trigger()  # Esc
    assert not window.dictation.active and not window.chat_page.dictation_bar.isVisible()
    assert window.input.toPlainText() == "Nota previa."
    player.wait(60)
    qtbot.wait(3000)  # what the discarded take was still transcribing never arrives
    assert window.input.toPlainText() == "Nota previa."


def test_the_lock_stops_the_microphone(
    qtbot: QtBot, window: MainWindow, pulse: PulseAudio, voice: Path
) -> None:
    window.chat_page.dictate_button.click()
    qtbot.waitUntil(lambda: _recording(window), timeout=TIMEOUT_MS)
    leaving = window.dictation.worker
    assert leaving is not None
    window.set_locked(True)
    assert not window.dictation.active
    assert leaving.wait(30_000)  # the recording thread ended, the device is closed
    assert not window.commands.actions["dictate"].isEnabled()
    pulse.play(voice).wait(60)
    window.set_locked(False)
    qtbot.wait(1000)
    assert window.input.toPlainText() == ""


@pytest.mark.usefixtures("no_sound_server")
def test_no_microphone_and_no_speech_model_are_explained(qtbot: QtBot, window: MainWindow) -> None:
    window.chat_page.dictate_button.click()
    qtbot.waitUntil(lambda: window.error_banner.isVisible(), timeout=TIMEOUT_MS)
    assert "No microphone was found" in window.error_banner.text()
    qtbot.waitUntil(lambda: not window.dictation.active, timeout=TIMEOUT_MS)
    assert not window.chat_page.dictate_button.isChecked()
    assert window.input.isEnabled() and window.send_button.isEnabled()
    SpeechModels.beside(window.registry.models_dir).remove(base_entry())
    window.error_banner.hide()
    window.chat_page.dictate_button.click()
    assert "No speech model is installed" in window.error_banner.text()
    assert not window.dictation.active and not window.chat_page.dictate_button.isChecked()


def test_a_take_that_hears_no_speech_says_so(
    qtbot: QtBot, window: MainWindow, pulse: PulseAudio, tmp_path: Path
) -> None:
    seconds = np.arange(16_000 * 3) / 16_000
    hum = tmp_path / "hum.wav"  # the room's hum, not a voice (and not digital silence)
    wav_files.write(hum, (0.2 * np.sin(2 * np.pi * 100 * seconds)).astype(np.float32))
    window.chat_page.dictate_button.click()
    qtbot.waitUntil(lambda: _recording(window), timeout=TIMEOUT_MS)
    pulse.play(hum).wait(60)
    window.chat_page.dictate_button.click()
    qtbot.waitUntil(lambda: not window.dictation.active, timeout=TIMEOUT_MS)
    assert window.input.toPlainText() == ""
    assert "No speech was heard" in window.error_banner.text()
