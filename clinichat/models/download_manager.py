"""The app's downloads, alive while the model manager window comes and goes.

Downloads outlive the dialog that started them (a clinician closes it and goes on chatting),
so they belong to this object, owned by the main window. It shares one
QNetworkAccessManager, refuses a second download of the same file, finds `.part` files left
by an earlier run so they can be resumed, and turns a finished file into an installed model
(alias, verification record) off the GUI thread before announcing it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkProxyFactory

from clinichat.background import TaskRunner
from clinichat.messages import QT_TRANSLATE_NOOP, UserError
from clinichat.models.catalog import CatalogEntry, find_by_filename
from clinichat.models.download import Download, partial_downloads
from clinichat.models.download_spec import DownloadError, DownloadSpec, DownloadState
from clinichat.models.registry import PART_SUFFIX, InstalledModel, ModelRegistry

__all__ = ["DownloadManager", "Partial"]

from clinichat.speech.download import SpeechDownloads
from clinichat.speech.installed import SpeechModels

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Partial:
    """A .part file from an earlier run: resumable when the catalog still lists it."""

    path: Path
    size: int
    entry: CatalogEntry | None


class DownloadManager(QObject):
    """Starts, tracks and completes downloads into one registry's folder."""

    started = Signal(object)  # Download
    installed = Signal(object)  # InstalledModel
    failed = Signal(str, object)  # file name, UserError

    def __init__(self, registry: ModelRegistry, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        # Hospitals reach the internet through a proxy: use the one the system is set up with.
        QNetworkProxyFactory.setUseSystemConfiguration(True)
        self.network = QNetworkAccessManager(self)
        self._downloads: dict[str, Download] = {}
        self._tasks = TaskRunner(self)
        self.speech = SpeechDownloads(SpeechModels.beside(registry.models_dir), self.network, self)

    def download(self, filename: str) -> Download | None:
        """The download of this file in this run, whatever its state."""
        return self._downloads.get(filename)

    def active(self) -> list[Download]:
        idle = (DownloadState.FINISHED, DownloadState.CANCELLED)
        return [d for d in self._downloads.values() if d.state not in idle]

    def start(self, entry: CatalogEntry) -> Download:
        """Download a catalog model (continuing its .part file if one exists)."""
        existing = self._downloads.get(entry.filename)
        if existing is not None and existing.state not in (
            DownloadState.FINISHED,
            DownloadState.CANCELLED,
        ):
            existing.resume()
            return existing
        download = Download(DownloadSpec.from_entry(entry), self.registry.models_dir, self.network)
        download.setParent(self)
        download.finished.connect(lambda path, d=download: self._on_finished(d, path))
        download.failed.connect(lambda error, d=download: self.failed.emit(d.spec.filename, error))
        self._downloads[entry.filename] = download
        self.registry.models_dir.mkdir(parents=True, exist_ok=True)
        download.start()
        log.info("download started: %s", entry.filename)
        self.started.emit(download)
        return download

    def partials(self) -> list[Partial]:
        """Leftover .part files not being downloaded now, to offer for resume or deletion."""
        found = []
        for path in partial_downloads(self.registry.models_dir):
            filename = path.name.removesuffix(PART_SUFFIX)
            if filename in self._downloads:
                continue
            try:
                size = path.stat().st_size
            except OSError:
                continue
            found.append(Partial(path, size, find_by_filename(self.registry.catalog, filename)))
        return found

    def discard(self, partial: Partial) -> None:
        partial.path.unlink(missing_ok=True)

    def pause_all(self) -> None:
        """At exit: stop transfers cleanly; their .part files are resumed next time."""
        for download in self.active():
            download.pause()

    def _on_finished(self, download: Download, path: Path) -> None:
        filename = download.spec.filename
        self._tasks.run(
            lambda: self.registry.adopt_download(filename),
            self._on_adopted,
            lambda error: self._on_adopt_failed(filename, error),
        )
        log.info("download verified: %s (%d bytes)", path.name, download.received)

    @Slot(object)
    def _on_adopted(self, model: InstalledModel) -> None:
        self.installed.emit(model)

    def _on_adopt_failed(self, filename: str, error: Exception) -> None:
        if not isinstance(error, UserError):
            error = DownloadError(
                QT_TRANSLATE_NOOP(
                    "Downloads", "The downloaded file could not be installed ({reason})."
                ),
                reason=error,
            )
        self.failed.emit(filename, error)

    def shutdown(self) -> None:
        self.pause_all()
        self.speech.shutdown()
        self._tasks.wait_all()
