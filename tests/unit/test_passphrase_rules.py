"""New passphrases: long enough and not easy to guess, in the vault and (rule-wise) the UI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from clinichat.history.passphrase_rules import MIN_PASSPHRASE_LENGTH, passphrase_problem
from clinichat.history.vault import Vault
from clinichat.history.vault_errors import VaultError

STRONG = "mango lantern seventeen kettles"
WEAK = ["password", "12345678", "qwertyuiop", "passw0rd!", "aaaaaaaaaaaa", "clinichat2024"]


@pytest.mark.parametrize("weak", WEAK)
def test_guessable_passphrases_are_refused_with_a_reason(weak: str) -> None:
    problem = passphrase_problem(weak)
    assert problem is not None
    assert "too easy to guess" in str(problem)
    assert problem.reason and problem.reason in str(problem), "says why, in its own sentence"


def test_reason_and_sentence_are_translated_separately() -> None:
    problem = passphrase_problem("password")
    assert problem is not None
    seen: list[tuple[str, str]] = []

    def translate(context: str, text: str) -> str:
        seen.append((context, text))
        return f"[{text}]"

    shown = problem.render(translate)
    assert ("Errors", problem.reason) in seen and ("Errors", problem.text) in seen
    assert shown.startswith("[This passphrase") and f"[{problem.reason}]" in shown


@pytest.mark.parametrize("strong", [STRONG, "correct horse battery", "el paciente duerme bien"])
def test_a_strong_sentence_is_accepted(strong: str) -> None:
    assert passphrase_problem(strong) is None


def test_minimum_length_still_holds() -> None:
    problem = passphrase_problem("Zq8!x")
    assert problem is not None and f"at least {MIN_PASSPHRASE_LENGTH}" in str(problem)


def test_very_long_input_is_checked_quickly() -> None:
    """zxcvbn refuses over 72 characters; the rule checks the start instead of failing."""
    assert passphrase_problem("a" * 10_000) is not None
    assert passphrase_problem(STRONG * 10) is None


def test_vault_refuses_weak_passphrases_on_every_path(tmp_path: Path, no_keyring: None) -> None:
    vault = Vault(tmp_path)
    for weak in WEAK:
        with pytest.raises(VaultError, match="too easy to guess"):
            vault.create(weak)
    assert not vault.db_path.exists() and not vault.meta_path.exists()

    vault.create(STRONG).close()
    meta_before = vault.meta_path.read_bytes()
    with pytest.raises(VaultError, match="too easy to guess"):
        vault.change_passphrase(STRONG, "password")
    assert vault.meta_path.read_bytes() == meta_before, "nothing was changed"
    vault.change_passphrase(STRONG, "correct horse battery")

    recovery = vault.recovery_key()
    other = Vault(tmp_path / "elsewhere")
    other.db_path.parent.mkdir(parents=True)
    shutil.copy2(vault.db_path, other.db_path)
    with pytest.raises(VaultError, match="too easy to guess"):
        other.import_recovery_key(recovery, "12345678")
    assert json.loads(vault.meta_path.read_text())["mode"] == "passphrase"
