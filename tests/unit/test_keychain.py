"""Only real OS credential stores are a keychain; a key found elsewhere moves to a passphrase.

Against keyrings.alt's real PlaintextKeyring (its file in a temporary folder) and real
SQLCipher files: the store most Linux machines with keyrings.alt fall back to, which keeps
the history key base64-encoded in the home folder.
"""

from __future__ import annotations

import base64
import configparser
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest
from keyring.backends import SecretService, chainer, fail, null
from keyrings.alt.file import EncryptedKeyring, PlaintextKeyring
from memory_keyring import TRUSTED_WITH_MEMORY, MemoryKeyring
from sqlcipher3.dbapi2 import Connection

from clinichat import self_test
from clinichat.history import vault_meta
from clinichat.history.keychain import (
    OS_KEYCHAINS,
    KeychainInfo,
    backend_name,
    describe_backend,
    is_trusted,
)
from clinichat.history.recovery_key import parse_recovery_key
from clinichat.history.vault import Vault, VaultState
from clinichat.history.vault_errors import InsecureKeychainError, VaultError

SENTINEL = "Sentinel patient note: Mr Quillfeather-Abernathy, 1941"
PASSPHRASE = "correct horse battery"
SERVICE = "ClinicChat"
PLAINTEXT = "keyrings.alt.file.PlaintextKeyring"


class Killed(BaseException):
    """Stands in for the process dying at one step: nothing after it runs."""


def write_sentinel(connection: Connection) -> None:
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.execute("INSERT INTO notes VALUES (?)", (SENTINEL,))
    connection.commit()
    connection.close()


def read_sentinel(connection: Connection) -> str:
    try:
        row = connection.execute("SELECT body FROM notes").fetchone()
    finally:
        connection.close()
    return str(row[0])


def legacy_vault(folder: Path) -> tuple[str, bytes]:
    """A history made as before the allow-list: its key written to the plaintext keyring.

    Returns the keyring username and the key.
    """
    old = Vault(folder, trusted_backends=(PlaintextKeyring,))
    write_sentinel(old.create())
    key = parse_recovery_key(old.recovery_key())
    vault_id = json.loads(old.meta_path.read_text())["vault_id"]
    return f"history-key:{vault_id}", key


def file_text(backend: PlaintextKeyring) -> str:
    path = Path(backend.file_path)
    return path.read_text(encoding="utf-8") if path.exists() else ""


def key_in_file(backend: PlaintextKeyring, key: bytes) -> bool:
    """The key, as PlaintextKeyring writes it (base64 of the hex text), is in its file."""
    encoded = base64.b64encode(key.hex().encode()).decode()
    flat = "".join(file_text(backend).split())
    return encoded in flat


def entries(backend: PlaintextKeyring) -> list[tuple[str, str]]:
    """(section, option) of every entry in the keyring's file, names as escaped there."""
    config = configparser.RawConfigParser()
    config.read(backend.file_path, encoding="utf-8")
    return [(section, option) for section in config.sections() for option in config[section]]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def chain(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[keyring.backend.KeyringBackend]]:
    """keyring's ChainerBackend as the backend, over members the test puts in the list."""
    members: list[keyring.backend.KeyringBackend] = []
    monkeypatch.setattr(chainer.ChainerBackend, "backends", members)
    previous = keyring.get_keyring()
    keyring.set_keyring(chainer.ChainerBackend())
    try:
        yield members
    finally:
        keyring.set_keyring(previous)


# -- the allow-list ------------------------------------------------------------------------


def test_only_os_credential_stores_are_trusted(tmp_path: Path) -> None:
    assert backend_name(SecretService.Keyring) in OS_KEYCHAINS
    assert {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
    } <= OS_KEYCHAINS
    assert is_trusted(SecretService.Keyring())

    class LookAlike(SecretService.Keyring):
        """A subclass can keep the secret anywhere: the class itself must be on the list."""

    # EncryptedKeyring's constructor wants PyCryptodome; being refused needs only its class.
    encrypted = EncryptedKeyring.__new__(EncryptedKeyring)
    refused = [PlaintextKeyring(), encrypted, null.Keyring(), fail.Keyring()]
    refused += [LookAlike(), MemoryKeyring()]
    for backend in refused:
        assert not is_trusted(backend), backend
        assert describe_backend(backend) == KeychainInfo(backend_name(backend), False)
    assert describe_backend(PlaintextKeyring()).name == PLAINTEXT


