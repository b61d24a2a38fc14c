"""Keep the key of the encrypted history database, and nothing else.

The history is one SQLCipher file, `history.db`, opened with a random 256-bit key. That key
must never touch the disk in plaintext, so it lives in one of two places:

* the operating system's keychain (`keyring`), under ``history-key:<vault_id>``; or, where
  no keychain is usable,
* `history.json` beside the database, wrapped (AES-256-GCM) under a key derived from the
  clinician's passphrase with Argon2id. Changing the passphrase re-wraps the same key, so
  the database itself is never re-encrypted and cannot be half-converted by a crash.

`history.json` holds only non-secret data (format version, a random vault id, the mode and,
in passphrase mode, the wrapped key with its KDF parameters). The vault id and the format
version are bound into the AES-GCM associated data, so a wrapped key copied from another
vault's metadata fails to unwrap instead of silently opening the wrong thing.

A wrong key and a damaged file look the same to SQLCipher; nothing here deletes or rewrites
a database that does not open. `set_aside()` only renames it, and the recovery key (the raw
database key written for humans, with a checksum) is the way back when the keychain entry or
the metadata is lost.

`history.json` is read and written by `clinichat.history.vault_meta`.

Only a real OS credential store counts as a keychain (`clinichat.history.keychain` keeps the
allow-list and explains the rule). A history whose key already sits in any other backend
(for example `keyrings.alt`'s plaintext file, from before that rule) reports
`VaultState.INSECURE_KEYCHAIN`; `protect_with_passphrase()` then moves the key under a
passphrase in three steps, each safe to be interrupted: prove the key opens the database,
write the metadata atomically (passphrase mode, plus a note of the store still holding a
copy), and only then delete that copy and drop the note. A crash after the metadata write
leaves a history that opens with the new passphrase; the next `unlock()` finishes the clean-up.

Every function and method here may block for a noticeable time: Argon2id takes about a
tenth of a second on purpose, and a locked keychain can show a system prompt and wait for the
user. The UI must call them off the GUI thread.

Passphrases are never logged or stored. Python cannot wipe `bytes`, so the only copy of the
database key this module keeps is on the `Vault` instance after `create()`, `unlock()` or
`import_recovery_key()`, because `recovery_key()` needs it; everything else is local.
"""

from __future__ import annotations

import contextlib
import enum
import hmac
import os
import secrets
import time
import unicodedata
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from sqlcipher3.dbapi2 import Connection

from clinichat.atomic import fsync_dir
from clinichat.history import keychain
from clinichat.history.database import KEY_BYTES, open_encrypted
from clinichat.history.key_wrap import FORMAT_VERSION, BadMetadata
from clinichat.history.passphrase_rules import MIN_PASSPHRASE_LENGTH, passphrase_problem
from clinichat.history.recovery_key import format_recovery_key, parse_recovery_key
from clinichat.history.vault_errors import (
    KeyMissingError,
    VaultError,
    WeakPassphraseError,
    WrongPassphraseError,
    insecure_keychain,
    passphrase_needed,
)
from clinichat.history.vault_meta import (
    META_NAME,
    passphrase_meta,
    read_meta,
    unwrap_key,
    write_meta,
)
from clinichat.messages import QT_TRANSLATE_NOOP

__all__ = ["DB_NAME", "META_NAME", "Vault", "VaultState"]

DB_NAME = "history.db"

_SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")


class VaultState(enum.Enum):
    """What the UI must ask for before the history can be opened."""

    NEW = "new"  # no database yet: offer to create one
    KEYRING = "keyring"  # the key is in the keychain: unlock() needs nothing
    PASSPHRASE = "passphrase"  # unlock() needs the passphrase
    KEY_MISSING = "key-missing"  # database present, key not found: recovery key or set aside
    # The key is in a store that is not a real keychain: protect_with_passphrase() moves it.
    INSECURE_KEYCHAIN = "insecure-keychain"


def _check_new_passphrase(passphrase: str) -> str:
    """Normalise (NFC, so the same word typed on another keyboard matches) and apply the rule.

    The rule (length, not easy to guess) lives in passphrase_rules, shared with the dialogs.
    """
    normalised = unicodedata.normalize("NFC", passphrase)
    problem = passphrase_problem(normalised)
    if problem is not None:
        raise WeakPassphraseError(
            problem.text, reason=problem.reason, minimum=MIN_PASSPHRASE_LENGTH
        )
    return normalised


