"""A real HTTP file server on 127.0.0.1 for the downloader's tests, with injectable faults.

The downloader must cope with what real servers and networks do: connections that drop
half-way, servers that ignore Range or answer the wrong part, error statuses, transfers
that stall, redirects. Each of those is a fault a test switches on for the next request(s);
every request is recorded (path, Range header, status, body bytes sent) so a test can check
what went over the wire, e.g. that a resumed download did not fetch its first bytes again.

Without faults the body goes out with sendfile(), so the server is fast enough to benchmark
a client against.
"""

from __future__ import annotations

import contextlib
import re
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import unquote, urlsplit

ALWAYS = -1  # a fault's `times` for "every matching request"
_RANGE = re.compile(r"bytes=(\d+)-(\d*)")
_CHUNK = 64 * 1024
_SENDFILE_PIECE = 8 * 1024 * 1024


@dataclass
class Request:
    """One request as the server saw it.

    Qt's HTTP client sometimes sends a request a second time by itself, after a dropped
    connection or a redirect, and throws the answer away. Tests therefore check the requests
    that carry a Range header, or the last one, rather than exact counts, where either
    happens.
    """

    path: str
    range: str | None
    status: int = 0
    sent: int = 0  # body bytes written to the socket


@dataclass
class _Fault:
    kind: str
    times: int
    path: str | None
    params: dict[str, Any] = field(default_factory=dict)
    needs_range: bool = False
    skip: int = 0  # matching requests to let through untouched first


@dataclass
class _Plan:
    """What to do with one request, after taking the faults that apply to it."""

    status: int | None = None
    location: str | None = None
    ignore_range: bool = False
    shift_start: bool = False
    drop_after: int | None = None
    stall_after: int | None = None
    stall_seconds: float = 0.0


