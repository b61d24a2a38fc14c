"""The loading marker (Qt-free API) and the native crash log's context line.

A real death mid-load is in tests/e2e/test_load_crash.py; these check the bookkeeping.
"""

from __future__ import annotations

import faulthandler
import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from clinichat import crash
from clinichat.models.load_guard import MARKER_NAME, LoadGuard


def test_no_marker_no_suspect(tmp_path: Path) -> None:
    guard = LoadGuard(tmp_path)
    assert guard.suspect_model() is None
    assert guard.suspect_notice() is None


def test_marker_lives_only_while_loading(tmp_path: Path) -> None:
    guard = LoadGuard(tmp_path / "data")
    guard.loading(tmp_path / "models" / "m.gguf")
    marker = tmp_path / "data" / MARKER_NAME
    record = json.loads(marker.read_text())
    assert record["file"] == "m.gguf" and record["version"] == 1
    if os.name == "posix":
        assert stat.S_IMODE(marker.stat().st_mode) == 0o600
    assert guard.suspect_model() is None, "this run's own load is not suspect"
    guard.finished()
    assert not marker.exists()
    assert LoadGuard(tmp_path / "data").suspect_model() is None


def test_a_marker_left_behind_names_the_suspect(tmp_path: Path) -> None:
    LoadGuard(tmp_path).loading(Path("/models/bad.gguf"))  # ... and the process died
    guard = LoadGuard(tmp_path)
    assert guard.suspect_model() == "bad.gguf"
    notice = guard.suspect_notice()
    assert notice is not None and "stopped while loading bad.gguf last time" in str(notice)
    # Another model loads fine: bad.gguf stays suspect for the rest of this run.
    guard.loading(Path("/models/good.gguf"))
    guard.finished()
    assert guard.suspect_model() == "bad.gguf"
    # The user chooses it explicitly and it loads: no longer suspect, marker gone.
    guard.loading(Path("/models/bad.gguf"))
    guard.finished()
    assert guard.suspect_model() is None
    assert not (tmp_path / MARKER_NAME).exists()


def test_clear_forgets_the_suspect(tmp_path: Path) -> None:
    LoadGuard(tmp_path).loading(Path("bad.gguf"))
    guard = LoadGuard(tmp_path)
    guard.clear()
    assert guard.suspect_model() is None
    assert LoadGuard(tmp_path).suspect_model() is None


def test_clear_during_a_load_keeps_that_loads_marker(tmp_path: Path) -> None:
    LoadGuard(tmp_path).loading(Path("bad.gguf"))
    guard = LoadGuard(tmp_path)
    guard.loading(Path("other.gguf"))
    guard.clear()
    assert LoadGuard(tmp_path).suspect_model() == "other.gguf"


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"file": 3}', ""])
def test_an_unreadable_marker_is_no_suspect(tmp_path: Path, content: str) -> None:
    (tmp_path / MARKER_NAME).write_text(content)
    assert LoadGuard(tmp_path).suspect_model() is None


def test_an_unwritable_folder_does_not_stop_the_load(tmp_path: Path) -> None:
    """A folder that cannot be written, even by root: its parent is a plain file."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    guard = LoadGuard(blocker / "data")
    guard.loading(Path("m.gguf"))  # logs a warning, raises nothing
    guard.finished()
    assert guard.suspect_model() is None


# --- the native crash log's context line ----------------------------------------------------


@pytest.fixture
def native_log(tmp_path: Path) -> Iterator[Path]:
    was_enabled = faulthandler.is_enabled()
    path = crash.enable_native_crash_log(tmp_path)
    try:
        yield path
    finally:
        faulthandler.disable()
        if was_enabled and sys.__stderr__ is not None:  # pytest's own, on the real stderr
            faulthandler.enable(sys.__stderr__)
        assert crash._native_log is not None
        crash._native_log.close()
        crash._native_log = None


def test_context_line_is_there_during_the_block_only(native_log: Path) -> None:
    native_log.write_text("an earlier crash\n")
    with crash.native_context("loading model file m.gguf"):
        during = native_log.read_text()
    assert during.startswith("an earlier crash\n")
    assert during.endswith(" loading model file m.gguf\n")
    assert native_log.read_text() == "an earlier crash\n"


def test_context_line_is_withdrawn_after_an_exception(native_log: Path) -> None:
    with pytest.raises(RuntimeError), crash.native_context("loading model file m.gguf"):
        raise RuntimeError
    assert native_log.read_text() == ""


def test_context_without_a_native_log_does_nothing() -> None:
    assert crash._native_log is None
    with crash.native_context("loading model file m.gguf"):
        pass
