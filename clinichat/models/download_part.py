"""A download's ``.part`` file and the checksum of its bytes, kept in agreement.

A resumed transfer is only as good as this agreement: the Range request asks for what comes
after `received`, and the final checksum covers exactly those bytes. So a failed write cuts
the file back to `received`, and a part found on disk (from an earlier run, or changed
while paused) is re-read and hashed before anything is appended to it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Final

from PySide6.QtCore import QByteArray

from clinichat.models.download_spec import DownloadSpec, Hasher
from clinichat.models.download_threads import HashPump

__all__ = ["PartFile"]

#: Bytes re-hashed per event-loop turn when continuing a .part file from an earlier run:
#: a few milliseconds of hashing, so a window stays responsive while 4 GB are re-read.
REHASH_CHUNK_BYTES: Final = 4 * 1024 * 1024

_BINARY: Final = getattr(os, "O_BINARY", 0)  # Windows would otherwise translate newlines


class PartFile:
    """The bytes fetched so far: `received` of them on disk and in the checksum state.

    Every OSError is the caller's to report; the file and the checksum state still agree
    after one.
    """

    def __init__(self, path: Path, spec: DownloadSpec) -> None:
        self.path = path
        self.received = 0
        self._spec = spec
        self._hasher: Hasher | None = None
        self._pump: HashPump | None = None  # while bytes stream in
        self._fd: int | None = None

    def prepare(self) -> bool:
        """Open (or create) the file, positioned after `received`; True when its bytes must
        first be re-read with `rehash_step` (a part from an earlier run, one changed since
        a pause, or one whose checksum state was dropped)."""
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _BINARY, 0o644)
        size = os.fstat(self._fd).st_size
        checksum_lost = self._hasher is None and self._spec.expected_digest is not None
        if size != self.received or checksum_lost:
            self._hasher = self._spec.new_hasher()
            self.received = 0
        os.lseek(self._fd, self.received, os.SEEK_SET)
        return size > self.received

    def rehash_step(self) -> bool:
        """Hash the next chunk of what is on disk; False once all of it is covered."""
        assert self._fd is not None
        chunk = os.read(self._fd, REHASH_CHUNK_BYTES)
        if not chunk:
            return False
        self._hash(chunk)
        self.received += len(chunk)
        return True

    def write(self, data: QByteArray) -> None:
        """Append; on failure cut the file back so it matches the checksum state."""
        assert self._fd is not None
        view = memoryview(data)  # type: ignore[arg-type]  # QByteArray has the buffer protocol
        written = 0
        try:
            while written < len(view):
                written += os.write(self._fd, view[written:])
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, self.received)
                os.lseek(self._fd, self.received, os.SEEK_SET)
            raise
        self._hash(view)
        self.received += len(view)

    def restart(self) -> None:
        """Empty the file and the checksum state, to take the whole file from byte 0."""
        assert self._fd is not None
        self.settle()
        os.ftruncate(self._fd, 0)
        os.lseek(self._fd, 0, os.SEEK_SET)
        self._hasher = self._spec.new_hasher()
        self.received = 0

    def digest(self) -> str | None:
        """The hex checksum of the `received` bytes; None when no checksum is kept."""
        self.settle()
        return self._hasher.hexdigest() if self._hasher is not None else None

    def settle(self) -> None:
        """Wait for the checksum thread, so the checksum state may be read or replaced."""
        pump, self._pump = self._pump, None
        if pump is not None:
            pump.stop()

    def take_fd(self) -> int:
        """Hand the open file over (to the final fsync, which closes it)."""
        self.settle()
        fd, self._fd = self._fd, None
        assert fd is not None
        return fd

    def close(self) -> None:
        """Close the file; the checksum state stays, for a later `prepare`."""
        self.settle()
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.close(fd)

    def forget(self) -> None:
        """Drop the checksum state: the file is gone or no longer trusted."""
        self._hasher = None
        self.received = 0

    def _hash(self, data: bytes | memoryview) -> None:
        if self._hasher is None:
            return
        if self._pump is None:
            self._pump = HashPump(self._hasher)
        self._pump.feed(data)