class FileServer:
    """Serves the files of one folder over HTTP/1.1 (or HTTPS) on 127.0.0.1."""

    def __init__(self, root: Path, *, tls: ssl.SSLContext | None = None) -> None:
        self.root = Path(root)
        self.requests: list[Request] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        self._httpd = _Server(self, tls)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # -- lifetime --------------------------------------------------------------------
    def start(self) -> FileServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()  # wake handlers that are stalling on purpose
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> FileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str) -> str:
        scheme = "https" if self._httpd.tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}/{path}"

    # -- what happened ---------------------------------------------------------------
    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def bytes_sent(self, path: str) -> int:
        return sum(r.sent for r in self.requests_for(path))

    # -- faults ----------------------------------------------------------------------
    def fail_with(
        self, status: int, *, times: int = 1, path: str | None = None, skip: int = 0
    ) -> None:
        """Answer `status` (with a short text body) instead of the file, after `skip` requests."""
        self._add("status", times, path, status=status, skip=skip)

    def drop_after(self, nbytes: int, *, times: int = 1, path: str | None = None) -> None:
        """Close the connection after sending `nbytes` of the body."""
        self._add("drop", times, path, nbytes=nbytes)

    def ignore_range(self, *, times: int = ALWAYS, path: str | None = None) -> None:
        """Answer Range requests with 200 and the whole file, as some servers do."""
        self._add("ignore_range", times, path, needs_range=True)

    def wrong_content_range(self, *, times: int = 1, path: str | None = None) -> None:
        """Answer a Range request from byte N with 206 from byte N // 2 (and say so)."""
        self._add("shift_start", times, path, needs_range=True)

    def stall_after(
        self, nbytes: int, seconds: float, *, times: int = 1, path: str | None = None
    ) -> None:
        """Send `nbytes` of the body, then nothing for `seconds`, then close."""
        self._add("stall", times, path, nbytes=nbytes, seconds=seconds)

    def redirect(self, path: str, location: str, *, times: int = ALWAYS, status: int = 302) -> None:
        """Answer requests for `path` with a redirect to `location`."""
        self._add("redirect", times, path, location=location, status=status)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def _add(
        self,
        kind: str,
        times: int,
        path: str | None,
        *,
        needs_range: bool = False,
        skip: int = 0,
        **params: Any,
    ) -> None:
        with self._lock:
            self._faults.append(_Fault(kind, times, path, params, needs_range, skip))

    def _plan(self, path: str, has_range: bool) -> _Plan:
        """Take (count down) the faults that apply to this request."""
        plan = _Plan()
        with self._lock:
            for fault in self._faults:
                if fault.times == 0 or fault.path not in (None, path):
                    continue
                if fault.needs_range and not has_range:
                    continue
                if fault.skip > 0:
                    fault.skip -= 1
                    continue
                if fault.times > 0:
                    fault.times -= 1
                _apply(plan, fault)
        return plan

    # -- serving ---------------------------------------------------------------------
    def handle(self, handler: _Handler) -> None:
        path = unquote(urlsplit(handler.path).path).lstrip("/")
        record = Request(path=path, range=handler.headers.get("Range"))
        with self._lock:
            self.requests.append(record)
        plan = self._plan(path, record.range is not None)
        if plan.location is not None:
            body = f'<a href="{plan.location}">moved</a>\n'.encode()
            self._answer(handler, record, plan.status or 302, {"Location": plan.location}, body)
        elif plan.status is not None:
            self._answer(handler, record, plan.status, {}, b"injected failure\n")
        else:
            self._serve_file(handler, record, plan)

    def _answer(
        self,
        handler: _Handler,
        record: Request,
        status: int,
        headers: dict[str, str],
        body: bytes = b"",
    ) -> None:
        record.status = status
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        record.sent = len(body)
        handler.wfile.write(body)

    def _serve_file(self, handler: _Handler, record: Request, plan: _Plan) -> None:
        file = self.root / record.path
        if not record.path or ".." in Path(record.path).parts or not file.is_file():
            self._answer(handler, record, 404, {}, b"not found\n")
            return
        size = file.stat().st_size
        start = 0
        match = _RANGE.fullmatch(record.range or "")
        headers = {"Accept-Ranges": "bytes", "Content-Type": "application/octet-stream"}
        if match is not None and not plan.ignore_range:
            start = int(match.group(1))
            if start >= size:
                self._answer(handler, record, 416, {"Content-Range": f"bytes */{size}"})
                return
            if plan.shift_start:
                start //= 2
            headers["Content-Range"] = f"bytes {start}-{size - 1}/{size}"
        record.status = 206 if "Content-Range" in headers else 200
        handler.send_response(record.status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(size - start))
        handler.end_headers()
        with file.open("rb") as body:
            try:
                self._send_body(handler, record, plan, body, start, size - start)
            except OSError:  # the client went away (pause, abort): not an error here
                handler.close_connection = True

    def _send_body(
        self,
        handler: _Handler,
        record: Request,
        plan: _Plan,
        body: BinaryIO,
        start: int,
        length: int,
    ) -> None:
        """Send the body, counting each piece before it goes out.

        Counting first means a test that saw the client finish never reads a count that the
        server thread has not updated yet; if the client hangs up mid-piece, the count is
        an upper bound.
        """
        handler.wfile.flush()
        out = handler.connection
        limit = min(x for x in (plan.drop_after, plan.stall_after, length) if x is not None)
        if limit == length:  # no byte-level fault: the fast path, sendfile() in pieces
            while record.sent < length:
                piece = min(_SENDFILE_PIECE, length - record.sent)
                record.sent += piece
                done = out.sendfile(body, start + record.sent - piece, piece)
                record.sent -= piece - done
                if done == 0:
                    break
            return
        body.seek(start)
        while record.sent < limit:
            chunk = body.read(min(_CHUNK, limit - record.sent))
            record.sent += len(chunk)
            out.sendall(chunk)
        if plan.stall_after is not None:
            self._released.wait(plan.stall_seconds)
        handler.close_connection = True


def _apply(plan: _Plan, fault: _Fault) -> None:
    params = fault.params
    if fault.kind == "status":
        plan.status = params["status"]
    elif fault.kind == "redirect":
        plan.status, plan.location = params["status"], params["location"]
    elif fault.kind == "drop":
        plan.drop_after = params["nbytes"]
    elif fault.kind == "stall":
        plan.stall_after, plan.stall_seconds = params["nbytes"], params["seconds"]
    elif fault.kind == "ignore_range":
        plan.ignore_range = True
    elif fault.kind == "shift_start":
        plan.shift_start = True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and Range, as real model hosts speak
    server: _Server

    def setup(self) -> None:
        if self.server.tls is not None:
            # Handshake here, in the connection's own thread: a client that rejects the
            # certificate must not block (or crash) the accepting thread.
            self.request = self.server.tls.wrap_socket(self.request, server_side=True)
        super().setup()

    def do_GET(self) -> None:
        self.server.owner.handle(self)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read `FileServer.requests` instead."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: FileServer, tls: ssl.SSLContext | None) -> None:
        self.owner = owner
        self.tls = tls
        super().__init__(("127.0.0.1", 0), _Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up or refuse the certificate are expected in these tests."""
        with contextlib.suppress(OSError):
            request.close()


def free_port() -> int:
    """A port on 127.0.0.1 where nothing listens (for connection-refused tests)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
