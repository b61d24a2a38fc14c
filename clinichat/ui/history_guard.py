"""Puts the encrypted history's lock in front of the window.

Connects `HistoryAccess` to what the clinician sees: the lock screen at start and after an
idle spell or Ctrl+L, the first-run passphrase dialog, recovery-key import and export, and
"start a new history" when the old file cannot be opened (it is kept, never deleted).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Slot
from PySide6.QtWidgets import QDialog, QMessageBox

from clinichat.documents.citations import ConversationDocuments
from clinichat.documents.library import DocumentLibrary
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.store import MemoryStore
from clinichat.history_access import HistoryAccess, IdleWatcher, Mode
from clinichat.messages import UserError
from clinichat.translate import translate
from clinichat.ui import message_box
from clinichat.ui.main_window import MainWindow
from clinichat.ui.passphrase import NewPassphraseDialog
from clinichat.ui.recovery_key_dialogs import ImportRecoveryKeyDialog, RecoveryKeyDialog

MINUTE_MS = 60_000


class HistoryGuard(QObject):
    """Keeps the window locked until the history opens, and locks it again when idle."""

    def __init__(self, window: MainWindow, access: HistoryAccess) -> None:
        super().__init__(window)
        self.window = window
        self.access = access
        # Set when this run created the history: its recovery key is shown once it opens.
        self._hand_over_key = False
        self.idle = IdleWatcher(self)
        self._set_idle_timeout()
        window.settings.changed.connect(self._on_setting_changed)
        window.lock_page.ask(
            needs_passphrase=False, text=lambda: self.tr("Opening your conversation history…")
        )
        window.lock_page.unlock_button.hide()
        lock_page = window.lock_page
        lock_page.unlock_requested.connect(self._on_unlock_requested)
        lock_page.recovery_requested.connect(self.import_recovery_key)
        lock_page.new_history_requested.connect(self._on_new_history)
        access.opened.connect(self._on_opened)
        access.needs_passphrase.connect(self._on_needs_passphrase)
        access.needs_new_passphrase.connect(self._on_needs_new_passphrase)
        access.needs_protection.connect(self._on_needs_protection)
        access.trouble.connect(self._on_trouble)
        access.failed.connect(window.lock_page.show_error)
        access.locked.connect(self._on_locked)
        access.unlocked.connect(self._on_unlocked)
        self.idle.idle.connect(access.lock)
        # The History menu's commands (and their lock rule) are declared in ui/commands.py.
        commands = window.commands
        commands.bind("lock", access.lock)
        commands.bind("export_recovery_key", self.export_recovery_key)
        commands.bind("change_passphrase", self.change_passphrase)
        commands.set_available("change_passphrase", False)

    def _set_idle_timeout(self) -> None:
        self.idle.set_timeout_ms(self.window.settings.idle_lock_minutes * MINUTE_MS)

    @Slot(str)
    def _on_setting_changed(self, key: str) -> None:
        if key == "idle_lock_minutes":
            self._set_idle_timeout()
        elif key == "save_history" and self.access.store is not None:
            self._use_store()
            if not self.access.is_locked:
                self.window.open_latest_conversation()
                self._tell_if_unsaved()

    def _use_store(self) -> None:
        """The encrypted history, or (history off) a store that lives only in memory.

        The vault still opens and locks either way: what is on screen is patient data too.
        """
        store = self.access.store
        if not self.window.settings.save_history or store is None:
            self.window.controller.set_store(MemoryStore())
            return
        connection = store.connection  # the documents live in the same encrypted file
        self.window.controller.set_store(
            store, DocumentLibrary(connection), ConversationDocuments(connection)
        )

    def _tell_if_unsaved(self) -> None:
        if isinstance(self.window.controller.store, MemoryStore):
            self.window.show_notice(
                self.tr(
                    "Conversations are not being saved: they are forgotten when ClinicChat"
                    " closes. Saved conversations stay encrypted and are not shown."
                )
            )

    # -- opening -----------------------------------------------------------------------
    @Slot(object)
    def _on_opened(self, store: EncryptedStore) -> None:
        self._use_store()
        self.window.history_ready = True
        if self._hand_over_key:
            self._hand_over_key = False
            QTimer.singleShot(0, self._show_first_recovery_key)
        if store.recovered:
            self.window.show_notice(
                self.tr(
                    "ClinicChat was closed while answering; %n answer(s) are marked as"
                    " interrupted.",
                    "",
                    store.recovered,
                )
            )

    @Slot()
    def _on_needs_passphrase(self) -> None:
        self.window.lock_page.ask(
            needs_passphrase=True,
            text=lambda: self.tr("Enter your passphrase to open your conversations."),
            can_recover=True,
        )
        self.window.lock_page.unlock_button.show()

    @Slot()
    def _on_needs_new_passphrase(self) -> None:
        """First run without a keychain: a passphrase, then the recovery key (`_on_opened`).

        Cancel is not a silent exit: it says what it means, and offers to go back.
        """
        while True:
            dialog = NewPassphraseDialog(self.window)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self._hand_over_key = True
                self.access.create_with_passphrase(dialog.passphrase())
                return
            if not self._confirm_quit_without_passphrase():
                continue
            self.window.close()
            return

    def _confirm_quit_without_passphrase(self) -> bool:
        return not message_box.choose(
            self.window,
            QMessageBox.Icon.Question,
            self.tr("Close ClinicChat?"),
            self.tr(
                "ClinicChat keeps your conversations encrypted on this computer, and there is"
                " no keychain here to hold the key, so it needs a passphrase. Without one it"
                " closes now; nothing has been saved. It asks again at the next start."
            ),
            self.tr("Set a passphrase"),
            self.tr("Close ClinicChat"),
        )

    @Slot(str)
    def _on_needs_protection(self, store: str) -> None:
        """The key was found in a store that is not a real keychain: move it under a passphrase.

        Refusing closes ClinicChat, as on first run: the history is left exactly as it was.
        """
        dialog = NewPassphraseDialog(
            self.window,
            explanation=lambda: self.tr(
                "Your history key was kept in a store that is not a real keychain (%1): anyone"
                " who can read your files could open your conversations. Set a passphrase to"
                " protect it."
            ).replace("%1", store),
        )
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.access.protect_with_passphrase(dialog.passphrase())
        else:
            self.window.close()

    @Slot(str)
    def _on_trouble(self, text: str) -> None:
        # Already translated by HistoryAccess, which keeps no source: it stays as it is.
        self.window.lock_page.ask(needs_passphrase=False, text=lambda: text, can_recover=True)
        self.window.lock_page.unlock_button.hide()

    # -- locking -----------------------------------------------------------------------
    @Slot()
    def _on_locked(self) -> None:
        passphrase = self.access.mode is Mode.PASSPHRASE
        self.window.set_locked(True)
        self.window.lock_page.ask(
            needs_passphrase=passphrase,
            text=lambda: (
                self.tr("Enter your passphrase to continue.")
                if passphrase
                else self.tr("Conversations are hidden. Click Unlock to continue.")
            ),
        )
        self.window.lock_page.unlock_button.show()

    @Slot()
    def _on_unlocked(self) -> None:
        self.window.set_locked(False)
        if self.window.current_conversation is None:
            self.window.open_latest_conversation()
            self._tell_if_unsaved()
        self.window.commands.set_available("change_passphrase", self.access.mode is Mode.PASSPHRASE)

    @Slot(str)
    def _on_unlock_requested(self, passphrase: str) -> None:
        if self.access.store is not None and self.access.mode is Mode.KEYCHAIN:
            self.access.confirm_unlock()
        else:
            self.access.submit_passphrase(passphrase)

    # -- recovery ----------------------------------------------------------------------
    @Slot()
    def import_recovery_key(self) -> None:
        needs_passphrase = self.access.vault.uses_passphrase()
        dialog = ImportRecoveryKeyDialog(self.window, needs_passphrase=needs_passphrase)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.access.import_recovery_key(dialog.key.text(), dialog.passphrase())

    @Slot()
    def _show_first_recovery_key(self) -> None:
        """The last step of the first run: the key that opens the history without the passphrase."""
        try:
            key = self.access.vault.recovery_key()
        except UserError as error:
            self.window.show_error(error.render(translate))
            return
        RecoveryKeyDialog(key, self.window, handover=True).exec()

    @Slot()
    def export_recovery_key(self) -> None:
        """Show the recovery key only after a deliberate confirmation that says what it does.

        The key opens the whole history on any computer, without the passphrase, and it never
        changes; so it is shown only when asked for on purpose, never by a stray click.
        """
        shown = message_box.choose(
            self.window,
            QMessageBox.Icon.Warning,
            self.tr("Show the recovery key?"),
            self.tr(
                "The recovery key opens every saved conversation, on any computer, without"
                " your passphrase, and it does not change. Show it only to keep it somewhere"
                " safe (for example with your IT department), and make sure no one else can"
                " see the screen."
            ),
            self.tr("Show recovery key"),
        )
        if not shown or self.window.commands.locked:
            return
        try:
            key = self.access.vault.recovery_key()
        except UserError as error:
            self.window.show_error(error.render(translate))
            return
        RecoveryKeyDialog(key, self.window).exec()

    @Slot()
    def change_passphrase(self) -> None:
        dialog = NewPassphraseDialog(self.window, change=True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.access.vault.change_passphrase(dialog.current.text(), dialog.passphrase())
        except UserError as error:
            self.window.show_error(error.render(translate))
            return
        self.window.status_line.show_message(lambda: self.tr("Passphrase changed"), 4000)

    @Slot()
    def _on_new_history(self) -> None:
        if message_box.ask(  # Enter means No, as for every question with consequences
            self.window,
            self.tr("Start a new history?"),
            self.tr(
                "The current history file will be kept, renamed, in the data folder, so IT can"
                " still recover it. ClinicChat will start with an empty history."
            ),
        ):
            self.access.start_new_history()
