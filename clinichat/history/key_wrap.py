"""The history key wrapped under a passphrase: Argon2id derives a key-encryption key, and
AES-256-GCM seals the database key with the vault id and format bound in as associated data,
so a wrapped key copied from another vault's metadata fails to unwrap.

The record is what history.json holds under "wrapped_key"; its KDF parameters travel with
it, so they can be raised later without breaking old vaults, and a tampered record asking
for absurd parameters is refused before any memory is spent.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import unicodedata
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from clinichat.history.database import KEY_BYTES
from clinichat.history.vault_errors import wrong_passphrase

__all__ = ["FORMAT_VERSION", "BadMetadata", "unwrap", "wrap"]

#: The version of history.json, bound into every wrapped key.
FORMAT_VERSION: Final = 1

# OWASP's Argon2id recommendation (2023): 46 MiB, one pass, one lane. The parameters are
# stored with each wrapped key, so they can be raised later without breaking old vaults.
ARGON2_MEMORY_KIB = 47104
ARGON2_ITERATIONS = 1
ARGON2_LANES = 1
# A tampered metadata file could ask for absurd parameters; refuse rather than exhaust memory.
_ARGON2_MAX_MEMORY_KIB = 4 * 1024 * 1024
_ARGON2_MAX_ITERATIONS = 64
_ARGON2_MAX_LANES = 64
SALT_BYTES = 16
NONCE_BYTES = 12


def _associated_data(vault_id: str) -> bytes:
    """Bind a wrapped key to its vault and format, so it cannot be moved between vaults."""
    return f"ClinicChat history key|format={FORMAT_VERSION}|vault={vault_id}".encode()


def _derive(passphrase: str, salt: bytes, memory_cost: int, iterations: int, lanes: int) -> bytes:
    kdf = Argon2id(
        salt=salt, length=32, iterations=iterations, lanes=lanes, memory_cost=memory_cost
    )
    return kdf.derive(unicodedata.normalize("NFC", passphrase).encode("utf-8"))


def wrap(key: bytes, passphrase: str, vault_id: str) -> dict[str, Any]:
    salt = secrets.token_bytes(SALT_BYTES)
    nonce = secrets.token_bytes(NONCE_BYTES)
    kek = _derive(passphrase, salt, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_LANES)
    ciphertext = AESGCM(kek).encrypt(nonce, key, _associated_data(vault_id))
    return {
        "kdf": "argon2id",
        "memory_cost": ARGON2_MEMORY_KIB,
        "iterations": ARGON2_ITERATIONS,
        "lanes": ARGON2_LANES,
        "salt": base64.b64encode(salt).decode("ascii"),
        "cipher": "aes-256-gcm",
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "ciphertext": base64.b64encode(ciphertext).decode("ascii"),
    }


class BadMetadata(Exception):
    """history.json cannot be parsed; internal, turned into a state or a VaultError."""


def unwrap(wrapped: Any, passphrase: str, vault_id: str) -> bytes:
    """The database key, or WrongPassphraseError; BadMetadata if the record is malformed."""
    try:
        if wrapped["kdf"] != "argon2id" or wrapped["cipher"] != "aes-256-gcm":
            raise BadMetadata("unknown kdf or cipher")
        memory_cost = int(wrapped["memory_cost"])
        iterations = int(wrapped["iterations"])
        lanes = int(wrapped["lanes"])
        salt = base64.b64decode(wrapped["salt"], validate=True)
        nonce = base64.b64decode(wrapped["nonce"], validate=True)
        ciphertext = base64.b64decode(wrapped["ciphertext"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error) as error:
        raise BadMetadata(str(error)) from error
    if not (
        8 * lanes <= memory_cost <= _ARGON2_MAX_MEMORY_KIB
        and 1 <= iterations <= _ARGON2_MAX_ITERATIONS
        and 1 <= lanes <= _ARGON2_MAX_LANES
        and len(salt) >= 8
        and len(nonce) == NONCE_BYTES
    ):
        raise BadMetadata("kdf parameters out of range")
    kek = _derive(passphrase, salt, memory_cost, iterations, lanes)
    try:
        key = AESGCM(kek).decrypt(nonce, ciphertext, _associated_data(vault_id))
    except InvalidTag:
        raise wrong_passphrase() from None
    if len(key) != KEY_BYTES:
        raise BadMetadata("wrapped key has the wrong length")
    return key
