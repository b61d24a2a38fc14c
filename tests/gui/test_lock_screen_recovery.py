"""The Ctrl+L lock screen: the passphrase field has focus, and after wrong passphrases the
recovery key is offered too, as at start-up (issue 11, item 3). Real vault, real SQLCipher
file; the recovery key re-opens the same history under a new passphrase."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from pytestqt.qtbot import QtBot
from test_first_run import when_modal
from test_history_lock import PASSPHRASE, TIMEOUT_MS, App, unlock_with

from clinichat.history.store import Role
from clinichat.history.vault import Vault
from clinichat.ui.recovery_key_dialogs import ImportRecoveryKeyDialog

NEW_PASSPHRASE = "lluvia sobre el tejado azul"


def test_wrong_passphrases_then_the_recovery_key_opens_the_same_history(
    qtbot: QtBot, tmp_path: Path, model_folder: Path, no_keyring: None
) -> None:
    base = tmp_path / "base"
    (base / "data").mkdir(parents=True)
    Vault(base / "data").create(PASSPHRASE).close()
    app = App(qtbot, base, model_folder)
    window, access = app.window, app.access
    try:
        with qtbot.waitSignal(access.needs_passphrase, timeout=TIMEOUT_MS):
            access.start()
        with qtbot.waitSignal(access.unlocked, timeout=TIMEOUT_MS):
            unlock_with(qtbot, app, PASSPHRASE)
        conversation = window.current_conversation
        assert conversation is not None
        window.controller.store.add_message(conversation, Role.USER, "Kept across the key")
        key = access.vault.recovery_key()
        window.activateWindow()
        with qtbot.waitSignal(access.locked, timeout=5_000):
            qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        lock = window.lock_page
        qtbot.waitUntil(lock.passphrase.hasFocus, timeout=5_000)
        assert not lock.recovery_button.isVisible()
        for attempt in range(2):
            with qtbot.waitSignal(access.failed, timeout=TIMEOUT_MS):
                unlock_with(qtbot, app, f"not the passphrase {attempt}")
        assert lock.recovery_button.isVisible(), "offered after wrong attempts"
        assert not lock.new_button.isVisible(), "an open history is never set aside from here"

        def enter_key(dialog: QWidget) -> None:
            assert isinstance(dialog, ImportRecoveryKeyDialog)
            dialog.key.setText(key)
            dialog.first.setText(NEW_PASSPHRASE)
            dialog.second.setText(NEW_PASSPHRASE)
            dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()

        when_modal(ImportRecoveryKeyDialog, enter_key)
        with qtbot.waitSignal(access.unlocked, timeout=TIMEOUT_MS):
            lock.recovery_button.click()
        assert window.chat_stack.isVisible()
        texts = [m.text for m in window.controller.store.messages(conversation)]
        assert "Kept across the key" in texts
        assert access.vault.verify_passphrase(NEW_PASSPHRASE)
    finally:
        app.close()
