"""A real llama.cpp server on 127.0.0.1, and a real front proxy before it, for the tests of
the clinic-server engine.

The server is xllamacpp's embedded llama-server (the same HTTP server, routes and
streaming as the `llama-server` a clinic runs), listening on a free loopback port with the
starter model. A clinic puts TLS in front of it (Caddy, nginx); `FrontProxy` plays that
part: it terminates TLS with a test certificate and relays each request to the server as it
is. It can also do what a busy or broken front does: answer 503 for the next requests, or
cut a response after some bytes, so those cases are tested against the real server's
stream rather than a made-up one.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
from pathlib import Path

import xllamacpp

from clinichat.llm.engines.llamacpp import FLASH_ATTENTION, LOG_VERBOSITY

TEST_API_KEY = "clinic-test-key-7f3a"


def llama_server(
    model: Path, *, api_key: str = "", slots: int = 1, slot_ctx: int = 1024, threads: int = 2
) -> xllamacpp.Server:
    """llama.cpp's server for `model` on a free 127.0.0.1 port (`.listening_address`), with
    `slots` parallel slots of `slot_ctx` tokens each, run as the app's own engine runs it."""
    params = xllamacpp.CommonParams()
    params.model.path = str(model)
    params.n_parallel = slots
    params.n_ctx = slot_ctx * slots
    params.cpuparams.n_threads = threads
    params.cpuparams_batch.n_threads = threads
    params.flash_attn_type = FLASH_ATTENTION
    params.verbosity = LOG_VERBOSITY
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    if api_key:
        params.api_keys = [api_key]
    return xllamacpp.Server(params)


def address_of(server: xllamacpp.Server) -> tuple[str, int]:
    """(host, port) where `server` listens."""
    host, port = server.listening_address.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


class FrontProxy:
    """Relays HTTP(S) on a loopback port to `upstream` (host, port), one request per
    connection; faults apply to the next requests."""

    def __init__(self, upstream: tuple[str, int], tls: ssl.SSLContext | None = None) -> None:
        self.upstream = upstream
        self.tls = tls
        self.busy = 0  # answer this many next requests with 503 and Retry-After: 1
        self.cut_after: int | None = None  # relay only this many response bytes, then close
        self.drop = 0  # close this many next connections without a reply (a stale keep-alive)
        self.stall_after: int | None = None  # relay this many response bytes, then go silent
        self.requests = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://127.0.0.1:{self._listener.getsockname()[1]}"

    def close(self) -> None:
        self._listener.close()

    def _serve(self) -> None:
        while True:
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        with contextlib.suppress(OSError, ssl.SSLError), contextlib.closing(client):
            if self.tls is not None:
                client = self.tls.wrap_socket(client, server_side=True)
            request = _read_request(client)
            if request is None:
                return
            self.requests += 1
            if self.drop > 0:
                self.drop -= 1
                return
            if self.busy > 0:
                self.busy -= 1
                body = b'{"error":{"message":"Server busy","code":503}}'
                client.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\n"
                    b"Content-Type: application/json\r\nConnection: close\r\n"
                    b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
                )
                return
            limit, self.cut_after = self.cut_after, None
            stall, self.stall_after = self.stall_after, None
            with socket.create_connection(self.upstream) as server:
                server.sendall(request)
                sent = 0
                while chunk := server.recv(65536):
                    if limit is not None and sent + len(chunk) > limit:
                        client.sendall(chunk[: limit - sent])
                        return  # closed mid-answer
                    if stall is not None and sent + len(chunk) > stall:
                        client.sendall(chunk[: stall - sent])
                        client.recv(1)  # silent, open, until the client gives up
                        return
                    client.sendall(chunk)
                    sent += len(chunk)


def _read_request(client: socket.socket) -> bytes | None:
    """One request, its head rewritten to close the connection after the answer."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = [
        line
        for line in head.split(b"\r\n")
        if not line.lower().startswith((b"connection:", b"keep-alive:"))
    ]
    length = next(
        (
            int(line.split(b":", 1)[1])
            for line in lines
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    while len(body) < length:
        chunk = client.recv(65536)
        if not chunk:
            return None
        body += chunk
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body
