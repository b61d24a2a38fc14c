"""The recovery key: shown once to be kept safe, and typed back in when the passphrase or
the keychain entry is lost.

Widgets only, like `passphrase`: they collect a key (and a new passphrase) and show what
the caller tells them.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinichat.history.passphrase_rules import passphrase_problem
from clinichat.translate import translate
from clinichat.ui import clipboard
from clinichat.ui.passphrase_fields import (
    MIN_PASSPHRASE,
    Text,
    error_label,
    fit_to_text,
    label_for,
    password_field,
)
from clinichat.ui.retranslating import Retranslating


def _key_lines(key: str, groups_per_line: int = 6) -> str:
    """The key's dash-separated groups, a few to a line."""
    groups = key.split("-")
    lines = (
        "-".join(groups[i : i + groups_per_line]) for i in range(0, len(groups), groups_per_line)
    )
    return "\n".join(lines)


class RecoveryKeyDialog(Retranslating, QDialog):
    """Shows the recovery key, for the clinic's IT to keep somewhere safe.

    `handover`: the first run's last step. The passphrase has just been set, and without the
    key a forgotten passphrase loses every conversation, so the dialog stays until the
    clinician confirms the key is kept (the lock may still close it: then it is shown again
    from History → Export recovery key).
    """

    def __init__(self, key: str, parent: QWidget | None = None, *, handover: bool = False) -> None:
        super().__init__(parent)
        self._handover = handover
        layout = QVBoxLayout(self)
        self.text = QLabel(self)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        layout.addWidget(self.text)
        # A few short lines in a fixed-width font (style.qss), not one long field: at 150%
        # the key no longer fitted on a laptop screen, and a key cut off at the edge is
        # copied out wrong by hand. Reading it back ignores the line breaks.
        self.key = QLabel(_key_lines(key), self)
        self.key.setObjectName("recoveryKey")
        self.key.setTextFormat(Qt.TextFormat.PlainText)
        self.key.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.key)
        self.kept = QCheckBox(self)
        self.kept.setVisible(handover)
        layout.addWidget(self.kept)
        self.copy_button = QPushButton(self)
        # Through ClinicChat's clipboard, so the next lock takes the key back off it.
        self.copy_button.clicked.connect(lambda: clipboard.copy(key))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self._close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setEnabled(not handover)
        self.copy_button.setAutoDefault(False)
        close.setDefault(True)  # Enter closes (once the key is confirmed as kept)
        self.kept.toggled.connect(close.setEnabled)
        layout.addWidget(self.buttons)
        self.retranslate()

    @Slot()
    def _close(self) -> None:
        if not self._handover or self.kept.isChecked():
            self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc does not skip the handover: the key must be kept first."""
        if self._handover and not self.kept.isChecked() and event.key() == Qt.Key.Key_Escape:
            return
        super().keyPressEvent(event)

    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch)."""
        self.setWindowTitle(self.tr("Recovery key"))
        self.text.setText(
            self.tr(
                "Anyone with this key can read the history on this computer. Give it to your"
                " IT department or keep it locked away; do not store it on this computer."
                " It opens the history on a new computer or after a passphrase is forgotten."
            )
        )
        if self._handover:
            self.setWindowTitle(self.tr("Keep your recovery key"))
            self.text.setText(
                self.tr(
                    "Your history is now protected by your passphrase. If the passphrase is"
                    " ever forgotten, or the history has to move to a new computer, only this"
                    " recovery key can open it; without both, every conversation is lost."
                    " Give it to your IT department or keep it locked away, not on this"
                    " computer. Anyone with this key can read the history."
                )
            )
        self.kept.setText(self.tr("I have &kept the recovery key somewhere safe"))
        self.key.setAccessibleName(self.tr("Recovery key"))
        self.copy_button.setText(self.tr("Copy"))
        fit_to_text(self)


class ImportRecoveryKeyDialog(Retranslating, QDialog):
    """Asks for a recovery key (and a new passphrase where there is no keychain)."""

    def __init__(self, parent: QWidget | None = None, *, needs_passphrase: bool) -> None:
        super().__init__(parent)
        self._error: Text = lambda: ""
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.key = QLineEdit(self)
        # Wide enough to check what was typed, narrow enough for a 150% text size on a laptop.
        self.key.setMinimumWidth(self.key.fontMetrics().averageCharWidth() * 36)
        self.key_label = label_for(self.key)
        form.addRow(self.key_label, self.key)
        self.first = password_field(self)
        self.second = password_field(self)
        self.first_label = label_for(self.first)
        self.second_label = label_for(self.second)
        if needs_passphrase:
            form.addRow(self.first_label, self.first)
            form.addRow(self.second_label, self.second)
        else:
            for unused in (self.first, self.second, self.first_label, self.second_label):
                unused.hide()
        self._needs_passphrase = needs_passphrase
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch)."""
        self.setWindowTitle(self.tr("Import recovery key"))
        self.key.setAccessibleName(self.tr("Recovery key"))
        self.key_label.setText(self.tr("Recovery key:"))
        self.first.setAccessibleName(self.tr("New passphrase"))
        self.first_label.setText(self.tr("New passphrase:"))
        self.second.setAccessibleName(self.tr("Repeat passphrase"))
        self.second_label.setText(self.tr("Repeat:"))
        self.error.setText(self._error())
        fit_to_text(self)

    def passphrase(self) -> str | None:
        return self.first.text() if self._needs_passphrase else None

    @Slot()
    def _check(self) -> None:
        if not self.key.text().strip():
            self._error = lambda: self.tr("Enter the recovery key.")
        elif self._needs_passphrase and len(self.first.text()) < MIN_PASSPHRASE:
            self._error = lambda: self.tr("The passphrase needs at least %1 characters.").replace(
                "%1", str(MIN_PASSPHRASE)
            )
        elif self._needs_passphrase and (problem := passphrase_problem(self.first.text())):
            self._error = partial(problem.render, translate)
        elif self._needs_passphrase and self.first.text() != self.second.text():
            self._error = lambda: self.tr("The two passphrases are not the same.")
        else:
            self.accept()
            return
        self.error.setText(self._error())
        self.error.show()
        fit_to_text(self)
