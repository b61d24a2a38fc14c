"""Speech tests: the real Whisper base model, and real speech spoken by espeak-ng."""

from __future__ import annotations

from pathlib import Path

import pytest
from speech_clips import ENGLISH, SPANISH, speak

from clinichat.speech.transcriber import Transcriber


@pytest.fixture(scope="session")
def transcriber(whisper_dir: Path) -> Transcriber:
    return Transcriber(whisper_dir, threads=2)


@pytest.fixture(scope="session")
def spanish_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, voice, text = SPANISH
    return speak(text, voice, tmp_path_factory.mktemp("speech") / "es.wav")


@pytest.fixture(scope="session")
def english_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _, voice, text = ENGLISH
    return speak(text, voice, tmp_path_factory.mktemp("speech") / "en.wav")
