"""Dictation takes through the real audio stack and the real Whisper base: words arrive while
the speaker is still speaking, and a failing microphone loses nothing already said."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest
from pulse_audio import PulseAudio
from speech_clips import dictate, word_error_rate

from clinichat.speech.audio_file import SAMPLE_RATE, AudioFile
from clinichat.speech.dictation import CHECK_EVERY_S, LONGEST_S, LoadedModel, Take, Utterances
from clinichat.speech.microphone import Microphone, MicrophoneError
from clinichat.speech.transcriber import Transcriber

pytestmark = pytest.mark.slow
SENTENCES = [
    "The patient has had a fever for three days.",
    "She has a sore throat and no cough.",
    "She has no allergies.",
]


class Heard:
    """What a take reported, with when."""

    def __init__(self) -> None:
        self.listening = threading.Event()
        self.texts: list[tuple[float, str]] = []

    def text(self, words: str) -> None:
        self.texts.append((time.monotonic(), words))

    @property
    def joined(self) -> str:
        return " ".join(words for _, words in self.texts)


def _take(transcriber: Transcriber, heard: Heard, language: str | None = "en") -> Take:
    return Take(
        Microphone(),
        lambda: transcriber,
        language,
        heard.listening.set,
        heard.text,
        threading.Event(),
        threading.Event(),
    )


def _run(take: Take) -> tuple[threading.Thread, list[BaseException]]:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            take.run()
        except MicrophoneError as error:
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, errors


def test_words_arrive_while_speaking_and_the_rest_on_stop(
    pulse: PulseAudio, transcriber: Transcriber, tmp_path: Path
) -> None:
    wav = dictate(SENTENCES, "en-us", tmp_path / "dictation.wav")
    heard = Heard()
    take = _take(transcriber, heard)
    thread, errors = _run(take)
    assert heard.listening.wait(15)
    player = pulse.play(wav)
    player.wait(60)
    spoken_until = time.monotonic()
    take.stop.set()
    thread.join(120)
    assert not thread.is_alive() and errors == []
    early = [words for at, words in heard.texts if at < spoken_until]
    assert len(early) >= 2, heard.texts  # utterances written before the speaker finished
    rate = word_error_rate(" ".join(SENTENCES), heard.joined)
    assert rate <= 0.25, (rate, heard.joined)


def test_a_cancelled_take_reports_nothing_more(
    pulse: PulseAudio, transcriber: Transcriber, tmp_path: Path
) -> None:
    wav = dictate(SENTENCES, "en-us", tmp_path / "dictation.wav")
    heard = Heard()
    take = _take(transcriber, heard)
    thread, errors = _run(take)
    assert heard.listening.wait(15)
    player = pulse.play(wav)
    time.sleep(1.5)
    take.cancel.set()
    thread.join(60)
    player.wait(60)
    assert not thread.is_alive() and errors == []
    assert heard.texts == []


def test_an_unplugged_microphone_keeps_what_was_said(
    pulse: PulseAudio, transcriber: Transcriber, tmp_path: Path
) -> None:
    wav = dictate(SENTENCES[:1], "en-us", tmp_path / "first.wav", pause_s=0.2)
    heard = Heard()
    take = _take(transcriber, heard)
    thread, errors = _run(take)
    assert heard.listening.wait(15)
    pulse.play(wav).wait(60)
    pulse.unplug()  # right after the sentence, before its pause ended the utterance
    thread.join(120)
    assert not thread.is_alive()
    assert len(errors) == 1 and "stopped sending sound" in str(errors[0])
    assert word_error_rate(SENTENCES[0], heard.joined) <= 0.25, heard.joined


def test_a_microphone_giving_only_digital_silence_is_reported_as_muted(
    pulse: PulseAudio, transcriber: Transcriber
) -> None:
    heard = Heard()
    thread, errors = _run(_take(transcriber, heard))  # nothing is played: exact zeros
    thread.join(60)
    assert len(errors) == 1 and "only silence" in str(errors[0])
    assert heard.texts == []


def test_the_model_stays_loaded_between_takes(whisper_dir: Path) -> None:
    loaded = LoadedModel()
    first = loaded.get(whisper_dir, 2)
    assert loaded.get(whisper_dir, 2) is first
    assert loaded.get(whisper_dir, 1) is not first  # a new thread count loads it again


def test_talk_without_a_pause_is_cut_so_memory_stays_bounded(english_wav: Path) -> None:
    with AudioFile(english_wav) as audio:
        sentence = np.concatenate(list(audio.blocks(30)))
    loud = np.flatnonzero(np.abs(sentence) > 0.01)
    talk = np.tile(sentence[loud[0] : loud[-1]], 12)  # a minute that never pauses
    utterances = Utterances()
    cut: list[int] = []
    for block in np.array_split(talk, talk.size // (SAMPLE_RATE // 10)):
        utterance = utterances.add(block)
        if utterance is not None:
            cut.append(utterance.size)
    most = (LONGEST_S + CHECK_EVERY_S) * SAMPLE_RATE
    assert len(cut) >= 2 and max(cut) <= most
    assert 0 < utterances.rest().size <= most
    assert sum(cut) <= talk.size
