"""The Models dialog shows the last verification result when it is opened again (issue 11)."""

from __future__ import annotations

import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from clinichat.config.settings import Settings
from clinichat.models.catalog import load_catalog
from clinichat.models.download_manager import DownloadManager
from clinichat.models.registry import ModelRegistry
from clinichat.models.verify import Verdict
from clinichat.resources import bundled_catalog_path
from clinichat.ui.model_manager import ModelManagerDialog

TIMEOUT_MS = 60_000


def test_a_damaged_model_is_still_reported_after_reopening(
    qtbot: QtBot, tmp_path: Path, starter_model: Path
) -> None:
    entries, _ = load_catalog(bundled_catalog_path())
    registry = ModelRegistry(tmp_path / "models", entries)
    registry.models_dir.mkdir(parents=True)
    copy = registry.models_dir / starter_model.name
    shutil.copy2(starter_model, copy)
    with open(copy, "r+b") as handle:  # one flipped byte deep in the weights
        handle.seek(50_000_000)
        byte = handle.read(1)
        handle.seek(50_000_000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    downloads = DownloadManager(registry)
    manager = ModelManagerDialog(downloads, Settings(), in_use=lambda: None)
    qtbot.addWidget(manager)
    row = manager.rows[copy.name]
    row.verify_button.click()
    qtbot.waitUntil(
        lambda: row.verifying is None and row.check.verdict is not Verdict.UNVERIFIED,
        timeout=TIMEOUT_MS,
    )
    assert row.check.verdict is Verdict.MISMATCH
    manager.close()
    reopened = ModelManagerDialog(downloads, Settings(), in_use=lambda: None)
    qtbot.addWidget(reopened)
    again = reopened.rows[copy.name]
    assert again.check.verdict is Verdict.MISMATCH
    assert "does not match" in again.state.text()
    downloads.shutdown()
