"""OpenAI-compatible chat completions, streamed, on Qt's network stack.

Every server a clinic would run (llama.cpp's llama-server, vLLM, LocalAI, Ollama) speaks
this API. Calls block the calling thread (the generation worker's, or a command's) while a
local event loop runs the transfer, so the engine interface stays the same as for a local
model; a stop aborts the transfer at once, closing the stream.

The connection is https with the system's certificate authorities (plus the clinic's own
CA file, when IT gives one), or plain http to this computer only. No redirect is followed,
no proxy is used and nothing is cached. The server's replies are input from the network:
lines are bounded, JSON that does not have the promised shape is skipped or refused, and an
error body is shown only as a short line of plain text.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from PySide6.QtCore import QByteArray, QCoreApplication, QEventLoop, QTimer, QUrl
from PySide6.QtNetwork import (
    QNetworkAccessManager,
    QNetworkProxy,
    QNetworkReply,
    QNetworkRequest,
    QSslCertificate,
    QSslConfiguration,
)

from clinichat.remote.errors import Failure, RemoteError, server_words
from clinichat.remote.server import RemoteServer

_LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})
# A server-sent line longer than this is not a chat completion chunk.
LINE_MAX: Final = 1 << 20
ERROR_BODY_MAX: Final = 64 << 10
# Waits before trying a busy server (429, 503) again, in seconds; Retry-After is honoured
# up to the cap.
BACKOFF_S: Final = (1.0, 2.0, 4.0, 8.0, 15.0)
RETRY_AFTER_MAX_S: Final = 30.0
# How long a transfer may go without a byte, in seconds: (before the first, after it). Before
# its first byte an answer may wait its turn in the server's queue (llama-server sends nothing
# until a slot takes the question, so a clinic's PCs asking at once queue there) or for a
# long prompt to be read on a CPU server; once it streams, a silence means a stalled server.
# The model list should come at once.
ANSWER_WAIT_S: Final = (600.0, 180.0)
LIST_WAIT_S: Final = (15.0, 15.0)
_POLL_MS: Final = 50
_Error = QNetworkReply.NetworkError


def api_base(url: str) -> QUrl:
    """The API's base (…/v1) for `url`; RemoteError unless it is https or local http."""
    qurl = QUrl(url.strip(), QUrl.ParsingMode.StrictMode)
    local = qurl.host() in _LOCAL_HOSTS
    allowed = qurl.scheme() == "https" or (qurl.scheme() == "http" and local)
    if not qurl.isValid() or not qurl.host() or qurl.userInfo() or not allowed:
        raise RemoteError(Failure.REFUSED_ADDRESS, url=url)
    path = qurl.path().rstrip("/")
    base = QUrl()
    base.setScheme(qurl.scheme())
    base.setHost(qurl.host())
    base.setPort(qurl.port())
    base.setPath(path if path.endswith("/v1") else f"{path}/v1")
    return base


def shown_url(server: RemoteServer) -> str:
    """The server as the indicator and messages name it: scheme, host and port."""
    base = api_base(server.url)
    port = f":{base.port()}" if base.port() != -1 else ""
    host = f"[{base.host()}]" if ":" in base.host() else base.host()
    return f"{base.scheme()}://{host}{port}"


@dataclass(frozen=True)
class Streamed:
    """What one streamed answer brought."""

    text: str
    reasoning: str
    finish_reason: str  # "stop", "length", … ; "" when stopped by the clinician
    prompt_tokens: int | None
    tokens: int
    first_token_s: float | None


class _Silence:
    """How long a transfer has gone without a byte, against its two waits (before the first
    byte, and after it); `ran_out` is the wait that was exceeded, if one was."""

    def __init__(self, waits: tuple[float, float]) -> None:
        self._waits = waits
        self._any = False
        self._last = time.monotonic()
        self.ran_out: float | None = None

    def heard(self) -> None:
        self._any, self._last = True, time.monotonic()

    def too_long(self) -> bool:
        wait = self._waits[1] if self._any else self._waits[0]
        if time.monotonic() - self._last > wait:
            self.ran_out = wait
        return self.ran_out is not None


