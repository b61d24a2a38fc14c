"""What the downloader tests share besides fixtures: the served-file record and helpers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from httpserver import FileServer, Request
from pytestqt.qtbot import QtBot

from clinichat.models.download import Download
from clinichat.models.download_spec import DownloadSpec, DownloadState

MB = 1024 * 1024
TERMINAL = (DownloadState.FINISHED, DownloadState.FAILED, DownloadState.CANCELLED)
FAST = {"stall_timeout_s": 1.0, "retry_delays_s": (0.05, 0.05, 0.05), "disk_margin_bytes": 0}


@dataclass(frozen=True)
class Served:
    """A file the test server offers, with what a catalog would say about it."""

    path: Path
    url: str
    data: bytes
    md5: str
    sha256: str

    @property
    def name(self) -> str:
        return self.path.name

    def spec(self, **changes: Any) -> DownloadSpec:
        fields: dict[str, Any] = {
            "url": self.url,
            "filename": self.name,
            "size": len(self.data),
            "md5": self.md5,
        }
        fields.update(changes)
        return DownloadSpec(**fields)


def run_to_end(qtbot: QtBot, download: Download, timeout_ms: int = 15_000) -> DownloadState:
    """Start (or resume) a download and wait until it finishes, fails or is cancelled."""
    if download.state == DownloadState.QUEUED:
        download.start()
    else:
        download.resume()
    qtbot.waitUntil(lambda: download.state in TERMINAL, timeout=timeout_ms)
    return download.state


def ranged(server: FileServer, path: str) -> list[Request]:
    """The requests for `path` that asked for the rest of the file (had a Range header).

    Qt may re-send a dropped first request by itself (see httpserver.Request); such copies
    carry no Range, so this list holds only the Download's own resume requests.
    """
    return [r for r in server.requests_for(path) if r.range is not None]
