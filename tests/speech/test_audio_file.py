"""Recordings are decoded in blocks of 16 kHz mono, whatever their format, and bad files are
refused with a message that says why."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import av
import numpy as np
import pytest
import wav_files

from clinichat.speech.audio_file import MAX_DURATION_S, SAMPLE_RATE, AudioFile, AudioFileError


def _encode(source: Path, target: Path, codec: str, rate: int = 44_100) -> Path:
    """`source` re-encoded by FFmpeg (through PyAV) as a real file of another format."""
    with av.open(str(source)) as inp, av.open(str(target), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout="stereo")
        resampler = av.AudioResampler(
            format=stream.codec_context.codec.audio_formats[0].name, layout="stereo", rate=rate
        )
        for frame in inp.decode(audio=0):
            for resampled in resampler.resample(frame):
                out.mux(stream.encode(resampled))
        out.mux(stream.encode(None))
    return target


def _tone(path: Path, seconds: float, rate: int = 22_050) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    return wav_files.write(path, (np.sin(2 * np.pi * 440 * t) * 0.37).astype(np.float32), rate)


@pytest.mark.parametrize(
    ("suffix", "codec"),
    [(".mp3", "libmp3lame"), (".m4a", "aac"), (".ogg", "libopus"), (".flac", "flac")],
)
def test_every_common_format_decodes_to_the_same_length(
    tmp_path: Path, suffix: str, codec: str
) -> None:
    wav = _tone(tmp_path / "tone.wav", 3.0)
    other = _encode(
        wav, tmp_path / f"tone{suffix}", codec, rate=48_000 if codec == "libopus" else 44_100
    )
    with AudioFile(other) as audio:
        assert audio.duration_s == pytest.approx(3.0, abs=0.15)
        samples = np.concatenate(list(audio.blocks(1.0)))
    assert samples.dtype == np.float32
    # Encoders add a few ms of padding; the sound itself is all there, and loud.
    assert abs(samples.size - 3 * SAMPLE_RATE) < 0.1 * SAMPLE_RATE
    assert 0.2 < float(np.abs(samples).max()) <= 1.0


def test_blocks_have_the_asked_size_and_nothing_is_lost(tmp_path: Path) -> None:
    wav = _tone(tmp_path / "tone.wav", 7.3)
    with AudioFile(wav) as audio:
        sizes = [block.size for block in audio.blocks(2.0)]
    assert sizes[:-1] == [2 * SAMPLE_RATE] * 3
    assert sum(sizes) == pytest.approx(7.3 * SAMPLE_RATE, abs=20)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.wav", "Paciente: Juan. Esto es texto, no sonido.\n" * 50),
        ("archive.mp3", None),
        ("empty.m4a", ""),
    ],
)
def test_a_file_that_is_not_a_recording_is_refused(
    tmp_path: Path, name: str, content: str | None
) -> None:
    path = tmp_path / name
    if content is None:  # a real binary file under an audio name
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("informe.txt", "Paciente con dolor torácico. " * 2000)
    else:
        path.write_text(content)
    with (
        pytest.raises(AudioFileError, match="could not be read as audio"),
        AudioFile(path) as audio,
    ):
        list(audio.blocks(30))


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="could not be opened: No such file"):
        AudioFile(tmp_path / "gone.wav")


def test_a_two_gigabyte_recording_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "night.wav"
    size = 2_000_000_000  # 16 kHz 16-bit mono: 17 h 22 min of (sparse) silence
    header = struct.pack("<IHHIIHH", 16, 1, 1, 16_000, 32_000, 2, 16)
    with open(path, "wb") as out:
        out.write(b"RIFF" + struct.pack("<I", 36 + size) + b"WAVE" + b"fmt " + header)
        out.write(b"data" + struct.pack("<I", size))
        out.truncate(44 + size)
    with pytest.raises(AudioFileError, match=r"lasts 17 h 22 min; .* up to 5 h 00 min"):
        AudioFile(path)
    assert MAX_DURATION_S == 5 * 3600
