"""The clinic server's access key: in the OS keychain, never in a settings file.

The key is kept per server address, under its own keychain service, and only in a backend
the history trusts too (`history.keychain`'s allow-list): a plaintext keyring file would put
the key where any program of the user's can read it. Without a trusted keychain the key is
kept in memory until ClinicChat closes, and the caller says so.

Keyring calls can block (a locked keychain asks for its password), so callers run these off
the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Final

import keyring
import keyring.errors
from keyring.backend import KeyringBackend

from clinichat.history import keychain

_log = logging.getLogger(__name__)

SERVICE: Final = "ClinicChat clinic server"


class ServerKeys:
    """Access keys by server address (the address as the indicator shows it)."""

    def __init__(
        self, trusted_backends: Iterable[str | type[KeyringBackend]] = keychain.OS_KEYCHAINS
    ) -> None:
        self._trusted = keychain.allow_list(trusted_backends)
        self._in_memory: dict[str, str] = {}

    def load(self, server: str) -> str:
        """The key for `server`; "" when none is kept (or the keychain cannot be read)."""
        if server in self._in_memory:
            return self._in_memory[server]
        try:
            found = keychain.find_entry(SERVICE, server)
        except keyring.errors.KeyringError as error:
            _log.warning("the keychain could not be read: %s", type(error).__name__)
            return ""
        if found is None or keychain.backend_name(found[0]) not in self._trusted:
            return ""
        return found[1]

    def save(self, server: str, key: str) -> bool:
        """Keep `key` for `server`; False when it is kept only until ClinicChat closes."""
        self._in_memory.pop(server, None)
        target = self._store()
        if target is not None:
            try:
                target.set_password(SERVICE, server, key)
                return True
            except keyring.errors.KeyringError as error:
                _log.warning("the keychain refused the key: %s", type(error).__name__)
        self._in_memory[server] = key
        return False

    def forget(self, server: str) -> None:
        self._in_memory.pop(server, None)
        target = self._store()
        if target is not None:
            keychain.delete_entry(SERVICE, server, keychain.backend_name(target))

    def _store(self) -> KeyringBackend | None:
        try:
            target = keychain.storing_backend(keyring.get_keyring())
        except Exception:  # a broken plugin can raise anything while loading
            return None
        if target is None or keychain.backend_name(target) not in self._trusted:
            return None
        return target
