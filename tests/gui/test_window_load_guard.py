"""The window after a crash while loading, and when a model becomes the default (item 5).

A marker left by a run that died loading the starter (what load_guard writes before every
load) makes the next window leave that model unloaded and say why; choosing it again loads it
and only then makes it the default.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.store import MemoryStore
from clinichat.llm.session import ChatSession
from clinichat.models.catalog import load_catalog
from clinichat.models.load_guard import MARKER_NAME, LoadGuard
from clinichat.models.registry import ModelRegistry
from clinichat.resources import bundled_catalog_path
from clinichat.ui.main_window import MainWindow

LOAD_TIMEOUT_MS = 60_000


def window_over(qtbot: QtBot, tmp_path: Path, starter_model: Path) -> MainWindow:
    models = tmp_path / "models"
    models.mkdir(exist_ok=True)
    if not (models / starter_model.name).exists():
        shutil.copy2(starter_model, models / starter_model.name)
    catalog, _ = load_catalog(bundled_catalog_path())
    session = ChatSession(load_guard=LoadGuard(tmp_path / "data"))
    settings = Settings(tmp_path / "config")
    settings.set("threads", 2)
    window = MainWindow(
        ChatController(MemoryStore(), session), ModelRegistry(models, catalog), settings
    )
    qtbot.addWidget(window)
    window.show()
    return window


def test_a_model_the_last_run_died_loading_is_not_loaded_again(
    qtbot: QtBot, tmp_path: Path, starter_model: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / MARKER_NAME).write_text(
        json.dumps({"version": 1, "file": starter_model.name}), encoding="utf-8"
    )
    window = window_over(qtbot, tmp_path, starter_model)
    try:
        qtbot.wait(500)
        assert window.session.loaded_model is None, "the suspect model was loaded again"
        assert window.error_banner.isVisible()
        assert "stopped while loading" in window.error_banner.text()
        assert starter_model.name in window.error_banner.text()
        assert window.settings.default_model is None
        # Choosing it on purpose loads it; only now is it the default, and the marker is gone.
        with qtbot.waitSignal(window.session.model_loaded, timeout=LOAD_TIMEOUT_MS):
            window.model_bar.model_chosen.emit(starter_model.name)
        assert window.settings.default_model == starter_model.name
        assert not (data / MARKER_NAME).exists()
    finally:
        window.close()
