"""The microphone through the real audio stack: PortAudio, ALSA and a PulseAudio server whose
input the test feeds (tests/pulse_audio.py)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from pulse_audio import PulseAudio
from speech_clips import speak

from clinichat.speech.audio_file import SAMPLE_RATE
from clinichat.speech.microphone import Microphone, MicrophoneError, Resampler


def _read_for(mic: Microphone, seconds: float, levels: list[float]) -> list[np.ndarray]:
    blocks, deadline = [], time.monotonic() + seconds
    while time.monotonic() < deadline:
        block = mic.read(timeout=0.1)
        if block is not None:
            blocks.append(block)
            levels.append(mic.level)
    return blocks


def test_what_is_played_into_the_microphone_is_recorded(pulse: PulseAudio, tmp_path: Path) -> None:
    said = "Blood pressure is one hundred and twenty over eighty."
    wav = speak(said, "en-us", tmp_path / "a.wav")
    mic = Microphone()
    mic.open()
    try:
        assert mic.read(timeout=10) is not None  # the stream is running
        player = pulse.play(wav)
        levels: list[float] = []
        blocks = _read_for(mic, 4.0, levels)
        player.wait(30)
        blocks += _read_for(mic, 1.0, levels)
    finally:
        mic.close()
    sound = np.concatenate(blocks)
    assert sound.dtype == np.float32 and sound.ndim == 1
    assert sound.size >= 3 * SAMPLE_RATE
    assert float(np.abs(sound).max()) > 0.1  # the voice, not the null card's silence
    assert max(levels) > 0.05 and min(levels) < 0.01  # the meter moves with the voice


def test_an_unplugged_microphone_ends_the_recording(pulse: PulseAudio) -> None:
    mic = Microphone()
    mic.open()
    try:
        assert mic.read(timeout=10) is not None
        pulse.unplug()
        deadline = time.monotonic() + 10
        while not mic.ended and time.monotonic() < deadline:
            mic.read(timeout=0.1)
        assert mic.ended
    finally:
        mic.close()


@pytest.mark.usefixtures("no_sound_server")
def test_no_microphone_is_said_plainly() -> None:
    with pytest.raises(MicrophoneError) as raised:
        Microphone().open()
    assert "No microphone was found" in raised.value.render(lambda _context, text: text)


def test_a_device_at_48_khz_is_resampled_to_16_khz_without_seams() -> None:
    rate = 48_000
    t = np.arange(rate * 2) / rate
    tone = (0.5 * np.sin(2 * np.pi * 440.0 * t)).astype(np.float32)
    resample = Resampler(rate)
    out = np.concatenate([resample(block) for block in np.split(tone, 20)])
    assert abs(out.size - 2 * SAMPLE_RATE) <= SAMPLE_RATE // 50
    spectrum = np.abs(np.fft.rfft(out[:SAMPLE_RATE]))
    assert abs(float(np.argmax(spectrum)) - 440.0) <= 2.0  # 1 Hz bins: the same pitch
    assert 0.45 <= float(np.abs(out[1000:-1000]).max()) <= 0.55
