"""A catalog entry without a checksum: the download works, but is never called verified.

Real parts: the 127.0.0.1 file server, Qt's network stack, the real starter model file,
the model manager window and the `clinichat models` command as a subprocess.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli import clinichat
from httpserver import FileServer
from pytestqt.qtbot import QtBot

from clinichat.config.settings import Settings
from clinichat.models.catalog import load_catalog
from clinichat.models.download_manager import DownloadManager
from clinichat.models.registry import ModelRegistry
from clinichat.models.verify import Verdict, record_path
from clinichat.ui.model_manager import ModelManagerDialog

TIMEOUT_MS = 60_000
NOT_VERIFIED = "not verified (the catalog gives no checksum)"


@pytest.fixture
def server(tmp_path: Path, starter_original: Path) -> Iterator[FileServer]:
    root = tmp_path / "served"
    root.mkdir()
    shutil.copy2(starter_original, root / starter_original.name)
    with FileServer(root) as running:
        yield running


@pytest.fixture
def catalog(tmp_path: Path, server: FileServer, starter_original: Path) -> Path:
    """One entry, deliberately without md5sum or sha256sum."""
    entry = {
        "name": "Starter",
        "filename": starter_original.name,
        "filesize": str(starter_original.stat().st_size),
        "url": server.url(starter_original.name),
        "ramrequired": "1",
        "description": "Licensed for commercial use.",
    }
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps([entry]), encoding="utf-8")
    return path


def test_window_shows_a_download_without_checksum_as_not_verified(
    qtbot: QtBot, tmp_path: Path, catalog: Path, server: FileServer
) -> None:
    entries, problems = load_catalog(catalog)
    assert problems == [] and entries[0].md5sum is None and entries[0].sha256sum is None
    registry = ModelRegistry(tmp_path / "models", entries)
    downloads = DownloadManager(registry)
    dialog = ModelManagerDialog(downloads, Settings(tmp_path / "config"), in_use=lambda: None)
    qtbot.addWidget(dialog)
    dialog.show()
    name = entries[0].filename
    try:
        dialog.cards[name].action.click()
        qtbot.waitUntil(lambda: name in dialog.rows, timeout=TIMEOUT_MS)
        assert [r.path for r in server.requests][-1] == name
        row = dialog.rows[name]
        assert row.check.verdict is Verdict.NO_CHECKSUM
        assert row.state.text() == "Not verified (the catalog gives no checksum)."
        record = json.loads(record_path(registry.models_dir / name).read_text())
        assert record["verified"] is False and record["reason"] == "no-checksum"
        row.verify_button.click()  # hashing it now proves nothing either
        qtbot.waitUntil(lambda: row.verifying is None, timeout=TIMEOUT_MS)
        assert row.check.verdict is Verdict.NO_CHECKSUM
        assert "Verified" not in row.state.text()
    finally:
        downloads.shutdown()


def test_models_commands_say_not_verified(tmp_path: Path, catalog: Path) -> None:
    base = tmp_path / "base"
    done = clinichat("--basedir", base, "--catalog", catalog, "models", "download", "Starter")
    assert done.returncode == 0, done.stderr
    name = Path(done.stdout.strip()).name

    listing = clinichat("--basedir", base, "--catalog", catalog, "models", "list")
    assert f"installed, {NOT_VERIFIED}" in listing.stdout, listing.stdout
    as_json = clinichat("--basedir", base, "--catalog", catalog, "models", "list", "--json")
    row = next(r for r in json.loads(as_json.stdout) if r["file"] == name)
    assert row["verified"] == "no-checksum" and row["verification"] == NOT_VERIFIED

    verify = clinichat("--basedir", base, "--catalog", catalog, "models", "verify")
    assert verify.returncode == 0, verify.stderr
    fields = verify.stdout.strip().split("\t")
    assert fields[0] == name and fields[1] == "no-checksum" and fields[-1] == NOT_VERIFIED
    assert "verified" not in fields[1]
