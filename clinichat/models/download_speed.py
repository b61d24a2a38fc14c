"""A download's transfer speed, smoothed so the time left shown to the user stays calm."""

from __future__ import annotations

import math
from typing import Final

__all__ = ["SpeedMeter"]

#: Time constant of the smoothed speed: long enough to calm the ETA, short enough to follow.
SPEED_TAU_S: Final = 3.0


class SpeedMeter:
    """Bytes taken from the network, sampled on the download's beat into `bps`.

    An exponential moving average, weighted by the time between samples, so an uneven
    beat (a busy event loop) does not swing the figure.
    """

    def __init__(self) -> None:
        #: Smoothed transfer speed, bytes per second; 0 while nothing is moving.
        self.bps = 0.0
        self._bytes = 0  # every byte taken from the network
        self._sample = (0.0, 0)  # (time, _bytes) at the last sample

    def count(self, received: int) -> None:
        self._bytes += received

    def begin(self, now: float) -> None:
        """Start measuring from `now` (the transfer begins or resumes)."""
        self._sample = (now, self._bytes)

    def sample(self, now: float, running: bool) -> None:
        """Take the bytes since the last sample into the speed, if the transfer runs."""
        then, count = self._sample
        self._sample = (now, self._bytes)
        elapsed = now - then
        if not running or then == 0.0 or elapsed <= 0:
            return
        instant = (self._bytes - count) / elapsed
        if self.bps == 0.0:
            self.bps = instant
        else:
            weight = 1.0 - math.exp(-elapsed / SPEED_TAU_S)
            self.bps += weight * (instant - self.bps)

    def stop(self) -> None:
        self.bps = 0.0