class _Stream:
    """Server-sent events of a chat completion, fed as bytes arrive; nothing more is taken
    once `stop` is set, so a stop ends the answer where the clinician saw it end."""

    def __init__(
        self,
        on_text: Callable[[str], None],
        on_reasoning: Callable[[str], None],
        stop: threading.Event,
    ) -> None:
        self._buffer = b""
        self._on_text, self._on_reasoning, self._stop = on_text, on_reasoning, stop
        self._began = time.perf_counter()
        self.text: list[str] = []
        self.reasoning: list[str] = []
        self.first_token_s: float | None = None
        self.finish_reason = ""
        self.done = False
        self.usage: dict[str, Any] = {}

    def feed(self, data: bytes) -> None:
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\n")
        if len(self._buffer) > LINE_MAX:
            raise RemoteError(Failure.SERVER, status=200, detail="a reply line too long")
        for line in lines:
            if self._stop.is_set():
                return
            self._line(line.rstrip(b"\r"))

    def outcome(self, finish_reason: str) -> Streamed:
        prompt, tokens = self.usage.get("prompt_tokens"), self.usage.get("completion_tokens")
        return Streamed(
            "".join(self.text),
            "".join(self.reasoning),
            finish_reason,
            prompt if isinstance(prompt, int) else None,
            tokens if isinstance(tokens, int) and finish_reason else len(self.text),
            self.first_token_s,
        )

    def _line(self, line: bytes) -> None:
        if not line.startswith(b"data:"):
            return  # comments, event names, blank separators
        payload = line[5:].strip()
        if payload == b"[DONE]":
            self.done = True
            return
        try:
            chunk = json.loads(payload)
        except ValueError:
            return
        if not isinstance(chunk, dict):
            return
        if isinstance(chunk.get("usage"), dict):
            self.usage = chunk["usage"]
        choices = chunk.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            return
        choice = choices[0]
        delta = choice.get("delta")
        if isinstance(delta, dict):
            thought = delta.get("reasoning_content")
            if isinstance(thought, str) and thought:
                self.reasoning.append(thought)
                self._on_reasoning(thought)
            content = delta.get("content")
            if isinstance(content, str) and content:
                if self.first_token_s is None:
                    self.first_token_s = time.perf_counter() - self._began
                self.text.append(content)
                self._on_text(content)
        if isinstance(choice.get("finish_reason"), str):
            self.finish_reason = choice["finish_reason"]


@dataclass(frozen=True)
class _Reply:
    status: int | None
    body: bytes  # an error's body (a streamed body went to the stream)
    retry_after_s: float | None


def _ignore(_piece: str) -> None:
    pass


