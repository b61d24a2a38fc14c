"""A real keyring backend for tests: the `keyring` API, with entries in a dict."""

from __future__ import annotations

import keyring.backend
import keyring.errors

from clinichat.history.keychain import OS_KEYCHAINS


class MemoryKeyring(keyring.backend.KeyringBackend):
    """A working keychain that lives in a dict, so tests can inspect and damage it.

    It is not on the vault's allow-list of real keychains (nothing outside clinichat's list
    is); a test that wants it treated as one passes TRUSTED_WITH_MEMORY to the Vault.
    """

    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError(username) from None


# The OS keychains plus MemoryKeyring: `Vault(folder, trusted_backends=TRUSTED_WITH_MEMORY)`.
TRUSTED_WITH_MEMORY: tuple[str | type[keyring.backend.KeyringBackend], ...] = (
    *OS_KEYCHAINS,
    MemoryKeyring,
)
