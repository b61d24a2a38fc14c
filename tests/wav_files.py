"""Writing 16 kHz mono float samples as a 16-bit WAV file, for tests that build recordings."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt


def write(path: Path, samples: npt.NDArray[np.float32], rate: int = 16_000) -> Path:
    pcm = (np.clip(samples, -1.0, 1.0) * 32_767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return path
