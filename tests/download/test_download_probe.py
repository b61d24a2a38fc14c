"""A verified download that aborts the engine when loaded is never installed.

The checksum only proves the file is the one the catalog names, not that llama.cpp survives
it: the download manager's adoption step probe-loads it in a child process first.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from crafted_gguf import aborting_model
from httpserver import FileServer
from pytestqt.qtbot import QtBot

from clinichat.models.catalog import CatalogEntry
from clinichat.models.download_manager import DownloadManager
from clinichat.models.probe import ModelProbeError
from clinichat.models.registry import ModelRegistry


def _entry(server: FileServer, path: Path) -> CatalogEntry:
    data = path.read_bytes()
    return CatalogEntry(
        name="Served model",
        filename=path.name,
        filesize=len(data),
        md5sum=hashlib.md5(data).hexdigest(),
        url=server.url(path.name),
    )


@pytest.mark.slow
def test_a_download_that_aborts_the_engine_is_reported_and_removed(
    qtbot: QtBot, server: FileServer, starter_model: Path, tmp_path: Path
) -> None:
    crafted = aborting_model(starter_model, server.root / "crafted.gguf")
    registry = ModelRegistry(tmp_path / "models", [])
    manager = DownloadManager(registry)
    installed: list[object] = []
    manager.installed.connect(installed.append)
    try:
        with qtbot.waitSignal(manager.failed, timeout=120_000) as blocker:
            manager.start(_entry(server, crafted))
    finally:
        manager.shutdown()
    filename, error = blocker.args
    assert filename == "crafted.gguf"
    assert isinstance(error, ModelProbeError)
    assert "crafted.gguf could not be loaded: the engine stopped" in str(error)
    assert installed == []
    assert sorted(p.name for p in registry.models_dir.iterdir()) == []  # no model, part, record
    assert registry.installed() == []


@pytest.mark.slow
def test_a_good_download_is_installed_after_its_probe(
    qtbot: QtBot, server: FileServer, starter_original: Path, tmp_path: Path
) -> None:
    served = server.root / starter_original.name
    shutil.copy2(starter_original, served)
    registry = ModelRegistry(tmp_path / "models", [])
    manager = DownloadManager(registry)
    try:
        with qtbot.waitSignal(manager.installed, timeout=120_000) as blocker:
            manager.start(_entry(server, served))
    finally:
        manager.shutdown()
    assert blocker.args[0].filename == starter_original.name
    assert [m.filename for m in registry.installed()] == [starter_original.name]
