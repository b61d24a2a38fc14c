"""While the history is locked, no command reveals or changes anything (issue 10, item 1).

The window is the real one over real SQLCipher files, in passphrase and keychain mode. Every
command that needs the history is disabled, its shortcut is inert, and triggering its action
directly still does nothing: no dialog opens, nothing is copied, nothing is exported. Dialogs
and menus open at the moment of locking close, and the clipboard loses what ClinicChat put
there. (tests/e2e/test_lock_xvfb.py presses the real keys in a real window.)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from memory_keyring import MemoryKeyring
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from test_history_lock import (
    PASSPHRASE,
    TIMEOUT_MS,
    App,
    content_hidden,
    unlock_with,
)

from clinichat.history.store import Role
from clinichat.history.vault import Vault
from clinichat.ui.commands import COMMANDS, Scope

ANSWER = "Dear <GP name>, I am writing about <patient name>. Take 2 <tabs> daily."
SHORTCUTS = (
    (Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    (Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier),
)


@pytest.fixture(params=["passphrase", "keychain"])
def locked(
    request: pytest.FixtureRequest,
    qtbot: QtBot,
    tmp_path: Path,
    model_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[App]:
    """An unlocked window with one answered conversation, then locked (Ctrl+L's command)."""
    base = tmp_path / "base"
    if request.param == "passphrase":
        request.getfixturevalue("no_keyring")
        (base / "data").mkdir(parents=True)
        Vault(base / "data").create(PASSPHRASE).close()
    else:
        request.getfixturevalue("memory_keyring")
    app = App(qtbot, base, model_folder)
    if request.param == "passphrase":
        with qtbot.waitSignal(app.access.needs_passphrase, timeout=TIMEOUT_MS):
            app.access.start()
        with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
            unlock_with(qtbot, app, PASSPHRASE)
    else:
        with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
            app.access.start()
    window = app.window
    store = window.controller.store
    conversation = window.current_conversation
    assert conversation is not None
    store.add_message(conversation, Role.USER, "Referral for Mrs Example")
    store.add_message(conversation, Role.ASSISTANT, ANSWER)
    window.open_conversation(conversation)
    assert window.chat_view.last_answer() is not None
    # Any dialog that would open is recorded instead of shown, and says "Cancel".
    opened: list[str] = []
    for name in ("question", "warning", "information"):
        monkeypatch.setattr(
            QMessageBox,
            name,
            lambda *_a, _n=name, **_k: (
                opened.append(_n) or QMessageBox.StandardButton.Cancel  # type: ignore[func-returns-value]
            ),
        )
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (opened.append("save"), ("", ""))[1]
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda *_a, **_k: (opened.append("open"), ("", ""))[1]
    )
    app.opened = opened  # type: ignore[attr-defined]
    QGuiApplication.clipboard().clear()
    with qtbot.waitSignal(app.access.locked, timeout=5_000):
        window.commands.actions["lock"].trigger()
    assert content_hidden(window)
    yield app
    app.close()


def test_every_command_needing_the_history_is_disabled_and_refused(
    qtbot: QtBot, locked: App
) -> None:
    window = locked.window
    for command in COMMANDS:
        action = window.commands.actions[command.name]
        if command.scope is Scope.UNLOCKED:
            assert not action.isEnabled(), f"{command.name} is usable while locked"
            action.trigger()  # what a stray signal or an accessibility tool could do
    qtbot.wait(50)
    assert locked.opened == []  # type: ignore[attr-defined]
    assert QGuiApplication.clipboard().text() == ""
    assert window.settings_dialog is None and window.model_manager is None
    assert window.thread_finder is None
    assert content_hidden(window), "no command brought the conversation back"
    assert window.windowTitle() == "ClinicChat"
    assert window.status_line.currentMessage() == ""
    assert not window.model_bar.isEnabled()


