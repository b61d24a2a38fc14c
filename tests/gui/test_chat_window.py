"""The chat window with the real starter model: streaming, stop, queueing, threads, errors."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from questions import answer_question

from clinichat.chat_controller import ChatController
from clinichat.config.settings import Settings
from clinichat.history.store import MemoryStore, Role, Status
from clinichat.llm.engines.base import GenerationParams, GenerationResult, ModelSpec
from clinichat.llm.session import ChatSession
from clinichat.llm.templates import CHATML_PROMPT_TEMPLATE
from clinichat.models.catalog import load_catalog
from clinichat.models.registry import ModelRegistry
from clinichat.resources import bundled_catalog_path
from clinichat.ui.main_window import MainWindow
from clinichat.ui.message_bubble import MessageBubble

LOAD_TIMEOUT_MS = 60_000
ANSWER_TIMEOUT_MS = 120_000
LONG = GenerationParams(max_tokens=400, temperature=0.0, top_k=1)
SHORT = GenerationParams(max_tokens=12, temperature=0.0, top_k=1)


def threads_alive() -> list[str]:
    return [t.name for t in threading.enumerate() if t is not threading.main_thread()]


@pytest.fixture
def models_dir(tmp_path: Path, starter_model: Path) -> Path:
    folder = tmp_path / "models"
    folder.mkdir()
    try:
        (folder / starter_model.name).hardlink_to(starter_model)
    except OSError:
        shutil.copy2(starter_model, folder / starter_model.name)
    return folder


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, models_dir: Path) -> Iterator[MainWindow]:
    catalog, _ = load_catalog(bundled_catalog_path())
    session = ChatSession()
    controller = ChatController(MemoryStore(), session)
    controller.params = SHORT
    settings = Settings(tmp_path)
    settings.set("threads", 2)
    with qtbot.waitSignal(session.model_loaded, timeout=LOAD_TIMEOUT_MS):
        main = MainWindow(controller, ModelRegistry(models_dir, catalog), settings)
        qtbot.addWidget(main)
        main.show()
    yield main
    main.close()
    assert session._thread is None, "the generation thread must be joined on close"


def send(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.input.setFocus()
    window.input.setPlainText(text)
    qtbot.keyClick(window.input, Qt.Key.Key_Return)


def last_answer(window: MainWindow) -> object:
    conversation = window._conversation_id
    assert conversation is not None
    messages = window.controller.store.messages(conversation)
    answers = [m for m in messages if m.role is Role.ASSISTANT]
    return answers[-1]


def test_answer_streams_in_several_updates_and_reports_stats(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.controller.params = LONG
    updates: list[str] = []
    window.session.answer_text.connect(lambda _id, text: updates.append(text))
    with qtbot.waitSignal(window.session.answer_finished, timeout=ANSWER_TIMEOUT_MS) as done:
        send(qtbot, window, "Explain how the kidneys filter blood, step by step.")
    _, result = done.args
    assert isinstance(result, GenerationResult)
    assert len(updates) > 1, "tokens should arrive in several coalesced updates"
    assert result.tokens > len(updates) / 2
    assert result.time_to_first_token is not None and result.tokens_per_second > 0
    answer = last_answer(window)
    assert answer.status is Status.COMPLETE
    assert answer.text == "".join(updates).strip()
    bubble = window.chat_view.bubble(answer.id)
    assert bubble is not None and bubble.text.strip() == answer.text
    assert "tokens/s" in window.status_line.speed_status.text()
    assert window.input.hasFocus()
    assert window.input.toPlainText() == ""


def test_stop_keeps_partial_answer_marked_stopped(qtbot: QtBot, window: MainWindow) -> None:
    window.controller.params = LONG
    with qtbot.waitSignal(window.session.answer_text, timeout=ANSWER_TIMEOUT_MS):
        send(qtbot, window, "Write a long, detailed history of medicine.")
    assert window.stop_button.isEnabled()
    with qtbot.waitSignal(window.session.answer_stopped, timeout=ANSWER_TIMEOUT_MS) as done:
        qtbot.keyClick(window.input, Qt.Key.Key_Escape)
    result = done.args[1]
    assert result.reason.value == "stopped"
    assert result.tokens < LONG.max_tokens
    answer = last_answer(window)
    assert answer.status is Status.STOPPED
    assert answer.text
    assert window.chat_view.bubble(answer.id).state.text() == "Stopped"
    assert not window.stop_button.isEnabled()
    # Ready for the next question.
    window.controller.params = SHORT
    with qtbot.waitSignal(window.session.answer_finished, timeout=ANSWER_TIMEOUT_MS):
        send(qtbot, window, "What is a normal resting heart rate?")
    assert last_answer(window).status is Status.COMPLETE


def test_question_during_answer_is_queued_then_answered(qtbot: QtBot, window: MainWindow) -> None:
    window.controller.params = GenerationParams(max_tokens=60, temperature=0.0, top_k=1)
    finished: list[int] = []
    window.session.answer_finished.connect(lambda request_id, _r: finished.append(request_id))
    with qtbot.waitSignal(window.session.answer_started, timeout=ANSWER_TIMEOUT_MS):
        send(qtbot, window, "What is diabetes?")
    send(qtbot, window, "And how is it diagnosed?")
    conversation = window._conversation_id
    waiting = window.controller.store.messages(conversation)[-1]
    assert waiting.status is Status.QUEUED
    assert window.chat_view.bubble(waiting.id).state.text() == "Waiting…"
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=ANSWER_TIMEOUT_MS)
    messages = window.controller.store.messages(conversation)
    assert [m.role for m in messages] == [Role.USER, Role.ASSISTANT] * 2
    assert all(m.status is Status.COMPLETE and m.text for m in messages)


def test_thread_slider_changes_engine_threads(qtbot: QtBot, window: MainWindow) -> None:
    for threads in (1, 2):
        with qtbot.waitSignal(window.session.threads_changed, timeout=ANSWER_TIMEOUT_MS) as changed:
            window.model_bar.threads_slider.setValue(threads)
        assert changed.args == [threads], "the engine reports the thread count it now uses"
        with qtbot.waitSignal(window.session.answer_finished, timeout=ANSWER_TIMEOUT_MS):
            send(qtbot, window, f"Say hello number {threads}.")
        assert last_answer(window).status is Status.COMPLETE
        assert window.settings.threads == threads
        assert f"Threads: {threads}" in window.status_line.model_status.text()
    assert Settings.load(window.settings.config_dir)[0].threads == 2


def test_damaged_model_file_is_reported_and_good_model_still_answers(
    qtbot: QtBot, window: MainWindow, models_dir: Path, starter_model: Path
) -> None:
    (models_dir / "damaged.gguf").write_bytes(starter_model.read_bytes()[:30_000_000])
    window.models.refresh()
    assert window.error_banner.isVisible()
    assert "damaged.gguf" in window.error_banner.text()
    assert "incomplete" in window.error_banner.text()
    assert window.model_bar.combo.findData("damaged.gguf") == -1
    with qtbot.waitSignal(window.session.answer_finished, timeout=ANSWER_TIMEOUT_MS):
        send(qtbot, window, "What is a stethoscope?")
    assert last_answer(window).status is Status.COMPLETE


def test_model_that_fails_to_load_shows_error_then_good_model_answers(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, starter_model: Path
) -> None:
    truncated = tmp_path / "truncated.gguf"
    truncated.write_bytes(starter_model.read_bytes()[:30_000_000])
    spec = ModelSpec(truncated, CHATML_PROMPT_TEMPLATE)
    with qtbot.waitSignal(window.session.model_load_failed, timeout=LOAD_TIMEOUT_MS):
        window.session.load_model(spec, "truncated", 2)
    assert window.error_banner.isVisible()
    assert "could not be loaded" in window.error_banner.text()
    assert not window.send_button.isEnabled()
    assert window.session._thread is None
    good = window.model_bar.combo.findData(starter_model.name)
    with qtbot.waitSignal(window.session.model_loaded, timeout=LOAD_TIMEOUT_MS):
        window.model_bar.combo.activated.emit(good)
    with qtbot.waitSignal(window.session.answer_finished, timeout=ANSWER_TIMEOUT_MS):
        send(qtbot, window, "What is a stethoscope?")
    assert last_answer(window).status is Status.COMPLETE


def test_importing_a_damaged_file_is_refused_with_a_message(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    starter_model: Path,
    models_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    damaged = tmp_path / "download" / "model.gguf"
    damaged.parent.mkdir()
    damaged.write_bytes(starter_model.read_bytes()[:30_000_000])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(damaged), ""))
    window.model_bar.import_button.click()
    qtbot.waitUntil(lambda: window.error_banner.isVisible(), timeout=LOAD_TIMEOUT_MS)
    assert "incomplete" in window.error_banner.text()
    assert sorted(p.name for p in models_dir.iterdir()) == [starter_model.name]


def test_closing_during_answer_joins_the_thread(qtbot: QtBot, window: MainWindow) -> None:
    window.controller.params = LONG
    with qtbot.waitSignal(window.session.answer_text, timeout=ANSWER_TIMEOUT_MS):
        send(qtbot, window, "Write a long essay about the lungs.")
    generation_thread = window.session._thread
    assert isinstance(generation_thread, QThread) and generation_thread.isRunning()
    window.close()
    assert window.session._thread is None
    answer = last_answer(window)
    assert answer.status is Status.STOPPED and answer.text


def test_copy_answer_as_plain_text_or_markdown(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.session.answer_finished, timeout=ANSWER_TIMEOUT_MS):
        send(qtbot, window, "What is blood pressure?")
    window.commands.actions["copy_markdown"].trigger()
    assert QGuiApplication.clipboard().text() == last_answer(window).text
    conversation = window.current_conversation
    assert conversation is not None
    store = window.controller.store
    store.add_message(conversation, Role.USER, "Dose?")
    store.add_message(
        conversation, Role.ASSISTANT, "**Dose:** 5 mg\n\n- once daily", status=Status.COMPLETE
    )
    window.open_conversation(conversation)
    window.copy_button.click()
    plain = QGuiApplication.clipboard().text()
    assert "Dose: 5 mg" in plain and "once daily" in plain and "**" not in plain
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(
        window.input,
        Qt.Key.Key_C,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert QGuiApplication.clipboard().text() == plain, "Ctrl+Shift+C copies as plain text"
    window.commands.actions["copy_markdown"].trigger()
    assert QGuiApplication.clipboard().text() == "**Dose:** 5 mg\n\n- once daily"


def test_regenerate_replaces_the_last_answer(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.session.answer_finished, timeout=ANSWER_TIMEOUT_MS):
        send(qtbot, window, "What is an ECG?")
    first = last_answer(window)
    with qtbot.waitSignal(window.session.answer_finished, timeout=ANSWER_TIMEOUT_MS):
        window.regenerate_button.click()
    messages = window.controller.store.messages(window._conversation_id)
    assert len(messages) == 2
    assert messages[-1].id != first.id and messages[-1].status is Status.COMPLETE
    assert window.chat_view.bubble(first.id) is None
    assert window.chat_view.bubble(messages[-1].id) is not None


def test_regenerate_keeps_the_previous_answer_until_the_new_one_streams(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Nothing vanishes while the model reads the prompt: the old answer stays beside a new
    bubble that says the answer is being prepared, and says "Writing…" once words arrive."""
    with qtbot.waitSignal(window.session.answer_finished, timeout=ANSWER_TIMEOUT_MS):
        send(qtbot, window, "What is an ECG?")
    first = last_answer(window)
    seen_at_first_text: list[bool] = []
    window.controller.message_text.connect(
        lambda _id, _piece: seen_at_first_text.append(window.chat_view.bubble(first.id) is None)
    )
    with qtbot.waitSignal(window.session.answer_started, timeout=ANSWER_TIMEOUT_MS):
        window.regenerate_button.click()
    assert window.chat_view.bubble(first.id) is not None, "the previous answer is still there"
    conversation = window._conversation_id
    assert conversation is not None
    newest = window.controller.store.messages(conversation)[-1]
    new = window.chat_view.bubble(newest.id)
    assert newest.id != first.id and new is not None
    assert new.state.text() == "Preparing the answer…"
    states_at_first_text: list[str] = []
    window.controller.message_text.connect(
        lambda _id, _piece: states_at_first_text.append(new.state.text())
    )
    qtbot.waitUntil(
        lambda: not window.controller.is_answering(conversation), timeout=ANSWER_TIMEOUT_MS
    )
    assert seen_at_first_text and seen_at_first_text[0], "gone once the new text arrived"
    assert states_at_first_text[0] == "Writing…"
    assert [m.id for m in window.controller.store.messages(window._conversation_id)][-1] != first.id


