"""The model manager window against a real HTTP server on 127.0.0.1 and the real starter model."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from httpserver import FileServer
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from translation_checks import pseudo_language

from clinichat.config.settings import Settings
from clinichat.models.catalog import load_catalog
from clinichat.models.descriptions import model_text
from clinichat.models.download import Download
from clinichat.models.download_manager import DownloadManager
from clinichat.models.download_spec import DownloadState
from clinichat.models.registry import ModelRegistry
from clinichat.models.verify import Verdict
from clinichat.resources import bundled_catalog_path
from clinichat.ui import message_box
from clinichat.ui.model_manager import ModelCard, ModelManagerDialog

TIMEOUT_MS = 60_000
STARTER = "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture
def server(tmp_path: Path, starter_original: Path) -> Iterator[FileServer]:
    root = tmp_path / "served"
    root.mkdir()
    shutil.copy2(starter_original, root / starter_original.name)
    with FileServer(root) as running:
        yield running


@pytest.fixture
def catalog(tmp_path: Path, server: FileServer, starter_original: Path) -> Path:
    data = starter_original.read_bytes()
    entries = [
        {
            "order": "a",
            "name": "Starter",
            "filename": starter_original.name,
            "filesize": str(len(data)),
            "md5sum": hashlib.md5(data).hexdigest(),
            "url": server.url(starter_original.name),
            "ramrequired": "1",
            "parameters": "135 million",
            "quant": "q4_1",
            "promptTemplate": "<|im_start|>user\n%1<|im_end|>\n<|im_start|>assistant\n%2",
            "description": "GPT4All-style text that ClinicChat replaces. Uncensored.",
        },
        {
            "order": "a2",
            "name": "Dropped in by IT",
            "filename": "unknown.gguf",
            "filesize": "1000",
            "url": server.url("unknown.gguf"),
            "ramrequired": "1",
            "description": "<strong>Small.</strong> Licensed for commercial use."
            '<img src="https://tracker.example.invalid/p.gif"><script>alert(1)</script>'
            '<a href="https://example.invalid/more">more</a>',
        },
        {
            "order": "a3",
            "name": "Needs a newer engine",
            "filename": "future.gguf",
            "filesize": "1000",
            "url": server.url("future.gguf"),
            "requires": "9.0.0",
            "ramrequired": "1",
        },
        {
            "order": "b",
            "name": "Old MPT",
            "filename": "old-mpt.gguf",
            "filesize": "1000",
            "url": server.url("old-mpt.gguf"),
            "ramrequired": "100000",
            "removedIn": "2.7.3",
            "description": "This model cannot be used commercially.",
        },
    ]
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


@contextmanager
def manager_over(
    qtbot: QtBot, registry: ModelRegistry, settings: Settings
) -> Iterator[ModelManagerDialog]:
    """The shown Models dialog over `registry`; its downloads end with the block."""
    downloads = DownloadManager(registry)
    manager = ModelManagerDialog(downloads, settings, in_use=lambda: None)
    qtbot.addWidget(manager)
    manager.show()
    try:
        yield manager
    finally:
        downloads.shutdown()


@pytest.fixture
def dialog(qtbot: QtBot, tmp_path: Path, catalog: Path) -> Iterator[ModelManagerDialog]:
    entries, problems = load_catalog(catalog)
    assert problems == []
    registry = ModelRegistry(tmp_path / "models", entries)
    with manager_over(qtbot, registry, Settings(tmp_path / "config")) as manager:
        yield manager


def answer_next_box(button_text: str) -> None:
    """Click a button of the message box that is about to open (as the user would)."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox), box
        target = next(b for b in box.findChildren(QPushButton) if b.text() == button_text)
        target.click()

    QTimer.singleShot(200, click)


def stalled_download(
    qtbot: QtBot, dialog: ModelManagerDialog, server: FileServer, megabytes: int, seconds: float
) -> tuple[ModelCard, Download]:
    """Start the starter's download from its card; the server holds it after `megabytes`."""
    card = dialog.cards[STARTER]
    server.stall_after(megabytes * 1024 * 1024, seconds, path=STARTER)
    card.action.click()
    download = dialog.downloads.download(STARTER)
    assert download is not None
    qtbot.waitUntil(lambda: download.received >= megabytes * 1024 * 1024, timeout=TIMEOUT_MS)
    return card, download


