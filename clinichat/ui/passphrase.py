"""Dialogs and the lock screen that guard the encrypted history.

Widgets only: they collect a passphrase or a recovery key and show what the caller tells
them. Checking a passphrase (slow by design) happens elsewhere, off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QEvent, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinichat.history.passphrase_rules import passphrase_problem
from clinichat.translate import translate
from clinichat.ui import clipboard
from clinichat.ui.retranslating import Retranslating

MIN_PASSPHRASE = 8

# A text in the current language: called again after a language switch to re-render it.
Text = Callable[[], str]


def _password_field(parent: QWidget) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(280)
    return field


def _label_for(field: QWidget) -> QLabel:
    """A form label that focuses `field` on its shortcut, as QFormLayout's own labels do."""
    label = QLabel(field.parentWidget())
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setBuddy(field)
    return label


def fit_to_text(dialog: QDialog, chars_per_line: int = 60) -> None:
    """Size `dialog` so that each wrapped label shows its whole text, in any language and size.

    A top-level window does not follow its layout's height-for-width: Qt sizes it from its
    size hint, capped at two thirds of the screen's width, and keeps the hint's height, so a
    wrapped label squeezed narrower than it wanted is cut off at the bottom (the first-run
    text ended at "It cannot be"). Here the width is chosen (about `chars_per_line`
    characters of the dialog's font, within the screen) and the height is what the layout
    needs at that width. Both become the minimum size: any wider is then never too short.
    """
    layout = dialog.layout()
    if layout is None:
        return
    dialog.ensurePolished()
    layout.invalidate()  # its cached sizes may predate a font or text change
    layout.activate()
    width = max(
        layout.minimumSize().width(),
        dialog.fontMetrics().averageCharWidth() * chars_per_line,
    )
    screen = dialog.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        width = min(width, screen.availableGeometry().width() * 9 // 10)
    height = max(layout.totalHeightForWidth(width), layout.totalMinimumSize().height())
    dialog.setMinimumSize(width, height)
    if dialog.isVisible():
        dialog.resize(max(dialog.width(), width), max(dialog.height(), height))
    else:
        dialog.resize(width, height)


def _error_label(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setObjectName("errorBanner")
    label.setWordWrap(True)
    label.hide()
    return label


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
        self.current = _password_field(self)
        self.current_label = _label_for(self.current)
        if change:
            form.addRow(self.current_label, self.current)
        else:
            self.current.hide()
            self.current_label.hide()
        self.first = _password_field(self)
        self.second = _password_field(self)
        self.first_label = _label_for(self.first)
        self.second_label = _label_for(self.second)
        form.addRow(self.first_label, self.first)
        form.addRow(self.second_label, self.second)
        layout.addLayout(form)
        self.error = _error_label(self)
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
        self.passphrase = _password_field(self)
        self.passphrase.returnPressed.connect(self._unlock)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setObjectName("sendButton")
        self.unlock_button.clicked.connect(self._unlock)
        self.error = _error_label(self)
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
        self.key_label = _label_for(self.key)
        form.addRow(self.key_label, self.key)
        self.first = _password_field(self)
        self.second = _password_field(self)
        self.first_label = _label_for(self.first)
        self.second_label = _label_for(self.second)
        if needs_passphrase:
            form.addRow(self.first_label, self.first)
            form.addRow(self.second_label, self.second)
        else:
            for unused in (self.first, self.second, self.first_label, self.second_label):
                unused.hide()
        self._needs_passphrase = needs_passphrase
        layout.addLayout(form)
        self.error = _error_label(self)
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
