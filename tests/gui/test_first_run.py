"""The first run completes the security set-up (issue 11, item 3).

No keychain (the real fail backend): the clinician sets a passphrase, and then sees the
recovery key, with what it is for, and must confirm it is kept before going on. Cancel on the
passphrase dialog says what it means and offers to go back, instead of quitting silently.
Real window, real vault and SQLCipher file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from test_history_lock import PASSPHRASE, TIMEOUT_MS, App

from clinichat.ui.passphrase import NewPassphraseDialog
from clinichat.ui.recovery_key_dialogs import RecoveryKeyDialog


def when_modal(kind: type[QWidget], then: Callable[[QWidget], None]) -> None:
    """Run `then` on the next modal dialog of `kind` once it is shown."""

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            then(widget)
        else:
            QTimer.singleShot(50, look)

    QTimer.singleShot(50, look)


def set_passphrase(dialog: QWidget) -> None:
    assert isinstance(dialog, NewPassphraseDialog)
    dialog.first.setText(PASSPHRASE)
    dialog.second.setText(PASSPHRASE)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_the_recovery_key_is_handed_over_after_the_passphrase(
    qtbot: QtBot, tmp_path: Path, model_folder: Path, no_keyring: None
) -> None:
    app = App(qtbot, tmp_path / "base", model_folder)
    seen: dict[str, object] = {}

    def check_handover(dialog: QWidget) -> None:
        assert isinstance(dialog, RecoveryKeyDialog)
        seen["key"] = dialog.key.text()
        seen["text"] = dialog.text.text()
        close = dialog.buttons.button(QDialogButtonBox.StandardButton.Close)
        seen["close_enabled_before"] = close.isEnabled()
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        seen["still_open_after_esc"] = dialog.isVisible()
        dialog.kept.setChecked(True)
        close.click()

    try:
        when_modal(NewPassphraseDialog, set_passphrase)
        when_modal(RecoveryKeyDialog, check_handover)
        with qtbot.waitSignal(app.access.unlocked, timeout=TIMEOUT_MS):
            app.access.start()
        qtbot.waitUntil(lambda: "key" in seen and QApplication.activeModalWidget() is None)
        shown = str(seen["key"]).replace("\n", "-")  # a few groups to a line
        assert shown == app.access.vault.recovery_key()
        assert "forgotten" in str(seen["text"]) and "IT department" in str(seen["text"])
        assert seen["close_enabled_before"] is False, "the key must be confirmed as kept"
        assert seen["still_open_after_esc"] is True
        assert app.window.chat_stack.isVisible()
    finally:
        app.close()


def test_cancel_explains_and_can_go_back(
    qtbot: QtBot, tmp_path: Path, model_folder: Path, no_keyring: None
) -> None:
    app = App(qtbot, tmp_path / "base", model_folder)
    explained: list[str] = []

    def answer(choice: str) -> Callable[[QWidget], None]:
        def click(box: QWidget) -> None:
            assert isinstance(box, QMessageBox)
            explained.append(box.text())
            next(b for b in box.buttons() if b.text() == choice).click()

        return click

    def cancel(dialog: QWidget) -> None:
        assert isinstance(dialog, NewPassphraseDialog)
        dialog.reject()

    try:
        # Cancel, go back, Cancel again, then close.
        when_modal(NewPassphraseDialog, cancel)
        when_modal(QMessageBox, answer("Set a passphrase"))
        QTimer.singleShot(
            1500,
            lambda: (
                when_modal(NewPassphraseDialog, cancel),
                when_modal(QMessageBox, answer("Close ClinicChat")),
            ),
        )
        app.access.start()
        qtbot.waitUntil(lambda: len(explained) == 2 and not app.window.isVisible(), timeout=15_000)
        assert "nothing has been saved" in explained[0]
        assert not (tmp_path / "base" / "data" / "history.db").exists()
    finally:
        app.close()
