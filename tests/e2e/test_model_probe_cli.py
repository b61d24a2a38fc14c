"""`clinichat models import` probe-loads the file in a child before installing it."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli import clinichat
from crafted_gguf import aborting_model


@pytest.mark.slow
def test_import_of_a_file_that_aborts_the_engine_fails_cleanly(
    starter_model: Path, tmp_path: Path
) -> None:
    crafted = aborting_model(starter_model, tmp_path / "crafted.gguf")
    base = tmp_path / "base"
    done = clinichat("--basedir", base, "models", "import", crafted)
    # The command itself survived: an ordinary exit status and its own error line.
    assert done.returncode == 1, done.stderr[-3000:]
    assert done.stderr.splitlines()[-1] == (
        "error: The model file crafted.gguf could not be loaded: the engine stopped while"
        " reading it (it may be damaged or made for a newer version). It was not installed."
    )
    # Nothing of llama.cpp's output (file metadata, assertion, backtrace) reached the terminal.
    for noise in ("llama_model_loader", "GGML_ASSERT", "gdb", "Aborted", "tokenizer"):
        assert noise not in done.stderr + done.stdout
    assert done.stdout == ""
    assert sorted(p.name for p in (base / "models").iterdir()) == []
    listing = clinichat("--basedir", base, "models", "list")
    assert "crafted.gguf" not in listing.stdout


@pytest.mark.slow
def test_import_of_the_starter_still_works(starter_original: Path, tmp_path: Path) -> None:
    base = tmp_path / "base"
    done = clinichat("--basedir", base, "models", "import", starter_original)
    assert done.returncode == 0, done.stderr[-3000:]
    assert Path(done.stdout.strip()) == base / "models" / starter_original.name
