"""Which addresses a model download may use, how it asks, and how to read the answer.

https only, certificates always verified, plain http only to this computer (for tests and
local mirrors), redirects checked by the same rules; a resumed transfer trusts the server's
Content-Range only when it parses exactly.
"""

from __future__ import annotations

import re
from typing import Final

from PySide6.QtCore import QByteArray, QUrl
from PySide6.QtNetwork import QNetworkReply, QNetworkRequest

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.download_spec import DownloadError

__all__ = [
    "FATAL_ERRORS",
    "check_url",
    "checked_qurl",
    "content_length",
    "content_range",
    "http_status",
    "parse_content_range",
    "redirect_allowed",
    "request_from",
]

MAX_REDIRECTS: Final = 5

_LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})
_CONTENT_RANGE: Final = re.compile(r"bytes\s+(\d+)-(\d+)/(\d+|\*)", re.IGNORECASE)

_Error = QNetworkReply.NetworkError
#: Network errors that another attempt cannot fix: retrying would only delay the message.
FATAL_ERRORS: Final = frozenset(
    {
        _Error.SslHandshakeFailedError,
        _Error.TooManyRedirectsError,
        _Error.InsecureRedirectError,
        _Error.ProtocolUnknownError,
        _Error.ProtocolInvalidOperationError,
        _Error.ProxyAuthenticationRequiredError,
        _Error.AuthenticationRequiredError,
    }
)


def _is_local(url: QUrl) -> bool:
    return url.host() in _LOCAL_HOSTS


def _refuse_url(url: str) -> DownloadError:
    return DownloadError(
        QT_TRANSLATE_NOOP(
            "Downloads",
            "ClinicChat only downloads models over a secure connection (an address starting"
            " with https://), so it did not connect to '{url}'. Ask IT for the https"
            " address of the model.",
        ),
        url=url,
    )


def checked_qurl(url: str) -> QUrl:
    """The URL as Qt will use it, checked by `check_url`'s rules.

    Checking the very QUrl that the request is made from leaves no room for two URL
    parsers to disagree about which host a string names.
    """
    qurl = QUrl(url, QUrl.ParsingMode.StrictMode)
    scheme = qurl.scheme()
    allowed = scheme == "https" or (scheme == "http" and _is_local(qurl))
    if not qurl.isValid() or not qurl.host() or not allowed:
        raise _refuse_url(url)
    return qurl


def check_url(url: str) -> None:
    """Raise DownloadError unless `url` is https, or plain http to this very computer.

    Called before any connection is made. Plain http to 127.0.0.1, localhost or ::1 is
    allowed for tests and for a mirror on the same machine; its traffic never leaves it.
    """
    checked_qurl(url)


def redirect_allowed(origin: QUrl, target: QUrl) -> bool:
    """Redirects may go to https, or to local http when the download began as local http.

    An https download never continues over plain http, not even on this computer: that
    would be a downgrade the user never agreed to.
    """
    if not target.isValid() or not target.host():
        return False
    if target.scheme() == "https":
        return True
    local_origin = origin.scheme() == "http" and _is_local(origin)
    return target.scheme() == "http" and _is_local(target) and local_origin


def parse_content_range(value: str) -> tuple[int, int | None] | None:
    """(first byte, complete size or None) from 'bytes 100-199/1000'; None if malformed."""
    match = _CONTENT_RANGE.fullmatch(value.strip())
    if match is None:
        return None
    first, last, total = match.groups()
    if int(last) < int(first):
        return None
    return int(first), (None if total == "*" else int(total))


def request_from(url: QUrl, offset: int) -> QNetworkRequest:
    """A GET for the file from byte `offset` on: every redirect put to `redirect_allowed`,
    nothing taken from or put in a cache, and no compression, which would make the
    server's byte offsets stop matching the file's."""
    request = QNetworkRequest(url)
    request.setAttribute(
        QNetworkRequest.Attribute.RedirectPolicyAttribute,
        QNetworkRequest.RedirectPolicy.UserVerifiedRedirectPolicy,
    )
    request.setMaximumRedirectsAllowed(MAX_REDIRECTS)
    request.setAttribute(
        QNetworkRequest.Attribute.CacheLoadControlAttribute,
        QNetworkRequest.CacheLoadControl.AlwaysNetwork,
    )
    request.setAttribute(QNetworkRequest.Attribute.CacheSaveControlAttribute, False)
    # Qt would otherwise ask for gzip and inflate it.
    request.setRawHeader(QByteArray(b"Accept-Encoding"), QByteArray(b"identity"))
    if offset > 0:
        request.setRawHeader(QByteArray(b"Range"), QByteArray(f"bytes={offset}-".encode()))
    return request


def http_status(reply: QNetworkReply) -> int | None:
    """The reply's HTTP status; None before the server answered (or if it never did)."""
    status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
    return int(status) if status is not None else None


def content_range(reply: QNetworkReply) -> tuple[int | None, int | None]:
    """A 206's (first byte, complete size); (None, None) when its Content-Range is malformed."""
    raw = bytes(reply.rawHeader("Content-Range").data()).decode("latin-1")
    parsed = parse_content_range(raw)
    return parsed if parsed is not None else (None, None)


def content_length(reply: QNetworkReply) -> int | None:
    length = reply.header(QNetworkRequest.KnownHeaders.ContentLengthHeader)
    return int(length) if length is not None else None
