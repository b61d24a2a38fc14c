"""A consultation recorded through the real microphone path (PortAudio, ALSA, a PulseAudio
server the test speaks into) with the real Whisper base, in the real window: the patient's
consent first, a recording that survives minimising, and a SOAP-note draft at the end; the lock
stops it without losing what was said."""

from __future__ import annotations

from pathlib import Path

import pytest
from plaintext import files_holding
from pulse_audio import PulseAudio
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from questions import answer_question
from speech_clips import dictate, word_error_rate
from windows import speech_window

from clinichat.presets import SOAP_PRESET
from clinichat.ui.dictation_bar import DictationState
from clinichat.ui.main_window import MainWindow

pytestmark = pytest.mark.slow
TIMEOUT_MS = 120_000
AGREE = "The patient agrees: record"
SAID = [
    "The patient has had a fever for three days.",
    "She has a sore throat and no cough.",
    "She has no allergies.",
]


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, starter_model: Path, whisper_dir: Path) -> MainWindow:
    return speech_window(qtbot, tmp_path, starter_model, whisper_dir, "en")


@pytest.fixture
def voices(tmp_path: Path) -> Path:
    folder = tmp_path / "voice"
    folder.mkdir()
    return dictate(SAID, "en-us", folder / "consultation.wav")


def _start(qtbot: QtBot, window: MainWindow) -> list[QMessageBox]:
    seen = answer_question(qtbot, button=AGREE)
    window.commands.actions["record_consultation"].trigger()
    bar = window.chat_page.dictation_bar
    qtbot.waitUntil(lambda: bar.state is DictationState.RECORDING, timeout=TIMEOUT_MS)
    return list(seen)


def test_a_recorded_consultation_becomes_a_soap_draft(
    qtbot: QtBot, window: MainWindow, pulse: PulseAudio, voices: Path, tmp_path: Path
) -> None:
    seen = _start(qtbot, window)
    assert "consent" in seen[0].text()
    speech = window.speech
    assert speech.consultation.active and "Recording" in window.windowTitle()
    assert not window.chat_page.dictate_button.isEnabled()  # one use of the microphone
    window.showMinimized()
    pulse.play(voices).wait(60)
    assert speech.consultation.active  # minimising changed nothing
    bar = window.chat_page.dictation_bar
    assert "Recording the consultation: 0:" in bar.label.text()
    window.commands.actions["stop"].trigger()  # a stray Esc does not end it
    assert speech.consultation.active
    window.showNormal()
    bar.finish_button.click()
    qtbot.waitUntil(lambda: not speech.consultation.active, timeout=TIMEOUT_MS)
    assert window.windowTitle() == "ClinicChat" and not bar.isVisible()
    soap = next(p for p in window.preset_flow.presets if p.id == SOAP_PRESET)
    assert window.chat_page.preset == soap
    draft = window.input.toPlainText()
    assert draft.startswith(soap.instruction + "\n\n")
    transcript = draft.removeprefix(soap.instruction + "\n\n")
    assert word_error_rate(" ".join(SAID), transcript) <= 0.25, transcript
    with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS):
        window.send_button.click()
    window.controller.store.connection.commit()
    skip = (voices.parent, window.registry.models_dir)
    assert files_holding(tmp_path, "allergies", skip) == []  # only the encrypted history


def test_without_consent_nothing_is_recorded(qtbot: QtBot, window: MainWindow) -> None:
    answer_question(qtbot, key=Qt.Key.Key_Escape)
    window.commands.actions["record_consultation"].trigger()
    assert not window.speech.consultation.active
    assert window.windowTitle() == "ClinicChat"


def test_the_lock_stops_the_recording_and_keeps_its_words_for_after_unlocking(
    qtbot: QtBot, window: MainWindow, pulse: PulseAudio, voices: Path
) -> None:
    _start(qtbot, window)
    before = window.current_conversation
    pulse.play(voices).wait(60)
    window.set_locked(True)
    qtbot.waitUntil(lambda: not window.speech.consultation.active, timeout=TIMEOUT_MS)
    assert window.current_conversation == before  # nothing opened behind the lock
    assert "allergies" not in window.input.toPlainText()
    window.set_locked(False)
    assert window.current_conversation != before
    assert "sore throat" in window.input.toPlainText()
    assert window.notice.isVisible() and "locked" in window.notice.text()


def test_discard_asks_first_and_keeps_nothing(
    qtbot: QtBot, window: MainWindow, pulse: PulseAudio, voices: Path
) -> None:
    _start(qtbot, window)
    pulse.play(voices).wait(60)
    bar = window.chat_page.dictation_bar
    answer_question(qtbot, key=Qt.Key.Key_Return)  # Enter takes the default: No
    bar.discard_button.click()
    assert window.speech.consultation.active
    answer_question(qtbot, button="Yes")
    bar.discard_button.click()
    qtbot.waitUntil(lambda: not window.speech.consultation.active, timeout=TIMEOUT_MS)
    assert "allergies" not in window.input.toPlainText()
    assert not window.error_banner.isVisible()


def test_closing_the_window_while_recording_asks_first(
    qtbot: QtBot, window: MainWindow, pulse: PulseAudio
) -> None:
    _start(qtbot, window)
    answer_question(qtbot, key=Qt.Key.Key_Return)  # No
    window.close()
    assert window.isVisible() and window.speech.consultation.active
    window.speech.consultation.finish()
    qtbot.waitUntil(lambda: not window.speech.consultation.active, timeout=TIMEOUT_MS)
