"""Which addresses a model download may use, and how to read what the server answers.

https only, certificates always verified, plain http only to this computer (for tests and
local mirrors), redirects checked by the same rules; a resumed transfer trusts the server's
Content-Range only when it parses exactly.
"""

from __future__ import annotations

import re
from typing import Final

from PySide6.QtCore import QUrl
from PySide6.QtNetwork import QNetworkReply

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.download_spec import DownloadError

__all__ = ["FATAL_ERRORS", "check_url", "checked_qurl", "parse_content_range", "redirect_allowed"]

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
