"""`clinichat docs add | list | search | remove | reindex` as a subprocess, over a real
passphrase-protected encrypted history, with real PDF and DOCX files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli import clinichat
from document_files import ASTHMA_SECTIONS, PROTOCOL_PAGES, write_docx, write_pdf
from PySide6.QtWidgets import QApplication

from clinichat.history.vault import Vault

PASSPHRASE = "tranquil-harbour-lantern-93"


@pytest.fixture
def base(qapp: QApplication, tmp_path: Path) -> Path:
    """A ClinicChat folder whose history is protected by PASSPHRASE."""
    base = tmp_path / "base"
    (base / "data").mkdir(parents=True)
    Vault(base / "data").create(PASSPHRASE).close()
    return base


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "passphrase.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def test_add_search_list_remove(base: Path, secret: Path, tmp_path: Path) -> None:
    folder = tmp_path / "protocolos"
    folder.mkdir()
    write_pdf(folder / "profilaxis.pdf", PROTOCOL_PAGES)
    write_docx(folder / "asthma.docx", ASTHMA_SECTIONS)
    (folder / "broken.docx").write_bytes(b"not a zip")
    docs = ("--basedir", base, "docs", "--passphrase-file", secret)

    added = clinichat(*docs, "add", folder, "--collection", "Protocolos")
    assert added.returncode == 1, "one file could not be indexed"
    assert "broken.docx is not a readable Word file" in added.stderr
    assert "3 file(s), 1 not indexed" in added.stderr

    found = clinichat(*docs, "search", "cefazolina colecistectomía", "--json")
    assert found.returncode == 0, found.stderr
    [best, *_] = json.loads(found.stdout)
    assert (best["document"], best["page"]) == ("profilaxis.pdf", 2)
    assert best["path"] == str((folder / "profilaxis.pdf").resolve())

    text = clinichat(*docs, "search", "severe asthma magnesium", "--limit", "1")
    assert text.stdout.startswith("[1] asthma.docx, Severe attack\n")

    listing = clinichat(*docs, "list", "--json")
    rows = {r["name"]: r for r in json.loads(listing.stdout)}
    assert rows["profilaxis.pdf"]["pages"] == 3 and rows["profilaxis.pdf"]["collection"] == (
        "Protocolos"
    )
    assert "not a readable Word file" in rows["broken.docx"]["problem"]

    removed = clinichat(*docs, "remove", "profilaxis.pdf")
    assert removed.returncode == 0
    again = clinichat(*docs, "search", "cefazolina")
    assert again.stdout == "" and "Nothing in the documents matches." in again.stderr
    assert clinichat(*docs, "remove", "profilaxis.pdf").returncode == 2


def test_the_history_lock_holds_on_the_terminal(base: Path, secret: Path) -> None:
    no_passphrase = clinichat("--basedir", base, "docs", "list")
    assert no_passphrase.returncode == 1
    assert "protected by a passphrase" in no_passphrase.stderr
    wrong = secret.parent / "wrong.txt"
    wrong.write_text("not-the-passphrase-at-all", encoding="utf-8")
    wrong.chmod(0o600)
    refused = clinichat("--basedir", base, "docs", "--passphrase-file", wrong, "list")
    assert refused.returncode == 1 and "passphrase" in refused.stderr.lower()
    secret.chmod(0o644)
    shared = clinichat("--basedir", base, "docs", "--passphrase-file", secret, "list")
    assert shared.returncode == 1
    assert "may be read by other users" in shared.stderr


def test_no_history_yet_is_said_plainly(tmp_path: Path) -> None:
    done = clinichat("--basedir", tmp_path / "fresh", "docs", "list")
    assert done.returncode == 1
    assert "open ClinicChat once to create it" in done.stderr
