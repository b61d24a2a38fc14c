"""The recommended model, offered on the empty page and above the starter's chat (issue 11).

Real parts: the main window, the 127.0.0.1 file server serving the real starter file under
a recommended model's file name (so the one-click download really downloads, verifies,
test-loads and installs a working model), Qt's network stack, the real gpt4all backend.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from httpserver import FileServer
from pytestqt.qtbot import QtBot
from translation_checks import pseudo_language
from windows import starter_window

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.store import MemoryStore
from clinichat.llm.session import ChatSession
from clinichat.models.catalog import load_catalog
from clinichat.models.descriptions import model_text
from clinichat.models.recommend import Misfit, Reason, Recommendation
from clinichat.models.registry import ModelRegistry
from clinichat.models.starter import STARTER_FILENAME
from clinichat.resources import bundled_catalog_path
from clinichat.ui.main_window import MainWindow
from clinichat.ui.recommendation import RecommendationCard

TIMEOUT_MS = 60_000
QWEN2 = "qwen2-1_5b-instruct-q4_0.gguf"  # the third preference: needs least memory
GB = 1024**3


@pytest.fixture
def server(tmp_path: Path, starter_original: Path) -> Iterator[FileServer]:
    root = tmp_path / "served"
    root.mkdir()
    shutil.copy2(starter_original, root / QWEN2)
    with FileServer(root) as running:
        yield running


@pytest.fixture
def catalog(server: FileServer, starter_original: Path) -> list[object]:
    """The bundled starter entry and a 'Qwen2' entry whose file is the starter's bytes."""
    bundled = json.loads(bundled_catalog_path().read_text(encoding="utf-8"))
    data = starter_original.read_bytes()
    qwen = next(e for e in bundled if e["filename"] == QWEN2)
    qwen |= {
        "filesize": str(len(data)),
        "md5sum": hashlib.md5(data).hexdigest(),
        "url": server.url(QWEN2),
        "ramrequired": "1",
        "promptTemplate": bundled[0]["promptTemplate"],
        "systemPrompt": bundled[0]["systemPrompt"],
    }
    return [bundled[0], qwen]


def make_window(
    qtbot: QtBot, tmp_path: Path, catalog: list[object], installed: list[Path]
) -> MainWindow:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog), encoding="utf-8")
    entries, problems = load_catalog(path)
    assert problems == []
    models = tmp_path / "models"
    models.mkdir()
    for model in installed:
        shutil.copy2(model, models / model.name)
    settings = Settings(tmp_path / "config")
    settings.set("threads", 2)
    window = MainWindow(
        ChatController(MemoryStore(), ChatSession()), ModelRegistry(models, entries), settings
    )
    qtbot.addWidget(window)
    window.show()
    return window


def test_empty_page_recommends_a_model_and_one_click_installs_it(
    qtbot: QtBot, tmp_path: Path, catalog: list[object], server: FileServer
) -> None:
    window = make_window(qtbot, tmp_path, catalog, [])
    try:
        assert window.pages.currentWidget() is window.empty_page
        card = window.empty_page.recommendation
        assert card.isVisible()
        assert card.title.text() == "Recommended for this computer: Qwen2-1.5B-Instruct"
        ours = model_text(QWEN2)
        assert ours is not None
        assert card.summary.text() == ours.summary and card.licence.text() == ours.licence
        assert "Download: 0.1 GB" in card.facts.text()
        assert "needs 1 GB of memory (RAM); this computer has" in card.facts.text()
        assert card.button.text() == "Download Qwen2-1.5B-Instruct (0.1 GB)"
        with qtbot.waitSignal(window.session.model_loaded, timeout=TIMEOUT_MS):
            card.button.click()  # no second question
            assert not card.button.isVisible() and card.bar.isVisible()
        assert server.requests_for(QWEN2), "fetched from the loopback server"
        assert window.registry.find(QWEN2) is not None, "downloaded and installed"
        assert window.models.in_use() == QWEN2
        assert window.pages.currentWidget() is window.chat_page
        assert not window.recommendations.notice.isVisible(), "not the starter"
    finally:
        window.close()


