"""The history vault against real SQLCipher files and a real (in-memory) keyring backend."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backends import fail
from memory_keyring import TRUSTED_WITH_MEMORY, MemoryKeyring
from sqlcipher3.dbapi2 import Connection

from clinichat.history.database import UnreadableDatabaseError
from clinichat.history.recovery_key import parse_recovery_key
from clinichat.history.vault import Vault, VaultState
from clinichat.history.vault_errors import (
    InvalidRecoveryKeyError,
    KeyMissingError,
    VaultError,
    WrongPassphraseError,
)

SENTINEL = "Sentinel patient note: Ms Zebedee-Quarrington, 1937"
PASSPHRASE = "correct horse battery"


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


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def assert_encrypted(db: Path) -> None:
    assert SENTINEL.encode("utf-8") not in db.read_bytes()
    plain = sqlite3.connect(db)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            plain.execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        plain.close()


def open_vault(folder: Path) -> Vault:
    """A vault that trusts the tests' MemoryKeyring as it trusts an OS keychain."""
    return Vault(folder, trusted_backends=TRUSTED_WITH_MEMORY)


def make_vault(folder: Path, passphrase: str | None) -> Vault:
    vault = open_vault(folder)
    write_sentinel(vault.create(passphrase))
    return vault


# -- round trips -----------------------------------------------------------------------


