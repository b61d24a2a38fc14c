"""Watched folders: a clinic's protocol folder that the library keeps up to date.

Only the list lives here (in the encrypted history, like the documents): which folders, for
which collection, and what in each has changed since it was indexed. The window's
FolderWatch notices changes while it is open and checks every folder when the history opens,
so a file saved while ClinicChat was closed is found too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from clinichat.documents.library import DocumentLibrary, files_in
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

    def changes(self, watched: WatchedFolder) -> FolderChanges:
        """New or changed files under the folder, and its documents no longer on disk. A
        folder that is not there now (a share offline, a drive unplugged) changes nothing:
        its documents stay until it is back and they are really gone."""
        folder = watched.folder
        if not folder.is_dir():
            return FolderChanges([], [])
        to_read = [
            path.resolve()
            for path in files_in([folder])
            if self._library.unchanged(watched.collection_id, path) is None
        ]
        prefix = os.path.join(str(folder), "")  # the folder and a separator
        rows = self._db.execute(
            "SELECT path FROM documents WHERE collection_id = ? AND substr(path, 1, ?) = ?",
            (watched.collection_id, len(prefix), prefix),
        )
        gone = [Path(p) for (p,) in rows if not Path(p).exists()]
        return FolderChanges(to_read, gone)
