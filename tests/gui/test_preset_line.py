"""The chat pane says which preset a conversation follows and what it does (issue 11, item 10).

The real window over the starter model: choosing a preset names it above the conversation; a
plain conversation shows no line and sends the model's own instructions; reopening the preset
conversation names it again; a language switch re-renders the line, the name included.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from translation_checks import pseudo_language
from windows import starter_window

from clinichat.i18n import Translations
from clinichat.llm.engines.base import GenerationParams
from clinichat.ui.main_window import MainWindow

TIMEOUT_MS = 120_000
SOAP_LINE = (
    "Preset: SOAP note from consultation notes — Turn rough consultation notes into a"
    " structured SOAP note."
)


@pytest.fixture
def window(
    qtbot: QtBot, tmp_path: Path, starter_model: Path, translations: Translations
) -> Iterator[MainWindow]:
    main = starter_window(qtbot, tmp_path, starter_model, translations=translations)
    main.controller.params = GenerationParams(max_tokens=8, temperature=0.0, top_k=1)
    yield main
    main.close()


def choose_soap(qtbot: QtBot, window: MainWindow) -> None:
    picker = window.preset_picker
    assert window.chat_stack.currentWidget() is picker
    picker.list.setFocus()
    qtbot.keyClick(picker.list, Qt.Key.Key_Down)
    qtbot.keyClick(picker.list, Qt.Key.Key_Return)


def ask(qtbot: QtBot, window: MainWindow, text: str) -> None:
    window.input.insertPlainText(text)
    with qtbot.waitSignal(window.session.answer_finished, timeout=TIMEOUT_MS):
        window.send_button.click()


def test_the_preset_is_named_and_cleared_on_a_plain_conversation(
    qtbot: QtBot, window: MainWindow
) -> None:
    line = window.chat_page.preset_line
    assert not line.isVisible(), "a new conversation has no preset yet"
    choose_soap(qtbot, window)
    assert line.isVisible() and line.text() == SOAP_LINE
    assert line.textFormat() == Qt.TextFormat.PlainText
    ask(qtbot, window, "Cough for three days.")
    soap_conversation = window.current_conversation
    assert soap_conversation is not None
    window.new_conversation()
    assert not line.isVisible(), "a plain conversation shows no preset"
    ask(qtbot, window, "What is a normal heart rate?")
    request, profile = window.session.last_request, window.models.profile
    assert request is not None and profile is not None
    assert request.system_prompt == profile.system_prompt, "the SOAP instructions stay behind"
    window.open_conversation(soap_conversation)
    assert line.isVisible() and line.text() == SOAP_LINE, "reopened, it is named again"


def test_the_preset_line_follows_a_language_switch(qtbot: QtBot, window: MainWindow) -> None:
    line = window.chat_page.preset_line
    choose_soap(qtbot, window)
    with pseudo_language():
        assert line.text().startswith("«Preset: SOAP note from consultation notes")
    assert line.text() == SOAP_LINE
    window.settings.set("language", "es")
    qtbot.waitUntil(lambda: "Nota SOAP a partir de notas de consulta" in line.text())
    assert "Convierte notas de consulta en una nota SOAP estructurada." in line.text()
    window.settings.set("language", "en")
    qtbot.waitUntil(lambda: line.text() == SOAP_LINE)
