"""Resumable, verified model downloads on Qt's network stack.

A model is gigabytes fetched over a hospital network that drops connections, sits behind
proxies and sometimes hands out wrong files, so a download here must:

- never start an insecure transfer: https only, certificates always verified, plain http
  only to this computer (for tests and local mirrors), redirects checked the same way;
- survive interruptions: bytes go to ``<name>.part`` in the models folder and a later
  attempt (after a network error, a stall, a pause or a restart of the app) continues with
  an HTTP Range request, trusting the server's answer only when its Content-Range starts
  exactly where the file ends, and otherwise starting over cleanly;
- prove the file is the published one: the checksum is computed while the bytes stream in
  (no second pass over a 4 GB file), and only a file of the right size and checksum is
  renamed into place, atomically, so the models folder (the registry) never holds half a
  model;
- keep memory flat: Qt buffers at most ``READ_BUFFER_BYTES`` per transfer and every chunk
  is written out as soon as it arrives.

Everything runs on the thread that owns the ``Download`` (the GUI thread, or a CLI's
QCoreApplication loop), since QNetworkAccessManager is asynchronous, except the checksum
and the final fsync (download_threads.py). What a download is and its states are in
download_spec.py, the address rules in download_http.py, the part file and its checksum in
download_part.py, every failure's words in download_errors.py.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import Final

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply

from clinichat.atomic import fsync_dir
from clinichat.models import download_errors as errors
from clinichat.models.download_http import (
    FATAL_ERRORS,
    check_url,
    checked_qurl,
    content_length,
    content_range,
    http_status,
    redirect_allowed,
    request_from,
)
from clinichat.models.download_part import PartFile
from clinichat.models.download_spec import IDLE, DownloadError, DownloadSpec, DownloadState
from clinichat.models.download_speed import SpeedMeter
from clinichat.models.download_threads import sync_and_close
from clinichat.models.registry import MODEL_SUFFIX, PART_SUFFIX

__all__ = ["READ_BUFFER_BYTES", "Download", "partial_downloads"]

log = logging.getLogger(__name__)

#: Qt holds at most this much unread data per transfer; it pauses the socket beyond that.
READ_BUFFER_BYTES: Final = 2 * 1024 * 1024
#: Progress is reported (and stalls detected) on this beat: at most 10 updates a second.
TICK_MS: Final = 100
#: How often the event loop checks whether the final fsync (on a helper thread) is done.
SYNC_POLL_MS: Final = 10

_Error = QNetworkReply.NetworkError


def partial_downloads(models_dir: Path) -> list[Path]:
    """The .part files of model downloads left in `models_dir`, e.g. by a closed app.

    The model's file name is the part's name without ".part"; a Download for that name
    continues from the part's bytes.
    """
    try:
        found = Path(models_dir).glob("*" + MODEL_SUFFIX + PART_SUFFIX)
        return sorted(path for path in found if path.is_file())
    except OSError:
        return []


# The owner of each .part file in this process: two Download objects writing one file would
# corrupt it (a user clicking twice, or the GUI resuming a part the CLI is writing to).
_owners: weakref.WeakValueDictionary[Path, Download] = weakref.WeakValueDictionary()


class Download(QObject):
    """One model file being fetched into the models folder.

    Create it with the app's shared QNetworkAccessManager, connect its signals, call
    `start()`. Everything it reports arrives through signals from the event loop, never
    from inside `start()`, so a command-line caller may start its loop afterwards.
    """

    #: received / total / speed_bps / eta_s changed; at most about ten times a second.
    progress = Signal()
    #: The new DownloadState.
    state_changed = Signal(object)
    #: The installed model's Path, once verified and renamed into place.
    finished = Signal(object)
    #: The DownloadError that stopped it (also in `error`).
    failed = Signal(object)

    def __init__(
        self,
        spec: DownloadSpec,
        models_dir: Path,
        manager: QNetworkAccessManager,
        *,
        parent: QObject | None = None,
        stall_timeout_s: float = 30.0,
        retry_delays_s: Sequence[float] = (1, 2, 4, 8, 16, 30),
        disk_margin_bytes: int = 200 * 1024 * 1024,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self.models_dir = Path(models_dir).absolute()
        self.final_path = self.models_dir / spec.filename
        self.part_path = self.models_dir / (spec.filename + PART_SUFFIX)
        self._manager = manager
        self._stall_timeout_s = stall_timeout_s
        self._retry_delays_s = tuple(retry_delays_s)
        self._disk_margin = disk_margin_bytes

        self.state = DownloadState.QUEUED
        self._part = PartFile(self.part_path, spec)
        #: Size of the complete file, once known (from the catalog or the server).
        self.total: int | None = spec.size
        self.error: DownloadError | None = None

        self._started = False
        self._syncing: Future[None] | None = None  # the final fsync, once started
        self._reply: QNetworkReply | None = None
        self._headers_checked = False
        self._failures = 0  # failed attempts in a row without progress
        self._attempt_offset = 0  # `received` when the current attempt began
        self._last_data = 0.0  # time.monotonic() of the last byte (stall detection)
        self._speed = SpeedMeter()
        self._reported = (-1, -1.0)  # (received, speed) last sent with `progress`

        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self._on_tick)
        # The one pending step (begin, next re-hash chunk, or next attempt): pausing or
        # cancelling stops it, so no stale step can run after the state moved on.
        self._wake = QTimer(self)
        self._wake.setSingleShot(True)
        self._wake.timeout.connect(self._on_wake)
        self._next_step: Callable[[], None] | None = None

    # -- public API ------------------------------------------------------------------
    @property
    def received(self) -> int:
        """Bytes in the .part file that the checksum state covers."""
        return self._part.received

    @property
    def speed_bps(self) -> float:
        """Smoothed transfer speed, bytes per second."""
        return self._speed.bps

    @property
    def eta_s(self) -> float | None:
        """Seconds left at the current speed; None while unknown."""
        if self.total is None or self.speed_bps <= 0 or self.state != DownloadState.RUNNING:
            return None
        return max(self.total - self.received, 0) / self.speed_bps

    def start(self) -> None:
        """Begin on the next event-loop turn, continuing an existing .part file if any.

        A .part left by an earlier run is re-read once to rebuild the checksum state (state
        VERIFYING, a few MB per loop turn), then the transfer continues from its end.
        """
        if self._started:
            raise RuntimeError("a Download can be started only once; use resume()")
        self._started = True
        self._schedule(self._begin, 0)

    def pause(self) -> None:
        """Stop the transfer; keep the .part file and the checksum state for resume()."""
        if self.state in IDLE:
            return
        self._halt()
        self._set_state(DownloadState.PAUSED)

    def resume(self) -> None:
        """Continue after pause(), a failure, or cancel(keep_partial=True)."""
        if not self._started:
            self.start()
            return
        if self.state not in IDLE - {DownloadState.FINISHED}:
            return
        self.error = None
        self._failures = 0
        self._schedule(self._begin, 0)
        self._set_state(DownloadState.QUEUED)

    def cancel(self, keep_partial: bool) -> None:
        """Stop for good; with keep_partial the .part file stays for a later resume.

        Also valid after a failure or an earlier cancel, e.g. to discard what was kept. A
        part that another Download in this process is writing is never deleted.
        """
        if self.state == DownloadState.FINISHED:
            return
        self._halt()
        if not keep_partial and _owners.get(self.part_path) in (None, self):
            self._part.forget()
            try:
                self.part_path.unlink(missing_ok=True)
            except OSError as e:  # e.g. still open by the fsync thread, on Windows
                log.warning("could not delete %s: %s", self.part_path, e.strerror)
        self._release()
        self._set_state(DownloadState.CANCELLED)

    # -- steps -----------------------------------------------------------------------
    def _schedule(self, step: Callable[[], None], delay_ms: int) -> None:
        self._next_step = step
        self._wake.start(delay_ms)

    def _on_wake(self) -> None:
        step, self._next_step = self._next_step, None
        if step is not None:
            step()

    def _begin(self) -> None:
        """Checks that need no network, then re-hash the part if needed, then request."""
        try:
            self._check_ready()
            rehash = self._open_part()
        except DownloadError as e:
            self._fail(e)
            return
        _owners[self.part_path] = self
        if rehash:
            self._schedule(self._rehash_step, 0)
            self._set_state(DownloadState.VERIFYING)
            return
        self._after_part_ready()

    def _check_ready(self) -> None:
        check_url(self.spec.url)
        if self.final_path.exists():
            raise errors.already_installed(self.spec.filename)
        owner = _owners.get(self.part_path)
        if owner is not None and owner is not self and owner.state not in IDLE:
            raise errors.already_downloading(self.spec.filename)
        try:
            self.models_dir.mkdir(parents=True, exist_ok=True)
            have = self.part_path.stat().st_size if self.part_path.exists() else 0
        except OSError as e:
            raise self._write_error(e) from e
        if self.spec.size is not None:
            self._check_disk_space(self.spec.size - min(have, self.spec.size))

    def _check_disk_space(self, remaining: int) -> None:
        """Refuse early rather than fill the disk: a full disk also breaks the history."""
        try:
            free = shutil.disk_usage(self.models_dir).free
        except OSError as e:
            raise self._write_error(e) from e
        needed = remaining + self._disk_margin
        if free < needed:
            raise errors.not_enough_space(self.spec.filename, needed, self._disk_margin, free)

    def _open_part(self) -> bool:
        """Open (or create) the part file; True if what is in it must be re-read first."""
        try:
            return self._part.prepare()
        except OSError as e:
            raise self._write_error(e) from e

    def _rehash_step(self) -> None:
        try:
            more = self._part.rehash_step()
        except OSError as e:
            self._fail(self._write_error(e))
            return
        if more:
            self._schedule(self._rehash_step, 0)
            return
        log.info("partial download of %s: %d bytes on disk", self.spec.filename, self.received)
        self._after_part_ready()

    def _after_part_ready(self) -> None:
        """The part and the checksum state agree: finish, restart or request the rest."""
        size = self.spec.size
        if size is not None and self.received == size:
            self._complete()  # an earlier run got every byte but stopped before the rename
            return
        if size is not None and self.received > size:
            self._restart_part()
        self._request()

    def _request(self) -> None:
        request = request_from(checked_qurl(self.spec.url), self.received)
        reply = self._manager.get(request)
        reply.setReadBufferSize(READ_BUFFER_BYTES)
        reply.readyRead.connect(self._on_ready_read)
        reply.finished.connect(self._on_finished)
        reply.redirected.connect(self._on_redirected)
        self._reply = reply
        self._headers_checked = False
        self._attempt_offset = self.received
        self._last_data = time.monotonic()
        self._set_state(DownloadState.RUNNING)
        log.info("download of %s: request from byte %d", self.spec.filename, self.received)

    # -- reply handling --------------------------------------------------------------
    def _on_redirected(self, target: QUrl) -> None:
        reply = self._reply
        assert reply is not None
        if redirect_allowed(checked_qurl(self.spec.url), target):
            log.info("download of %s: redirected to %s", self.spec.filename, target.toString())
            reply.redirectAllowed.emit()
            return
        self._fail(errors.insecure_redirect(self.spec.filename, target.toString()))

    def _on_ready_read(self) -> None:
        reply = self._reply
        if reply is not None:
            self._consume(reply)

    def _consume(self, reply: QNetworkReply) -> bool:
        """Write what the reply has buffered; False if the download moved on meanwhile."""
        if not self._headers_checked and not self._check_headers(reply):
            return False
        data = reply.readAll()
        if data.isEmpty():
            return True
        self._last_data = time.monotonic()
        self._speed.count(data.size())
        try:
            self._part.write(data)
        except OSError as e:
            self._fail(self._write_error(e))
            return False
        if self.total is not None and self.received > self.total:
            self._discard_part(self._size_error(self.received))
            return False
        return True

    def _check_headers(self, reply: QNetworkReply) -> bool:
        """Decide, once per reply, whether its body continues the part; act if not."""
        status = http_status(reply)
        if status is not None and 300 <= status < 400 and not reply.isFinished():
            reply.readAll()  # the body of a redirect answer: not part of the file
            return False
        if status not in (200, 206):
            self._http_error(status)
            return False
        log.info("download of %s: HTTP %s", self.spec.filename, status)
        if status == 206:
            first, total = content_range(reply)
            if first != self.received or not self._size_agrees(total):
                return self._start_over(first, total)
        else:
            total = content_length(reply)
            if not self._size_agrees(total):
                assert total is not None
                self._fail(self._size_error(total, offered=True))
                return False
            if self.received > 0:  # the server ignored Range: this body is the whole file
                self._restart_part()
        self._headers_checked = True
        if self.total is None and total is not None:
            self.total = total
            try:
                self._check_disk_space(total - self.received)
            except DownloadError as e:
                self._fail(e)
                return False
        return True

    def _size_agrees(self, total: int | None) -> bool:
        return self.spec.size is None or total is None or total == self.spec.size

    def _start_over(self, first: int | None, total: int | None) -> bool:
        """A 206 that does not continue the part: ask once for the whole file, or give up.

        Its bytes cannot be trusted to belong after the part (it starts elsewhere, or the
        file it is part of has another size), but the whole file may still be fine.
        """
        log.info(
            "download of %s: HTTP 206 from byte %s of %s does not continue byte %d",
            self.spec.filename, first, total, self.received,
        )  # fmt: skip
        if self.received > 0:
            self._drop_reply()
            self._restart_part()
            self._request()
        elif not self._size_agrees(total):
            assert total is not None
            self._fail(self._size_error(total, offered=True))
        else:
            self._fail(errors.unasked_part(self.spec.filename))
        return False

    def _on_finished(self) -> None:
        reply = self._reply
        if reply is None:
            return
        error = reply.error()
        answered = http_status(reply) is not None
        unread = reply.bytesAvailable() > 0 or not self._headers_checked
        if answered and unread and (not self._consume(reply) or self._reply is not reply):
            return
        self._drop_reply()
        if error != _Error.NoError or not answered:
            self._network_error(reply, error)
            return
        if self.total is not None and self.received < self.total:
            self._retry(errors.cut_short())
            return
        self._complete()

    def _network_error(self, reply: QNetworkReply, error: QNetworkReply.NetworkError) -> None:
        status = http_status(reply)
        log.info("download of %s: network error %s, HTTP %s", self.spec.filename, error, status)
        if status is not None and status >= 400:
            self._http_error(status)
            return
        if error == _Error.SslHandshakeFailedError:
            self._fail(errors.unverified_tls(self.spec.filename, reply.errorString()))
            return
        reason = errors.connection_failed(reply.errorString())
        if error in FATAL_ERRORS:
            self._fail(self._gave_up(reason, attempts=1))
        else:
            self._retry(reason)

    def _http_error(self, status: int | None) -> None:
        """Server errors (5xx) may pass, so retry; any other refusal is final at once."""
        self._drop_reply()
        if status is not None and status >= 500:
            self._retry(errors.server_error(status))
            return
        self._fail(errors.refused(status, self.spec.filename, self.spec.url))

    def _on_tick(self) -> None:
        now = time.monotonic()
        if self.state == DownloadState.RUNNING and now - self._last_data > self._stall_timeout_s:
            log.info(
                "download of %s: no data for %.1f s", self.spec.filename, now - self._last_data
            )
            self._retry(errors.stalled(self._stall_timeout_s))
            return
        self._speed.sample(now, running=self.state == DownloadState.RUNNING)
        self._report_progress()

    def _report_progress(self) -> None:
        now = (self.received, round(self.speed_bps))
        if now != self._reported:
            self._reported = now
            self.progress.emit()

    # -- retries and endings ---------------------------------------------------------
    def _retry(self, reason: DownloadError) -> None:
        """Try again after the next back-off delay, or give up when they are used up."""
        self._drop_reply()
        if self.received > self._attempt_offset:
            self._failures = 0  # that attempt got somewhere: the connection is not dead
        if self._failures >= len(self._retry_delays_s):
            self._fail(self._gave_up(reason, attempts=self._failures + 1))
            return
        delay = self._retry_delays_s[self._failures]
        self._failures += 1
        log.info("download of %s: retry %d in %g s", self.spec.filename, self._failures, delay)
        self._schedule(self._request, round(delay * 1000))
        self._set_state(DownloadState.RETRYING)

    def _gave_up(self, reason: DownloadError, attempts: int) -> DownloadError:
        return errors.gave_up(reason, self.spec.filename, attempts, self.received)

    def _complete(self) -> None:
        """Check size and checksum, then flush the file to disk (in the background)."""
        if not self._set_state(DownloadState.VERIFYING):
            return  # paused or cancelled by a slot of state_changed
        expected = self.spec.size if self.spec.size is not None else self.total
        if expected is not None and self.received != expected:
            self._discard_part(self._size_error(self.received))
            return
        mismatch = self._checksum_mismatch()
        if mismatch is not None:
            self._discard_part(mismatch)
            return
        self._syncing = sync_and_close(self._part.take_fd())
        self._schedule(self._await_sync, SYNC_POLL_MS)

    def _await_sync(self) -> None:
        """Poll the background fsync; pausing or cancelling stops the polling."""
        sync = self._syncing
        assert sync is not None
        if not sync.done():
            self._schedule(self._await_sync, SYNC_POLL_MS)
            return
        self._syncing = None
        error = sync.exception()
        if isinstance(error, OSError):
            self._fail(self._write_error(error))
            return
        self._install()

    def _install(self) -> None:
        """Rename the flushed, verified part to its final name, durably."""
        try:
            if self.final_path.exists():
                raise FileExistsError(self.final_path)
            os.replace(self.part_path, self.final_path)
            fsync_dir(self.models_dir)
        except FileExistsError:
            self._discard_part(errors.installed_meanwhile(self.spec.filename))
            return
        except OSError as e:
            self._fail(self._write_error(e))
            return
        log.info("download of %s: finished, %d bytes verified", self.spec.filename, self.received)
        self._release()
        self._set_state(DownloadState.FINISHED)
        self.finished.emit(self.final_path)

    def _checksum_mismatch(self) -> DownloadError | None:
        expected = self.spec.expected_digest
        got = self._part.digest()
        if expected is None or got is None:
            return None
        algorithm, digest = expected
        if got == digest:
            return None
        return errors.checksum_mismatch(self.spec.filename, algorithm, got, digest)

    def _size_error(self, got: int, *, offered: bool = False) -> DownloadError:
        expected = self.spec.size if self.spec.size is not None else self.total
        return errors.wrong_size(self.spec.filename, got, expected, offered=offered)

    def _write_error(self, error: OSError) -> DownloadError:
        return errors.write_failed(self.part_path, error, self.received)

    def _discard_part(self, error: DownloadError) -> None:
        """A wrong file is worse than none: delete it, then fail with the reason."""
        self._halt()
        self._part.forget()
        with contextlib.suppress(FileNotFoundError):
            self.part_path.unlink()
        self._fail(error)

    def _fail(self, error: DownloadError) -> None:
        """Stop for good. An empty .part is removed: it would only offer a pointless resume."""
        self._halt()
        with contextlib.suppress(OSError):
            if _owners.get(self.part_path) is self and self.part_path.stat().st_size == 0:
                self.part_path.unlink()
                self._part.forget()
        log.info("download of %s failed: %s", self.spec.filename, error)
        self.error = error
        self._release()
        self._set_state(DownloadState.FAILED)
        self.failed.emit(error)

    def _restart_part(self) -> None:
        """Take the whole file from byte 0: what the part holds does not fit the answer."""
        log.info("download of %s: starting over from byte 0", self.spec.filename)
        self._part.restart()

    # -- housekeeping ----------------------------------------------------------------
    def _drop_reply(self) -> None:
        """Forget the open reply; its later signals (abort emits some) are not ours."""
        reply, self._reply = self._reply, None
        if reply is None:
            return
        reply.readyRead.disconnect(self._on_ready_read)
        reply.finished.disconnect(self._on_finished)
        reply.redirected.disconnect(self._on_redirected)
        if reply.isRunning():
            reply.abort()
        reply.deleteLater()

    def _halt(self) -> None:
        """Stop all activity and close the part file; the checksum state stays."""
        self._wake.stop()
        self._next_step = None
        self._syncing = None  # an fsync under way finishes alone; its thread closes the file
        self._drop_reply()
        self._part.close()

    def _release(self) -> None:
        if _owners.get(self.part_path) is self:
            del _owners[self.part_path]

    def _set_state(self, state: DownloadState) -> bool:
        """Enter `state` and tell the listeners; False if one of them moved on from it.

        A slot of state_changed may call pause() or cancel() right away, so every step
        announces its state only after it has scheduled its own next step (which pausing
        cancels), or checks this result before going on.
        """
        if state == self.state:
            return True
        self.state = state
        busy = state in (DownloadState.RUNNING, DownloadState.VERIFYING)
        if busy and not self._ticker.isActive():
            self._speed.begin(time.monotonic())
            self._ticker.start()
        elif not busy:
            self._ticker.stop()
            self._speed.stop()
        self.state_changed.emit(state)
        self._report_progress()
        return self.state == state
