"""The app as a subprocess: command line, data folders, model import and clear failures."""

from __future__ import annotations

import json
from pathlib import Path

from cli import clinichat

from clinichat import __version__
from clinichat.models.gguf import read_info


def test_version() -> None:
    done = clinichat("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"ClinicChat {__version__}"


def test_import_then_list(tmp_path: Path, starter_original: Path) -> None:
    base = tmp_path / "base"
    done = clinichat("--basedir", base, "models", "import", starter_original)
    assert done.returncode == 0, done.stderr
    installed = Path(done.stdout.strip())
    assert installed.parent == base / "models"
    assert read_info(installed).pre_tokenizer == "refact"
    listing = clinichat("--basedir", base, "models", "list", "--json")
    assert listing.returncode == 0
    rows = json.loads(listing.stdout)
    assert [row["file"] for row in rows if row["installed"]] == [starter_original.name]
    assert rows[0]["name"] == "SmolLM2 135M Instruct (starter)"
    assert sorted(p.name for p in base.iterdir()) == ["config", "data", "logs", "models"]


def test_import_of_a_bad_file_fails_with_one_clear_line(tmp_path: Path) -> None:
    notes = tmp_path / "notes.gguf"
    notes.write_text("patient notes, not a model", encoding="utf-8")
    done = clinichat("--basedir", tmp_path / "base", "models", "import", notes)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1] == "error: This file is not a GGUF model file."
    assert list((tmp_path / "base" / "models").iterdir()) == []


def test_remove_unknown_model_fails(tmp_path: Path) -> None:
    done = clinichat("--basedir", tmp_path, "models", "remove", "nothing.gguf")
    assert done.returncode == 2
    assert "no installed model" in done.stderr


def test_temp_basedir_is_removed_on_exit(tmp_path: Path) -> None:
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    done = clinichat("--temp-basedir", "models", "list", "--json", env={"TMPDIR": str(temp_root)})
    assert done.returncode == 0, done.stderr
    assert not any(row["installed"] for row in json.loads(done.stdout))
    assert list(temp_root.iterdir()) == []


def test_global_options_come_before_the_command(tmp_path: Path) -> None:
    done = clinichat("models", "list", "--basedir", tmp_path)
    assert done.returncode == 2
    assert "unrecognized arguments" in done.stderr


def test_bench_measures_thread_counts_and_applies_the_best(
    tmp_path: Path, starter_original: Path
) -> None:
    base = tmp_path / "base"
    assert clinichat("--basedir", base, "models", "import", starter_original).returncode == 0
    chart = tmp_path / "threads.png"
    done = clinichat("--basedir", base, "bench", "--threads", "1,2", "--apply", "--chart", chart)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["threads", "tokens/s", "first", "token", "(s)"]
    table = [line.split() for line in lines[1:3]]
    assert [row[0] for row in table] == ["1", "2"]
    best = int(lines[-1].split()[1])
    assert best in (1, 2)
    settings = json.loads((base / "config" / "settings.json").read_text())
    assert settings["app"]["threads"] == best
    assert (base / "config" / "thread-counts.json").exists()
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_bench_runs_on_the_engine_asked_for(tmp_path: Path, starter_original: Path) -> None:
    base = tmp_path / "base"
    assert clinichat("--basedir", base, "models", "import", starter_original).returncode == 0
    done = clinichat("--basedir", base, "bench", "--threads", "1,2", "--engine", "llamacpp")
    assert done.returncode == 0, done.stderr
    assert "on llamacpp" in done.stderr
    rows = [line.split() for line in done.stdout.splitlines()[1:3]]
    assert [row[0] for row in rows] == ["1", "2"] and all(float(r[1]) > 0 for r in rows)


def test_bench_rejects_bad_thread_counts(tmp_path: Path) -> None:
    done = clinichat("--basedir", tmp_path, "bench", "--threads", "0,x")
    assert done.returncode == 2
    assert "--threads" in done.stderr


def test_an_imported_starter_verifies_as_verified(tmp_path: Path, starter_original: Path) -> None:
    """The installed copy carries the tokenizer alias; it is still the published file (issue 11,
    item 4): verification reads it with the alias undone, and never calls it damaged."""
    base = tmp_path / "base"
    assert clinichat("--basedir", base, "models", "import", starter_original).returncode == 0
    installed = base / "models" / starter_original.name
    assert installed.read_bytes() != starter_original.read_bytes(), "the alias is written"
    done = clinichat("--basedir", base, "models", "verify")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.split("\t")[1] == "verified"
    listing = clinichat("--basedir", base, "models", "list", "--installed", "--json")
    assert json.loads(listing.stdout)[0]["verified"] == "verified"
    # A real change to the file is still caught.
    with installed.open("r+b") as handle:
        handle.seek(-1, 2)
        last = handle.read(1)
        handle.seek(-1, 2)
        handle.write(bytes([last[0] ^ 0xFF]))
    damaged = clinichat("--basedir", base, "models", "verify")
    assert damaged.returncode == 1
    assert damaged.stdout.split("\t")[1] in ("mismatch", "changed")