def test_starter_only_shows_what_it_is_for_and_offers_the_model(
    qtbot: QtBot, tmp_path: Path, catalog: list[object], starter_model: Path
) -> None:
    window = make_window(qtbot, tmp_path, catalog, [starter_model])
    try:
        qtbot.waitUntil(lambda: window.models.in_use() == STARTER_FILENAME, timeout=TIMEOUT_MS)
        qtbot.waitUntil(lambda: window.session.loaded_model is not None, timeout=TIMEOUT_MS)
        notice = window.recommendations.notice
        assert notice.isVisible()
        assert "only for trying ClinicChat, not for clinical use" in notice.text.text()
        card = notice.card
        assert card.button.text() == "Download Qwen2-1.5B-Instruct (0.1 GB)"
        card.button.click()
        qtbot.waitUntil(lambda: notice.use_button.isVisible(), timeout=TIMEOUT_MS)
        assert notice.use_button.text() == "Use Qwen2-1.5B-Instruct"
        assert window.models.in_use() == STARTER_FILENAME, "the answer in progress is not cut"
        with qtbot.waitSignal(window.session.model_loaded, timeout=TIMEOUT_MS):
            notice.use_button.click()
        assert window.models.in_use() == QWEN2
        assert not notice.isVisible()
    finally:
        window.close()


def test_the_starter_notice_can_be_dismissed(
    qtbot: QtBot, tmp_path: Path, starter_model: Path
) -> None:
    window = starter_window(qtbot, tmp_path, starter_model)
    try:
        notice = window.recommendations.notice
        assert notice.isVisible(), "the bundled starter alone is installed"
        notice.dismiss_button.click()
        assert not notice.isVisible()
        window.models.refresh()
        assert not notice.isVisible(), "stays dismissed"
    finally:
        window.close()


def test_nothing_fits_says_why_and_offers_no_download(
    qtbot: QtBot, tmp_path: Path, catalog: list[object]
) -> None:
    entries, _ = load_catalog(bundled_catalog_path())
    by_name = {e.filename: e for e in entries}
    card = RecommendationCard()
    qtbot.addWidget(card)
    misfits = (
        Misfit(by_name["Meta-Llama-3.1-8B-Instruct-128k-Q4_0.gguf"], Reason.RAM, 8 * GB, 2 * GB),
        Misfit(by_name[QWEN2], Reason.DISK, 3 * GB, GB),
    )
    card.show_recommendation(Recommendation(None, misfits), 2 * GB, None)
    card.show()
    assert card.title.text() == "No recommended model fits this computer"
    reasons = card.reasons.text().splitlines()
    assert reasons[0] == (
        "Llama 3.1 8B Instruct 128k needs 8.0 GB of memory (RAM); this computer has 2.0 GB."
    )
    assert (
        reasons[1]
        == "Qwen2-1.5B-Instruct needs 3.0 GB free in the models folder; there are 1.0 GB."
    )
    assert not card.button.isVisible() and not card.manage_button.isVisible()


def test_recommendation_texts_go_through_translation(
    qtbot: QtBot, tmp_path: Path, catalog: list[object]
) -> None:
    """The Spanish UI shows the description in Spanish: every text is translated when shown."""
    window = make_window(qtbot, tmp_path, catalog, [])
    try:
        card = window.empty_page.recommendation
        ours = model_text(QWEN2)
        assert ours is not None
        with pseudo_language():
            assert card.summary.text() == f"«{ours.summary}»"
            assert card.licence.text() == f"«{ours.licence}»"
            assert card.title.text().startswith("«Recommended for this computer: ")
            assert card.button.text().startswith("«Download ")
            notice = window.recommendations.notice
            assert notice.text.text().startswith("«You are using the starter model.")
    finally:
        window.close()
