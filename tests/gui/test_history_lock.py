"""The window behind the encrypted history: unlock, idle lock, Ctrl+L, persistence."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyrings.alt.file import PlaintextKeyring
from memory_keyring import TRUSTED_WITH_MEMORY, MemoryKeyring
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from pytestqt.qtbot import QtBot
from questions import answer_question
from translation_checks import pseudo_language

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.store import MemoryStore, Role, Status
from clinichat.history.vault import Vault
from clinichat.history_access import HistoryAccess, Mode
from clinichat.llm.engines.base import GenerationParams
from clinichat.llm.session import ChatSession
from clinichat.models.registry import ModelRegistry
from clinichat.ui.history_guard import HistoryGuard
from clinichat.ui.main_window import MainWindow
from clinichat.ui.passphrase import NewPassphraseDialog

PASSPHRASE = "correct horse battery"
TIMEOUT_MS = 60_000


class App:
    """One run of the app's main objects over a data folder, as app.run_gui wires them."""

    def __init__(self, qtbot: QtBot, base: Path, models: Path) -> None:
        self.session = ChatSession()
        self.controller = ChatController(MemoryStore(), self.session)
        self.controller.params = GenerationParams(max_tokens=12, temperature=0.0, top_k=1)
        # MemoryKeyring stands in for an OS keychain; nothing else is trusted, as in the app.
        self.access = HistoryAccess(Vault(base / "data", trusted_backends=TRUSTED_WITH_MEMORY))
        self.window = MainWindow(
            self.controller,
            ModelRegistry(models, []),
            Settings.in_memory(threads=2, idle_lock_minutes=0),
            locked=True,
        )
        qtbot.addWidget(self.window)
        self.guard = HistoryGuard(self.window, self.access)
        self.window.show()

    def close(self) -> None:
        self.window.close()
        self.access.close()


@pytest.fixture
def passphrase_vault(tmp_path: Path, no_keyring: None) -> Path:
    base = tmp_path / "base"
    (base / "data").mkdir(parents=True)
    Vault(base / "data").create(PASSPHRASE).close()
    return base


def unlock_with(qtbot: QtBot, app: App, passphrase: str) -> None:
    app.window.lock_page.passphrase.setText(passphrase)
    qtbot.mouseClick(app.window.lock_page.unlock_button, Qt.MouseButton.LeftButton)


def content_hidden(window: MainWindow) -> bool:
    return (
        window.pages.currentWidget() is window.lock_page
        and not window.conversations.isVisible()
        and not window.chat_stack.isVisible()
    )


@pytest.fixture
def unlocked(qtbot: QtBot, passphrase_vault: Path, model_folder: Path) -> Iterator[App]:
    app = App(qtbot, passphrase_vault, model_folder)
    with qtbot.waitSignal(app.access.needs_passphrase, timeout=TIMEOUT_MS):
        app.access.start()
    assert content_hidden(app.window)
    with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
        unlock_with(qtbot, app, PASSPHRASE)
    yield app
    app.close()


def test_wrong_passphrase_is_refused_then_right_one_opens(
    qtbot: QtBot, passphrase_vault: Path, model_folder: Path
) -> None:
    app = App(qtbot, passphrase_vault, model_folder)
    try:
        with qtbot.waitSignal(app.access.needs_passphrase, timeout=TIMEOUT_MS):
            app.access.start()
        with qtbot.waitSignal(app.access.failed, timeout=TIMEOUT_MS):
            unlock_with(qtbot, app, "not the passphrase")
        assert app.window.lock_page.error.isVisible()
        assert "passphrase" in app.window.lock_page.error.text().lower()
        assert content_hidden(app.window)
        with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
            unlock_with(qtbot, app, PASSPHRASE)
        assert app.window.chat_stack.isVisible()
        assert app.access.mode is Mode.PASSPHRASE
    finally:
        app.close()


def test_idle_lock_hides_content_and_unlock_restores_it(qtbot: QtBot, unlocked: App) -> None:
    window = unlocked.window
    with qtbot.waitSignal(unlocked.session.answer_finished, timeout=TIMEOUT_MS):
        window.input.setPlainText("What is a fever?")
        window.send()
    conversation = window.current_conversation
    with qtbot.waitSignal(unlocked.access.locked, timeout=5_000):
        unlocked.guard.idle.set_timeout_ms(300)
    assert content_hidden(window)
    assert window.lock_page.passphrase.isVisible()
    with qtbot.waitSignal(unlocked.access.failed, timeout=TIMEOUT_MS):
        unlock_with(qtbot, unlocked, "wrong passphrase")
    assert content_hidden(window)
    unlocked.guard.idle.set_timeout_ms(0)
    with qtbot.waitSignal(unlocked.access.unlocked, timeout=TIMEOUT_MS):
        unlock_with(qtbot, unlocked, PASSPHRASE)
    assert window.chat_stack.isVisible() and window.conversations.isVisible()
    assert window.current_conversation == conversation
    assert window.chat_view.last_answer() is not None


