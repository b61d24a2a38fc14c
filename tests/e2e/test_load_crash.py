"""A model that aborts llama.cpp mid-load: the next start knows which, and says so.

The child runs the app's real load path (ChatSession → worker thread → Engine.load) on the
crafted file (tests/crafted_gguf.py) and dies with SIGABRT; nothing in it can react. What it
wrote beforehand must be enough: the load guard's marker, the log line and the native crash
log's context line, all naming the file and nothing else.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from crafted_gguf import aborting_model

from clinichat.models.load_guard import MARKER_NAME, LoadGuard

SCRIPT = Path(__file__).with_name("load_crash_script.py")


def load_in_child(base: Path, model: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), str(base), str(model)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.mark.slow
@pytest.mark.skipif(
    os.name != "posix",
    reason="Windows has no SIGABRT exit status to observe; test_any_unclean_exit_refuses"
    " covers the non-zero exit that an abort gives there",
)
def test_death_while_loading_makes_the_model_suspect(starter_model: Path, tmp_path: Path) -> None:
    crafted = aborting_model(starter_model, tmp_path / "Crafted Model.gguf")
    base = tmp_path / "base"
    died = load_in_child(base, crafted)
    assert died.returncode == -signal.SIGABRT, died.stdout[-2000:] + died.stderr[-2000:]

    marker = base / "data" / MARKER_NAME
    assert stat.S_IMODE(marker.stat().st_mode) == 0o600
    assert json.loads(marker.read_text())["file"] == "Crafted Model.gguf"

    # The next start: the model is suspect, and the message says which and what to do.
    guard = LoadGuard(base / "data")
    assert guard.suspect_model() == "Crafted Model.gguf"
    notice = guard.suspect_notice()
    assert notice is not None
    assert str(notice) == (
        "ClinicChat stopped while loading Crafted Model.gguf last time, so it was not loaded"
        " again. Choose it in the model list to try again, or remove it in File → Models."
    )

    # The crash logs say which file it was.
    native = (base / "logs" / "native-crashes.log").read_text()
    context, _, dump = native.partition("\n")
    assert context.endswith(" loading model file Crafted Model.gguf")
    assert "Fatal Python error: Aborted" in dump and "load_model" in dump
    assert "loading model file Crafted Model.gguf" in (base / "logs" / "clinichat.log").read_text()


@pytest.mark.slow
def test_a_load_that_ends_leaves_no_marker_and_no_context_line(
    starter_model: Path, tmp_path: Path
) -> None:
    base = tmp_path / "base"
    done = load_in_child(base, starter_model)
    assert done.returncode == 0 and done.stdout.strip() == "loaded", done.stderr[-2000:]
    assert not (base / "data" / MARKER_NAME).exists()
    assert (base / "logs" / "native-crashes.log").read_text() == ""
    assert LoadGuard(base / "data").suspect_model() is None

    # A clean refusal (the engine rejects a header-only file) is not a crash either.
    empty = tmp_path / "empty.gguf"
    empty.write_bytes(b"GGUF")
    refused = load_in_child(base, empty)
    assert refused.stdout.strip() == "failed", refused.stderr[-2000:]
    assert not (base / "data" / MARKER_NAME).exists()
    assert (base / "logs" / "native-crashes.log").read_text() == ""