class OpenAIClient:
    """Talks to one server from the thread that made it (Qt's network objects stay there)."""

    def __init__(self, server: RemoteServer) -> None:
        if QCoreApplication.instance() is None:
            raise RuntimeError("OpenAIClient needs a QCoreApplication")
        self.server = server
        self.base = api_base(server.url)
        self.url = shown_url(server)
        self._manager = QNetworkAccessManager()
        self._manager.setProxy(QNetworkProxy(QNetworkProxy.ProxyType.NoProxy))
        self._ssl = QSslConfiguration.defaultConfiguration()
        if server.ca_file is not None:
            certificates = QSslCertificate.fromPath(str(server.ca_file))
            if not certificates:
                raise RemoteError(
                    Failure.TLS, url=self.url, detail=f"no certificate in {server.ca_file}"
                )
            self._ssl.setCaCertificates(self._ssl.caCertificates() + certificates)

    # -- the API -----------------------------------------------------------------------
    def models(self) -> list[str]:
        """The ids of the models the server offers."""
        reply = self._exchange("models", None, None, threading.Event(), LIST_WAIT_S)
        self._raise_for(reply.status, reply.body, model="")
        try:
            data = json.loads(reply.body)
            rows = data["data"] if isinstance(data, dict) else None
        except (ValueError, KeyError):
            rows = None
        if not isinstance(rows, list):
            raise RemoteError(Failure.SERVER, status=reply.status, detail="not a model list")
        return [str(r["id"]) for r in rows if isinstance(r, dict) and isinstance(r.get("id"), str)]

    def chat(
        self,
        body: dict[str, Any],
        on_text: Callable[[str], None],
        stop: threading.Event,
        *,
        on_reasoning: Callable[[str], None] | None = None,
        on_wait: Callable[[int, float], None] | None = None,
    ) -> Streamed:
        """Stream one chat completion for `body` (model, messages, sampling).

        A busy server (429, 503) is asked again after a wait (`on_wait(attempt, seconds)`
        says so) up to len(BACKOFF_S) times; `stop` ends a wait or the stream at once.
        """
        body = {**body, "stream": True, "stream_options": {"include_usage": True}}
        data = json.dumps(body).encode("utf-8")
        for attempt in range(len(BACKOFF_S) + 1):
            stream = _Stream(on_text, on_reasoning or _ignore, stop)
            reply = self._exchange("chat/completions", data, stream, stop, ANSWER_WAIT_S)
            busy = reply.status in (429, 503)
            if busy and attempt < len(BACKOFF_S) and not stop.is_set():
                seconds = reply.retry_after_s or BACKOFF_S[attempt]
                if on_wait is not None:
                    on_wait(attempt + 1, seconds)
                if stop.wait(seconds):
                    break
                continue
            if busy:
                raise RemoteError(Failure.BUSY, status=reply.status, attempts=attempt + 1)
            if stop.is_set() and reply.status in (None, 200):
                break
            self._raise_for(reply.status, reply.body, model=str(body.get("model", "")))
            if not (stream.done or stream.finish_reason):
                raise RemoteError(Failure.CUT)
            return stream.outcome(stream.finish_reason or "stop")
        return stream.outcome("")  # stopped: during the stream or a wait

    # -- the transfer ------------------------------------------------------------------
    def _request(self, path: str) -> QNetworkRequest:
        url = QUrl(self.base)
        url.setPath(f"{self.base.path()}/{path}")
        request = QNetworkRequest(url)
        request.setSslConfiguration(self._ssl)
        request.setTransferTimeout(0)  # the exchange keeps its own two waits (ANSWER_WAIT_S)
        request.setAttribute(
            QNetworkRequest.Attribute.RedirectPolicyAttribute,
            QNetworkRequest.RedirectPolicy.ManualRedirectPolicy,
        )
        request.setAttribute(
            QNetworkRequest.Attribute.CacheLoadControlAttribute,
            QNetworkRequest.CacheLoadControl.AlwaysNetwork,
        )
        request.setAttribute(QNetworkRequest.Attribute.CacheSaveControlAttribute, False)
        request.setHeader(QNetworkRequest.KnownHeaders.ContentTypeHeader, "application/json")
        if self.server.api_key:
            request.setRawHeader(b"Authorization", f"Bearer {self.server.api_key}".encode())
        return request

    def _exchange(
        self,
        path: str,
        data: bytes | None,
        stream: _Stream | None,
        stop: threading.Event,
        waits: tuple[float, float],
        *,
        again: bool = True,
    ) -> _Reply:
        """Run one request to its end: its status, the body unless it was streamed.

        Network failures raise RemoteError; a stop aborts and returns what came. A
        connection the server closed before replying at all is tried once more (`again`):
        that is how a kept-alive connection the server had just dropped looks, and nothing
        of the request was answered. `waits`: how long it may go without a byte, before
        the first one and after it.
        """
        request = self._request(path)
        if data is None:
            reply = self._manager.get(request)
        else:
            reply = self._manager.post(request, QByteArray(data))
        loop = QEventLoop()
        body = bytearray()
        problem: list[RemoteError] = []
        silence = _Silence(waits)

        def status() -> int | None:
            value = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
            return int(value) if isinstance(value, int) else None

        def read() -> None:
            silence.heard()
            if not reply.isOpen():
                return  # aborted: nothing more to read
            chunk = bytes(reply.readAll().data())
            if stream is not None and status() == 200:
                try:
                    stream.feed(chunk)
                except RemoteError as error:
                    problem.append(error)
                    reply.abort()
            elif len(body) < ERROR_BODY_MAX:
                body.extend(chunk[: ERROR_BODY_MAX - len(body)])

        def poll() -> None:
            if reply.isRunning() and (stop.is_set() or silence.too_long()):
                reply.abort()

        reply.metaDataChanged.connect(silence.heard)
        reply.readyRead.connect(read)
        reply.finished.connect(loop.quit)
        timer = QTimer()
        timer.setInterval(_POLL_MS)
        timer.timeout.connect(poll)
        timer.start()
        if reply.isRunning():
            loop.exec()
        timer.stop()
        read()
        code, error = status(), reply.error()
        retry_after = self._retry_after_s(reply)
        detail = reply.errorString()
        reply.deleteLater()
        if problem:
            raise problem[0]
        if silence.ran_out is not None and not stop.is_set():
            raise RemoteError(Failure.TIMEOUT, seconds=round(silence.ran_out))
        closed = error == _Error.RemoteHostClosedError and code is None and not body
        if closed and again and not stop.is_set() and (stream is None or not stream.text):
            return self._exchange(path, data, stream, stop, waits, again=False)
        if stop.is_set() or error == _Error.NoError or (code is not None and code != 200):
            if stream is not None and code == 200 and error != _Error.NoError and not stop.is_set():
                raise RemoteError(Failure.CUT)
            return _Reply(code, bytes(body), retry_after)
        raise self._network_error(error, detail, stream)

    def _network_error(
        self, error: QNetworkReply.NetworkError, detail: str, stream: _Stream | None
    ) -> RemoteError:
        """Refused, unknown host, closed before replying and the like: unreachable."""
        if error == _Error.SslHandshakeFailedError:
            return RemoteError(Failure.TLS, url=self.url, detail=detail)
        if stream is not None and stream.text:
            return RemoteError(Failure.CUT)
        return RemoteError(Failure.UNREACHABLE, url=self.url, detail=detail)

    @staticmethod
    def _retry_after_s(reply: QNetworkReply) -> float | None:
        value = bytes(reply.rawHeader("Retry-After").data()).strip()
        if not value.isdigit():
            return None
        return min(float(value), RETRY_AFTER_MAX_S)

    def _raise_for(self, status: int | None, body: bytes, *, model: str) -> None:
        if status == 200:
            return
        if status in (401, 403):
            raise RemoteError(Failure.ACCESS, status=status)
        if status == 404:
            raise RemoteError(Failure.NO_MODEL, model=model)
        raise RemoteError(Failure.SERVER, status=status, detail=server_words(body))
