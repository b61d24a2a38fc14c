"""The passphrase dialogs refuse guessable passphrases and say why, before the vault is asked."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot
from translation_checks import pseudo_language

from clinichat.ui.passphrase import NewPassphraseDialog
from clinichat.ui.recovery_key_dialogs import ImportRecoveryKeyDialog

STRONG = "mango lantern seventeen kettles"


def press_ok(dialog: QDialog, buttons: QDialogButtonBox) -> None:
    ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None
    ok.click()


@pytest.mark.parametrize("change", [False, True], ids=["first-run", "change"])
@pytest.mark.parametrize("weak", ["password", "12345678", "qwertyuiop", "passw0rd!"])
def test_new_passphrase_dialog_refuses_a_guessable_one(
    qtbot: QtBot, weak: str, change: bool
) -> None:
    dialog = NewPassphraseDialog(change=change)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.current.setText(STRONG)
    dialog.first.setText(weak)
    dialog.second.setText(weak)
    press_ok(dialog, dialog.buttons)
    assert dialog.result() != QDialog.DialogCode.Accepted and dialog.isVisible()
    assert dialog.error.isVisible()
    assert "too easy to guess" in dialog.error.text()
    assert "common password" in dialog.error.text(), "the reason, not only the verdict"
    with pseudo_language():  # both sentences go through Qt's translation
        assert dialog.error.text().count("«") == 2, dialog.error.text()


def test_new_passphrase_dialog_accepts_a_strong_sentence(qtbot: QtBot) -> None:
    dialog = NewPassphraseDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.first.setText(STRONG)
    dialog.second.setText(STRONG)
    press_ok(dialog, dialog.buttons)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.passphrase() == STRONG


def test_recovery_key_dialog_refuses_a_guessable_new_passphrase(qtbot: QtBot) -> None:
    dialog = ImportRecoveryKeyDialog(needs_passphrase=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.key.setText("ABCD-EFGH")
    dialog.first.setText("password")
    dialog.second.setText("password")
    buttons = dialog.findChild(QDialogButtonBox)
    assert buttons is not None
    press_ok(dialog, buttons)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "too easy to guess" in dialog.error.text()