def test_keyring_mode_round_trip(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    vault = open_vault(tmp_path)
    assert vault.state() is VaultState.NEW
    assert vault.keyring_usable()
    write_sentinel(vault.create())
    assert vault.state() is VaultState.KEYRING
    assert_encrypted(vault.db_path)
    # The probe entry was cleaned up; exactly one key entry remains.
    assert len(memory_keyring.entries) == 1

    again = open_vault(tmp_path)
    assert again.state() is VaultState.KEYRING
    assert read_sentinel(again.unlock()) == SENTINEL


def test_passphrase_mode_round_trip(tmp_path: Path, no_keyring: None) -> None:
    vault = open_vault(tmp_path)
    assert not vault.keyring_usable()
    with pytest.raises(VaultError, match="passphrase"):
        vault.create()
    with pytest.raises(VaultError, match="at least 8"):
        vault.create("short")
    assert vault.state() is VaultState.NEW
    write_sentinel(vault.create(PASSPHRASE))
    assert vault.state() is VaultState.PASSPHRASE
    assert_encrypted(vault.db_path)

    again = open_vault(tmp_path)
    assert again.state() is VaultState.PASSPHRASE
    with pytest.raises(VaultError, match="passphrase"):
        again.unlock()
    assert read_sentinel(again.unlock(PASSPHRASE)) == SENTINEL
    assert again.verify_passphrase(PASSPHRASE)
    assert not again.verify_passphrase(PASSPHRASE + "x")


def test_passphrase_mode_with_keyring_available(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    vault = make_vault(tmp_path, PASSPHRASE)
    assert vault.state() is VaultState.PASSPHRASE
    assert memory_keyring.entries == {}


def test_create_refuses_existing_history(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    make_vault(tmp_path, None)
    before = hashes(tmp_path)
    with pytest.raises(VaultError, match="already exists"):
        open_vault(tmp_path).create()
    assert hashes(tmp_path) == before


# -- failures leave everything untouched ----------------------------------------------


def test_wrong_passphrase_changes_nothing(tmp_path: Path, no_keyring: None) -> None:
    make_vault(tmp_path, PASSPHRASE)
    before = hashes(tmp_path)
    vault = open_vault(tmp_path)
    with pytest.raises(WrongPassphraseError):
        vault.unlock("not the passphrase")
    with pytest.raises(WrongPassphraseError):
        vault.change_passphrase("not the passphrase", "another passphrase")
    assert hashes(tmp_path) == before


def test_key_missing_from_keychain(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    make_vault(tmp_path, None)
    memory_keyring.entries.clear()
    before = hashes(tmp_path)
    vault = open_vault(tmp_path)
    assert vault.state() is VaultState.KEY_MISSING
    with pytest.raises(KeyMissingError):
        vault.unlock()
    assert hashes(tmp_path) == before


def test_metadata_missing_is_key_missing(tmp_path: Path, no_keyring: None) -> None:
    vault = make_vault(tmp_path, PASSPHRASE)
    vault.meta_path.unlink()
    assert vault.state() is VaultState.KEY_MISSING
    with pytest.raises(KeyMissingError):
        vault.unlock(PASSPHRASE)


def test_wrapped_key_cannot_move_between_vaults(tmp_path: Path, no_keyring: None) -> None:
    """Another vault's wrapped key, under the same passphrase, does not unwrap here."""
    first = make_vault(tmp_path / "a", PASSPHRASE)
    second = make_vault(tmp_path / "b", PASSPHRASE)
    meta_a = json.loads(first.meta_path.read_text())
    meta_b = json.loads(second.meta_path.read_text())
    meta_b["wrapped_key"] = meta_a["wrapped_key"]
    second.meta_path.write_text(json.dumps(meta_b))
    with pytest.raises(WrongPassphraseError):
        open_vault(tmp_path / "b").unlock(PASSPHRASE)


@pytest.mark.parametrize("damage", ["page1", "whole"])
def test_damaged_file_set_aside(tmp_path: Path, memory_keyring: MemoryKeyring, damage: str) -> None:
    vault = make_vault(tmp_path, None)
    data = bytearray(vault.db_path.read_bytes())
    if damage == "page1":
        data[1000:1200] = os.urandom(200)
    else:
        data[:] = os.urandom(len(data))
    vault.db_path.write_bytes(bytes(data))
    before = hashes(tmp_path)

    vault = open_vault(tmp_path)
    assert vault.state() is VaultState.KEYRING
    with pytest.raises(UnreadableDatabaseError):
        vault.unlock()
    assert hashes(tmp_path) == before

    moved = vault.set_aside()
    assert moved.parent == tmp_path
    assert moved.name.startswith("history-unreadable-") and moved.suffix == ".db"
    assert moved.read_bytes() == bytes(data)
    assert moved.with_suffix(".json").exists()
    assert vault.state() is VaultState.NEW
    assert sorted(hashes(tmp_path).values()) == sorted(before.values())

    write_sentinel(vault.create())
    assert read_sentinel(open_vault(tmp_path).unlock()) == SENTINEL
    assert moved.read_bytes() == bytes(data)


# -- passphrase change -------------------------------------------------------------------


def test_change_passphrase(tmp_path: Path, no_keyring: None) -> None:
    vault = make_vault(tmp_path, PASSPHRASE)
    db_before = vault.db_path.read_bytes()
    vault_id = json.loads(vault.meta_path.read_text())["vault_id"]
    with pytest.raises(VaultError, match="at least 8"):
        vault.change_passphrase(PASSPHRASE, "short")
    vault.change_passphrase(PASSPHRASE, "a brand new passphrase")
    assert vault.db_path.read_bytes() == db_before
    assert json.loads(vault.meta_path.read_text())["vault_id"] == vault_id

    again = open_vault(tmp_path)
    with pytest.raises(WrongPassphraseError):
        again.unlock(PASSPHRASE)
    assert read_sentinel(again.unlock("a brand new passphrase")) == SENTINEL
    assert vault.db_path.read_bytes() == db_before


# -- recovery key --------------------------------------------------------------------------


def test_recovery_key_needs_unlocked_vault(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    make_vault(tmp_path, None)
    with pytest.raises(VaultError):
        open_vault(tmp_path).recovery_key()


def test_recovery_key_format(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    vault = make_vault(tmp_path, None)
    text = vault.recovery_key()
    groups = text.split("-")
    assert len(groups) == 17 and all(len(g) == 4 for g in groups)
    (stored,) = memory_keyring.entries.values()
    assert "".join(groups[:16]).lower() == stored
    # Reading it back is lenient about case and spacing.
    assert parse_recovery_key(" ".join(groups).lower()).hex() == stored


def typo(text: str) -> str:
    index = 7  # a hex digit, not a dash
    replacement = "0" if text[index] != "0" else "1"
    return text[:index] + replacement + text[index + 1 :]


@pytest.mark.parametrize("mode", ["keyring", "passphrase"])
def test_recovery_key_on_new_machine(
    tmp_path: Path, memory_keyring: MemoryKeyring, mode: str
) -> None:
    old = make_vault(tmp_path / "old", PASSPHRASE if mode == "passphrase" else None)
    text = old.recovery_key()
    other = make_vault(tmp_path / "other", None).recovery_key()
    memory_keyring.entries.clear()

    new_dir = tmp_path / "new"
    new_dir.mkdir()
    shutil.copy2(old.db_path, new_dir / "history.db")
    if mode == "passphrase":
        keyring.set_keyring(fail.Keyring())
    vault = open_vault(new_dir)
    assert vault.state() is VaultState.KEY_MISSING
    before = hashes(new_dir)

    with pytest.raises(InvalidRecoveryKeyError):
        vault.import_recovery_key(typo(text), PASSPHRASE if mode == "passphrase" else None)
    with pytest.raises(InvalidRecoveryKeyError):
        vault.import_recovery_key("1234-5678")
    with pytest.raises(UnreadableDatabaseError):
        vault.import_recovery_key(other, PASSPHRASE if mode == "passphrase" else None)
    assert hashes(new_dir) == before
    assert memory_keyring.entries == {}

    if mode == "keyring":
        assert read_sentinel(vault.import_recovery_key(text)) == SENTINEL
        assert open_vault(new_dir).state() is VaultState.KEYRING
        assert read_sentinel(open_vault(new_dir).unlock()) == SENTINEL
    else:
        with pytest.raises(VaultError, match="passphrase"):
            vault.import_recovery_key(text)
        assert read_sentinel(vault.import_recovery_key(text, "new machine pass")) == SENTINEL
        assert open_vault(new_dir).state() is VaultState.PASSPHRASE
        assert read_sentinel(open_vault(new_dir).unlock("new machine pass")) == SENTINEL
    assert vault.recovery_key() == text
    assert (new_dir / "history.db").read_bytes() == old.db_path.read_bytes()


def test_recovery_key_replaces_keyring_entry(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    vault = make_vault(tmp_path, None)
    text = vault.recovery_key()
    ((service, username),) = memory_keyring.entries
    memory_keyring.entries[(service, username)] = "00" * 32  # a wrong key in the keychain
    with pytest.raises(UnreadableDatabaseError):
        open_vault(tmp_path).unlock()
    read_sentinel(open_vault(tmp_path).import_recovery_key(text))
    assert list(memory_keyring.entries.values()) == [parse_recovery_key(text).hex()]
    assert read_sentinel(open_vault(tmp_path).unlock()) == SENTINEL


# -- metadata ------------------------------------------------------------------------------


def test_metadata_contents(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    vault = make_vault(tmp_path, None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.db", "history.json"]
    meta = json.loads(vault.meta_path.read_text())
    assert meta["format"] == 1 and meta["mode"] == "keyring" and len(meta["vault_id"]) == 32
    assert "wrapped_key" not in meta
    (key_hex,) = memory_keyring.entries.values()
    key = bytes.fromhex(key_hex)
    for path in tmp_path.iterdir():
        data = path.read_bytes()
        assert key_hex.encode() not in data.lower()
        assert key not in data


def test_passphrase_metadata(tmp_path: Path, no_keyring: None) -> None:
    vault = make_vault(tmp_path, PASSPHRASE)
    vault.change_passphrase(PASSPHRASE, "second passphrase")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.db", "history.json"]
    text = vault.meta_path.read_text()
    assert PASSPHRASE not in text and "second passphrase" not in text
    key_hex = parse_recovery_key(vault.recovery_key()).hex()
    assert key_hex not in text.lower()
    wrapped = json.loads(text)["wrapped_key"]
    assert wrapped["kdf"] == "argon2id"
    assert (wrapped["memory_cost"], wrapped["iterations"], wrapped["lanes"]) == (47104, 1, 1)


def test_newer_metadata_is_not_overwritten(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    vault = make_vault(tmp_path, None)
    meta = json.loads(vault.meta_path.read_text())
    meta["format"] = 2
    vault.meta_path.write_text(json.dumps(meta))
    with pytest.raises(VaultError, match="newer version"):
        open_vault(tmp_path).state()


def test_stale_metadata_is_kept_on_create(tmp_path: Path, no_keyring: None) -> None:
    vault = make_vault(tmp_path, PASSPHRASE)
    old_meta = vault.meta_path.read_bytes()
    vault.db_path.rename(tmp_path / "moved.db")
    assert vault.state() is VaultState.NEW
    vault.create(PASSPHRASE).close()
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("history-orphaned-")]
    assert len(kept) == 1 and kept[0].read_bytes() == old_meta


def test_keyring_usable_rejects_broken_backend(tmp_path: Path) -> None:
    class Locked(MemoryKeyring):
        def set_password(self, service: str, username: str, password: str) -> None:
            raise keyring.errors.KeyringLocked("locked")

    previous = keyring.get_keyring()
    keyring.set_keyring(Locked())
    try:
        # Trusted by class, so what refuses it is the probe, not the allow-list.
        vault = Vault(tmp_path, trusted_backends=(Locked,))
        assert vault.keychain_info().trusted
        assert not vault.keyring_usable()
        with pytest.raises(VaultError, match="passphrase"):
            vault.create()
        assert list(tmp_path.iterdir()) == []
    finally:
        keyring.set_keyring(previous)
