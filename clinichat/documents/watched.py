"""Watched folders: a clinic's protocol folder that the library keeps up to date.

Only the list lives here (in the encrypted history, like the documents): which folders, for
which collection, and what in each has changed since it was indexed. The window's
FolderWatch notices changes while it is open and checks every folder when the history opens,
so a file saved while ClinicChat was closed is found too.

Looking at a folder (`look`) touches only the disk, so it can run off the main thread: a
network share with thousands of files takes a while to walk, and the window must not wait
for it. Comparing what was found with the library (`WatchedFolders.changes`) touches only
the database, on the main thread, in one query per folder.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from clinichat.documents.library import DocumentLibrary
from clinichat.documents.reading import folders_in
from clinichat.history.database import transaction


@dataclass(frozen=True)
class WatchedFolder:
    folder: Path
    collection_id: int
    collection: str


@dataclass(frozen=True)
class FolderChanges:
    """What a watched folder needs: files to read (new or changed) and documents gone."""

    to_read: list[Path]
    gone: list[Path]


@dataclass(frozen=True)
class FolderLook:
    """A watched folder as it is on disk now. `files`: each readable file's resolved path
    and (size, modification time); `folders`: the folder and its subfolders (hidden ones
    skipped); `missing`: its indexed documents no longer there. A folder that is not there
    now (a share offline, a drive unplugged) has `present` False and nothing else."""

    watched: WatchedFolder
    present: bool
    files: dict[Path, tuple[int, float]]
    folders: list[Path]
    missing: list[Path]


def look(watched: WatchedFolder, indexed: Sequence[str]) -> FolderLook:
    """Walk the folder and check its `indexed` documents (paths) are still there; disk only,
    so any thread may call it."""
    folder = watched.folder
    if not folder.is_dir():
        return FolderLook(watched, False, {}, [], [])
    files: dict[Path, tuple[int, float]] = {}
    folders = []
    for found, readable in folders_in(folder):  # one walk, for the watcher and the files
        folders.append(found)
        for path in readable:
            try:
                stat = path.stat()
            except OSError:
                continue  # gone since the walk saw it, or unreadable: looked at next time
            files[path.resolve()] = (stat.st_size, stat.st_mtime)
    missing = [Path(p) for p in indexed if not Path(p).exists()]
    return FolderLook(watched, True, files, folders, missing)


class WatchedFolders:
    """The watched folders of one library (main thread)."""

    def __init__(self, library: DocumentLibrary) -> None:
        self._db = library.connection
        self._library = library

    def watch(self, folder: Path, collection: str) -> None:
        collection_id = self._library.collection_id(collection)
        with transaction(self._db):
            self._db.execute(
                "INSERT OR REPLACE INTO doc_watched (folder, collection_id) VALUES (?, ?)",
                (str(folder.resolve()), collection_id),
            )

    def unwatch(self, folder: Path) -> bool:
        with transaction(self._db):
            done = self._db.execute(
                "DELETE FROM doc_watched WHERE folder = ?", (str(folder.resolve()),)
            )
        return int(done.rowcount) > 0

    def folders(self) -> list[WatchedFolder]:
        rows = self._db.execute(
            "SELECT w.folder, w.collection_id, c.name FROM doc_watched AS w"
            " JOIN doc_collections AS c ON c.id = w.collection_id ORDER BY w.folder"
        )
        return [WatchedFolder(Path(f), int(i), name) for f, i, name in rows]

    def indexed(self, watched: WatchedFolder) -> list[str]:
        """The paths of the folder's documents in its collection."""
        return list(self._indexed(watched))

    def changes(self, found: FolderLook) -> FolderChanges:
        """New or changed files under the folder as `look` found it, and its documents no
        longer on disk. A folder that was not there changes nothing: its documents stay
        until it is back and they are really gone."""
        if not found.present:
            return FolderChanges([], [])
        known = self._indexed(found.watched)
        to_read = [path for path, now in found.files.items() if known.get(str(path)) != now]
        return FolderChanges(to_read, list(found.missing))

    def _indexed(self, watched: WatchedFolder) -> dict[str, tuple[int, float]]:
        prefix = os.path.join(str(watched.folder), "")  # the folder and a separator
        rows = self._db.execute(
            "SELECT path, size, mtime FROM documents"
            " WHERE collection_id = ? AND substr(path, 1, ?) = ?",
            (watched.collection_id, len(prefix), prefix),
        )
        return {path: (int(size), float(mtime)) for path, size, mtime in rows}
