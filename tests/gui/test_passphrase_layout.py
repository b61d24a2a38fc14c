"""Passphrase and recovery-key dialogs show every text whole: English, Spanish, 100%, 150%.

Its explanation used to end at "It cannot be": Qt sizes a top-level window from its size
hint (capped at two thirds of the screen's width) and does not give a word-wrapped label
the height it needs at the width it actually gets. Each check here measures what a user
sees: every visible label is as tall as its text needs at its width, its text fits inside
it with the label's own font, and the label lies inside the dialog.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from layout_audit import layout_problems
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel
from pytestqt.qtbot import QtBot

from clinichat.history.recovery_key import format_recovery_key
from clinichat.i18n import Translations
from clinichat.ui.passphrase import NewPassphraseDialog
from clinichat.ui.passphrase_fields import title_width
from clinichat.ui.recovery_key_dialogs import ImportRecoveryKeyDialog, RecoveryKeyDialog


def assert_every_text_whole(dialog: QDialog, at_least: int = 3) -> None:
    labels = [label for label in dialog.findChildren(QLabel) if label.isVisible()]
    assert len(labels) >= at_least, "the explanation and the field labels"
    assert all(label.text() for label in labels)
    problems = layout_problems(dialog)
    assert not problems, "\n".join(problems)
    # Openbox shortened "Guarde su clave de recuperación — ClinicChat" on a 390-pixel
    # dialog: each is as wide as its title in bold with the title bar's buttons.
    assert dialog.width() >= title_width(dialog) > 300, dialog.windowTitle()
    screen = dialog.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()


# Data, not a text of the app: the longest kind of explanation, with an unbreakable name.
EXPLANATION = (
    "Your history key was kept in a store that is not a real keychain"
    " (keyrings.alt.file.PlaintextKeyring): anyone who can read your files could open your"
    " conversations. Set a passphrase to protect it."
)


def open_dialog(
    qtbot: QtBot, *, change: bool = False, explained: bool = False
) -> NewPassphraseDialog:
    dialog = NewPassphraseDialog(
        change=change, explanation=(lambda: EXPLANATION) if explained else None
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.mark.parametrize(
    ("change", "explained"),
    [(False, False), (True, False), (False, True)],
    ids=["first-run", "change", "explained"],
)
@pytest.mark.parametrize("scale", [100, 150])
@pytest.mark.parametrize("language", ["en", "es"])
def test_every_text_is_shown_whole(
    qtbot: QtBot,
    translations: Translations,
    text_size: Callable[[int], None],
    language: str,
    scale: int,
    change: bool,
    explained: bool,
) -> None:
    assert translations.apply(language) == language
    text_size(scale)
    dialog = open_dialog(qtbot, change=change, explained=explained)
    assert dialog.explanation.isVisible() is explained
    if language == "es":
        assert "ClinicChat" in dialog.intro.text() and "passphrase" not in dialog.intro.text()
    assert_every_text_whole(dialog)
    # A refused passphrase: its reason appears under the fields, and is shown whole too.
    dialog.first.setText("short")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    ok.click()
    assert dialog.isVisible() and dialog.error.isVisible()
    assert_every_text_whole(dialog)


def test_texts_stay_whole_when_the_text_size_grows_while_it_is_open(
    qtbot: QtBot, translations: Translations, text_size: Callable[[int], None]
) -> None:
    translations.apply("es")
    text_size(100)
    dialog = open_dialog(qtbot)
    assert_every_text_whole(dialog)
    text_size(150)
    qtbot.wait(10)
    assert_every_text_whole(dialog)


def test_texts_stay_whole_after_a_language_switch_while_it_is_open(
    qtbot: QtBot, translations: Translations, text_size: Callable[[int], None]
) -> None:
    text_size(150)
    dialog = open_dialog(qtbot)
    translations.apply("es")
    qtbot.wait(10)
    assert_every_text_whole(dialog)


@pytest.mark.parametrize("scale", [100, 150])
@pytest.mark.parametrize("language", ["en", "es"])
def test_recovery_key_dialogs_show_every_text_whole(
    qtbot: QtBot,
    translations: Translations,
    text_size: Callable[[int], None],
    language: str,
    scale: int,
) -> None:
    assert translations.apply(language) == language
    text_size(scale)
    key = format_recovery_key(bytes(range(32)))
    shown, handover = RecoveryKeyDialog(key), RecoveryKeyDialog(key, handover=True)
    importer = ImportRecoveryKeyDialog(needs_passphrase=True)
    for dialog in (shown, handover, importer):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert_every_text_whole(dialog, at_least=1)
    ok = importer.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    ok.click()  # no key entered: the reason appears, whole
    assert importer.isVisible() and importer.error.isVisible()
    assert_every_text_whole(importer, at_least=1)
