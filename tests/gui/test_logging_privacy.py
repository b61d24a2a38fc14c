"""A real chat with logging at DEBUG: the log file holds figures, never the chat's text."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from windows import starter_window

from clinichat.history.store import Role
from clinichat.llm.engines.base import GenerationParams
from clinichat.logging_setup import configure

SENTINEL = "PATIENT-SENTINEL-8c2d"
QUESTION = f"Patient {SENTINEL} has a temperature of 38.5. Is that a fever?"


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    path = configure(tmp_path / "logs", "debug")
    assert path is not None
    yield path
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.mark.slow
def test_a_debug_log_of_a_real_chat_holds_no_chat_text(
    qtbot: QtBot, tmp_path: Path, starter_model: Path, log_file: Path
) -> None:
    window = starter_window(qtbot, tmp_path, starter_model)
    controller, session = window.controller, window.session
    controller.params = GenerationParams(max_tokens=24, temperature=0.0, top_k=1)
    try:
        with qtbot.waitSignal(session.answer_finished, timeout=120_000):
            window.input.setFocus()
            window.input.setPlainText(QUESTION)
            qtbot.keyClick(window.input, Qt.Key.Key_Return)
        conversation = window.current_conversation
        assert conversation is not None
        messages = controller.store.messages(conversation)
        answer = next(m.text for m in messages if m.role is Role.ASSISTANT)
    finally:
        window.close()
    assert len(answer) > 10, "the model answered"
    logs = "".join(
        path.read_text(encoding="utf-8") for path in log_file.parent.glob("clinichat.log*")
    )
    assert " finished: " in logs, "the answer's figures were logged"
    assert SENTINEL not in logs
    assert "temperature of 38.5" not in logs
    assert answer not in logs
    for line in (line.strip() for line in answer.splitlines()):
        if len(line) >= 12:
            assert line not in logs
