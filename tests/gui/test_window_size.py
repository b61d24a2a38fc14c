"""The window opens inside the screen it is on, title bar included (issue 11).

The offscreen screen here is 800x600, smaller than the window's usual 1100x760: as on a
1366x768 laptop with a task bar, the window must shrink rather than end below the edge.
"""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.store import MemoryStore
from clinichat.llm.session import ChatSession
from clinichat.models.catalog import load_catalog
from clinichat.models.registry import ModelRegistry
from clinichat.resources import bundled_catalog_path
from clinichat.ui.main_window import MainWindow


def test_the_window_fits_a_small_screen(qtbot: QtBot, tmp_path: Path) -> None:
    catalog, _ = load_catalog(bundled_catalog_path())
    window = MainWindow(
        ChatController(MemoryStore(), ChatSession()),
        ModelRegistry(tmp_path / "models", catalog),
        Settings(tmp_path / "config"),
    )
    qtbot.addWidget(window)
    room = window.screen().availableGeometry()
    assert room.width() < 1100 or room.height() < 760, "the test needs a small screen"
    assert window.width() <= room.width() * 0.9 and window.height() <= room.height() * 0.9
