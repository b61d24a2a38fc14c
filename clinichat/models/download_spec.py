"""What a model download is: the file it fetches, how that file is recognised, where the
download stands, and the error type every failure is reported with.

Kept apart from the transfer (download.py) so the catalog, the command line and the speech
models can describe and check a download without Qt's network stack.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass
from typing import Final, Protocol

from clinichat.messages import QT_TRANSLATE_NOOP, Translator, UserError
from clinichat.models.catalog import CatalogEntry

__all__ = ["IDLE", "DownloadError", "DownloadSpec", "DownloadState", "Hasher"]

_HEX: Final = {"md5": re.compile(r"[0-9a-f]{32}"), "sha256": re.compile(r"[0-9a-f]{64}")}


class DownloadState(enum.Enum):
    """Where a download stands; the UI shows one of these per model."""

    QUEUED = "queued"  # created, or asked to start/resume; begins on the next loop turn
    RUNNING = "running"  # a request is open and bytes are being written
    PAUSED = "paused"  # stopped by the user; .part and checksum state kept in memory
    RETRYING = "retrying"  # a transient error happened; waiting before the next attempt
    VERIFYING = "verifying"  # re-reading a .part from an earlier run, or checking the end
    FINISHED = "finished"  # verified and renamed into the models folder
    FAILED = "failed"  # stopped for good; `error` says why; .part kept if it has data
    CANCELLED = "cancelled"  # stopped by the user; .part kept only if asked to


#: States in which nothing happens until someone calls resume() (or nothing ever will).
IDLE: Final = frozenset(
    {DownloadState.PAUSED, DownloadState.FINISHED, DownloadState.FAILED, DownloadState.CANCELLED}
)


class DownloadError(UserError):
    """A download problem, in words a clinician or an IT admin can act on.

    A failure after retries wraps the last attempt's problem as `cause` (the {cause}
    placeholder); it is rendered and translated on its own, so each sentence stays one
    stable translatable text.
    """

    context = "Downloads"

    def __init__(self, text: str, *, cause: DownloadError | None = None, **args: object) -> None:
        self.cause = cause
        super().__init__(text, **args)

    def render(self, translate: Translator | None = None) -> str:
        values = dict(self.args_map)
        if self.cause is not None:
            values["cause"] = self.cause.render(translate)
        source = translate(self.context, self.text) if translate else self.text
        return source.format(**values)


@dataclass(frozen=True)
class DownloadSpec:
    """What to fetch and how to recognise the right file."""

    url: str
    #: A plain file name in the models folder.
    filename: str
    #: Expected size in bytes (the catalog's 'filesize'), if known.
    size: int | None = None
    #: Lower-case hex digests; sha256 is preferred when both are given.
    md5: str | None = None
    sha256: str | None = None

    def __post_init__(self) -> None:
        name = self.filename
        if (
            not name
            or name.startswith(".")
            or name != name.strip()
            or any(c in name for c in "/\\:\0")
        ):
            raise DownloadError(
                QT_TRANSLATE_NOOP(
                    "Downloads",
                    "'{name}' is not a plain file name, so ClinicChat will not save a"
                    " download under it.",
                ),
                name=name,
            )
        for algorithm in ("md5", "sha256"):
            digest = getattr(self, algorithm)
            if digest is not None:
                if not _HEX[algorithm].fullmatch(digest.lower()):
                    raise DownloadError(
                        QT_TRANSLATE_NOOP(
                            "Downloads", "The {algorithm} checksum given for '{name}' is not valid."
                        ),
                        algorithm=algorithm.upper(),
                        name=name,
                    )
                object.__setattr__(self, algorithm, digest.lower())

    @classmethod
    def from_entry(cls, entry: CatalogEntry) -> DownloadSpec:
        """The spec for a catalog entry; raise DownloadError if it has no download address."""
        if not entry.url:
            raise DownloadError(
                QT_TRANSLATE_NOOP(
                    "Downloads", "The catalog gives no download address for '{name}'."
                ),
                name=entry.name,
            )
        return cls(
            url=entry.url,
            filename=entry.filename,
            size=entry.filesize,
            md5=entry.md5sum,
            sha256=entry.sha256sum,
        )

    def new_hasher(self) -> Hasher | None:
        """A fresh checksum state of the preferred algorithm, or None if none is known."""
        if self.sha256:
            return hashlib.sha256()
        if self.md5:
            return hashlib.md5()
        return None

    @property
    def expected_digest(self) -> tuple[str, str] | None:
        """(algorithm name for messages, lower-case hex digest) of the preferred checksum."""
        if self.sha256:
            return "SHA-256", self.sha256
        if self.md5:
            return "MD5", self.md5
        return None


class Hasher(Protocol):
    """A checksum in progress (hashlib's md5 and sha256 objects)."""

    def update(self, data: bytes | memoryview, /) -> None: ...
    def hexdigest(self) -> str: ...
