"""Keeping watched folders up to date while the window is open.

Qt's file system watcher says that a folder changed (a file saved, copied in or deleted);
after a short quiet spell every watched folder is looked at off the main thread (a network
share can take a while to walk) and compared with the library on it: files that are new or
changed are read off the main thread too, one at a time, and stored on it; documents no
longer on disk are forgotten. The same check runs each time the history opens, so a
change made while ClinicChat was closed is found as well. Locking hands back the library,
and a file read after that is dropped.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Final

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot

from clinichat.background import TaskRunner
from clinichat.documents.library import DocumentLibrary
from clinichat.documents.reading import Read, read
from clinichat.documents.watched import FolderLook, WatchedFolder, WatchedFolders, look

# A copy of several files raises many events: wait for a quiet spell before looking.
QUIET_MS: Final = 1500


def _still_written(mtime: float) -> bool:
    """Modified within the quiet spell: a copy may still be under way (a folder's watcher
    says when a file appears, not when its copy ends)."""
    return time.time() - mtime < QUIET_MS / 1000


def _look_at(folders: Sequence[WatchedFolder], indexed: Sequence[list[str]]) -> list[FolderLook]:
    """Off the main thread: every watched folder as it is on disk."""
    return [look(folder, paths) for folder, paths in zip(folders, indexed, strict=True)]


class FolderWatch(QObject):
    """Watches the library's watched folders and indexes what changes in them."""

    changed = Signal()  # files indexed or forgotten

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._soon)
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(QUIET_MS)
        self._quiet.timeout.connect(self.scan)
        self._tasks = TaskRunner(self)
        self._library: DocumentLibrary | None = None
        self._queue: deque[tuple[int, Path]] = deque()
        self._reading = False
        # A look at the folders is under way; a change meanwhile asks for another after it.
        self._looking = False
        self._look_again = False

    @property
    def watched(self) -> WatchedFolders | None:
        return WatchedFolders(self._library) if self._library is not None else None

    def use(self, library: DocumentLibrary | None) -> None:
        """The unlocked history's library (None: locked, or history off); checks at once."""
        self._library = library
        self._queue.clear()
        self.scan()

    @Slot(str)
    def _soon(self, _folder: str) -> None:
        self._quiet.start()

    @property
    def looking(self) -> bool:
        """Whether a look at the folders is under way."""
        return self._looking

    @Slot()
    def scan(self) -> None:
        """Look at every watched folder off the main thread; what changed is then compared
        with the library and read (`_looked`)."""
        watched, library = self.watched, self._library
        if watched is None or library is None:
            self._watch([])
            return
        if self._looking:
            self._look_again = True
            return
        folders = watched.folders()
        indexed = [watched.indexed(folder) for folder in folders]
        self._looking = True
        self._tasks.run(
            partial(_look_at, folders, indexed),
            partial(self._looked, library),
            self._look_failed,
        )

    def _looked(self, library: DocumentLibrary, looks: list[FolderLook]) -> None:
        self._looking = False
        watched = self.watched
        if library is not self._library or watched is None:
            self._look_again = False
            self.scan()  # locked meanwhile (nothing to do), or another history opened
            return
        self._watch([folder for found in looks for folder in found.folders])
        forgot = 0
        for found in looks:
            changes = watched.changes(found)
            for path in changes.gone:
                forgot += library.remove(str(path))
            collection = found.watched.collection_id
            for path in changes.to_read:
                if _still_written(found.files[path][1]):
                    self._quiet.start()  # look again once it has been quiet
                elif (collection, path) not in self._queue:
                    self._queue.append((collection, path))
        if forgot:
            self.changed.emit()
        self._next()
        if self._look_again:
            self._look_again = False
            self.scan()

    @Slot(object)
    def _look_failed(self, _error: Exception) -> None:
        """A folder that could not be walked: looked at again at the next change."""
        self._looking = False
        if self._look_again:
            self._look_again = False
            self.scan()

    def _watch(self, folders: list[Path]) -> None:
        """Each watched folder and its subfolders, as the last look found them."""
        wanted = {str(folder) for folder in folders}
        current = set(self._watcher.directories())
        if current - wanted:
            self._watcher.removePaths(sorted(current - wanted))
        if wanted - current:
            self._watcher.addPaths(sorted(wanted - current))

    def _next(self) -> None:
        library = self._library
        if self._reading or not self._queue or library is None:
            return
        _collection, path = self._queue[0]
        self._reading = True
        self._tasks.run(partial(read, path), partial(self._read, library), self._failed)

    def _read(self, library: DocumentLibrary, found: Read) -> None:
        self._reading = False
        if library is not self._library or not self._queue:
            return  # locked meanwhile
        collection_id, _path = self._queue.popleft()
        library.store(collection_id, found)
        self.changed.emit()
        self._next()

    @Slot(object)
    def _failed(self, _error: Exception) -> None:
        self._reading = False
        if self._queue:
            self._queue.popleft()  # tried again at the next change
        self._next()

    def shutdown(self) -> None:
        self._library = None
        self._queue.clear()
        self._tasks.wait_all()
