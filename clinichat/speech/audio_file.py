"""Audio files decoded to what Whisper hears, a block at a time, never whole.

A consultation recording may last an hour and an imported file may be anything with an audio
extension, so the file is read through PyAV (FFmpeg's decoders, bundled in its wheels) and
handed on as 16 kHz mono float32 blocks: memory stays bounded by one block whatever the
length, and nothing decoded is written anywhere. A file that FFmpeg cannot read, that has no
sound, or that lasts longer than a clinician would sensibly transcribe is refused with a
message that says which of these it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import av
import numpy as np
import numpy.typing as npt

from clinichat.messages import QT_TRANSLATE_NOOP, UserError

SAMPLE_RATE = 16_000
#: Longer recordings are refused: at a real-time factor near 4 on a clinic PC, five hours of
#: audio would take more than an hour, and nobody dictates that much at once.
MAX_DURATION_S = 5 * 60 * 60

Samples = npt.NDArray[np.float32]


class AudioFileError(UserError):
    context = "Speech"


def _unreadable(path: Path) -> AudioFileError:
    return AudioFileError(
        QT_TRANSLATE_NOOP(
            "Speech",
            "'{name}' could not be read as audio. ClinicChat reads WAV, MP3, M4A, OGG, FLAC"
            " and most other recordings; this file may be damaged or not a recording.",
        ),
        name=path.name,
    )


def _hours_minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


class AudioFile:
    """One open recording: its duration, and its sound as 16 kHz mono blocks.

    Use it as a context manager; `blocks()` may be called once.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._container = av.open(str(path), mode="r", metadata_errors="ignore")
        except (av.FFmpegError, UnicodeDecodeError, ValueError) as error:
            if isinstance(error, av.FileNotFoundError | av.PermissionError):
                raise AudioFileError(
                    QT_TRANSLATE_NOOP("Speech", "'{name}' could not be opened: {reason}"),
                    name=path.name,
                    reason=error.strerror or error,
                ) from error
            raise _unreadable(path) from error
        try:
            if not self._container.streams.audio:
                raise AudioFileError(
                    QT_TRANSLATE_NOOP("Speech", "'{name}' holds no sound to transcribe."),
                    name=path.name,
                )
            self._stream = self._container.streams.audio[0]
            self.duration_s = self._duration()
            if self.duration_s is not None and self.duration_s > MAX_DURATION_S:
                raise AudioFileError(
                    QT_TRANSLATE_NOOP(
                        "Speech",
                        "'{name}' lasts {length}; ClinicChat transcribes recordings of up to"
                        " {limit}. Split it into shorter parts.",
                    ),
                    name=path.name,
                    length=_hours_minutes(self.duration_s),
                    limit=_hours_minutes(MAX_DURATION_S),
                )
        except BaseException:
            self._container.close()
            raise

    def _duration(self) -> float | None:
        """Seconds of sound as the file declares them, or None when it does not say."""
        stream = self._stream
        if stream.duration is not None and stream.time_base is not None:
            return float(stream.duration * stream.time_base)
        if self._container.duration is not None:
            return self._container.duration / av.time_base
        return None

    def __enter__(self) -> AudioFile:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._container.close()

    def blocks(self, seconds: float) -> Iterator[Samples]:
        """The sound in blocks of `seconds` (the last may be shorter), at SAMPLE_RATE."""
        size = int(seconds * SAMPLE_RATE)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
        pending: list[Samples] = []
        held = 0
        decoded = 0
        try:
            for packet in self._container.demux(self._stream):
                try:
                    frames = packet.decode()
                except av.InvalidDataError:
                    continue  # one damaged packet: skip it, as players do
                for frame in frames:
                    for out in resampler.resample(frame):
                        samples = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                        pending.append(samples)
                        held += samples.size
                        decoded += samples.size
                if decoded > MAX_DURATION_S * SAMPLE_RATE:
                    raise AudioFileError(
                        QT_TRANSLATE_NOOP(
                            "Speech",
                            "'{name}' lasts more than {limit}; ClinicChat transcribes"
                            " recordings of up to that length. Split it into shorter parts.",
                        ),
                        name=self.path.name,
                        limit=_hours_minutes(MAX_DURATION_S),
                    )
                while held >= size:
                    joined = np.concatenate(pending)
                    yield joined[:size]
                    rest = joined[size:]
                    pending = [rest] if rest.size else []
                    held = rest.size
            for out in resampler.resample(None):
                pending.append(out.to_ndarray().reshape(-1).astype(np.float32, copy=False))
        except av.FFmpegError as error:
            raise _unreadable(self.path) from error
        if pending:
            last = np.concatenate(pending)
            if last.size:
                yield last
