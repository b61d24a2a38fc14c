"""The main window over the real starter model, as several GUI test files need it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pytestqt.qtbot import QtBot
from whisper_model import base_entry

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.documents.citations import ConversationDocuments
from clinichat.documents.library import DocumentLibrary
from clinichat.history.database import open_encrypted
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.store import MemoryStore, Role, Status
from clinichat.i18n import Translations
from clinichat.llm.engines.base import GenerationParams
from clinichat.llm.session import ChatSession
from clinichat.models.catalog import load_catalog
from clinichat.models.registry import ModelRegistry
from clinichat.resources import bundled_catalog_path
from clinichat.speech.installed import SpeechModels
from clinichat.ui.main_window import MainWindow

LOAD_TIMEOUT_MS = 60_000


def starter_window(
    qtbot: QtBot,
    tmp_path: Path,
    starter_model: Path,
    *,
    translations: Translations | None = None,
) -> MainWindow:
    """A shown window with the starter model loaded, settings in tmp_path/config, 2 threads."""
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy2(starter_model, models / starter_model.name)
    catalog, _ = load_catalog(bundled_catalog_path())
    session = ChatSession()
    settings = Settings(tmp_path / "config")
    settings.set("threads", 2)
    with qtbot.waitSignal(session.model_loaded, timeout=LOAD_TIMEOUT_MS):
        window = MainWindow(
            ChatController(MemoryStore(), session),
            ModelRegistry(models, catalog),
            settings,
            translations=translations,
        )
        qtbot.addWidget(window)
        window.show()
    return window


def empty_window(qtbot: QtBot, tmp_path: Path) -> MainWindow:
    """A window with no model installed (the empty page), settings in tmp_path/config."""
    catalog, _ = load_catalog(bundled_catalog_path())
    window = MainWindow(
        ChatController(MemoryStore(), ChatSession()),
        ModelRegistry(tmp_path / "models", catalog),
        Settings(tmp_path / "config"),
    )
    qtbot.addWidget(window)
    return window


def speech_window(
    qtbot: QtBot, tmp_path: Path, starter_model: Path, whisper_dir: Path, language: str
) -> MainWindow:
    """The starter window over a real encrypted history (a new conversation open), answers
    short and greedy, with Whisper base installed and `language` for speech."""
    main = starter_window(qtbot, tmp_path, starter_model)
    store = EncryptedStore(open_encrypted(tmp_path / "history.db", os.urandom(32)))
    connection = store.connection
    main.controller.set_store(store, DocumentLibrary(connection), ConversationDocuments(connection))
    main.new_conversation()
    main.settings.set_model_values(starter_model.name, {"temperature": 0.0, "max_tokens": 24})
    main.settings.set("speech_language", language)
    SpeechModels.beside(main.registry.models_dir).install_files(base_entry(), whisper_dir)
    return main


def ask_in_new_conversation(window: MainWindow, params: GenerationParams, text: str) -> int:
    """A new conversation with `text` sent (answered with `params`); its id."""
    window.new_conversation()
    conversation = window.current_conversation
    assert conversation is not None
    window.controller.params = params
    window.input.insertPlainText(text)
    window.send_button.click()
    return conversation


def answer_of(window: MainWindow, conversation: int) -> tuple[str, Status]:
    """The one answer of a conversation of one question: its text and state."""
    messages = window.controller.store.messages(conversation)
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT]
    return messages[1].text, messages[1].status
