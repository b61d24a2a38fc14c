"""The microphone: the system's default input as 16 kHz mono blocks, held in memory only.

Capture goes through `sounddevice` (PortAudio). Its Windows and macOS wheels carry PortAudio;
on Linux it uses the system's libportaudio2, whose ALSA default device reaches PulseAudio and
PipeWire. PortAudio calls back on a thread of its own, so the callback only queues a copy of
the block and notes its loudness; the dictation thread reads the queue, and no Qt object is
ever touched from PortAudio's thread. PortAudio reads the list of devices when it starts, so
it is restarted at every open: a microphone plugged in since the last take is found.
"""

from __future__ import annotations

import queue
import threading
from typing import Any

import av
import numpy as np

from clinichat.messages import QT_TRANSLATE_NOOP, UserError
from clinichat.speech.audio_file import SAMPLE_RATE, Samples

#: Seconds of sound in one block from PortAudio.
BLOCK_S = 0.1


class MicrophoneError(UserError):
    context = "Speech"


def _portaudio() -> Any:
    """sounddevice, imported when first needed (it loads PortAudio, which may be missing)."""
    try:
        import sounddevice
    except OSError as error:  # raised when the PortAudio library is not on the system
        raise MicrophoneError(
            QT_TRANSLATE_NOOP(
                "Speech",
                "Dictation needs the PortAudio library, which this computer lacks. On Debian"
                " or Ubuntu install it with: sudo apt-get install libportaudio2",
            )
        ) from error
    return sounddevice


class Resampler:
    """Blocks at the device's rate in, 16 kHz blocks out (FFmpeg's resampler, through PyAV).

    Used only when a device cannot deliver 16 kHz itself (some Windows drivers in shared
    mode); it keeps its state between blocks, so the joins are seamless.
    """

    def __init__(self, rate: int) -> None:
        self._rate = rate
        self._resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)

    def __call__(self, block: Samples) -> Samples:
        frame = av.AudioFrame.from_ndarray(block.reshape(1, -1), format="flt", layout="mono")
        frame.sample_rate = self._rate
        parts = [out.to_ndarray().reshape(-1) for out in self._resampler.resample(frame)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


class Microphone:
    """One recording from the default input; `open`, `read` until done, then `close`."""

    def __init__(self) -> None:
        self._blocks: queue.Queue[Samples] = queue.Queue()
        self._ended = threading.Event()
        self._stream: Any = None
        self._resample: Resampler | None = None
        #: Loudness of the latest block, 0 (silence) to 1 (full scale), for a level meter.
        self.level = 0.0

    def open(self) -> None:
        """Start recording; MicrophoneError when there is no input or it cannot be opened."""
        sd = _portaudio()
        sd._terminate()  # sounddevice's documented way to re-read the list of devices
        sd._initialize()
        try:
            device = sd.query_devices(kind="input")
        except (sd.PortAudioError, ValueError) as error:
            raise MicrophoneError(
                QT_TRANSLATE_NOOP(
                    "Speech",
                    "No microphone was found. Connect one, or check that it is switched on"
                    " and chosen as the system's input, and try again.",
                )
            ) from error
        rate = SAMPLE_RATE
        try:
            sd.check_input_settings(samplerate=SAMPLE_RATE, channels=1, dtype="float32")
        except (sd.PortAudioError, ValueError):
            rate = int(device["default_samplerate"])
            self._resample = Resampler(rate)
        try:
            self._stream = sd.InputStream(
                samplerate=rate,
                channels=1,
                dtype="float32",
                blocksize=int(rate * BLOCK_S),
                latency="low",
                callback=self._on_block,
                finished_callback=self._ended.set,
            )
            self._stream.start()
        except (sd.PortAudioError, ValueError) as error:
            self.close()
            raise MicrophoneError(
                QT_TRANSLATE_NOOP(
                    "Speech",
                    "The microphone could not be opened ({reason}). On Windows and macOS,"
                    " check in the system's privacy settings that ClinicChat may use it.",
                ),
                reason=error,
            ) from error

    def _on_block(self, data: Any, _frames: int, _time: Any, _status: Any) -> None:
        """PortAudio's callback, on its own thread: keep a copy, note the loudness."""
        block = np.array(data[:, 0], dtype=np.float32)
        self.level = float(np.sqrt(np.mean(np.square(block)))) if block.size else 0.0
        self._blocks.put(block)

    def read(self, timeout: float) -> Samples | None:
        """The next block at 16 kHz, or None when none came within `timeout` seconds."""
        try:
            block = self._blocks.get(timeout=timeout)
        except queue.Empty:
            return None
        return self._resample(block) if self._resample is not None else block

    @property
    def ended(self) -> bool:
        """True once the device stopped by itself (unplugged) and every block was read."""
        return self._ended.is_set() and self._blocks.empty()

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        sd = _portaudio()
        try:
            stream.abort()
            stream.close()
        except sd.PortAudioError:
            pass  # the device is gone already; nothing is left to release