def test_a_chain_is_judged_by_the_backend_that_would_store_the_key(
    chain: list[keyring.backend.KeyringBackend],
) -> None:
    memory, plaintext = MemoryKeyring(), PlaintextKeyring()
    allowed = {backend_name(MemoryKeyring)}
    assert describe_backend(allowed=allowed) == KeychainInfo(
        "keyring.backends.chainer.ChainerBackend", False
    ), "an empty chain stores nothing"
    chain[:] = [memory, plaintext]
    assert describe_backend(allowed=allowed) == KeychainInfo(backend_name(memory), True)
    chain[:] = [plaintext, memory]
    assert describe_backend(allowed=allowed) == KeychainInfo(PLAINTEXT, False)


def test_a_trusted_chain_never_writes_to_its_file_member(
    tmp_path: Path, chain: list[keyring.backend.KeyringBackend]
) -> None:
    memory, plaintext = MemoryKeyring(), PlaintextKeyring()
    plaintext.file_path = str(tmp_path / "keyring_pass.cfg")
    chain[:] = [memory, plaintext]
    vault = Vault(tmp_path / "data", trusted_backends=TRUSTED_WITH_MEMORY)
    assert vault.keyring_usable()
    write_sentinel(vault.create())
    assert vault.state() is VaultState.KEYRING
    assert len(memory.entries) == 1
    assert file_text(plaintext) == "", "not a key, not even a probe entry, in the file"

    # A key that sits only in the chain's file member is found, and called insecure.
    (username_key,) = memory.entries.items()
    (_, username), key_hex = username_key
    memory.entries.clear()
    plaintext.set_password(SERVICE, username, key_hex)
    again = Vault(tmp_path / "data", trusted_backends=TRUSTED_WITH_MEMORY)
    assert again.state() is VaultState.INSECURE_KEYCHAIN
    assert again.key_store() == KeychainInfo(PLAINTEXT, False)


# -- a new history ---------------------------------------------------------------------------


def test_new_history_with_a_plaintext_keyring_asks_for_a_passphrase(
    tmp_path: Path, plaintext_keyring: PlaintextKeyring
) -> None:
    data = tmp_path / "data"
    vault = Vault(data)
    assert vault.keychain_info() == KeychainInfo(PLAINTEXT, False)
    assert not vault.keyring_usable()
    with pytest.raises(VaultError, match="passphrase"):
        vault.create()
    assert not vault.db_path.exists()
    write_sentinel(vault.create(PASSPHRASE))
    assert Vault(data).state() is VaultState.PASSPHRASE
    assert read_sentinel(Vault(data).unlock(PASSPHRASE)) == SENTINEL
    assert file_text(plaintext_keyring) == "", "not even a probe entry was written"


# -- a history whose key is already in the plaintext file -------------------------------------


def test_key_in_a_plaintext_keyring_is_moved_under_a_passphrase(
    tmp_path: Path, plaintext_keyring: PlaintextKeyring
) -> None:
    data = tmp_path / "data"
    username, key = legacy_vault(data)
    assert key_in_file(plaintext_keyring, key), "the old code left the key in the file"
    assert len(entries(plaintext_keyring)) == 1
    db_before = digest(data / "history.db")

    vault = Vault(data)
    assert vault.state() is VaultState.INSECURE_KEYCHAIN
    assert vault.key_store() == KeychainInfo(PLAINTEXT, False)
    with pytest.raises(InsecureKeychainError, match="not a real keychain"):
        vault.unlock()
    meta_before = vault.meta_path.read_bytes()
    with pytest.raises(VaultError, match="at least"):
        vault.protect_with_passphrase("short")
    assert vault.meta_path.read_bytes() == meta_before
    assert key_in_file(plaintext_keyring, key)

    assert read_sentinel(vault.protect_with_passphrase(PASSPHRASE)) == SENTINEL
    assert parse_recovery_key(vault.recovery_key()) == key

    assert not key_in_file(plaintext_keyring, key), "the plaintext copy is gone"
    assert entries(plaintext_keyring) == [], "no entry of ClinicChat is left in the file"
    assert plaintext_keyring.get_password(SERVICE, username) is None
    meta = json.loads(vault.meta_path.read_text())
    assert meta["mode"] == "passphrase" and "stale_entry" not in meta
    assert meta["wrapped_key"]["kdf"] == "argon2id"
    assert meta["wrapped_key"]["cipher"] == "aes-256-gcm"
    assert key.hex() not in vault.meta_path.read_text().lower()
    assert digest(data / "history.db") == db_before, "re-wrapped, not re-encrypted"

    reopened = Vault(data)
    assert reopened.state() is VaultState.PASSPHRASE
    assert read_sentinel(reopened.unlock(PASSPHRASE)) == SENTINEL
    with pytest.raises(VaultError, match="already protected"):
        reopened.protect_with_passphrase(PASSPHRASE)


