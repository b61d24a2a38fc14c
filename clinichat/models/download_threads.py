"""The two blocking jobs of a download, each on a helper thread so the event loop stays free.

Measured on two cores with tests/bench/bench_download.py (1 GiB from 127.0.0.1):

- the checksum: MD5 on the GUI thread held the transfer to about 430 MB/s; hashlib releases
  the GIL for large buffers, so a helper thread (`HashPump`) hashing each chunk while the
  next is read and written reaches about 620 MB/s, MD5's own speed on this CPU;
- the final fsync: it froze the event loop for 1.2 s; `sync_and_close` does it off it.

Neither helper touches Qt or the Download's state; the event loop hands them work and
collects the results.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from concurrent.futures import Future
from typing import Final

from clinichat.models.download_spec import Hasher

__all__ = ["HashPump", "sync_and_close"]

#: Chunks the checksum thread may lag behind: bounds its memory to a few read buffers.
HASH_QUEUE_CHUNKS: Final = 2


def sync_and_close(fd: int) -> Future[None]:
    """fsync and close `fd` on a helper thread.

    Flushing a freshly written 1 GiB file took over a second here (more for a 4 GB model
    on a slow disk), a freeze the window must not show. The thread owns `fd` from now on.
    """
    result: Future[None] = Future()

    def run() -> None:
        try:
            os.fsync(fd)
            result.set_result(None)
        except OSError as e:
            result.set_exception(e)
        finally:
            with contextlib.suppress(OSError):
                os.close(fd)

    threading.Thread(target=run, name="download-fsync", daemon=True).start()
    return result


class HashPump:
    """Feeds a checksum on a helper thread, so hashing overlaps network reads and disk writes.

    Between construction and `stop()` only the helper thread touches the checksum object;
    the Download reads the digest (or replaces the object) only after `stop()`.
    """

    def __init__(self, hasher: Hasher) -> None:
        self._hasher = hasher
        self._queue: queue.Queue[bytes | memoryview | None] = queue.Queue(HASH_QUEUE_CHUNKS)
        self._thread = threading.Thread(target=self._run, name="download-checksum", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (chunk := self._queue.get()) is not None:
            self._hasher.update(chunk)

    def feed(self, chunk: bytes | memoryview) -> None:
        """Queue a chunk; waits only while the helper is HASH_QUEUE_CHUNKS chunks behind."""
        self._queue.put(chunk)

    def stop(self) -> None:
        """Return once every queued chunk is hashed and the helper has ended."""
        self._queue.put(None)
        self._thread.join()
