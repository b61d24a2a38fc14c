"""Downloader tests: a real HTTP server on 127.0.0.1, real files, real Qt networking.

Nothing here contacts any address but 127.0.0.1. Timeouts and retry delays are shrunk (a
one-second stall timeout, 50 ms back-offs): the code paths are the production ones, only
the numbers are smaller.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from dlsupport import FAST, MB, TERMINAL, Served
from httpserver import FileServer
from PySide6.QtNetwork import QNetworkAccessManager
from PySide6.QtWidgets import QApplication

from clinichat.models.download import Download
from clinichat.models.download_spec import DownloadSpec

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[FileServer]:
    root = tmp_path / "served"
    root.mkdir()
    with FileServer(root) as running:
        yield running


@pytest.fixture
def serve(server: FileServer) -> Callable[..., Served]:
    """Put a random file of `size` bytes on the server."""

    def make(name: str = "model.gguf", size: int = 3 * MB + 12345) -> Served:
        data = os.urandom(size)
        path = server.root / name
        path.write_bytes(data)
        return Served(
            path=path,
            url=server.url(name),
            data=data,
            md5=hashlib.md5(data).hexdigest(),
            sha256=hashlib.sha256(data).hexdigest(),
        )

    return make


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"


@pytest.fixture
def manager(qapp: QApplication) -> Iterator[QNetworkAccessManager]:
    nam = QNetworkAccessManager()
    yield nam
    nam.deleteLater()


@pytest.fixture
def make_download(
    models_dir: Path, manager: QNetworkAccessManager
) -> Iterator[Callable[..., Download]]:
    """Downloads with test-sized timeouts; all are stopped at teardown."""
    made: list[Download] = []

    def make(spec: DownloadSpec, **options: Any) -> Download:
        download = Download(spec, models_dir, manager, **{**FAST, **options})
        made.append(download)
        return download

    yield make
    for download in made:
        if download.state not in TERMINAL:
            download.cancel(keep_partial=True)
        download.deleteLater()