def test_shortcuts_are_inert_while_locked(qtbot: QtBot, locked: App) -> None:
    window = locked.window
    window.activateWindow()
    for key, modifiers in SHORTCUTS:
        qtbot.keyClick(window, key, modifiers)
    qtbot.wait(50)
    assert QGuiApplication.clipboard().text() == ""
    assert locked.opened == []  # type: ignore[attr-defined]
    assert window.settings_dialog is None and window.model_manager is None
    assert content_hidden(window)


def test_nothing_outside_the_registry_makes_a_menu_entry(locked: App) -> None:
    """A command added to a menu by hand would skip the lock rule: there must be none."""
    window = locked.window
    declared = set(window.commands.actions.values())
    for menu in window.commands.menus.values():
        for action in menu.actions():
            assert action.isSeparator() or action in declared, action.text()
    assert {a for a in window.menuBar().actions()} == {
        m.menuAction() for m in window.commands.menus.values()
    }
    # Every QAction with a shortcut in the window is a declared command.
    for action in window.findChildren(QAction):
        if not action.shortcut().isEmpty():
            assert action in declared, action.text()


def test_a_dialog_open_at_lock_time_is_closed(
    qtbot: QtBot, tmp_path: Path, model_folder: Path, memory_keyring: MemoryKeyring
) -> None:
    """Idle lock while Settings or the recovery key is open must not leave them on screen."""
    app = App(qtbot, tmp_path / "base", model_folder)
    try:
        with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
            app.access.start()
        window = app.window
        window.commands.actions["settings"].trigger()
        assert window.settings_dialog is not None and window.settings_dialog.isVisible()
        shown: list[QWidget] = []

        def lock_while_modal() -> None:
            dialogs = [
                w
                for w in QApplication.topLevelWidgets()
                if isinstance(w, QDialog) and w.isVisible()
            ]
            shown.extend(dialogs)
            app.access.lock()

        # The recovery key: confirm on purpose, then a modal dialog shows it; lock meanwhile.
        def confirm() -> None:
            box = QApplication.activeModalWidget()
            assert isinstance(box, QMessageBox), "a confirmation comes before the key"
            assert "any computer" in box.text()
            show = next(b for b in box.buttons() if "Show" in b.text())
            QTimer.singleShot(200, lock_while_modal)
            show.click()

        QTimer.singleShot(200, confirm)
        window.commands.actions["export_recovery_key"].trigger()
        qtbot.waitUntil(lambda: content_hidden(window), timeout=5_000)
        assert any("recovery" in type(d).__name__.lower() for d in shown), shown
        qtbot.waitUntil(
            lambda: (
                not [
                    w
                    for w in QApplication.topLevelWidgets()
                    if isinstance(w, QDialog) and w.isVisible()
                ]
            ),
            timeout=5_000,
        )
    finally:
        app.close()


def test_lock_takes_back_what_clinichat_copied(qtbot: QtBot, locked: App) -> None:
    window = locked.window
    with qtbot.waitSignal(locked.access.unlocked, timeout=TIMEOUT_MS):
        if locked.access.vault.uses_passphrase():
            unlock_with(qtbot, locked, PASSPHRASE)
        else:
            qtbot.mouseClick(window.lock_page.unlock_button, Qt.MouseButton.LeftButton)
    window.commands.actions["copy_plain"].trigger()
    assert QGuiApplication.clipboard().text() == ANSWER, "every character is copied"
    with qtbot.waitSignal(locked.access.locked, timeout=5_000):
        window.commands.actions["lock"].trigger()
    assert QGuiApplication.clipboard().text() == ""
    # Something the clinician copied elsewhere afterwards is left alone by the next lock.
    with qtbot.waitSignal(locked.access.unlocked, timeout=TIMEOUT_MS):
        if locked.access.vault.uses_passphrase():
            unlock_with(qtbot, locked, PASSPHRASE)
        else:
            qtbot.mouseClick(window.lock_page.unlock_button, Qt.MouseButton.LeftButton)
    QGuiApplication.clipboard().setText("from another program")
    with qtbot.waitSignal(locked.access.locked, timeout=5_000):
        window.commands.actions["lock"].trigger()
    assert QGuiApplication.clipboard().text() == "from another program"
