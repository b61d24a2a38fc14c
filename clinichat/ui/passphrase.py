"""The first run's passphrase dialog and the lock screen that guard the encrypted history.

Widgets only: they collect a passphrase and show what the caller tells them. Checking a
passphrase (slow by design) happens elsewhere, off the GUI thread. The recovery key's
dialogs are in `recovery_key_dialogs`, the parts they share in `passphrase_fields`.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinichat.history.passphrase_rules import passphrase_problem
from clinichat.translate import translate
from clinichat.ui.passphrase_fields import (
    MIN_PASSPHRASE,
    Text,
    error_label,
    fit_to_text,
    label_for,
    password_field,
)
from clinichat.ui.retranslating import Retranslating


class NewPassphraseDialog(Retranslating, QDialog):
    """Asks for a new passphrase twice; used when this computer has no usable keychain.

    `explanation`, when given, is shown first: why a passphrase is asked for now (for
    instance, an existing key was found in a store that is not a real keychain). It renders
    the text in the current language and is called again after a language switch.
    """

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        change: bool = False,
        explanation: Text | None = None,
    ) -> None:
        super().__init__(parent)
        self._change = change
        self._explanation = explanation
        self._error: Text = lambda: ""
        layout = QVBoxLayout(self)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        # It may name a keyring backend: show it as it is, never as rich text.
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setVisible(explanation is not None)
        layout.addWidget(self.explanation)
        self.intro = QLabel(self)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.current = password_field(self)
        self.current_label = label_for(self.current)
        if change:
            form.addRow(self.current_label, self.current)
        else:
            self.current.hide()
            self.current_label.hide()
        self.first = password_field(self)
        self.second = password_field(self)
        self.first_label = label_for(self.first)
        self.second_label = label_for(self.second)
        form.addRow(self.first_label, self.first)
        form.addRow(self.second_label, self.second)
        layout.addLayout(form)
        self.error = error_label(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch)."""
        self.setWindowTitle(
            self.tr("Change passphrase") if self._change else self.tr("Protect your history")
        )
        self.intro.setText(
            self.tr(
                "Conversations are stored encrypted on this computer. Choose a passphrase of at"
                " least %1 characters; it is needed every time ClinicChat starts and after it"
                " locks. It cannot be recovered without the recovery key."
            ).replace("%1", str(MIN_PASSPHRASE))
        )
        if self._explanation is not None:
            self.explanation.setText(self._explanation())
        self.current.setAccessibleName(self.tr("Current passphrase"))
        self.current_label.setText(self.tr("Current passphrase:"))
        self.first.setAccessibleName(self.tr("New passphrase"))
        self.first_label.setText(self.tr("Passphrase:"))
        self.second.setAccessibleName(self.tr("Repeat passphrase"))
        self.second_label.setText(self.tr("Repeat:"))
        self.error.setText(self._error())
        fit_to_text(self)  # texts in another language wrap differently

    def changeEvent(self, event: QEvent) -> None:
        """Refit after a text size change (the font changes, the texts stay).

        Deferred: the dialog hears of the new font before its labels have taken it.
        """
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, self, self._refit)

    @Slot()
    def _refit(self) -> None:
        fit_to_text(self)

    def passphrase(self) -> str:
        return self.first.text()

    def show_error(self, text: Text) -> None:
        """Show why the passphrase was refused; `text` is called again after a switch."""
        self._error = text
        self.error.setText(text())
        self.error.show()
        fit_to_text(self)  # the dialog grows to show the reason whole

    @Slot()
    def _check(self) -> None:
        # The same rule the vault applies (too easy to guess?), said before Argon2id runs.
        problem = passphrase_problem(self.first.text())
        if len(self.first.text()) < MIN_PASSPHRASE:
            self.show_error(
                lambda: self.tr("The passphrase needs at least %1 characters.").replace(
                    "%1", str(MIN_PASSPHRASE)
                )
            )
        elif problem is not None:
            self.show_error(partial(problem.render, translate))
        elif self.first.text() != self.second.text():
            self.show_error(lambda: self.tr("The two passphrases are not the same."))
        else:
            self.accept()


# Wrong passphrases on the lock screen before it also offers the recovery key.
RECOVERY_AFTER_FAILURES = 2


class LockScreen(Retranslating, QWidget):
    """Shown instead of the conversations while the history is locked."""

    unlock_requested = Signal(str)  # passphrase, or "" in keychain mode
    recovery_requested = Signal()
    new_history_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._explanation: Text = lambda: ""
        self._failures = 0
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setObjectName("emptyTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explanation = QLabel(self)
        self.explanation.setTextFormat(Qt.TextFormat.PlainText)
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.passphrase = password_field(self)
        self.passphrase.returnPressed.connect(self._unlock)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setObjectName("sendButton")
        self.unlock_button.clicked.connect(self._unlock)
        self.error = error_label(self)
        self.recovery_button = QPushButton(self)
        self.recovery_button.clicked.connect(self.recovery_requested)
        self.new_button = QPushButton(self)
        self.new_button.clicked.connect(self.new_history_requested)
        layout.addWidget(self.title)
        layout.addWidget(self.explanation)
        layout.addWidget(self.passphrase, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        # Not aligned like the rest: a box layout gives an aligned label the height of one
        # line, and a wrapped error was cut in half. The middle half of the width instead.
        error_row = QHBoxLayout()
        error_row.addStretch(1)
        error_row.addWidget(self.error, 2)
        error_row.addStretch(1)
        layout.addLayout(error_row)
        layout.addWidget(self.recovery_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        """Set every text in the current language (at start and on a language switch).

        The error line is left as it is: it comes already translated from the history's
        access object, which keeps no source text to translate again.
        """
        self.title.setText(self.tr("ClinicChat is locked"))
        self.explanation.setText(self._explanation())
        self.passphrase.setAccessibleName(self.tr("Passphrase"))
        self.passphrase.setPlaceholderText(self.tr("Passphrase"))
        self.unlock_button.setText(self.tr("Unlock"))
        self.recovery_button.setText(self.tr("Import recovery key…"))
        self.new_button.setText(self.tr("Start a new history (keep the old file)"))

    def ask(self, *, needs_passphrase: bool, text: Text, can_recover: bool = False) -> None:
        """Show the screen for one situation: locked, first unlock, or key trouble.

        `text` renders the explanation in the current language; it is called again after
        a language switch.
        """
        self._explanation = text
        self._failures = 0
        self.explanation.setText(text())
        self.passphrase.setVisible(needs_passphrase)
        self.passphrase.clear()
        self.error.hide()
        self.recovery_button.setVisible(can_recover)
        self.new_button.setVisible(can_recover)
        self.set_busy(False)
        (self.passphrase if needs_passphrase else self.unlock_button).setFocus()

    def show_error(self, text: str) -> None:
        """A refused passphrase; after a second one, the way in with the recovery key too."""
        self._failures += 1
        if self.passphrase.isVisible() and self._failures >= RECOVERY_AFTER_FAILURES:
            self.recovery_button.show()
        self.error.setText(text)
        self.error.show()
        self.set_busy(False)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)

    @Slot()
    def _unlock(self) -> None:
        self.set_busy(True)
        self.unlock_requested.emit(self.passphrase.text() if self.passphrase.isVisible() else "")