def test_cards_show_clinichat_text_licence_and_memory(dialog: ModelManagerDialog) -> None:
    starter = dialog.cards[STARTER]
    ours = model_text(STARTER)
    assert ours is not None
    assert starter.badge.text() == "Commercial use: yes"
    assert starter.badge.objectName() == "badgeYes"
    assert "135 million" in starter.facts.text() and "q4_1" in starter.facts.text()
    assert "Needs 1 GB of memory" in starter.memory.text()
    assert starter.action.isEnabled() and starter.action.text() == "Download"
    assert starter.description.text() == ours.summary + "\n" + ours.details
    assert "not for clinical use" in starter.description.text()
    assert "Uncensored" not in starter.description.text(), "GPT4All's words are not shown"
    assert starter.licence.text() == ours.licence and "Apache 2.0" in ours.licence
    assert starter.catalog_text.isHidden() and starter.catalog_note.isHidden()


def test_a_model_clinichat_does_not_know_shows_the_catalog_text_labelled(
    dialog: ModelManagerDialog,
) -> None:
    card = dialog.cards["unknown.gguf"]
    assert card.isVisible() and card.description.isHidden()
    assert card.catalog_note.isVisible() and "From the catalog file" in card.catalog_note.text()
    text = card.catalog_text.text()
    assert "<strong>Small.</strong>" in text
    assert "img" not in text and "script" not in text and "alert" not in text
    assert "<a" not in text and "(https://example.invalid/more)" in text
    assert card.badge.text() == "Commercial use: yes", "read from the catalog's wording"


def test_withdrawn_and_unusable_models_are_hidden_until_asked(
    dialog: ModelManagerDialog,
) -> None:
    old, future = dialog.cards["old-mpt.gguf"], dialog.cards["future.gguf"]
    assert dialog.show_unusable.text() == "Show withdrawn and unusable models"
    assert not dialog.show_unusable.isChecked()
    assert not old.isVisible() and not future.isVisible()
    assert dialog.cards[STARTER].isVisible()
    dialog.show_unusable.setChecked(True)
    assert old.isVisible() and future.isVisible()
    assert old.badge.text() == "Commercial use: no"
    assert not old.action.isEnabled(), "a withdrawn file is never offered"
    assert old.problem.isVisible() and "withdrew" in old.problem.text()
    assert future.problem.isVisible() and "newer model engine" in future.problem.text()
    assert not future.action.isEnabled()
    assert old.memory.objectName() == "ramWarning" and "only" in old.memory.text()
    dialog.show_unusable.setChecked(False)
    assert not old.isVisible()


def test_an_installed_withdrawn_model_always_shows(
    qtbot: QtBot, tmp_path: Path, catalog: Path, starter_model: Path
) -> None:
    entries, _ = load_catalog(catalog)
    registry = ModelRegistry(tmp_path / "models", entries)
    registry.models_dir.mkdir(parents=True)
    shutil.copy2(starter_model, registry.models_dir / "old-mpt.gguf")
    with manager_over(qtbot, registry, Settings()) as manager:
        card = manager.cards["old-mpt.gguf"]
        assert card.isVisible() and card.action.text() == "Installed"
        assert not manager.cards["future.gguf"].isVisible()


def test_descriptions_go_through_translation(dialog: ModelManagerDialog) -> None:
    """The Spanish UI shows Spanish: each text of ClinicChat's is translated when shown."""
    starter = dialog.cards[STARTER]
    ours = model_text(STARTER)
    assert ours is not None
    with pseudo_language():
        assert starter.description.text() == f"«{ours.summary}»\n«{ours.details}»"
        assert starter.licence.text() == f"«{ours.licence}»"
        assert dialog.show_unusable.text() == "«Show withdrawn and unusable models»"
        note = dialog.cards["unknown.gguf"].catalog_note.text()
        assert note.startswith("«From the catalog file")
    assert starter.description.text() == ours.summary + "\n" + ours.details


def test_download_pause_resume_verify_and_set_default(
    qtbot: QtBot, dialog: ModelManagerDialog, server: FileServer
) -> None:
    name = STARTER
    card, download = stalled_download(qtbot, dialog, server, 20, 5.0)
    assert card.pause.isVisible() and card.pause.text() == "Pause"
    assert "of" in card.progress_text.text()
    card.pause.click()
    assert download.state is DownloadState.PAUSED
    assert card.pause.text() == "Resume" and "Paused" in card.progress_text.text()
    paused_at = download.received
    assert (dialog.registry.models_dir / (name + ".part")).stat().st_size == paused_at
    card.pause.click()  # resume
    qtbot.waitUntil(lambda: name in dialog.rows, timeout=TIMEOUT_MS)
    resumed = [r.range for r in server.requests_for(name)][-1]
    assert resumed == f"bytes={paused_at}-", "the bytes before the pause are not fetched again"
    assert card.action.text() == "Installed" and not card.action.isEnabled()
    row = dialog.rows[name]
    assert row.check.verdict is Verdict.VERIFIED, "the download was verified and recorded"
    row.verify_button.click()
    qtbot.waitUntil(lambda: row.verifying is None and "Verified" in row.state.text())
    row.default_button.click()
    assert dialog.settings.default_model == name
    assert "default" in row.title.text() and not row.default_button.isEnabled()


