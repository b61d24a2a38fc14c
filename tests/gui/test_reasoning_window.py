"""A reasoning model in the real window: thinking folded under "Reasoning", never the answer.

The model is real (Gemma 3 270M with a Qwen3-style thinking template, `thinking_model`),
imported and run on llama.cpp as a clinician's file would be. While it thinks, its bubble
says "Thinking…" and shows a closed "Reasoning" toggle; the answer alone is what the bubble
shows as its text, what Copy puts on the clipboard, what is saved and what is exported.
The model's "Think before answering" setting off: no reasoning at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from thinking_model import ANSWER_START, EXAMPLES, QUESTION, THOUGHT
from windows import empty_window

from clinichat.history.export import to_markdown
from clinichat.history.store import Role
from clinichat.ui.main_window import MainWindow
from clinichat.ui.message_bubble import MessageBubble

pytestmark = pytest.mark.slow

TIMEOUT_MS = 120_000


def _ask_after_examples(qtbot: QtBot, window: MainWindow) -> tuple[MessageBubble, list[str]]:
    """A conversation that shows the model the pattern, then the question; its answer bubble
    and what the bubble said each time thinking arrived."""
    store = window.controller.store
    conversation = window.controller.new_conversation()
    for turn in EXAMPLES:
        store.add_message(conversation.id, Role.USER, turn.user)
        store.add_message(conversation.id, Role.ASSISTANT, turn.assistant)
    window.open_conversation(conversation.id)
    seen: list[str] = []

    def on_thought(message_id: int, _piece: str) -> None:
        bubble = window.chat_view.bubble(message_id)
        assert bubble is not None
        opened = bubble.reasoning_toggle.isChecked() or bubble.reasoning_body.isVisible()
        seen.append(f"{bubble.state.text()} toggle={bubble.reasoning_toggle.isVisible()} {opened}")

    window.controller.message_reasoning.connect(on_thought)
    with qtbot.waitSignal(window.controller.session.answer_finished, timeout=TIMEOUT_MS):
        window.input.setPlainText(QUESTION)
        window.send()
    window.controller.message_reasoning.disconnect(on_thought)
    bubble = window.chat_view.last_answer()
    assert bubble is not None
    return bubble, seen


def test_reasoning_is_folded_apart_and_never_copied_saved_or_exported(
    qtbot: QtBot, tmp_path: Path, thinking_file: Path
) -> None:
    window = empty_window(qtbot, tmp_path)
    window.settings.set("threads", 2)
    greedy = {"temperature": 0.0, "top_k": 1, "max_tokens": 24}
    window.settings.set_model_values(thinking_file.name, greedy)
    window.show()
    with qtbot.waitSignal(window.controller.session.model_loaded, timeout=TIMEOUT_MS):
        window.models.import_file(thinking_file)

    bubble, seen = _ask_after_examples(qtbot, window)
    assert seen and all(s == "Thinking… toggle=True False" for s in seen), seen
    assert bubble.reasoning.strip() == THOUGHT
    assert bubble.text.startswith(ANSWER_START), bubble.text
    assert THOUGHT not in bubble.text
    assert bubble.state.text() == ""
    assert bubble.reasoning_toggle.isVisible() and bubble.reasoning_toggle.text() == "Reasoning"
    assert not bubble.reasoning_body.isVisible()
    assert THOUGHT not in bubble.body.toPlainText()

    bubble.reasoning_toggle.click()
    assert bubble.reasoning_body.isVisible()
    assert bubble.reasoning_body.toPlainText().strip() == THOUGHT
    bubble.copy_button.click()
    assert QApplication.clipboard().text() == bubble.text

    store = window.controller.store
    conversation_id = window.current_conversation
    assert conversation_id is not None
    saved = store.messages(conversation_id)[-1]
    assert saved.text == bubble.text
    exported = to_markdown(
        store.conversation(conversation_id),
        store.messages(conversation_id),
        title="t",
        you="You",
        assistant="Assistant",
    )
    assert bubble.text in exported and THOUGHT not in exported

    window.settings.set_model_values(thinking_file.name, {"thinking": False})
    direct, seen = _ask_after_examples(qtbot, window)
    assert seen == [] and direct.reasoning == ""
    assert not direct.reasoning_toggle.isVisible()
    assert direct.text.strip() and THOUGHT not in direct.text
