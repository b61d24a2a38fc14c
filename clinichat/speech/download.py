"""Downloading a speech model: its few files one after another, then the folder into place.

Each file goes through the same `Download` as language models (https only, resume, stall
retries, sha256 checked while the bytes arrive) into a hidden staging folder; a file already
complete there from an earlier attempt is kept. Only when every file is in and verified does
the staging folder become the model's folder, so an interrupted download never leaves a
model that looks installed but is not.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QNetworkAccessManager

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.download import Download
from clinichat.models.download_spec import DownloadError, DownloadSpec, DownloadState
from clinichat.speech.catalog import SpeechFile, SpeechModel
from clinichat.speech.installed import SpeechModels, sha256_of


class SpeechDownload(QObject):
    """One speech model being downloaded; connect the signals, then `start()`."""

    #: (bytes received in all, bytes of the whole model)
    progress = Signal(int, int)
    #: The installed model's folder.
    finished = Signal(object)
    #: The DownloadError that stopped it.
    failed = Signal(object)

    def __init__(
        self,
        model: SpeechModel,
        models: SpeechModels,
        network: QNetworkAccessManager,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._models = models
        self._network = network
        self.staging = models.root / f".{model.name}.download"
        self._pending = list(model.files)
        self._current: Download | None = None
        self._done = 0
        #: Bytes of the model received so far, in all its files.
        self.progress_done = 0
        self._kept: list[SpeechFile] = []  # complete in staging from an earlier attempt
        self.state = DownloadState.QUEUED

    def start(self) -> None:
        self.state = DownloadState.RUNNING
        self._next()

    def cancel(self, keep_partial: bool = True) -> None:
        """Stop; with keep_partial what was fetched stays for the next attempt."""
        if self._current is not None:
            self._current.cancel(keep_partial)
            self._current = None
        if not keep_partial:
            shutil.rmtree(self.staging, ignore_errors=True)
        self.state = DownloadState.CANCELLED

    def _next(self) -> None:
        if self.state is not DownloadState.RUNNING:
            return
        while self._pending:
            file = self._pending[0]
            path = self.staging / file.name
            if not (path.is_file() and path.stat().st_size == file.size):
                break
            self._kept.append(self._pending.pop(0))
            self._done += file.size
        if not self._pending:
            self._install()
            return
        file = self._pending[0]
        spec = DownloadSpec(
            url=self.model.url(file), filename=file.name, size=file.size, sha256=file.sha256
        )
        job = Download(spec, self.staging, self._network, parent=self)
        job.progress.connect(lambda: self._report(self._done + job.received))
        job.finished.connect(self._on_file_finished)
        job.failed.connect(self._on_failed)
        self._current = job
        job.start()

    def _on_file_finished(self, _path: Path) -> None:
        file = self._pending.pop(0)
        self._done += file.size
        self._current = None
        self._report(self._done)
        self._next()

    def _report(self, done: int) -> None:
        self.progress_done = done
        self.progress.emit(done, self.model.size)

    def _on_failed(self, error: DownloadError) -> None:
        self._current = None
        self.state = DownloadState.FAILED
        self.failed.emit(error)

    def _install(self) -> None:
        # Files kept from an earlier attempt were matched by size only: check them now (a
        # rare case, so reading them here, seconds at most, is simpler than a thread).
        for file in self._kept:
            if sha256_of(self.staging / file.name) != file.sha256:
                (self.staging / file.name).unlink()
                self._on_failed(
                    DownloadError(
                        QT_TRANSLATE_NOOP(
                            "Downloads",
                            "'{name}' was damaged on disk; start the download again.",
                        ),
                        name=file.name,
                    )
                )
                return
        folder = self._models.folder(self.model)
        self._models.remove(self.model)
        os.replace(self.staging, folder)
        self.state = DownloadState.FINISHED
        self.finished.emit(folder)


class SpeechDownloads(QObject):
    """The speech model downloads of this run, kept beyond the dialog that started them."""

    #: The model's name, whenever one of its downloads progresses, ends or fails.
    changed = Signal(str)

    def __init__(
        self, models: SpeechModels, network: QNetworkAccessManager, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.models = models
        self._network = network
        self._jobs: dict[str, SpeechDownload] = {}
        #: The last failure of each model's download, until it is started again.
        self.errors: dict[str, DownloadError] = {}

    def job(self, name: str) -> SpeechDownload | None:
        job = self._jobs.get(name)
        return job if job is not None and job.state is DownloadState.RUNNING else None

    def start(self, model: SpeechModel) -> SpeechDownload:
        running = self.job(model.name)
        if running is not None:
            return running
        self.errors.pop(model.name, None)
        job = SpeechDownload(model, self.models, self._network, self)
        job.progress.connect(lambda _done, _total: self.changed.emit(model.name))
        job.finished.connect(lambda _folder: self.changed.emit(model.name))
        job.failed.connect(lambda error: self._on_failed(model.name, error))
        self._jobs[model.name] = job
        job.start()
        return job

    def cancel(self, name: str) -> None:
        """Stop the download; what arrived is kept for the next start."""
        job = self._jobs.pop(name, None)
        if job is not None:
            job.cancel(keep_partial=True)
        self.changed.emit(name)

    def shutdown(self) -> None:
        for name in list(self._jobs):
            self.cancel(name)

    def _on_failed(self, name: str, error: DownloadError) -> None:
        self.errors[name] = error
        self.changed.emit(name)