def test_ctrl_l_locks_while_an_answer_is_saved(qtbot: QtBot, unlocked: App) -> None:
    window = unlocked.window
    unlocked.controller.params = GenerationParams(max_tokens=80, temperature=0.0, top_k=1)
    with qtbot.waitSignal(unlocked.session.answer_started, timeout=TIMEOUT_MS):
        window.input.setPlainText("Describe the symptoms of influenza.")
        window.send()
    with qtbot.waitSignal(unlocked.access.locked, timeout=5_000):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert content_hidden(window)
    with qtbot.waitSignal(unlocked.session.answer_finished, timeout=TIMEOUT_MS):
        pass
    store = unlocked.access.store
    assert store is not None
    answer = store.messages(window.current_conversation)[-1]
    assert answer.role is Role.ASSISTANT and answer.status is Status.COMPLETE and answer.text


def test_conversations_survive_a_restart(
    qtbot: QtBot, passphrase_vault: Path, model_folder: Path
) -> None:
    first = App(qtbot, passphrase_vault, model_folder)
    with qtbot.waitSignal(first.access.needs_passphrase, timeout=TIMEOUT_MS):
        first.access.start()
    with qtbot.waitSignal(first.access.unlocked, timeout=TIMEOUT_MS):
        unlock_with(qtbot, first, PASSPHRASE)
    with qtbot.waitSignal(first.session.answer_finished, timeout=TIMEOUT_MS):
        first.window.input.setPlainText("What is anaemia?")
        first.window.send()
    first.close()

    second = App(qtbot, passphrase_vault, model_folder)
    try:
        with qtbot.waitSignal(second.access.needs_passphrase, timeout=TIMEOUT_MS):
            second.access.start()
        with qtbot.waitSignal(second.access.unlocked, timeout=TIMEOUT_MS):
            unlock_with(qtbot, second, PASSPHRASE)
        titles = [c.title for c in second.controller.store.conversations()]
        assert "What is anaemia?" in titles
    finally:
        second.close()


def test_keychain_mode_opens_without_asking_and_unlocks_with_a_click(
    qtbot: QtBot, tmp_path: Path, model_folder: Path, memory_keyring: MemoryKeyring
) -> None:
    app = App(qtbot, tmp_path / "base", model_folder)
    try:
        with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
            app.access.start()
        assert app.access.mode is Mode.KEYCHAIN
        assert len(memory_keyring.entries) == 1
        with qtbot.waitSignal(app.access.locked, timeout=5_000):
            app.access.lock()
        assert content_hidden(app.window)
        assert not app.window.lock_page.passphrase.isVisible()
        with qtbot.waitSignal(app.access.unlocked, timeout=5_000):
            qtbot.mouseClick(app.window.lock_page.unlock_button, Qt.MouseButton.LeftButton)
        assert app.window.chat_stack.isVisible()
    finally:
        app.close()


def test_missing_key_offers_recovery_and_a_new_history_that_keeps_the_old_file(
    qtbot: QtBot,
    tmp_path: Path,
    model_folder: Path,
    memory_keyring: MemoryKeyring,
) -> None:
    base = tmp_path / "base"
    (base / "data").mkdir(parents=True)
    vault = Vault(base / "data", trusted_backends=TRUSTED_WITH_MEMORY)
    vault.create().close()
    old_bytes = vault.db_path.read_bytes()
    memory_keyring.entries.clear()  # the keychain lost the key
    app = App(qtbot, base, model_folder)
    try:
        with qtbot.waitSignal(app.access.trouble, timeout=TIMEOUT_MS):
            app.access.start()
        page = app.window.lock_page
        assert content_hidden(app.window)
        assert "recovery key" in page.explanation.text()
        assert page.recovery_button.isVisible() and page.new_button.isVisible()
        assert vault.db_path.read_bytes() == old_bytes
        refused = answer_question(qtbot, key=Qt.Key.Key_Return)  # Enter means No
        page.new_button.click()
        assert refused and content_hidden(app.window)
        assert vault.db_path.read_bytes() == old_bytes
        answer_question(qtbot, button="Yes")
        with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
            page.new_button.click()
        kept = [p for p in (base / "data").iterdir() if p.name.startswith("history-unreadable")]
        assert any(p.read_bytes() == old_bytes for p in kept)
        assert app.window.chat_stack.isVisible()
    finally:
        app.close()


