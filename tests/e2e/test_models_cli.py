"""`clinichat models download | verify | list | remove` as a subprocess, against 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli import clinichat
from httpserver import FileServer

from clinichat.models.gguf import read_info


@pytest.fixture
def server(tmp_path: Path, starter_original: Path) -> Iterator[FileServer]:
    root = tmp_path / "served"
    root.mkdir()
    shutil.copy2(starter_original, root / starter_original.name)
    with FileServer(root) as running:
        yield running


def write_catalog(path: Path, server: FileServer, model: Path, *, md5: str | None = None) -> Path:
    data = model.read_bytes()
    entries = [
        {
            "name": "Starter",
            "filename": model.name,
            "filesize": str(len(data)),
            "md5sum": md5 or hashlib.md5(data).hexdigest(),
            "url": server.url(model.name),
            "ramrequired": "1",
            "description": "Licensed for commercial use.",
        },
        {
            "name": "MPT Chat",
            "filename": "mpt-old.gguf",
            "url": server.url("mpt-old.gguf"),
            "removedIn": "2.7.3",
            "description": "This model cannot be used commercially.",
        },
    ]
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def test_download_verify_list_remove(
    tmp_path: Path, server: FileServer, starter_original: Path
) -> None:
    base = tmp_path / "base"
    catalog = write_catalog(tmp_path / "catalog.json", server, starter_original)
    done = clinichat("--basedir", base, "--catalog", catalog, "models", "download", "Starter")
    assert done.returncode == 0, done.stderr
    installed = Path(done.stdout.strip())
    assert installed == base / "models" / starter_original.name
    assert read_info(installed).pre_tokenizer == "refact", "alias applied after the download"
    assert "Downloading Starter" in done.stderr
    assert [r.path for r in server.requests] == [starter_original.name]

    verify = clinichat("--basedir", base, "--catalog", catalog, "models", "verify")
    assert verify.returncode == 0, verify.stderr
    assert verify.stdout.split("\t")[:2] == [starter_original.name, "verified"]

    listing = clinichat("--basedir", base, "models", "list", "--catalog", catalog, "--json")
    rows = {row["file"]: row for row in json.loads(listing.stdout)}
    assert rows[starter_original.name]["installed"] is True
    assert rows[starter_original.name]["verified"] == "verified"
    assert rows[starter_original.name]["commercial_use"] is True
    assert rows["mpt-old.gguf"]["usable"] is False and rows["mpt-old.gguf"]["problem"]

    again = clinichat("--basedir", base, "--catalog", catalog, "models", "download", "Starter")
    assert again.returncode == 0 and "already installed" in again.stderr

    # A file changed after installation is caught by verify.
    with installed.open("r+b") as handle:
        handle.seek(-1, os.SEEK_END)
        last = handle.read(1)
        handle.seek(-1, os.SEEK_END)
        handle.write(bytes([last[0] ^ 0xFF]))
    broken = clinichat("--basedir", base, "--catalog", catalog, "models", "verify")
    assert broken.returncode == 1
    assert "mismatch" in broken.stdout
    assert broken.stderr.strip().splitlines()[-1].startswith("error: ")

    removed = clinichat("--basedir", base, "models", "remove", starter_original.name)
    assert removed.returncode == 0, removed.stderr
    assert sorted(p.name for p in (base / "models").iterdir()) == []


def test_wrong_checksum_fails_and_keeps_nothing(
    tmp_path: Path, server: FileServer, starter_original: Path
) -> None:
    base = tmp_path / "base"
    catalog = write_catalog(tmp_path / "c.json", server, starter_original, md5="0" * 32)
    done = clinichat("--basedir", base, "--catalog", catalog, "models", "download", "Starter")
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "md5" in last.lower()
    assert list((base / "models").iterdir()) == []


def test_unusable_and_unknown_names_are_refused(
    tmp_path: Path, server: FileServer, starter_original: Path
) -> None:
    catalog = write_catalog(tmp_path / "c.json", server, starter_original)
    old = clinichat("--temp-basedir", "--catalog", catalog, "models", "download", "MPT Chat")
    assert old.returncode == 2 and "cannot be used" in old.stderr
    unknown = clinichat("--temp-basedir", "--catalog", catalog, "models", "download", "Nope")
    assert unknown.returncode == 2 and "no model called" in unknown.stderr
    assert server.requests == [], "nothing was fetched for refused names"


def test_list_states_licence_conditions_languages_and_engine(tmp_path: Path) -> None:
    """The bundled catalog's current models, as `models list` prints them for IT."""
    base = tmp_path / "base"
    listing = clinichat("--basedir", base, "models", "list", "--json")
    assert listing.returncode == 0, listing.stderr
    rows = {row["name"]: row for row in json.loads(listing.stdout)}
    medgemma = rows["MedGemma 1.5 4B Instruct"]
    assert medgemma["licence"] == "HAI-DEF Terms of Use"
    assert medgemma["commercial_use"] is True and medgemma["licence_conditions"] is True
    assert medgemma["catalog_engine"] == "llamacpp" and medgemma["languages"]
    qwen = rows["Qwen3 4B"]
    assert qwen["licence"] == "Apache-2.0" and qwen["licence_conditions"] is False
    assert rows["GPT4All Falcon"]["catalog_engine"] is None  # decided from the file

    text = clinichat("--basedir", base, "models", "list")
    line = next(row for row in text.stdout.splitlines() if "\tMedGemma 1.5 4B Instruct\t" in row)
    assert line.endswith("HAI-DEF Terms of Use, commercial use: yes, with conditions")
    line = next(row for row in text.stdout.splitlines() if "\tQwen3 4B\t" in row)
    assert line.endswith("Apache-2.0, commercial use: yes")


def test_ctrl_c_keeps_the_part_and_the_next_run_resumes(
    tmp_path: Path, server: FileServer, starter_original: Path
) -> None:
    base = tmp_path / "base"
    catalog = write_catalog(tmp_path / "catalog.json", server, starter_original)
    server.stall_after(1 << 20, 60.0)  # a slow line: the first MB, then nothing for a minute
    command = [sys.executable, "-m", "clinichat", "--basedir", str(base), "--catalog"]
    running = subprocess.Popen(
        [*command, str(catalog), "models", "download", "Starter"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert running.stderr is not None
    for line in running.stderr:  # progress lines, every 2 s, until some of the file is in
        if (percent := re.search(r"\((\d+)%\)", line)) and int(percent[1]) > 0:
            break
    running.send_signal(signal.SIGINT)
    _, rest = running.communicate(timeout=60)
    assert running.returncode == 130, rest
    assert "interrupted; the partial file is kept" in rest
    assert not (base / "models" / starter_original.name).exists()
    done = clinichat("--basedir", base, "--catalog", catalog, "models", "download", "Starter")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()) == base / "models" / starter_original.name
    resumed = server.requests_for(starter_original.name)[-1]
    assert (resumed.range or "").startswith("bytes=") and resumed.range != "bytes=0-"
