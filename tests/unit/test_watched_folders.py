"""Watched folders in a real encrypted library: what changed is found, an offline folder
forgets nothing, an emptied watched collection stays, and the window's watch looks at the
folders off the main thread."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from document_files import PROTOCOL_PAGES, write_pdf
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from clinichat.documents.library import DocumentLibrary
from clinichat.documents.watched import FolderChanges, WatchedFolder, WatchedFolders, look
from clinichat.folder_watch import FolderWatch
from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore


def changes(watched: WatchedFolders, entry: WatchedFolder) -> FolderChanges:
    """What the window's watch finds: the folder looked at, then compared with the library."""
    return watched.changes(look(entry, watched.indexed(entry)))


@pytest.fixture
def library(qapp: QApplication, tmp_path: Path) -> Iterator[DocumentLibrary]:
    store = EncryptedStore(open_encrypted(tmp_path / "history.db", os.urandom(32)))
    yield DocumentLibrary(store.connection)
    store.close()


def test_a_watched_folder_says_what_changed(library: DocumentLibrary, tmp_path: Path) -> None:
    folder = tmp_path / "protocolos"
    folder.mkdir()
    first = write_pdf(folder / "uno.pdf", PROTOCOL_PAGES)
    sibling = tmp_path / "protocolos-old"  # shares the name's start: not inside the folder
    sibling.mkdir()
    write_pdf(sibling / "viejo.pdf", PROTOCOL_PAGES)
    watched = WatchedFolders(library)
    watched.watch(folder, "Protocolos")
    library.add([folder, sibling], "Protocolos")
    [entry] = watched.folders()
    assert (entry.folder, entry.collection) == (folder.resolve(), "Protocolos")
    assert changes(watched, entry) == FolderChanges([], [])

    second = write_pdf(folder / "dos.pdf", PROTOCOL_PAGES)
    first.unlink()
    (sibling / "viejo.pdf").unlink()
    found = changes(watched, entry)
    assert found.to_read == [second.resolve()]
    assert found.gone == [first.resolve()], "only documents inside the folder"

    for path in found.gone:
        library.remove(str(path))
    library.remove(str((sibling / "viejo.pdf").resolve()))
    assert library.collections() == ["Protocolos"], "a watched collection stays when emptied"
    assert watched.unwatch(folder) and watched.folders() == []


def test_an_offline_folder_forgets_nothing(library: DocumentLibrary, tmp_path: Path) -> None:
    folder = tmp_path / "share"
    folder.mkdir()
    write_pdf(folder / "uno.pdf", PROTOCOL_PAGES)
    watched = WatchedFolders(library)
    watched.watch(folder, "Share")
    library.add([folder], "Share")
    (folder / "uno.pdf").rename(tmp_path / "uno.pdf")
    folder.rmdir()  # the share went offline
    [entry] = watched.folders()
    assert changes(watched, entry) == FolderChanges([], [])


def test_the_window_watch_looks_at_folders_off_the_main_thread(
    qtbot: QtBot, library: DocumentLibrary, tmp_path: Path
) -> None:
    """scan() returns before the folder is walked; what changed is indexed afterwards, and
    a scan asked for during a look is run after it."""
    folder = tmp_path / "protocolos"
    folder.mkdir()
    write_pdf(folder / "uno.pdf", PROTOCOL_PAGES)
    os.utime(folder / "uno.pdf", (1, 1))  # long since written: read at once
    WatchedFolders(library).watch(folder, "Protocolos")
    watch = FolderWatch()
    try:
        watch.use(library)
        assert watch.looking and library.documents() == []
        write_pdf(folder / "dos.pdf", PROTOCOL_PAGES)
        os.utime(folder / "dos.pdf", (1, 1))
        watch.scan()  # during the look: another one follows it
        qtbot.waitUntil(lambda: len(library.documents()) == 2, timeout=30_000)
        qtbot.waitUntil(lambda: not watch.looking, timeout=30_000)
        assert {row.name for row in library.documents()} == {"uno.pdf", "dos.pdf"}
    finally:
        watch.shutdown()