class Vault:
    """The key of one `history.db` in `data_dir`: create, unlock, re-wrap, recover.

    `trusted_backends` is the allow-list of keyring backends (classes or
    ``module.QualifiedName`` strings) that count as a keychain; it defaults to the operating
    systems' credential stores. Only tests should extend it, with a backend they control.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        service: str = "ClinicChat",
        trusted_backends: Iterable[str | type[KeyringBackend]] = keychain.OS_KEYCHAINS,
    ) -> None:
        self._dir = Path(data_dir)
        self._service = service
        self._trusted = keychain.allow_list(trusted_backends)
        # The database key, kept only so recovery_key() can show it while unlocked.
        self._key: bytes | None = None

    @property
    def db_path(self) -> Path:
        return self._dir / DB_NAME

    @property
    def meta_path(self) -> Path:
        return self._dir / META_NAME

    # -- state ---------------------------------------------------------------------------

    def state(self) -> VaultState:
        """What unlocking needs now; may query the keychain (and so may block)."""
        if not self.db_path.exists():
            return VaultState.NEW
        try:
            meta = self._read_meta()
        except BadMetadata:
            return VaultState.KEY_MISSING
        if meta is None:
            return VaultState.KEY_MISSING
        if meta["mode"] == "passphrase":
            return VaultState.PASSPHRASE
        try:
            found = self._locate_key(meta["vault_id"])
        except keyring.errors.KeyringError:
            return VaultState.KEY_MISSING
        if found is None:
            return VaultState.KEY_MISSING
        return VaultState.KEYRING if self._trusts(found[0]) else VaultState.INSECURE_KEYCHAIN

    def key_store(self) -> keychain.KeychainInfo | None:
        """Which backend holds this keychain-mode history's key, and is it trusted?

        None when there is no such history or the key is in no backend. The UI names the
        store when it explains why the key must move under a passphrase.
        """
        try:
            meta = self._read_meta()
        except BadMetadata:
            return None
        if meta is None or meta["mode"] != "keyring":
            return None
        try:
            found = self._locate_key(meta["vault_id"])
        except keyring.errors.KeyringError:
            return None
        if found is None:
            return None
        return keychain.KeychainInfo(keychain.backend_name(found[0]), self._trusts(found[0]))

    def keychain_info(self) -> keychain.KeychainInfo:
        """The backend a new key would go to, and whether this vault trusts it (no probe)."""
        return keychain.describe_backend(allowed=self._trusted)

    def uses_passphrase(self) -> bool:
        """True when the key is wrapped under a passphrase; reads only the metadata file."""
        try:
            meta = self._read_meta()
        except BadMetadata:
            return False
        return meta is not None and meta["mode"] == "passphrase"

    def keyring_usable(self) -> bool:
        """True when a trusted keychain is configured and a probe entry round-trips.

        "Trusted" is the allow-list (see `clinichat.history.keychain`): a file backend that
        round-trips perfectly still keeps the key readable by anyone with the user's files.
        """
        backend = self._keychain_backend()
        if backend is None:
            return False
        return keychain.round_trips(backend, self._service)

    # -- create / unlock -----------------------------------------------------------------

    def create(self, passphrase: str | None = None) -> Connection:
        """Create a new encrypted history; keychain mode unless a passphrase is given.

        Without a passphrase and without a usable keychain this raises a VaultError asking
        for one. The metadata is written before the database so that a crash never leaves a
        database whose key is recorded nowhere.
        """
        if self.db_path.exists():
            raise VaultError(
                QT_TRANSLATE_NOOP(
                    "Errors", "A history already exists in {folder}; it was not replaced."
                ),
                folder=self._dir,
            )
        if passphrase is None:
            if not self.keyring_usable():
                raise passphrase_needed()
        else:
            passphrase = _check_new_passphrase(passphrase)
        self._dir.mkdir(parents=True, exist_ok=True)
        self._move_stale_metadata()
        key = secrets.token_bytes(KEY_BYTES)
        vault_id = uuid.uuid4().hex
        self._store_key(key, vault_id, passphrase)
        try:
            connection = open_encrypted(self.db_path, key)
            try:
                # SQLCipher writes nothing until the first change; make the file a real
                # encrypted database now so that it can only ever be opened with this key.
                connection.execute("CREATE TABLE vault_init (x)")
                connection.execute("DROP TABLE vault_init")
                connection.commit()
            except BaseException:
                connection.close()
                raise
        except BaseException:
            # Undo only what this call created a moment ago; the database, if any, is empty.
            with contextlib.suppress(OSError):
                self.db_path.unlink()
            with contextlib.suppress(OSError):
                self.meta_path.unlink()
            if passphrase is None:
                self._forget_keyring_entry(vault_id, self._keychain_backend())
            raise
        self._key = key
        return connection

    def unlock(self, passphrase: str | None = None) -> Connection:
        """Open the existing history; the passphrase is needed (only) in passphrase mode.

        A key found in a store that is not a real keychain raises InsecureKeychainError:
        protect_with_passphrase() opens that history instead, and moves the key.
        """
        key = self._find_key(passphrase)
        connection = open_encrypted(self.db_path, key)
        self._key = key
        with contextlib.suppress(BadMetadata, VaultError):
            meta = self._read_meta()
            if meta is not None and meta["mode"] == "passphrase":
                self._drop_stale_entry(meta)
        return connection

    def protect_with_passphrase(self, passphrase: str) -> Connection:
        """Move a keychain-mode history's key under `passphrase` and open the history.

        Meant for INSECURE_KEYCHAIN, where the key sits in, say, a plaintext file; it works
        from a trusted keychain too. The same database key is wrapped as passphrase mode
        does (Argon2id, AES-256-GCM), so the database is not touched. The order makes every
        interruption harmless: the key is proven to open the database before anything is
        written; the metadata (passphrase mode, plus a note naming the store that still
        holds a copy) is replaced atomically; only then is the copy deleted and the note
        dropped. Killed before the metadata write, the history is as it was; after it, the
        history opens with the new passphrase and the next unlock() deletes the copy.
        """
        passphrase = _check_new_passphrase(passphrase)
        meta = self._require_meta()
        if meta["mode"] != "keyring":
            raise VaultError(
                QT_TRANSLATE_NOOP("Errors", "This history is already protected by a passphrase.")
            )
        vault_id = meta["vault_id"]
        store, key = self._keychain_key(vault_id, allow_untrusted=True)
        connection = open_encrypted(self.db_path, key)
        try:
            protected = passphrase_meta(key, passphrase, vault_id, keychain.backend_name(store))
            self._write_meta(protected)
        except BaseException:
            connection.close()
            raise
        self._key = key
        self._drop_stale_entry(protected)
        return connection

    def verify_passphrase(self, passphrase: str) -> bool:
        """True if `passphrase` unwraps the key (and matches the open one, if unlocked).

        For re-unlocking after an idle lock without reopening the database.
        """
        meta = self._require_meta()
        if meta["mode"] != "passphrase":
            raise VaultError(
                QT_TRANSLATE_NOOP("Errors", "This history is not protected by a passphrase.")
            )
        try:
            key = unwrap_key(meta, passphrase)
        except WrongPassphraseError:
            return False
        return self._key is None or hmac.compare_digest(key, self._key)

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-wrap the same key under `new`; the database file is not touched."""
        meta = self._require_meta()
        if meta["mode"] != "passphrase":
            raise VaultError(
                QT_TRANSLATE_NOOP("Errors", "This history is not protected by a passphrase.")
            )
        new = _check_new_passphrase(new)
        key = unwrap_key(meta, old)
        # A key copy still to delete keeps its reminder.
        self._write_meta(passphrase_meta(key, new, meta["vault_id"], meta.get("stale_entry")))

    # -- recovery ------------------------------------------------------------------------

    def recovery_key(self) -> str:
        """The database key for humans; available only after create/unlock in this process."""
        if self._key is None:
            raise VaultError(
                QT_TRANSLATE_NOOP(
                    "Errors", "The recovery key can only be shown while the history is open."
                )
            )
        return format_recovery_key(self._key)

    def import_recovery_key(self, text: str, passphrase: str | None = None) -> Connection:
        """Open the existing database with a recovery key, then keep that key safely.

        The key goes into the keychain, or is wrapped under `passphrase`, in new metadata.
        A key that does not open the database raises UnreadableDatabaseError before anything
        is written, so the database, the metadata and the keychain stay as they were.
        """
        key = parse_recovery_key(text)
        if passphrase is not None:
            passphrase = _check_new_passphrase(passphrase)
        if not self.db_path.exists():
            raise VaultError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "There is no history file in {folder} to open with this recovery key.",
                ),
                folder=self._dir,
            )
        if passphrase is None and not self.keyring_usable():
            raise passphrase_needed()
        connection = open_encrypted(self.db_path, key)
        try:
            try:
                old = self._read_meta()
            except BadMetadata:
                old = None
            vault_id = uuid.uuid4().hex
            self._store_key(key, vault_id, passphrase)
        except BaseException:
            connection.close()
            raise
        if old is not None and old["mode"] == "keyring":
            # The old entry did not yield a working key (or is now superseded): drop it so
            # no stale copy of a history key lingers in the keychain.
            found = None
            with contextlib.suppress(Exception):
                found = self._locate_key(old["vault_id"])
            if found is not None:
                self._forget_keyring_entry(old["vault_id"], found[0])
        self._key = key
        return connection

    def set_aside(self) -> Path:
        """Rename an unopenable history (and its metadata) out of the way; never delete.

        The files keep their bytes under `history-unreadable-<YYYYmmdd-HHMMSS>.*` in the
        same folder (a keychain entry, if any, is kept too), and state() becomes NEW.
        Close any connection to the database first.
        """
        if not self.db_path.exists():
            raise VaultError(
                QT_TRANSLATE_NOOP("Errors", "There is no history file in {folder}."),
                folder=self._dir,
            )
        moves = [(self.db_path, ".db")]
        moves += [
            (self.db_path.with_name(DB_NAME + suffix), ".db" + suffix)
            for suffix in _SIDECAR_SUFFIXES
        ]
        moves.append((self.meta_path, ".json"))
        moves = [(source, ext) for source, ext in moves if source.exists()]
        stem = self._free_stem("history-unreadable", [ext for _, ext in moves])
        try:
            for source, ext in moves:
                os.rename(source, self._dir / (stem + ext))
        except OSError as error:
            raise VaultError(
                QT_TRANSLATE_NOOP(
                    "Errors", "ClinicChat could not rename the history file ({reason})."
                ),
                reason=error.strerror or error,
            ) from error
        fsync_dir(self._dir)
        self._key = None
        return self._dir / (stem + ".db")

    # -- internals -----------------------------------------------------------------------

    def _username(self, vault_id: str) -> str:
        return f"history-key:{vault_id}"

    def _trusts(self, backend: KeyringBackend) -> bool:
        return keychain.backend_name(backend) in self._trusted

    def _keychain_backend(self) -> KeyringBackend | None:
        """The trusted backend a new key goes to (never the chainer itself), or None."""
        target = keychain.storing_backend(keyring.get_keyring())
        return target if target is not None and self._trusts(target) else None

    def _locate_key(self, vault_id: str) -> tuple[KeyringBackend, str] | None:
        """The backend holding the key of `vault_id` and the stored text (KeyringError)."""
        return keychain.find_entry(self._service, self._username(vault_id))

    def _free_stem(self, prefix: str, extensions: list[str]) -> str:
        """A timestamped name none of whose files exist yet (rename must not overwrite)."""
        base = f"{prefix}-{time.strftime('%Y%m%d-%H%M%S')}"
        stem, n = base, 1
        while any((self._dir / (stem + ext)).exists() for ext in extensions):
            n += 1
            stem = f"{base}-{n}"
        return stem

    def _move_stale_metadata(self) -> None:
        """Metadata without a database may still unwrap a moved database: keep, not clobber."""
        if self.meta_path.exists():
            stem = self._free_stem("history-orphaned", [".json"])
            os.rename(self.meta_path, self._dir / (stem + ".json"))

    def _read_meta(self) -> dict[str, Any] | None:
        return read_meta(self.meta_path)

    def _require_meta(self) -> dict[str, Any]:
        """Metadata for an existing database, or the KeyMissingError the UI can act on."""
        if not self.db_path.exists():
            raise VaultError(QT_TRANSLATE_NOOP("Errors", "There is no history to open yet."))
        try:
            meta = self._read_meta()
        except BadMetadata:
            meta = None
        if meta is None:
            raise KeyMissingError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The history file is there, but the information needed to find its key"
                    " ({name}) is missing or damaged. Enter your recovery key to open it, or"
                    " set the history aside and start a new one.",
                ),
                name=META_NAME,
            )
        return meta

    def _find_key(self, passphrase: str | None) -> bytes:
        meta = self._require_meta()
        if meta["mode"] == "passphrase":
            if passphrase is None:
                raise VaultError(
                    QT_TRANSLATE_NOOP("Errors", "Enter the passphrase to open the history.")
                )
            return unwrap_key(meta, passphrase)
        return self._keychain_key(meta["vault_id"], allow_untrusted=False)[1]

    def _keychain_key(
        self, vault_id: str, *, allow_untrusted: bool
    ) -> tuple[KeyringBackend, bytes]:
        """The store holding the key of a keychain-mode history, and the key itself.

        KeyMissingError when no store has a well-formed key; InsecureKeychainError when the
        store is not trusted, unless `allow_untrusted` (moving the key out of it).
        """
        try:
            found = self._locate_key(vault_id)
        except keyring.errors.KeyringError as error:
            raise KeyMissingError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The keychain that holds the history key could not be used ({reason})."
                    " Unlock the keychain and try again, or enter your recovery key.",
                ),
                reason=error,
            ) from error
        key = None
        if found is not None:
            with contextlib.suppress(ValueError):
                key = bytes.fromhex(found[1])
        if found is None or key is None or len(key) != KEY_BYTES:
            raise KeyMissingError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The key to the history is not in this computer's keychain. Enter your"
                    " recovery key to open it, or set the history aside and start a new one.",
                )
            )
        if not allow_untrusted and not self._trusts(found[0]):
            raise insecure_keychain(keychain.backend_name(found[0]))
        return found[0], key

    def _store_key(self, key: bytes, vault_id: str, passphrase: str | None) -> None:
        """Keychain entry (if keyring mode) first, then metadata that points to it."""
        backend = self._keychain_backend() if passphrase is None else None
        if passphrase is None:
            if backend is None:
                raise passphrase_needed()
            try:
                backend.set_password(self._service, self._username(vault_id), key.hex())
            except keyring.errors.KeyringError as error:
                raise VaultError(
                    QT_TRANSLATE_NOOP(
                        "Errors",
                        "The history key could not be saved in the keychain ({reason}).",
                    ),
                    reason=error,
                ) from error
            meta: dict[str, Any] = {
                "format": FORMAT_VERSION,
                "vault_id": vault_id,
                "mode": "keyring",
            }
        else:
            meta = passphrase_meta(key, passphrase, vault_id)
        try:
            self._write_meta(meta)
        except BaseException:
            if backend is not None:
                self._forget_keyring_entry(vault_id, backend)
            raise

    def _write_meta(self, meta: dict[str, Any]) -> None:
        write_meta(self.meta_path, meta)

    def _forget_keyring_entry(self, vault_id: str, backend: KeyringBackend | None) -> None:
        """Best effort: a stale entry in a keychain is untidy, not unsafe; failures ignored."""
        if backend is not None:
            with contextlib.suppress(Exception):
                backend.delete_password(self._service, self._username(vault_id))

    def _drop_stale_entry(self, meta: dict[str, Any]) -> None:
        """Delete the key copy protect_with_passphrase() left noted, then drop the note.

        The note stays (and this is retried at the next unlock) while the named store is
        not loaded or refuses the deletion: a key copy in a plain file is a risk, so it is
        not forgotten about. Nothing else in the keyring is queried, so passphrase users
        with no note never touch the keychain (which could show a system prompt).
        """
        name = meta.get("stale_entry")
        if not isinstance(name, str):
            return
        if not keychain.delete_entry(self._service, self._username(meta["vault_id"]), name):
            return
        cleaned = {k: v for k, v in meta.items() if k != "stale_entry"}
        with contextlib.suppress(VaultError):
            self._write_meta(cleaned)