def test_a_regeneration_stopped_before_its_first_word_leaves_the_previous_answer(
    qtbot: QtBot, window: MainWindow
) -> None:
    with qtbot.waitSignal(window.session.answer_finished, timeout=ANSWER_TIMEOUT_MS):
        send(qtbot, window, "What is an ECG?")
    first = last_answer(window)
    with qtbot.waitSignal(window.session.answer_stopped, timeout=ANSWER_TIMEOUT_MS):
        window.regenerate_button.click()
        window.controller.stop()  # before the model has read the prompt
    messages = window.controller.store.messages(window._conversation_id)
    assert [(m.id, m.text, m.status) for m in messages[1:]] == [
        (first.id, first.text, Status.COMPLETE)
    ]

    def shown() -> list[int]:
        return [b.message_id for b in window.chat_view.findChildren(MessageBubble)]

    qtbot.waitUntil(lambda: len(shown()) == 2, timeout=ANSWER_TIMEOUT_MS)
    assert shown() == [messages[0].id, first.id], "no empty Stopped bubble"
    assert window.regenerate_button.isEnabled()


def test_thread_finder_measures_each_count_and_sets_the_slider(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    window.model_bar.threads_slider.setValue(1)
    answer_question(qtbot, button="Yes")  # it says how long it takes and asks first
    with qtbot.waitSignal(window.session.threads_measured, timeout=ANSWER_TIMEOUT_MS) as done:
        window.threads.start()
        assert window.thread_finder is not None and window.thread_finder.isVisible()
    results = done.args[0]
    cores = window.model_bar.threads_slider.maximum()
    assert [r.threads for r in results] == list(range(1, cores + 1))
    fastest = max(r.tokens_per_second for r in results)
    expected = min(r.threads for r in results if r.tokens_per_second >= 0.95 * fastest)
    assert window.model_bar.threads_slider.value() == expected
    assert window.thread_finder.chart.isVisible()
    assert (tmp_path / "thread-counts.json").exists()
    window.thread_finder.grab().save(str(tmp_path / "thread-chart.png"))
    window.thread_finder.reject()
    with qtbot.waitSignal(window.session.answer_finished, timeout=ANSWER_TIMEOUT_MS):
        send(qtbot, window, "Is the model still answering?")


def test_thread_finder_can_be_cancelled(qtbot: QtBot, window: MainWindow) -> None:
    before = window.model_bar.threads_slider.value()
    answer_question(qtbot, button="Yes")
    with qtbot.waitSignal(window.session.threads_measured, timeout=ANSWER_TIMEOUT_MS) as done:
        window.threads.start()
        window.thread_finder.buttons.rejected.emit()
    assert len(done.args[0]) < window.model_bar.threads_slider.maximum()
    assert window.model_bar.threads_slider.value() == before
    assert "cancelled" in window.thread_finder.status.text()