def test_a_move_killed_before_the_metadata_is_written_changes_nothing(
    tmp_path: Path, plaintext_keyring: PlaintextKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    username, key = legacy_vault(data)
    meta_before = (data / "history.json").read_bytes()

    def die(path: Path, data: bytes) -> None:
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(vault_meta, "write_atomically", die)
        with pytest.raises(Killed):
            Vault(data).protect_with_passphrase(PASSPHRASE)
    assert (data / "history.json").read_bytes() == meta_before
    assert key_in_file(plaintext_keyring, key)
    vault = Vault(data)
    assert vault.state() is VaultState.INSECURE_KEYCHAIN, "asked again at the next start"
    assert read_sentinel(vault.protect_with_passphrase(PASSPHRASE)) == SENTINEL
    assert plaintext_keyring.get_password(SERVICE, username) is None


def test_a_move_killed_before_the_plaintext_copy_is_deleted_opens_and_cleans_up(
    tmp_path: Path, plaintext_keyring: PlaintextKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    username, key = legacy_vault(data)

    def die(self: PlaintextKeyring, service: str, username: str) -> None:
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(PlaintextKeyring, "delete_password", die)
        with pytest.raises(Killed):
            Vault(data).protect_with_passphrase(PASSPHRASE)
    meta = json.loads((data / "history.json").read_text())
    assert meta["mode"] == "passphrase" and meta["stale_entry"] == PLAINTEXT
    assert key_in_file(plaintext_keyring, key), "the copy outlived the interruption"

    vault = Vault(data)
    assert vault.state() is VaultState.PASSPHRASE
    assert read_sentinel(vault.unlock(PASSPHRASE)) == SENTINEL
    assert not key_in_file(plaintext_keyring, key), "the next unlock finished the move"
    assert plaintext_keyring.get_password(SERVICE, username) is None
    assert "stale_entry" not in json.loads((data / "history.json").read_text())


def test_a_passphrase_change_keeps_the_reminder_of_an_undeleted_copy(
    tmp_path: Path, plaintext_keyring: PlaintextKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    _username, key = legacy_vault(data)
    with monkeypatch.context() as patch:
        patch.setattr(PlaintextKeyring, "delete_password", lambda *args: None)  # refuses
        read_sentinel(Vault(data).protect_with_passphrase(PASSPHRASE))
        assert key_in_file(plaintext_keyring, key)
        Vault(data).change_passphrase(PASSPHRASE, "a second passphrase")
    assert json.loads((data / "history.json").read_text())["stale_entry"] == PLAINTEXT
    assert read_sentinel(Vault(data).unlock("a second passphrase")) == SENTINEL
    assert not key_in_file(plaintext_keyring, key)


# -- what --self-test reports --------------------------------------------------------------


def test_self_test_names_the_backend_and_whether_it_is_trusted(
    plaintext_keyring: PlaintextKeyring,
) -> None:
    assert self_test._keyring_backend() == {"keyring": PLAINTEXT, "keyring_trusted": "no"}
    keyring.set_keyring(SecretService.Keyring())  # the fixture restores the previous one
    assert self_test._keyring_backend() == {
        "keyring": "keyring.backends.SecretService.Keyring",
        "keyring_trusted": "yes",
    }
