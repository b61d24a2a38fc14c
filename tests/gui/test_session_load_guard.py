"""The session's load path: the marker around each load, and which file loaded.

The window makes a model the default only once `model_loaded` names it (LoadedModel.path),
and at start asks the session's load guard whether the previous run died loading one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clinichat.llm.engines.base import ModelSpec
from clinichat.llm.session import ChatSession
from clinichat.llm.worker import LoadedModel
from clinichat.messages import UserError
from clinichat.models.load_guard import MARKER_NAME, LoadGuard


@pytest.fixture
def session(tmp_path: Path) -> Iterator[ChatSession]:
    chat = ChatSession(load_guard=LoadGuard(tmp_path / "data"))
    try:
        yield chat
    finally:
        chat.shutdown()


@pytest.mark.slow
def test_a_load_reports_its_file_and_removes_the_marker(
    qtbot: QtBot, session: ChatSession, starter_model: Path, tmp_path: Path
) -> None:
    with qtbot.waitSignal(session.model_loaded, timeout=60_000) as blocker:
        session.load_model(ModelSpec(starter_model, "%1", n_ctx=256), "Starter", 1)
    info = blocker.args[0]
    assert isinstance(info, LoadedModel)
    assert info.path == starter_model
    assert not (tmp_path / "data" / MARKER_NAME).exists()


def test_a_refused_load_removes_the_marker(
    qtbot: QtBot, session: ChatSession, tmp_path: Path
) -> None:
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"not a model file")
    with qtbot.waitSignal(session.model_load_failed, timeout=60_000) as blocker:
        session.load_model(ModelSpec(fake, "%1", n_ctx=256), "Fake", 1)
    assert isinstance(blocker.args[0], UserError)
    assert not (tmp_path / "data" / MARKER_NAME).exists()
    assert session.load_guard is not None and session.load_guard.suspect_model() is None


def test_the_session_exposes_the_suspect_from_the_last_run(tmp_path: Path) -> None:
    LoadGuard(tmp_path).loading(tmp_path / "bad.gguf")  # a run that died while loading
    session = ChatSession(load_guard=LoadGuard(tmp_path))
    assert session.load_guard is not None
    assert session.load_guard.suspect_model() == "bad.gguf"
