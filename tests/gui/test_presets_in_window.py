"""A clinical preset starts a conversation, and the engine really receives its instructions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from windows import starter_window

from clinichat.llm.engines.base import GenerationParams, GenerationResult
from clinichat.llm.templates import wrap_system_prompt
from clinichat.ui.main_window import MainWindow

TIMEOUT_MS = 120_000


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, starter_model: Path) -> Iterator[MainWindow]:
    main = starter_window(qtbot, tmp_path, starter_model)
    main.controller.params = GenerationParams(max_tokens=12, temperature=0.0, top_k=1)
    yield main
    main.close()


def ask(qtbot: QtBot, window: MainWindow, text: str) -> GenerationResult:
    window.input.insertPlainText(text)
    with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS) as done:
        window.send_button.click()
    result = done.args[1]
    assert isinstance(result, GenerationResult)
    return result


def test_new_conversation_offers_presets_and_free_typing_uses_the_model_default(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.chat_stack.currentWidget() is window.preset_picker
    ids = [p.id for p in window.preset_picker._presets]
    assert ids[:5] == [
        "free-chat",
        "soap-note",
        "patient-explanation",
        "document-summary",
        "referral-letter",
    ]
    ask(qtbot, window, "What is a normal heart rate?")
    assert window.chat_stack.currentWidget() is window.chat_view
    assert window.session.last_request is not None
    assert window.models.profile is not None
    assert window.session.last_request.system_prompt == window.models.profile.system_prompt


def test_soap_preset_reaches_the_engine_in_the_model_format(
    qtbot: QtBot, window: MainWindow
) -> None:
    baseline = ask(qtbot, window, "Patient with a cough for three days.")
    window.new_conversation()
    picker = window.preset_picker
    assert window.chat_stack.currentWidget() is picker
    soap = next(p for p in picker._presets if p.id == "soap-note")
    picker.list.setFocus()
    qtbot.keyClick(picker.list, Qt.Key.Key_Down)
    qtbot.keyClick(picker.list, Qt.Key.Key_Return)
    assert window.chat_stack.currentWidget() is window.chat_view
    assert window.input.toPlainText() == soap.instruction + "\n\n", "instruction pre-filled"
    result = ask(qtbot, window, "Patient with a cough for three days.")
    request = window.session.last_request
    assert request is not None and window.models.profile is not None
    expected = wrap_system_prompt(window.models.profile, soap.system_prompt)
    assert request.system_prompt == expected
    assert expected.startswith("<|im_start|>system\n"), "the starter model speaks ChatML"
    assert soap.system_prompt.strip() in request.system_prompt
    assert request.prompt.startswith(soap.instruction)
    # The model processed the longer instructions: its context holds many more tokens.
    assert result.context_tokens > baseline.context_tokens + 50
    stored = window.controller.store.conversation(window.current_conversation or -1)
    assert stored.system_prompt == soap.system_prompt, "kept with the conversation"


def test_wrap_system_prompt_formats() -> None:
    from clinichat.llm.engines.base import GPT4ALL, LLAMACPP, ModelSpec
    from clinichat.llm.engines.choice import EngineChoice
    from clinichat.llm.templates import ModelProfile

    def profile(template: str, engine: str = GPT4ALL) -> ModelProfile:
        spec = ModelSpec(Path("m.gguf"), template, engine=engine)
        return ModelProfile("m", spec, "", None, EngineChoice(engine, "", {}))

    # llama.cpp: the file's own chat template marks the system message; the text stays plain.
    chatml = "<|im_start|>user\n%1<|im_end|>\n"
    assert wrap_system_prompt(profile(chatml, LLAMACPP), " Be brief. ") == "Be brief."

    assert wrap_system_prompt(profile("<|user|>\n%1<|end|>\n<|assistant|>\n%2"), "Be brief.") == (
        "<|system|>\nBe brief.<|end|>\n"
    )
    assert wrap_system_prompt(profile("### User:\n%1\n\n### Response:\n%2"), "Be brief.") == (
        "### System:\nBe brief.\n\n"
    )
    assert wrap_system_prompt(profile("[INST] %1 [/INST]"), " Be brief. ") == "Be brief.\n\n"