def test_model_problem_found_while_locked_is_shown_after_unlocking(
    qtbot: QtBot, passphrase_vault: Path, tmp_path: Path, starter_model: Path
) -> None:
    models = tmp_path / "broken-models"
    models.mkdir()
    (models / "damaged.gguf").write_bytes(starter_model.read_bytes()[:30_000_000])
    app = App(qtbot, passphrase_vault, models)
    try:
        with qtbot.waitSignal(app.access.needs_passphrase, timeout=TIMEOUT_MS):
            app.access.start()
        assert not app.window.lock_page.error.isVisible(), "model trouble is not a lock error"
        with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
            unlock_with(qtbot, app, PASSPHRASE)
        assert app.window.empty_error.isVisible()
        assert "damaged.gguf" in app.window.empty_error.text()
    finally:
        app.close()


def test_history_off_keeps_new_conversations_in_memory_only(qtbot: QtBot, unlocked: App) -> None:
    window = unlocked.window
    with qtbot.waitSignal(unlocked.session.answer_finished, timeout=TIMEOUT_MS):
        window.input.setPlainText("Saved question about asthma.")
        window.send()
    encrypted = unlocked.access.store
    assert encrypted is not None and unlocked.controller.store is encrypted
    window.settings.set("save_history", False)
    assert isinstance(unlocked.controller.store, MemoryStore)
    assert window.notice.isVisible() and "not being saved" in window.notice.text()
    with qtbot.waitSignal(unlocked.session.answer_finished, timeout=TIMEOUT_MS):
        window.input.setPlainText("Unsaved question about gout.")
        window.send()
    assert [c.title for c in unlocked.controller.store.conversations()] == [
        "Unsaved question about gout."
    ]
    assert encrypted.search("gout") == [], "nothing of it reached the encrypted history"
    window.settings.set("save_history", True)
    assert unlocked.controller.store is encrypted
    titles = [c.title for c in encrypted.conversations()]
    assert "Saved question about asthma." in titles
    assert not any("gout" in t for t in titles)


class PassphraseAnswerer:
    """Waits for the new-passphrase dialog (its exec() runs a nested loop) and answers it."""

    def __init__(self, passphrase: str | None) -> None:
        self.passphrase = passphrase  # None: press Cancel
        self.explanation: str | None = None
        QTimer.singleShot(20, self.answer)

    def answer(self) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, NewPassphraseDialog) or not dialog.isVisible():
            QTimer.singleShot(20, self.answer)
            return
        self.explanation = (
            dialog.explanation.text() if dialog.explanation.isVisible() else "(hidden)"
        )
        if self.passphrase is None:
            dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()
            return
        dialog.first.setText(self.passphrase)
        dialog.second.setText(self.passphrase)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def plaintext_history(base: Path) -> str:
    """A history made before the allow-list, key in the plaintext keyring; how it is stored."""
    data = base / "data"
    data.mkdir(parents=True)
    legacy = Vault(data, trusted_backends=(PlaintextKeyring,))
    store = EncryptedStore(legacy.create())
    conversation = store.create("Old question about gout")
    store.add_message(conversation.id, Role.USER, "Old question about gout")
    store.close()
    key_hex = legacy.recovery_key().replace("-", "")[:64].lower()
    # As PlaintextKeyring writes it: the base64 of the hex text, wrapped over lines.
    return base64.b64encode(key_hex.encode()).decode()[:40]


