"""Open, lock and unlock the encrypted history without ever blocking the GUI thread.

The vault's calls can take a while on purpose (Argon2id) or by accident (a locked keychain
waiting for the user), so each runs as a `BackgroundTask`; the connection it opens is then
handed to the main thread, which alone uses it. `IdleWatcher` locks the window after a spell
without keyboard or mouse input, as KeePassXC does.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal, Slot

from clinichat.background import TaskRunner
from clinichat.history.database import UnreadableDatabaseError
from clinichat.history.sqlcipher_store import EncryptedStore
from clinichat.history.vault import Vault, VaultState
from clinichat.messages import UserError
from clinichat.translate import translate

log = logging.getLogger(__name__)


class Mode(enum.Enum):
    KEYCHAIN = "keychain"
    PASSPHRASE = "passphrase"


class HistoryAccess(QObject):
    """Drives the vault: first run, unlock, lock, recovery; announces what the UI must show."""

    opened = Signal(object)  # EncryptedStore, on the main thread
    needs_passphrase = Signal()  # an existing history wants its passphrase
    needs_new_passphrase = Signal()  # first run without a usable keychain
    # The key sits in a store that is not a real keychain (its name given): ask for a new
    # passphrase, then call protect_with_passphrase().
    needs_protection = Signal(str)
    trouble = Signal(str)  # the history cannot be opened: offer recovery or a new history
    failed = Signal(str)  # one attempt failed (e.g. wrong passphrase); the user may retry
    locked = Signal()
    unlocked = Signal()

    def __init__(self, vault: Vault, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.mode: Mode | None = None
        self.store: EncryptedStore | None = None
        self.is_locked = True
        self._tasks = TaskRunner(self)

    # -- what the UI asks for ----------------------------------------------------------
    def start(self) -> None:
        """Find out what opening the history needs, then open it or ask the user."""
        self._run(self._inspect, self._on_state)

    def submit_passphrase(self, passphrase: str) -> None:
        if self.store is not None:
            self._run(lambda: self.vault.verify_passphrase(passphrase), self._on_verified)
        else:
            self._run(lambda: self.vault.unlock(passphrase), self._on_connection)

    def create_with_passphrase(self, passphrase: str) -> None:
        self._run(lambda: self.vault.create(passphrase), self._on_connection)

    def protect_with_passphrase(self, passphrase: str) -> None:
        """Move a key out of an insecure store under `passphrase`, then open the history."""
        self._run(lambda: self.vault.protect_with_passphrase(passphrase), self._on_connection)

    def import_recovery_key(self, text: str, passphrase: str | None) -> None:
        self._run(lambda: self.vault.import_recovery_key(text, passphrase), self._on_connection)

    def start_new_history(self) -> None:
        """Keep the unreadable file aside (never delete it) and begin an empty history."""
        self._run(self.vault.set_aside, lambda _path: self.start())

    def lock(self) -> None:
        if self.store is not None and not self.is_locked:
            self.store.flush()
            self.is_locked = True
            log.info("history locked")
            self.locked.emit()

    def confirm_unlock(self) -> None:
        """Keychain mode: the OS account is the protection; a click unlocks the window."""
        if self.store is not None and self.mode is Mode.KEYCHAIN:
            self._unlock()

    def close(self) -> None:
        self._tasks.wait_all()
        if self.store is not None:
            self.store.close()
            self.store = None

    # -- internals ---------------------------------------------------------------------
    def _run(self, job: Callable[[], object], done: Callable[[object], None]) -> None:
        self._tasks.run(job, done, self._on_error)

    def _inspect(self) -> tuple[VaultState, bool, str]:
        """Off the GUI thread: the state, whether a new key can go to a keychain, and (for
        INSECURE_KEYCHAIN) the name of the store holding the key.

        The keychain is probed only for a new history: a probe writes an entry, which a
        locked keychain answers with a system prompt the user should not see for nothing.
        """
        state = self.vault.state()
        usable = state is VaultState.NEW and self.vault.keyring_usable()
        store = self.vault.key_store() if state is VaultState.INSECURE_KEYCHAIN else None
        return state, usable, store.name if store is not None else ""

    @Slot(object)
    def _on_state(self, result: object) -> None:
        assert isinstance(result, tuple)
        state, keyring_usable, store = result
        if state is VaultState.NEW and keyring_usable:
            self._run(self.vault.create, self._on_connection)
        elif state is VaultState.NEW:
            self.needs_new_passphrase.emit()
        elif state is VaultState.INSECURE_KEYCHAIN:
            self.needs_protection.emit(store)
        elif state is VaultState.KEYRING:
            self._run(self.vault.unlock, self._on_connection)
        elif state is VaultState.PASSPHRASE:
            self.needs_passphrase.emit()
        else:
            self.trouble.emit(
                self.tr(
                    "The key of your conversation history is no longer in this computer's"
                    " keychain. Import the recovery key from your IT department, or start a"
                    " new history; the old file is kept, never deleted."
                )
            )

    @Slot(object)
    def _on_connection(self, connection: object) -> None:
        """A connection opened (first, or again through the recovery key while locked).

        The previous store is closed only after `opened`, which moves the window and any
        answer being written over to the new one.
        """
        previous = self.store
        self.mode = Mode.PASSPHRASE if self.vault.uses_passphrase() else Mode.KEYCHAIN
        self.store = EncryptedStore(connection)
        self.opened.emit(self.store)
        if previous is not None:
            previous.close()
        self._unlock()

    @Slot(object)
    def _on_verified(self, ok: object) -> None:
        if ok:
            self._unlock()
        else:
            self.failed.emit(self.tr("That passphrase is not correct. Try again."))

    def _unlock(self) -> None:
        self.is_locked = False
        log.info("history unlocked (%s mode)", self.mode.value if self.mode else "unknown")
        self.unlocked.emit()

    @Slot(object)
    def _on_error(self, error: object) -> None:
        if isinstance(error, UnreadableDatabaseError) and self.store is None:
            self.trouble.emit(error.render(translate))
        elif isinstance(error, UserError):
            self.failed.emit(error.render(translate))
        else:
            self.failed.emit(str(error))


class IdleWatcher(QObject):
    """Emits `idle` after `minutes` without keyboard or mouse input anywhere in the app."""

    idle = Signal()
    INPUT_EVENTS = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
        }
    )

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_timeout_ms(self, milliseconds: int) -> None:
        """0 turns idle locking off."""
        self._timer.setInterval(milliseconds)
        if milliseconds > 0:
            self._timer.start()
        else:
            self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self.INPUT_EVENTS and self._timer.interval() > 0:
            self._timer.start()
        return False
