"""Keeping watched folders up to date while the window is open.

Qt's file system watcher says that a folder changed (a file saved, copied in or deleted);
after a short quiet spell every watched folder is compared with the library: files that
are new or changed are read off the main thread, one at a time, and stored on it; documents
no longer on disk are forgotten. The same check runs each time the history opens, so a
change made while ClinicChat was closed is found as well. Locking hands back the library,
and a file read after that is dropped.
"""

from __future__ import annotations

import os
import time
from collections import deque
from functools import partial
from pathlib import Path
from typing import Final

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot

from clinichat.background import TaskRunner
from clinichat.documents.library import DocumentLibrary, Read, read
from clinichat.documents.watched import WatchedFolders

# A copy of several files raises many events: wait for a quiet spell before looking.
QUIET_MS: Final = 1500


def _still_written(path: Path) -> bool:
    """Modified within the quiet spell: a copy may still be under way (a folder's watcher
    says when a file appears, not when its copy ends)."""
    try:
        return time.time() - path.stat().st_mtime < QUIET_MS / 1000
    except OSError:
        return False


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

    @Slot()
    def scan(self) -> None:
        """Compare every watched folder with the library, and start reading what changed."""
        watched = self.watched
        folders = watched.folders() if watched is not None else []
        self._watch([w.folder for w in folders])
        if watched is None or self._library is None:
            return
        forgot = 0
        for folder in folders:
            changes = watched.changes(folder)
            for path in changes.gone:
                forgot += self._library.remove(str(path))
            for path in changes.to_read:
                if _still_written(path):
                    self._quiet.start()  # look again once it has been quiet
                elif (folder.collection_id, path) not in self._queue:
                    self._queue.append((folder.collection_id, path))
        if forgot:
            self.changed.emit()
        self._next()

    def _watch(self, folders: list[Path]) -> None:
        """Each folder and its subfolders (hidden ones skipped, as when they are indexed)."""
        wanted = set()
        for folder in folders:
            for root, subfolders, _files in os.walk(folder):
                subfolders[:] = [f for f in subfolders if not f.startswith(".")]
                wanted.add(root)
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