def test_a_key_in_a_plaintext_keyring_is_moved_under_a_new_passphrase(
    qtbot: QtBot, tmp_path: Path, model_folder: Path, plaintext_keyring: PlaintextKeyring
) -> None:
    base = tmp_path / "base"
    stored = plaintext_history(base)
    vault_id = json.loads((base / "data" / "history.json").read_text())["vault_id"]
    keyring_file = Path(plaintext_keyring.file_path)
    assert stored in keyring_file.read_text(), "the old code left the key in the file"
    app = App(qtbot, base, model_folder)
    try:
        answerer = PassphraseAnswerer(PASSPHRASE)
        with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
            app.access.start()
        assert answerer.explanation == (
            "Your history key was kept in a store that is not a real keychain"
            " (keyrings.alt.file.PlaintextKeyring): anyone who can read your files could"
            " open your conversations. Set a passphrase to protect it."
        )
        assert app.access.mode is Mode.PASSPHRASE
        assert app.window.chat_stack.isVisible()
        titles = [c.title for c in app.controller.store.conversations()]
        assert "Old question about gout" in titles
        assert stored not in keyring_file.read_text()
        assert plaintext_keyring.get_password("ClinicChat", "history-key:" + vault_id) is None
        with qtbot.waitSignal(app.access.locked, timeout=5_000):
            app.access.lock()
        assert app.window.lock_page.passphrase.isVisible(), "the lock now wants the passphrase"
        with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
            unlock_with(qtbot, app, PASSPHRASE)
    finally:
        app.close()

    again = App(qtbot, base, model_folder)
    try:
        with qtbot.waitSignal(again.access.needs_passphrase, timeout=TIMEOUT_MS):
            again.access.start()
        with qtbot.waitSignal(again.access.unlocked, timeout=TIMEOUT_MS):
            unlock_with(qtbot, again, PASSPHRASE)
        titles = [c.title for c in again.controller.store.conversations()]
        assert "Old question about gout" in titles
    finally:
        again.close()


def test_refusing_to_set_a_passphrase_closes_and_changes_nothing(
    qtbot: QtBot, tmp_path: Path, model_folder: Path, plaintext_keyring: PlaintextKeyring
) -> None:
    base = tmp_path / "base"
    plaintext_history(base)
    files = {p.name: p.read_bytes() for p in (base / "data").iterdir()}
    keyring_text = Path(plaintext_keyring.file_path).read_text()
    app = App(qtbot, base, model_folder)
    try:
        answerer = PassphraseAnswerer(None)
        with qtbot.waitSignal(app.access.needs_protection, timeout=TIMEOUT_MS):
            app.access.start()
        qtbot.waitUntil(lambda: not app.window.isVisible(), timeout=TIMEOUT_MS)
        assert answerer.explanation is not None
        assert content_hidden(app.window)
        assert {p.name: p.read_bytes() for p in (base / "data").iterdir()} == files
        assert Path(plaintext_keyring.file_path).read_text() == keyring_text
    finally:
        app.close()


def test_the_explanation_follows_a_language_switch_and_is_plain_text(qtbot: QtBot) -> None:
    name = "<b>store</b>"
    dialog = NewPassphraseDialog(
        explanation=lambda: QCoreApplication.translate("HistoryGuard", "Kept in %1.").replace(
            "%1", name
        )
    )
    qtbot.addWidget(dialog)
    assert dialog.explanation.text() == "Kept in <b>store</b>."
    assert dialog.explanation.textFormat() is Qt.TextFormat.PlainText, "a name is not markup"
    with pseudo_language():
        assert dialog.explanation.text() == "«Kept in <b>store</b>.»"
    assert dialog.explanation.text() == "Kept in <b>store</b>."
    plain = NewPassphraseDialog()
    qtbot.addWidget(plain)
    assert plain.explanation.isHidden(), "no explanation line when none is given"


def test_empty_conversations_are_not_kept(
    qtbot: QtBot, passphrase_vault: Path, model_folder: Path
) -> None:
    """No pile of empty "New conversation" entries after restarts (issue 11, item 8)."""

    def start() -> App:
        app = App(qtbot, passphrase_vault, model_folder)
        with qtbot.waitSignal(app.access.needs_passphrase, timeout=TIMEOUT_MS):
            app.access.start()
        with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
            unlock_with(qtbot, app, PASSPHRASE)
        return app

    app = start()
    store = app.window.controller.store
    app.window.new_conversation()
    app.window.new_conversation()
    assert len(store.conversations()) == 1, "an empty conversation is replaced, not piled up"
    kept = app.window.current_conversation
    assert kept is not None
    store.add_message(kept, Role.USER, "A question worth keeping")
    app.window.new_conversation()
    assert len(store.conversations()) == 2
    app.close()
    for _restart in range(2):
        app = start()
        titles = [
            (c.id, bool(app.window.controller.store.messages(c.id)))
            for c in app.window.controller.store.conversations()
        ]
        assert sorted(has for _id, has in titles) == [False, True], titles
        app.close()
