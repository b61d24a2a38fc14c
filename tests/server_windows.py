"""The main window with a clinic server set up, as the remote window tests need it: a models
folder holding the starter model, settings naming the server, keys in a memory keychain."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from memory_keyring import TRUSTED_WITH_MEMORY
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.store import MemoryStore, Status
from clinichat.llm.engines.base import GenerationParams
from clinichat.llm.session import ChatSession
from clinichat.models.catalog import load_catalog
from clinichat.models.registry import ModelRegistry
from clinichat.remote.policy import Policy
from clinichat.remote.server_key import ServerKeys
from clinichat.resources import bundled_catalog_path
from clinichat.ui.main_window import MainWindow

TIMEOUT_MS = 60_000
SHORT = GenerationParams(max_tokens=16, temperature=0.0, top_k=1)


class Windows:
    """Makes windows over a models folder holding the starter model, and closes them."""

    def __init__(self, qtbot: QtBot, tmp_path: Path, starter: Path, model_id: str) -> None:
        self.qtbot, self.tmp_path, self.model_id = qtbot, tmp_path, model_id
        self.models = tmp_path / "models"
        self.models.mkdir()
        shutil.copy2(starter, self.models / starter.name)
        self.keys = ServerKeys(TRUSTED_WITH_MEMORY)
        self.made: list[MainWindow] = []

    def settings(self, url: str, *, confirmed: bool = True, use: bool = True) -> Settings:
        settings = Settings(self.tmp_path / "config")
        settings.set("threads", 2)
        settings.set("server_url", url)
        settings.set("server_model", self.model_id)
        settings.set("server_context", 1024)  # the test server's slot
        if confirmed:
            settings.set("server_confirmed", url)
        settings.set("use_server", use)
        return settings

    def open(
        self, settings: Settings, *, policy: Policy | None = None, locked: bool = False
    ) -> MainWindow:
        catalog, _ = load_catalog(bundled_catalog_path())
        window = MainWindow(
            ChatController(MemoryStore(), ChatSession()),
            ModelRegistry(self.models, catalog),
            settings,
            locked=locked,
            policy=policy,
            server_keys=self.keys,
        )
        self.qtbot.addWidget(window)
        window.show()
        self.made.append(window)
        return window

    def loaded(self, settings: Settings, **options: object) -> MainWindow:
        """A window whose model (the server's, if it starts with it) has loaded."""
        window = self.open(settings, **options)  # type: ignore[arg-type]
        self.qtbot.waitUntil(lambda: window.session.is_ready, timeout=TIMEOUT_MS)
        return window

    def close(self) -> None:
        for window in self.made:
            window.close()


def ask(qtbot: QtBot, window: MainWindow, text: str, *, params: GenerationParams = SHORT) -> None:
    window.controller.params = params
    window.input.insertPlainText(text)
    window.send_button.click()


def last_answer(window: MainWindow) -> tuple[str, Status]:
    conversation = window.current_conversation
    assert conversation is not None
    message = window.controller.store.messages(conversation)[-1]
    return message.text, message.status


def answer_box(button_text: str | None) -> Callable[[], None]:
    """Clicks the button whose text contains `button_text` in the open message box (Cancel
    when None), recording the box's text."""
    seen: list[str] = []

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, click)
            return
        seen.append(box.text())
        for button in box.buttons():
            cancel = box.standardButton(button) == QMessageBox.StandardButton.Cancel
            if (button_text is None and cancel) or (
                button_text is not None and button_text in button.text()
            ):
                button.click()
                return

    click.seen = seen  # type: ignore[attr-defined]
    return click
