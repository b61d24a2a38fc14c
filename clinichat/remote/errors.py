"""What can go wrong between ClinicChat and a clinic's server, said in plain words.

Each failure names what the clinician or IT can do about it; the server's own words (its
error message) are shown only shortened and as plain text, since they are input from the
network.
"""

from __future__ import annotations

import enum
import json

from clinichat.llm.engines.base import GenerationError
from clinichat.messages import QT_TRANSLATE_NOOP

# At most this much of a server's own error message is shown.
SERVER_WORDS_MAX = 200


class Failure(enum.Enum):
    REFUSED_ADDRESS = "refused_address"  # not https and not this computer
    UNREACHABLE = "unreachable"
    TLS = "tls"
    ACCESS = "access"  # 401, 403: the key
    NO_MODEL = "no_model"  # 404
    BUSY = "busy"  # 429, 503 after every retry
    TIMEOUT = "timeout"
    CUT = "cut"  # the stream ended before the answer did
    SERVER = "server"  # any other refusal, or a reply that is not what the API promises


_TEXTS = {
    Failure.REFUSED_ADDRESS: QT_TRANSLATE_NOOP(
        "Errors",
        "ClinicChat only sends questions to a server over a secure connection (an address"
        " starting with https://), or to this computer. It did not connect to '{url}'.",
    ),
    Failure.UNREACHABLE: QT_TRANSLATE_NOOP(
        "Errors",
        "The clinic's server at {url} cannot be reached ({detail}). Check the network, or"
        " ask IT whether the server is running. A local model can be chosen meanwhile.",
    ),
    Failure.TLS: QT_TRANSLATE_NOOP(
        "Errors",
        "The secure connection to {url} could not be verified ({detail}), so nothing was"
        " sent. If the clinic uses its own certificate authority, IT must give ClinicChat"
        " that authority's certificate file.",
    ),
    Failure.ACCESS: QT_TRANSLATE_NOOP(
        "Errors",
        "The clinic's server refused the access key (HTTP {status}). Ask IT for a valid key.",
    ),
    Failure.NO_MODEL: QT_TRANSLATE_NOOP(
        "Errors",
        "The clinic's server does not offer the model '{model}' (HTTP 404). Choose one of"
        " the models it lists.",
    ),
    Failure.BUSY: QT_TRANSLATE_NOOP(
        "Errors",
        "The clinic's server stayed busy (HTTP {status}) after {attempts} attempts. Try"
        " again in a moment, or use a local model.",
    ),
    Failure.TIMEOUT: QT_TRANSLATE_NOOP(
        "Errors",
        "The clinic's server did not answer within {seconds} seconds.",
    ),
    Failure.CUT: QT_TRANSLATE_NOOP(
        "Errors",
        "The connection to the clinic's server was cut before the answer was complete;"
        " what arrived is kept.",
    ),
    Failure.SERVER: QT_TRANSLATE_NOOP(
        "Errors", "The clinic's server could not answer (HTTP {status}): {detail}"
    ),
}


class RemoteError(GenerationError):
    """A failure talking to the clinic's server; `failure` says which kind."""

    def __init__(self, failure: Failure, **args: object) -> None:
        self.failure = failure
        super().__init__(_TEXTS[failure], **args)


def server_words(body: bytes) -> str:
    """A server's error body as a short line of plain text (its JSON `message` if any)."""
    text = body[:4096].decode("utf-8", "replace")
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        error = data.get("error", data)
        message = error.get("message") if isinstance(error, dict) else error
        if isinstance(message, str):
            text = message
    line = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return line[:SERVER_WORDS_MAX] or "-"
