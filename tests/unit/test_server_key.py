"""The clinic server's access key: kept in a trusted keychain, never in a plaintext keyring
file; without a trusted keychain it lasts only as long as the program."""

from __future__ import annotations

from keyrings.alt.file import PlaintextKeyring
from memory_keyring import TRUSTED_WITH_MEMORY, MemoryKeyring

from clinichat.remote.server_key import SERVICE, ServerKeys

ADDRESS = "https://ia.clinica.example:8443"


def test_the_key_is_kept_in_the_keychain_per_server(memory_keyring: MemoryKeyring) -> None:
    keys = ServerKeys(TRUSTED_WITH_MEMORY)
    assert keys.load(ADDRESS) == ""
    assert keys.save(ADDRESS, "k-123") is True
    assert memory_keyring.entries == {(SERVICE, ADDRESS): "k-123"}
    assert ServerKeys(TRUSTED_WITH_MEMORY).load(ADDRESS) == "k-123", "a new start finds it"
    assert ServerKeys(TRUSTED_WITH_MEMORY).load("https://other.example") == ""
    keys.forget(ADDRESS)
    assert memory_keyring.entries == {} and keys.load(ADDRESS) == ""


def test_a_plaintext_keyring_is_not_used(plaintext_keyring: PlaintextKeyring) -> None:
    keys = ServerKeys()  # the OS keychains only
    assert keys.save(ADDRESS, "k-secret-456") is False, "kept until ClinicChat closes"
    assert keys.load(ADDRESS) == "k-secret-456"
    assert plaintext_keyring.get_password(SERVICE, ADDRESS) is None
    assert ServerKeys().load(ADDRESS) == "", "nothing outlives the program"
    # A key someone put in the plaintext file is not taken from it either.
    plaintext_keyring.set_password(SERVICE, ADDRESS, "planted")
    assert ServerKeys().load(ADDRESS) == ""
