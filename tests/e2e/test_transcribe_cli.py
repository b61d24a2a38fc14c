"""`clinichat transcribe` and `clinichat speech` as a user runs them, with the real Whisper base."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest
from cli import clinichat
from speech_clips import ENGLISH, SPANISH, speak
from whisper_model import base_entry

from clinichat.paths import AppPaths
from clinichat.speech.installed import SpeechModels

pytestmark = pytest.mark.slow


def _files_containing(folder: Path, word: bytes) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and word in p.read_bytes().lower()]


def test_a_recording_is_printed_and_nothing_is_written(tmp_path: Path, whisper_dir: Path) -> None:
    _, voice, text = ENGLISH
    clip = speak(text, voice, tmp_path / "dictation.wav")
    base = tmp_path / "base"
    run = clinichat(
        "--basedir", base, "transcribe", clip, "--speech-model", whisper_dir,
        "--language", "en", "--timestamps", "--threads", "2",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("[0:00:00] The patient has had a fever")
    assert "allergies" in run.stdout
    assert "transcribed (en)" in run.stderr and "allergies" not in run.stderr
    assert _files_containing(base, b"allergies") == []


def test_the_installed_default_model_in_automatic_language(
    tmp_path: Path, whisper_dir: Path
) -> None:
    base = tmp_path / "base"
    _, voice, text = SPANISH
    clip = speak(text, voice, tmp_path / "consulta.wav")
    missing = clinichat("--basedir", base, "transcribe", clip)
    assert missing.returncode == 1
    assert "No speech model is installed" in missing.stderr
    SpeechModels.beside(AppPaths.under(base).models).install_files(base_entry(), whisper_dir)
    listing = clinichat("--basedir", base, "speech", "list", "--json")
    rows = {row["name"]: row for row in json.loads(listing.stdout)}
    assert rows["base"]["installed"] and not rows["small"]["installed"]
    assert rows["base"]["size_bytes"] == 145_217_532 + 2_309 + 2_203_239 + 459_861
    assert clinichat("--basedir", base, "speech", "default", "base").returncode == 0
    assert clinichat("--basedir", base, "speech", "verify").stdout == "base\tok\n"
    run = clinichat("--basedir", base, "transcribe", clip)
    assert run.returncode == 0, run.stderr
    assert "paciente" in run.stdout.lower() and "(es)" in run.stderr
    refused = clinichat("--basedir", base, "speech", "default", "small")
    assert refused.returncode == 1 and "'small' is not installed" in refused.stderr


def test_unreadable_audio_and_silence_are_told_apart(tmp_path: Path, whisper_dir: Path) -> None:
    notes = tmp_path / "notas.mp3"
    notes.write_text("Esto es texto.\n" * 100)
    quiet = tmp_path / "silencio.wav"
    with wave.open(str(quiet), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16_000)
        out.writeframes(b"\0\0" * 16_000 * 5)
    base = tmp_path / "base"
    bad = clinichat("--basedir", base, "transcribe", notes, "--speech-model", whisper_dir)
    assert bad.returncode == 1
    assert "'notas.mp3' could not be read as audio" in bad.stderr and bad.stdout == ""
    silent = clinichat("--basedir", base, "transcribe", quiet, "--speech-model", whisper_dir)
    assert silent.returncode == 3
    assert "no speech was heard in silencio.wav" in silent.stderr and silent.stdout == ""
