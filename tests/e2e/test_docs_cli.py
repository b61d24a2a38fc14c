"""`clinichat docs add | list | search | remove | reindex` as a subprocess, over a real
passphrase-protected encrypted history, with real PDF and DOCX files."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
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


def test_the_passphrase_file_may_follow_the_action(
    base: Path, secret: Path, tmp_path: Path
) -> None:
    """As an IT script writes it: `docs add PATH --passphrase-file FILE`."""
    pdf = write_pdf(tmp_path / "profilaxis.pdf", PROTOCOL_PAGES)
    added = clinichat("--basedir", base, "docs", "add", pdf, "--passphrase-file", secret)
    assert added.returncode == 0, added.stderr
    found = clinichat(
        "--basedir", base, "docs", "search", "cefazolina", "--passphrase-file", secret, "--json"
    )
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)[0]["document"] == "profilaxis.pdf"
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not-the-passphrase-at-all", encoding="utf-8")
    wrong.chmod(0o600)
    # Given twice, the one after the action counts.
    refused = clinichat(
        "--basedir", base, "docs", "--passphrase-file", secret, "list", "--passphrase-file", wrong
    )
    assert refused.returncode == 1 and "passphrase" in refused.stderr.lower()


def test_no_history_yet_is_said_plainly(tmp_path: Path) -> None:
    done = clinichat("--basedir", tmp_path / "fresh", "docs", "list")
    assert done.returncode == 1
    assert "open ClinicChat once to create it" in done.stderr


def test_indexing_killed_midway_resumes_without_starting_over(
    base: Path, secret: Path, tmp_path: Path
) -> None:
    """SIGKILL while a folder is indexed: every finished file is kept, the next run skips
    those and indexes the rest, and no file is indexed twice."""
    folder = tmp_path / "many"
    folder.mkdir()
    for n in range(40):
        words = " ".join(f"palabra{n}x{i} sobre la dosis número {i}." for i in range(1500))
        (folder / f"nota-{n:02d}.txt").write_text(words, encoding="utf-8")
    command = [
        sys.executable, "-m", "clinichat", "--basedir", str(base),
        "docs", "--passphrase-file", str(secret), "add", str(folder),
    ]  # fmt: skip
    child = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    finished = 0
    for line in child.stderr:
        finished += line.startswith("indexed")
        if finished == 5:
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL

    resumed = clinichat("--basedir", base, "docs", "--passphrase-file", secret, "add", folder)
    assert resumed.returncode == 0, resumed.stderr
    statuses = [line.split()[0] for line in resumed.stderr.splitlines()[:-1]]
    assert len(statuses) == 40
    assert statuses.count("unchanged") >= 5, "what was finished is not read again"
    assert set(statuses) == {"unchanged", "indexed"}, "killed midway, resumed"
    listing = json.loads(
        clinichat("--basedir", base, "docs", "--passphrase-file", secret, "list", "--json").stdout
    )
    assert sorted(r["name"] for r in listing) == sorted(p.name for p in folder.iterdir())
    assert all(r["passages"] > 0 and r["problem"] is None for r in listing)
    last = clinichat(
        "--basedir", base, "docs", "--passphrase-file", secret, "search", "palabra39x1499"
    )
    assert last.stdout.startswith("[1] nota-39.txt"), last.stdout


def test_with_a_search_model_search_goes_by_meaning_too(
    base: Path, secret: Path, tmp_path: Path, minilm_file: Path
) -> None:
    """The real MiniLM in the models folder: add embeds the passages, search fuses."""
    folder = tmp_path / "protocolos"
    folder.mkdir()
    write_pdf(folder / "profilaxis.pdf", PROTOCOL_PAGES)
    write_docx(folder / "asthma.docx", ASTHMA_SECTIONS)
    docs = ("--basedir", base, "docs", "--passphrase-file", secret)
    question = "breathing crisis that keeps getting worse despite the inhalers"
    assert clinichat(*docs, "add", folder).returncode == 0
    words = clinichat(*docs, "search", question)
    assert words.stdout == "" and "Nothing in the documents matches." in words.stderr

    (base / "models").mkdir(exist_ok=True)
    shutil.copy2(minilm_file, base / "models" / minilm_file.name)
    fused = clinichat(*docs, "search", question, "--json")
    assert fused.returncode == 0, fused.stderr
    assert f"search by meaning ({minilm_file.name}): 5 passage(s) to embed" in fused.stderr
    [best, *_] = json.loads(fused.stdout)
    assert best["document"] == "asthma.docx"
    again = clinichat(*docs, "search", question, "--words-only")
    assert again.stdout == "", "--words-only searches by words alone"
    assert "to embed" not in clinichat(*docs, "search", question).stderr, "embedded once"


def test_folders_are_watched_and_unwatched(base: Path, secret: Path, tmp_path: Path) -> None:
    folder = tmp_path / "protocolos"
    folder.mkdir()
    write_pdf(folder / "profilaxis.pdf", PROTOCOL_PAGES)
    docs = ("--basedir", base, "docs", "--passphrase-file", secret)
    assert clinichat(*docs, "add", folder, "--collection", "Protocolos", "--watch").returncode == 0
    listed = clinichat(*docs, "watched")
    assert listed.stdout == f"{folder.resolve()}\tProtocolos\n"
    assert clinichat(*docs, "unwatch", folder).returncode == 0
    assert clinichat(*docs, "watched").stdout == ""
    assert clinichat(*docs, "unwatch", folder).returncode == 2, "not watched any more"
