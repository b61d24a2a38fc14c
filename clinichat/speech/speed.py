"""How fast a speech model transcribes on this computer: measured once it has been used here,
estimated from its size until then.

A clinician choosing a model wants to know whether a 10-minute consultation takes one minute
or fifteen on *this* PC. Every transcription, dictation and recorded consultation adds its
seconds of sound and seconds of work to `speeds.json` in the speech models folder (numbers
only: no names, no text). The estimate scales the 2-core figure measured by
tests/bench/bench_speech.py for base by the model's size and the thread count; it is labelled
as an estimate wherever it is shown.
"""

from __future__ import annotations

import contextlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

from clinichat.atomic import write_atomically
from clinichat.speech.catalog import SpeechModel

#: Whisper base, beam 5, int8, 2 threads: seconds of sound per second of work (bench_speech).
BASE_SPEED = 9.0
BASE_THREADS = 2
BASE_PARAMETERS_M = 74
#: Speed grows with threads to this power (bench_speech: 1 to 2 threads gave 1.32 times).
THREAD_EXPONENT = 0.4
#: Sound shorter than this says more about loading than about speed: not recorded.
SHORTEST_S = 5.0


@dataclass(frozen=True)
class Speed:
    """Seconds of sound transcribed per second of work; `measured` here, or estimated."""

    factor: float
    measured: bool

    def minutes_for(self, minutes: float) -> float:
        return minutes / self.factor


class SpeedLog:
    """The sound and work totals of each model used on this computer."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, tuple[float, float]]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        totals: dict[str, tuple[float, float]] = {}
        if isinstance(raw, dict):
            for name, entry in raw.items():
                if isinstance(entry, list) and len(entry) == 2:
                    audio, work = entry
                    if _positive(audio) and _positive(work):
                        totals[str(name)] = (float(audio), float(work))
        return totals

    def record(self, name: str, audio_s: float, work_s: float) -> None:
        """Add one use; a failure to write only loses the figure."""
        if audio_s < SHORTEST_S or work_s <= 0 or not self.path.parent.is_dir():
            return
        totals = self._read()
        audio, work = totals.get(name, (0.0, 0.0))
        totals[name] = (audio + audio_s, work + work_s)
        data = {key: [round(a, 2), round(w, 3)] for key, (a, w) in totals.items()}
        with contextlib.suppress(OSError):
            write_atomically(self.path, json.dumps(data, indent=1).encode("utf-8"))

    def measured(self, name: str) -> float | None:
        entry = self._read().get(name)
        return entry[0] / entry[1] if entry else None


def _positive(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def expected_speed(model: SpeechModel, threads: int, log: SpeedLog) -> Speed:
    measured = log.measured(model.name)
    if measured is not None:
        return Speed(measured, measured=True)
    size = BASE_PARAMETERS_M / model.parameters_m
    cores = (max(threads, 1) / BASE_THREADS) ** THREAD_EXPONENT
    return Speed(BASE_SPEED * size * cores, measured=False)
