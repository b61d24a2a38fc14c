"""The recovery key: the raw database key written for humans, with a checksum.

It is the way back when the keychain entry or the metadata is lost, so it is typed from a
printout: hex digits in groups of 4, tolerant of case, spaces and the dashes word processors
make, strict about the check group so a typing mistake is named as one.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Final

from clinichat.history.database import KEY_BYTES
from clinichat.history.vault_errors import InvalidRecoveryKeyError
from clinichat.messages import QT_TRANSLATE_NOOP

__all__ = ["format_recovery_key", "parse_recovery_key"]

_RECOVERY_GROUP: Final = 4
_RECOVERY_CHECK_BYTES: Final = 2
_RECOVERY_HEX_LENGTH: Final = (KEY_BYTES + _RECOVERY_CHECK_BYTES) * 2


def _recovery_checksum(key: bytes) -> bytes:
    return hashlib.sha256(b"ClinicChat recovery key\x00" + key).digest()[:_RECOVERY_CHECK_BYTES]


def format_recovery_key(key: bytes) -> str:
    """64 hex digits of the key plus a 4-digit checksum, in groups of 4 joined by '-'."""
    digits = (key + _recovery_checksum(key)).hex().upper()
    return "-".join(digits[i : i + _RECOVERY_GROUP] for i in range(0, len(digits), _RECOVERY_GROUP))


def parse_recovery_key(text: str) -> bytes:
    """The key in `text`; tolerant of case, spaces and dashes, strict about the checksum."""
    # Word processors turn '-' into en or em dashes when a saved key is pasted back.
    digits = "".join(ch for ch in text if not ch.isspace() and ch not in "-\u2013\u2014")
    try:
        raw = bytes.fromhex(digits) if len(digits) == _RECOVERY_HEX_LENGTH else None
    except ValueError:
        raw = None
    if raw is None:
        raise InvalidRecoveryKeyError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This is not a recovery key. A recovery key has {groups} groups of 4"
                " characters (digits 0-9 and letters A-F) separated by dashes.",
            ),
            groups=_RECOVERY_HEX_LENGTH // _RECOVERY_GROUP,
        )
    key, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if not hmac.compare_digest(check, _recovery_checksum(key)):
        raise InvalidRecoveryKeyError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The recovery key contains a typing mistake (its check group does not match)."
                " Compare it character by character with the saved copy and try again.",
            )
        )
    return key
