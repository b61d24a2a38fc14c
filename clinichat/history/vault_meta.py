"""`history.json`, the vault's metadata: how to find the history's key, and nothing secret.

It holds the format version, a random vault id, the mode ("keyring" or "passphrase") and,
in passphrase mode, the key wrapped by `key_wrap`. It is read as hostile input (a damaged
or hand-edited file must not crash the start-up), and written atomically, because it is
the only record of where the key is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from clinichat.atomic import write_atomically
from clinichat.history.key_wrap import FORMAT_VERSION, BadMetadata, unwrap, wrap
from clinichat.history.vault_errors import KeyMissingError, VaultError
from clinichat.messages import QT_TRANSLATE_NOOP

__all__ = ["META_NAME", "passphrase_meta", "read_meta", "unwrap_key", "write_meta"]

META_NAME = "history.json"


def read_meta(path: Path) -> dict[str, Any] | None:
    """The parsed metadata, None if absent; BadMetadata if damaged; VaultError if newer."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise VaultError(
            QT_TRANSLATE_NOOP("Errors", "ClinicChat could not read {path} ({reason})."),
            path=path,
            reason=error.strerror or error,
        ) from error
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise BadMetadata(str(error)) from error
    if not isinstance(meta, dict):
        raise BadMetadata("not an object")
    version = meta.get("format")
    if isinstance(version, int) and version > FORMAT_VERSION:
        raise VaultError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The history was set up by a newer version of ClinicChat (key format"
                " {version}). Install that version or a later one to open it.",
            ),
            version=version,
        )
    if (
        version != FORMAT_VERSION
        or not isinstance(meta.get("vault_id"), str)
        or meta.get("mode") not in ("keyring", "passphrase")
        or (meta["mode"] == "passphrase" and not isinstance(meta.get("wrapped_key"), dict))
    ):
        raise BadMetadata("unexpected content")
    return meta


def write_meta(path: Path, meta: dict[str, Any]) -> None:
    data = (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode("utf-8")
    try:
        write_atomically(path, data)
    except OSError as error:
        raise VaultError(
            QT_TRANSLATE_NOOP("Errors", "ClinicChat could not save {path} ({reason})."),
            path=path,
            reason=error.strerror or error,
        ) from error


def passphrase_meta(
    key: bytes, passphrase: str, vault_id: str, stale_entry: object = None
) -> dict[str, Any]:
    """Metadata for `key` wrapped under `passphrase`; `stale_entry` names a key store that
    still holds a copy of the key, to be deleted (kept until it is)."""
    meta: dict[str, Any] = {
        "format": FORMAT_VERSION,
        "vault_id": vault_id,
        "mode": "passphrase",
        "wrapped_key": wrap(key, passphrase, vault_id),
    }
    if stale_entry is not None:
        meta["stale_entry"] = stale_entry
    return meta


def unwrap_key(meta: dict[str, Any], passphrase: str) -> bytes:
    """The key of passphrase-mode metadata (WrongPassphraseError for a wrong passphrase)."""
    try:
        return unwrap(meta["wrapped_key"], passphrase, meta["vault_id"])
    except BadMetadata:
        raise KeyMissingError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The stored history key in {name} is damaged. Enter your recovery key to"
                " open the history, or set it aside and start a new one.",
            ),
            name=META_NAME,
        ) from None
