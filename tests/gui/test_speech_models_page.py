"""The model manager's Speech tab over real files and a real server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import FileServer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from whisper_model import base_entry, lay_out_as_published

from clinichat.config.settings import Settings
from clinichat.models.catalog import load_catalog
from clinichat.models.download_manager import DownloadManager
from clinichat.models.registry import ModelRegistry
from clinichat.resources import bundled_catalog_path
from clinichat.speech.catalog import SPEECH_MODELS
from clinichat.ui import message_box
from clinichat.ui.model_manager import ModelManagerDialog
from clinichat.ui.speech_models_page import SpeechModelsPage


@pytest.fixture
def downloads(qapp: QApplication, tmp_path: Path) -> Iterator[DownloadManager]:
    catalog, _ = load_catalog(bundled_catalog_path())
    manager = DownloadManager(ModelRegistry(tmp_path / "models", catalog))
    yield manager
    manager.shutdown()


@pytest.fixture
def served(tmp_path: Path, whisper_dir: Path) -> Iterator[FileServer]:
    lay_out_as_published(tmp_path / "served", whisper_dir)
    with FileServer(tmp_path / "served") as server:
        yield server


def test_the_speech_tab_lists_every_model_with_its_facts(
    qtbot: QtBot, downloads: DownloadManager, tmp_path: Path
) -> None:
    dialog = ModelManagerDialog(downloads, Settings(tmp_path / "config"), in_use=lambda: None)
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(2) == "Speech"
    page = dialog.speech
    assert list(page.cards) == ["tiny", "base", "small", "large-v3-turbo"]
    card = page.cards["large-v3-turbo"]
    assert "1.5 GB" in card.facts.text() and "licence MIT" in card.facts.text()
    assert "Spanish and English" in card.facts.text()
    assert card.state.text().startswith("Not installed.")
    assert card.download_button.text() == "Download" and not card.verify_button.isVisibleTo(card)
    assert card.speed.text().endswith("on this computer (estimate from its size).")
    speech = page.downloads.models
    speech.root.mkdir(parents=True)
    speech.record_speed(speech.root / "base", audio_s=600.0, work_s=60.0)  # used here: 10x
    page.retranslate()
    assert page.cards["base"].speed.text() == (
        "A 10-minute recording takes about 1 min on this computer (measured)."
    )


def test_download_choose_verify_and_remove_a_speech_model(
    qtbot: QtBot,
    downloads: DownloadManager,
    served: FileServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings = Settings(tmp_path / "config")
    local = [dataclasses.replace(m, host=f"http://127.0.0.1:{served.port}") for m in SPEECH_MODELS]
    page = SpeechModelsPage(downloads.speech, settings, catalog=local)
    qtbot.addWidget(page)
    card = page.cards["base"]
    with qtbot.waitSignal(page.changed, timeout=60_000):
        card.download_button.click()
    assert downloads.speech.models.is_installed(base_entry())
    assert card.title.text() == "Whisper base — used for dictation"
    assert card.state.text() == "Installed."
    assert not card.download_button.isVisibleTo(card) and card.verify_button.isVisibleTo(card)
    card.verify_button.click()
    qtbot.waitUntil(lambda: not card.verifying, timeout=60_000)
    assert card.state.text() == "Installed; every file matches the published checksums."
    folder = downloads.speech.models.folder(base_entry())
    (folder / "config.json").write_bytes(b"{}" + b" " * 2307)  # same size, other bytes
    card.verify_button.click()
    qtbot.waitUntil(lambda: not card.verifying, timeout=60_000)
    assert card.state.text().startswith("Damaged: config.json differs")
    monkeypatch.setattr(message_box, "ask", lambda *args: True)
    card.remove_button.click()
    assert not folder.exists() and card.state.text() == "Not installed."
    assert settings.speech_model is None


def test_a_failed_download_says_why_and_installs_nothing(
    qtbot: QtBot, downloads: DownloadManager, served: FileServer, tmp_path: Path
) -> None:
    served.fail_with(404, times=-1)
    local = [dataclasses.replace(m, host=f"http://127.0.0.1:{served.port}") for m in SPEECH_MODELS]
    page = SpeechModelsPage(downloads.speech, Settings(tmp_path / "config"), catalog=local)
    qtbot.addWidget(page)
    card = page.cards["tiny"]
    with qtbot.waitSignal(page.changed, timeout=60_000):
        card.download_button.click()
    assert "404" in card.state.text() or "not found" in card.state.text().lower()
    assert card.download_button.text() == "Download"
    assert not downloads.speech.models.is_installed(local[0])
