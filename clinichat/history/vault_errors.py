"""Why the history key cannot be created, found or used, in words for the clinician.

Each error is a UserError (translated at display, context "Errors"); the lock screen and the
command line tell them apart by type to offer the right way on.
"""

from __future__ import annotations

from clinichat.history.passphrase_rules import MIN_PASSPHRASE_LENGTH, PassphraseProblem
from clinichat.messages import QT_TRANSLATE_NOOP, UserError

__all__ = [
    "InsecureKeychainError",
    "InvalidRecoveryKeyError",
    "KeyMissingError",
    "VaultError",
    "WeakPassphraseError",
    "WrongPassphraseError",
    "insecure_keychain",
    "passphrase_needed",
    "wrong_passphrase",
]


class VaultError(UserError):
    """The history key cannot be created, found or used as asked."""


class WeakPassphraseError(PassphraseProblem, VaultError):
    """A new passphrase is too short or too easy to guess; nothing was changed."""


class WrongPassphraseError(VaultError):
    """The passphrase does not unwrap the key; nothing was changed."""


class KeyMissingError(VaultError):
    """The database exists but its key is not available on this computer."""


class InsecureKeychainError(VaultError):
    """The key sits in a store that is not a real keychain; it must move under a passphrase."""


class InvalidRecoveryKeyError(VaultError):
    """The text is not a well-formed recovery key (wrong length, characters or checksum)."""


def passphrase_needed() -> VaultError:
    return VaultError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "This computer has no usable keychain to keep the history key in. Choose a"
            " passphrase of at least {minimum} characters to protect the history.",
        ),
        minimum=MIN_PASSPHRASE_LENGTH,
    )


def wrong_passphrase() -> WrongPassphraseError:
    return WrongPassphraseError(
        QT_TRANSLATE_NOOP(
            "Errors", "The passphrase is not correct. Nothing has been changed; try again."
        )
    )


def insecure_keychain(store: str) -> InsecureKeychainError:
    return InsecureKeychainError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "The history key is kept in {store}, which is not a real keychain: anyone who can"
            " read your files could open your conversations. Set a passphrase to protect it.",
        ),
        store=store,
    )