def test_cancel_offers_to_keep_or_delete_the_part(
    qtbot: QtBot, dialog: ModelManagerDialog, server: FileServer
) -> None:
    name = STARTER
    part = dialog.registry.models_dir / (name + ".part")
    card, download = stalled_download(qtbot, dialog, server, 10, 30.0)
    answer_next_box("Stop, keep the part")
    card.cancel.click()
    assert download.state is DownloadState.CANCELLED
    assert part.stat().st_size == download.received
    assert card.action.text() == "Resume download"
    assert card.cancel.text() == "Delete partial file"
    answer_next_box("&Yes")
    card.cancel.click()
    assert not part.exists()
    assert card.action.text() == "Download"


def test_cancel_and_delete_while_running(
    qtbot: QtBot, dialog: ModelManagerDialog, server: FileServer
) -> None:
    name = STARTER
    card, download = stalled_download(qtbot, dialog, server, 10, 30.0)
    answer_next_box("Continue downloading")
    card.cancel.click()
    assert download.state is DownloadState.RUNNING
    answer_next_box("Stop and delete the part")
    card.cancel.click()
    assert download.state is DownloadState.CANCELLED
    assert not (dialog.registry.models_dir / (name + ".part")).exists()
    assert card.action.text() == "Download"


def test_interrupted_part_from_an_earlier_run_is_offered(
    qtbot: QtBot, tmp_path: Path, catalog: Path, starter_original: Path
) -> None:
    entries, _ = load_catalog(catalog)
    registry = ModelRegistry(tmp_path / "models", entries)
    registry.models_dir.mkdir(parents=True)
    part = registry.models_dir / (starter_original.name + ".part")
    part.write_bytes(starter_original.read_bytes()[: 5 * 1024 * 1024])
    downloads = DownloadManager(registry)
    manager = ModelManagerDialog(downloads, Settings(), in_use=lambda: None)
    qtbot.addWidget(manager)
    card = manager.cards[starter_original.name]
    assert card.action.text() == "Resume download"
    assert "Partly downloaded" in card.progress_text.text()
    card.action.click()
    qtbot.waitUntil(lambda: starter_original.name in manager.rows, timeout=TIMEOUT_MS)
    assert manager.rows[starter_original.name].check.verdict is Verdict.VERIFIED
    downloads.shutdown()


def test_remove_asks_and_refuses_the_model_in_use(
    qtbot: QtBot,
    tmp_path: Path,
    catalog: Path,
    starter_model: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entries, _ = load_catalog(catalog)
    registry = ModelRegistry(tmp_path / "models", entries)
    registry.models_dir.mkdir(parents=True)
    shutil.copy2(starter_model, registry.models_dir / starter_model.name)
    in_use: list[str | None] = [starter_model.name]
    downloads = DownloadManager(registry)
    manager = ModelManagerDialog(downloads, Settings(), in_use=lambda: in_use[0])
    qtbot.addWidget(manager)
    answer_next_box("OK")
    manager.rows[starter_model.name].remove_button.click()
    assert (registry.models_dir / starter_model.name).exists(), "in use: not removed"
    in_use[0] = None
    monkeypatch.setattr(message_box, "ask", lambda *args: True)
    manager.rows[starter_model.name].remove_button.click()
    assert not (registry.models_dir / starter_model.name).exists()
    assert manager.rows == {}
    downloads.shutdown()


def test_verify_of_an_unreadable_file_says_why(
    qtbot: QtBot, tmp_path: Path, catalog: Path, starter_model: Path
) -> None:
    entries, _ = load_catalog(catalog)
    registry = ModelRegistry(tmp_path / "models", entries)
    registry.models_dir.mkdir(parents=True)
    shutil.copy2(starter_model, registry.models_dir / starter_model.name)
    downloads = DownloadManager(registry)
    manager = ModelManagerDialog(downloads, Settings(), in_use=lambda: None)
    qtbot.addWidget(manager)
    row = manager.rows[starter_model.name]
    (registry.models_dir / starter_model.name).unlink()  # gone after the list was built
    shown: list[str] = []

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):  # the hashing thread has not failed yet
            QTimer.singleShot(50, read_and_close)
            return
        shown.append(box.text())
        box.accept()

    QTimer.singleShot(50, read_and_close)
    row.verify_button.click()
    qtbot.waitUntil(lambda: bool(shown), timeout=TIMEOUT_MS)
    assert starter_model.name in shown[0] and "could not be read" in shown[0]
    assert row.verifying is None and row.verify_button.isEnabled()
    downloads.shutdown()


