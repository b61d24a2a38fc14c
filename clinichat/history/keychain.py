"""Which `keyring` backends count as a keychain for the history key, in one place.

`keyring` picks whatever installed backend claims the highest priority. With `keyrings.alt`
installed (common on Linux) that can be `PlaintextKeyring`, a file in the home folder holding
the secret base64-encoded, or `EncryptedKeyring`, which asks for a password on a terminal the
GUI does not have. A third-party plugin can be anything. Only an operating system credential
store keeps the history key out of reach of someone who can read the clinician's files, so
trust is an allow-list of exact classes (module + qualified name), never a deny-list: a
backend nobody here has reviewed means "no keychain", and the vault asks for a passphrase.
Subclasses are not trusted either, since a subclass can store the secret anywhere.

A `ChainerBackend` (keyring's default when several backends are viable) is judged by the
backend it would write a new entry to: its first member in priority order. The chainer
writes to the first member that does not raise NotImplementedError, and every allowed
backend implements writing, so when the first member is allowed it is the one written to.
Requiring *every* member to be allowed instead would send a Linux desktop that has both the
Secret Service and `keyrings.alt` to the passphrase path for nothing, because the vault
never goes through the chainer: it writes to that first member directly, and when it looks
up an existing key it asks each member itself (`members()`), so it knows whether the copy it
found sits in a trusted store. (The chainer itself would read from any member and delete
from the first only, which is how a key could otherwise end up in, or linger in, a file.)

Everything here is Qt-free and used by the vault, `--self-test` and the About dialog, so the
three cannot disagree about what is trusted. `describe_backend()` may block the first time
`keyring` initialises its backends (a D-Bus round trip on Linux).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import keyring
import keyring.errors
from keyring.backend import KeyringBackend
from keyring.backends import chainer

__all__ = [
    "OS_KEYCHAINS",
    "KeychainInfo",
    "allow_list",
    "backend_name",
    "delete_entry",
    "describe_backend",
    "find_entry",
    "is_trusted",
    "members",
    "round_trips",
    "storing_backend",
]

# The operating systems' own credential stores, as keyring 25 names them. libsecret talks to
# the same Secret Service daemon (GNOME Keyring, KeePassXC) as the D-Bus backend; KWallet4 is
# the KDE 4 variant of the KWallet backend.
OS_KEYCHAINS: frozenset[str] = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
    }
)


@dataclass(frozen=True)
class KeychainInfo:
    """The backend a new history key would be written to, and whether it counts as a keychain.

    `name` is the backend's class as ``module.QualifiedName`` (no spaces), the form IT can
    search for and the form the allow-list uses.
    """

    name: str
    trusted: bool


def backend_name(backend: KeyringBackend | type[KeyringBackend]) -> str:
    """``module.QualifiedName`` of a backend or backend class."""
    cls = backend if isinstance(backend, type) else type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def allow_list(trusted: Iterable[str | type[KeyringBackend]]) -> frozenset[str]:
    """Backend names from names or classes, so callers can extend OS_KEYCHAINS with a class."""
    return frozenset(name if isinstance(name, str) else backend_name(name) for name in trusted)


def members(backend: KeyringBackend) -> list[KeyringBackend]:
    """The backends that may hold an entry: a chainer's, highest priority first, or `backend`."""
    if isinstance(backend, chainer.ChainerBackend):
        return list(backend.backends)
    return [backend]


def storing_backend(backend: KeyringBackend) -> KeyringBackend | None:
    """The backend a new entry goes to: a chainer's first member (None if it has none)."""
    chain = members(backend)
    return chain[0] if chain else None


def is_trusted(backend: KeyringBackend, allowed: Iterable[str] = OS_KEYCHAINS) -> bool:
    """True when the backend that would store the key is on the allow-list (exact class)."""
    target = storing_backend(backend)
    return target is not None and backend_name(target) in frozenset(allowed)


def describe_backend(
    backend: KeyringBackend | None = None, allowed: Iterable[str] = OS_KEYCHAINS
) -> KeychainInfo:
    """Which backend would keep a new history key (keyring's current one by default), trusted?

    Never raises: a backend that fails to load is reported as ``error:<Type>``, untrusted,
    because the self-test and the About dialog must still show everything else.
    """
    try:
        current = keyring.get_keyring() if backend is None else backend
        target = storing_backend(current)
        name = backend_name(target if target is not None else current)
        return KeychainInfo(name, target is not None and name in frozenset(allowed))
    except Exception as error:  # a broken plugin can raise anything while loading
        return KeychainInfo(f"error:{type(error).__name__}", False)


def find_entry(service: str, username: str) -> tuple[KeyringBackend, str] | None:
    """The member of keyring's backend that holds the entry, and its text; None if none does.

    Each member of a chain is asked itself (highest priority first), so the caller knows
    whether the copy comes from a trusted store. A member that fails is skipped; if none
    has the entry, the first failure is raised (a KeyringError).
    """
    failure: keyring.errors.KeyringError | None = None
    for backend in members(keyring.get_keyring()):
        try:
            stored = backend.get_password(service, username)
        except keyring.errors.KeyringError as error:
            failure = failure or error
            continue
        if stored is not None:
            return backend, stored
    if failure is not None:
        raise failure
    return None


def delete_entry(service: str, username: str, name: str) -> bool:
    """Delete the entry from the members of keyring's backend whose class is `name`.

    True once none of them holds it any more (checked by reading back). False when no such
    backend is loaded now or one refuses: the caller keeps a note and tries again later,
    because a key copy left in a plain file is a risk, not mere clutter. Never raises.
    """
    try:
        stores = [b for b in members(keyring.get_keyring()) if backend_name(b) == name]
    except Exception:
        return False
    if not stores:
        return False
    for store in stores:
        try:
            store.delete_password(service, username)
        except keyring.errors.PasswordDeleteError:
            pass  # already gone (deleted before an interruption): read back below
        except Exception:
            return False
        try:
            if store.get_password(service, username) is not None:
                return False
        except Exception:
            return False
    return True


def round_trips(backend: KeyringBackend, service: str) -> bool:
    """True when a probe entry written to `backend` reads back and is deleted. Never raises.

    Some backends surface D-Bus or OS errors as their own types; any failure of the probe
    means the keychain cannot be relied on to keep the history key.
    """
    probe = f"probe:{uuid.uuid4().hex}"
    value = secrets.token_hex(8)
    try:
        backend.set_password(service, probe, value)
        try:
            return backend.get_password(service, probe) == value
        finally:
            backend.delete_password(service, probe)
    except Exception:
        return False
