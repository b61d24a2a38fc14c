"""Open the history database encrypted, or not at all.

Plain sqlite3 silently ignores `PRAGMA key` and writes plaintext, so every open checks that
SQLCipher is really there (`PRAGMA cipher_version`) and that the file on disk does not start
with SQLite's plaintext header. A wrong key and a damaged file look the same to SQLCipher
("file is not a database"): both raise `UnreadableDatabaseError`, and nothing here ever
deletes or rewrites such a file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlcipher3
from sqlcipher3.dbapi2 import Connection

from clinichat.messages import QT_TRANSLATE_NOOP, UserError

KEY_BYTES = 32
PLAINTEXT_HEADER = b"SQLite format 3\x00"


class DatabaseError(UserError):
    """The history database cannot be used as it is."""


class NotEncryptedError(DatabaseError):
    """SQLCipher is missing, or the file is a plain (unencrypted) SQLite database."""


class UnreadableDatabaseError(DatabaseError):
    """The key does not open the file, or the file is damaged; it is left untouched."""


def is_plaintext_sqlite(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(PLAINTEXT_HEADER)) == PLAINTEXT_HEADER
    except FileNotFoundError:
        return False


def open_encrypted(path: Path, key: bytes) -> Connection:
    """Open (or create) `path` with a raw 256-bit key; raise unless it is truly encrypted."""
    if len(key) != KEY_BYTES:
        raise ValueError("the history key must be 32 bytes")
    if is_plaintext_sqlite(path):
        raise NotEncryptedError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The history file {path} is not encrypted. ClinicChat will not use it; move it"
                " away and restart.",
            ),
            path=path,
        )
    if not path.exists():
        # Only this user may read the (encrypted) history, on shared computers too.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    # Opened off the GUI thread (key derivation and keychain calls can be slow), then handed
    # to the main thread, which alone uses it from then on.
    connection: Connection = sqlcipher3.connect(str(path), check_same_thread=False)
    try:
        # A wrong key is an expected event (the unlock dialog retries); keep SQLCipher's own
        # decryption-failure chatter off stderr.
        connection.execute("PRAGMA cipher_log_level = NONE")
        version = connection.execute("PRAGMA cipher_version").fetchone()
        if not version or not version[0]:
            raise NotEncryptedError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "This installation has no working encryption (SQLCipher), so the history"
                    " cannot be opened safely.",
                )
            )
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.dbapi2.DatabaseError as error:
            raise UnreadableDatabaseError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "The history could not be opened: the key is wrong or the file is"
                    " damaged. The file has not been changed.",
                )
            ) from error
    except BaseException:
        connection.close()
        raise
    return connection


@contextmanager
def transaction(connection: Connection) -> Iterator[None]:
    """One explicit write transaction (the stores run with isolation_level None): taken
    at once (IMMEDIATE, so a second writer waits here, not half-way), rolled back on any
    error."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