def test_verify_of_the_imported_starter_says_verified_and_stays_so(
    qtbot: QtBot, tmp_path: Path, starter_original: Path
) -> None:
    """The imported starter carries the tokenizer alias: still the published file (issue 11)."""
    entries, _ = load_catalog(bundled_catalog_path())
    registry = ModelRegistry(tmp_path / "models", entries)
    model = registry.import_file(starter_original)
    downloads = DownloadManager(registry)
    manager = ModelManagerDialog(downloads, Settings(), in_use=lambda: None)
    qtbot.addWidget(manager)
    row = manager.rows[model.filename]
    row.verify_button.click()
    qtbot.waitUntil(lambda: row.verifying is None and row.check is not None, timeout=TIMEOUT_MS)
    assert row.check.verdict is Verdict.VERIFIED, row.check
    manager.close()
    reopened = ModelManagerDialog(downloads, Settings(), in_use=lambda: None)
    qtbot.addWidget(reopened)
    assert reopened.rows[model.filename].check.verdict is Verdict.VERIFIED, "the last result"
    downloads.shutdown()


def test_licences_with_conditions_say_so_on_the_badge(qtbot: QtBot, tmp_path: Path) -> None:
    """Gemma terms, HAI-DEF (MedGemma) and the Llama licence allow commercial use under terms a
    clinic must read; Apache-2.0 and MIT do not attach such terms."""
    entries, problems = load_catalog(bundled_catalog_path())
    assert problems == []
    registry = ModelRegistry(tmp_path / "models", entries)
    with manager_over(qtbot, registry, Settings(tmp_path / "config")) as manager:
        badges = {name: card.badge.text() for name, card in manager.cards.items()}
    conditional = "Commercial use: yes, with conditions"
    assert badges["medgemma-1.5-4b-it-Q4_K_M.gguf"] == conditional
    assert badges["gemma-3-4b-it-Q4_K_M.gguf"] == conditional
    assert badges["Llama-3.2-3B-Instruct-Q4_K_M.gguf"] == conditional
    assert badges["Qwen3-4B-Q4_K_M.gguf"] == "Commercial use: yes"
    assert badges["microsoft_Phi-4-mini-instruct-Q4_K_M.gguf"] == "Commercial use: yes"


def test_a_search_model_downloads_verified_and_is_used_for_documents(
    qtbot: QtBot, tmp_path: Path, minilm_file: Path
) -> None:
    """The real MiniLM served over loopback as a catalog embedding model: downloaded,
    checked against its sha256, probed as an embedder, and listed for document search."""
    root = tmp_path / "served"
    root.mkdir()
    shutil.copy2(minilm_file, root / minilm_file.name)
    data = minilm_file.read_bytes()
    with FileServer(root) as server:
        entry = {
            "order": "s",
            "name": "MiniLM (document search)",
            "filename": minilm_file.name,
            "filesize": str(len(data)),
            "sha256sum": hashlib.sha256(data).hexdigest(),
            "url": server.url(minilm_file.name),
            "ramrequired": "1",
            "engine": "llamacpp",
            "embeddingModel": True,
        }
        path = tmp_path / "catalog.json"
        path.write_text(json.dumps([entry]), encoding="utf-8")
        entries, problems = load_catalog(path)
        assert problems == []
        registry = ModelRegistry(tmp_path / "models", entries)
        settings = Settings(tmp_path / "config")
        with manager_over(qtbot, registry, settings) as manager:
            card = manager.cards[minilm_file.name]
            assert card.isVisible() and card.action.isEnabled(), "offered for download"
            assert "for document search, not chat" in card.facts.text()
            card.action.click()
            qtbot.waitUntil(lambda: minilm_file.name in manager.rows, timeout=TIMEOUT_MS)
            row = manager.rows[minilm_file.name]
            assert row.check.verdict is Verdict.VERIFIED
            assert "does not chat" in row.engine.text()
            assert "used for document search" in row.title.text(), "the only one: in use"
            assert row.default_button.text() == "Use for document search"
            assert not row.default_button.isEnabled(), "already the one in use"
            assert settings.default_model is None, "never the default chat model"
    assert registry.installed() == [] and registry.document_model(None) is not None
