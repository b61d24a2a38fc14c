"""Several conversations answering at once on the local llama.cpp engine, in the real window
with the starter model: both stream together, a third waits its turn, stopping one leaves
the other writing, and each answer is saved in its own conversation."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from windows import answer_of, ask_in_new_conversation

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.store import MemoryStore, Status
from clinichat.llm.engines.base import LLAMACPP, GenerationParams
from clinichat.llm.session import ChatSession
from clinichat.models.catalog import load_catalog
from clinichat.models.registry import ModelRegistry
from clinichat.resources import bundled_catalog_path
from clinichat.ui.main_window import MainWindow

pytestmark = pytest.mark.slow
TIMEOUT_MS = 120_000
LONG = GenerationParams(max_tokens=160, temperature=0.0, top_k=1, repeat_penalty=1.0)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, starter_model: Path) -> Iterator[MainWindow]:
    models = tmp_path / "models"
    models.mkdir()
    shutil.copy2(starter_model, models / starter_model.name)
    settings = Settings(tmp_path / "config")
    settings.set("threads", 2)
    settings.set("parallel_answers", 2)
    settings.set_model_values(starter_model.name, {"engine": LLAMACPP})
    catalog, _ = load_catalog(bundled_catalog_path())
    session = ChatSession()
    with qtbot.waitSignal(session.model_loaded, timeout=TIMEOUT_MS):
        main = MainWindow(
            ChatController(MemoryStore(), session), ModelRegistry(models, catalog), settings
        )
        qtbot.addWidget(main)
        main.show()
    yield main
    main.close()


def test_two_conversations_answer_at_once_and_stop_apart(qtbot: QtBot, window: MainWindow) -> None:
    session = window.session
    assert session.loaded_model is not None and session.loaded_model.slots == 2
    assert "Answers at once: 2" in window.status_line.model_status.text()
    # Which answer each streamed piece belongs to, in arrival order.
    order: list[int] = []
    session.answer_text.connect(lambda request, _piece: order.append(request))
    most_at_once = [0]
    session.answer_text.connect(
        lambda *_: most_at_once.__setitem__(0, max(most_at_once[0], len(session.running_ids())))
    )
    first = ask_in_new_conversation(
        window, LONG, "Write a story about a nurse in a small hospital."
    )
    second = ask_in_new_conversation(window, LONG, "Write a story about a doctor on a night shift.")
    third = ask_in_new_conversation(window, LONG, "Write a story about a pharmacist.")
    a, b, c = session.running_ids() + session.queued_ids()
    assert session.queued_ids() == [c], "two answer, the third waits its turn"
    assert window.status_line.answers_status.text() == "2 answering · 1 waiting"
    assert answer_of(window, third)[1] is Status.QUEUED
    qtbot.waitUntil(lambda: order.count(a) >= 3 and order.count(b) >= 3, timeout=TIMEOUT_MS)
    assert most_at_once[0] == 2
    # Interleaved: the second answer's pieces came before the first one was done.
    assert order.index(b) < len(order) - 1 - order[::-1].index(a)

    # Stop the open conversation (the third, still waiting: nothing to stop there); open the
    # second and stop it: the first goes on writing.
    window.open_conversation(second)
    with qtbot.waitSignal(session.answer_stopped, timeout=10_000) as stopped:
        window.stop_button.click()
    assert stopped.args[0] == b
    assert a in session.running_ids(), "the other conversation's answer goes on"
    with qtbot.waitSignal(session.answer_finished, timeout=TIMEOUT_MS) as finished:
        pass
    assert finished.args[0] in (a, c)
    qtbot.waitUntil(lambda: not session.is_busy and not session.queued_ids(), timeout=TIMEOUT_MS)
    qtbot.waitUntil(lambda: window.status_line.answers_status.text() == "", timeout=10_000)

    text_1, status_1 = answer_of(window, first)
    text_2, status_2 = answer_of(window, second)
    text_3, status_3 = answer_of(window, third)
    assert status_1 is Status.COMPLETE and status_3 is Status.COMPLETE
    assert status_2 is Status.STOPPED and text_2
    assert stopped.args[1].tokens < LONG.max_tokens
    assert "nurse" in window.controller.store.messages(first)[0].text
    assert len({text_1, text_2, text_3}) == 3, "each answer stayed in its own conversation"
    # Each conversation's history is its own: the next question in the first one sees only it.
    window.open_conversation(first)
    window.controller.params = GenerationParams(max_tokens=8, temperature=0.0, top_k=1)
    with qtbot.waitSignal(session.answer_finished, timeout=TIMEOUT_MS):
        window.input.insertPlainText("And then?")
        window.send_button.click()
    assert session.last_request is not None
    history = session.last_request.history
    assert [t.user for t in history] == ["Write a story about a nurse in a small hospital."]
    assert history[0].assistant == text_1
