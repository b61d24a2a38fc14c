"""A current model in the real window: Gemma 3 270M (gemma3), which only llama.cpp runs.

Imported the way the window imports a file (copy and probe-load off the GUI thread), listed
in the model manager with its engine and why GPT4All cannot run it, loaded, and answering a
typed question, with the engine named in the status line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from windows import empty_window

from clinichat.llm.engines.base import LLAMACPP
from clinichat.ui.model_manager import InstalledRow

pytestmark = pytest.mark.slow

TIMEOUT_MS = 120_000


def test_gemma3_imports_shows_its_engine_and_answers(
    qtbot: QtBot, tmp_path: Path, gemma3_file: Path
) -> None:
    window = empty_window(qtbot, tmp_path)
    window.settings.set("threads", 2)
    window.show()
    session = window.controller.session
    with qtbot.waitSignal(session.model_loaded, timeout=TIMEOUT_MS) as loaded:
        window.models.import_file(gemma3_file)
    assert loaded.args[0].engine == LLAMACPP
    status = window.status_line.model_status.text()
    assert "Engine: llama.cpp" in status, status

    window.model_flow.open()
    manager = window.model_manager
    assert manager is not None
    [row] = manager.findChildren(InstalledRow)
    text = row.engine.text()
    assert text.startswith("Engine: llama.cpp (the only engine that can run it).")
    assert "GPT4All cannot run it: This model uses the 'gemma3' architecture" in text
    manager.close()

    with qtbot.waitSignal(session.answer_finished, timeout=TIMEOUT_MS) as finished:
        window.input.setPlainText("The heart pumps blood through")
        window.send()
    answer = finished.args[1].text
    assert answer.strip()
    bubble = window.chat_view.last_answer()
    # What is kept (and shown) is the answer without trailing whitespace.
    assert bubble is not None and bubble.text == answer.rstrip()
