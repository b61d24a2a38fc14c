"""Watched folders in a real encrypted library: what changed is found, an offline folder
forgets nothing, and an emptied watched collection stays."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from document_files import PROTOCOL_PAGES, write_pdf
from PySide6.QtWidgets import QApplication

from clinichat.documents.library import DocumentLibrary
from clinichat.documents.watched import WatchedFolders
from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore


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
    assert watched.changes(entry).to_read == [] and watched.changes(entry).gone == []

    second = write_pdf(folder / "dos.pdf", PROTOCOL_PAGES)
    first.unlink()
    (sibling / "viejo.pdf").unlink()
    changes = watched.changes(entry)
    assert changes.to_read == [second.resolve()]
    assert changes.gone == [first.resolve()], "only documents inside the folder"

    for path in changes.gone:
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
    changes = watched.changes(entry)
    assert changes.to_read == [] and changes.gone == []
