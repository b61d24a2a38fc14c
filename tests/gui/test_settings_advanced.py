"""Settings' model tab shows clinicians what they may change; the rest waits under Advanced.

The raw template (`<|im_start|>…`) and the sampling settings are in a collapsed section that
the keyboard reaches; the answer length's field can never go above the context length.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from clinichat.config.settings import Settings
from clinichat.llm.engines.base import GPT4ALL, LLAMACPP
from clinichat.ui.settings_dialog import Editor, SettingsDialog

TEMPLATE = "<|im_start|>user\n%1<|im_end|>\n<|im_start|>assistant\n%2"
DEFAULTS = {
    "system_prompt": "<|im_start|>system\nYou are SmolLM.<|im_end|>\n",
    "prompt_template": TEMPLATE,
}
ADVANCED = (
    "temperature",
    "top_p",
    "min_p",
    "top_k",
    "repeat_penalty",
    "repeat_last_n",
    "n_batch",
    "system_prompt",
    "prompt_template",
)


def open_dialog(qtbot: QtBot, settings: Settings) -> SettingsDialog:
    dialog = SettingsDialog(
        settings,
        dynamic_choices={"default_model": [("a.gguf", "Model A")], "device": [("cpu", "CPU")]},
        model=("a.gguf", "Model A"),
        model_defaults=DEFAULTS,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.tabs.setCurrentIndex(1)
    return dialog


def editor(dialog: SettingsDialog, key: str) -> Editor:
    return next(e for e in dialog.model_editors if e.option.key == key)


def inside(widget: QWidget, section: QWidget) -> bool:
    return section.isAncestorOf(widget)


def test_template_and_sampling_are_under_a_collapsed_advanced_section(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = open_dialog(qtbot, Settings(tmp_path))
    section, toggle = dialog.advanced_section, dialog.advanced_toggle
    assert toggle.isCheckable() and not toggle.isChecked()
    assert toggle.text() == "Advanced" and toggle.arrowType() == Qt.ArrowType.RightArrow
    assert not section.isVisible()
    for key in ADVANCED:
        assert inside(editor(dialog, key).widget, section), key
        assert not editor(dialog, key).widget.isVisible(), key
    for key in ("context_length", "max_tokens"):
        assert not inside(editor(dialog, key).widget, section), key
        assert editor(dialog, key).widget.isVisible(), key
    assert dialog.reset_button.isVisible()
    # The keyboard reaches the toggle and Space opens it.
    assert toggle.focusPolicy() & Qt.FocusPolicy.TabFocus
    toggle.setFocus()
    qtbot.keyClick(toggle, Qt.Key.Key_Space)
    assert toggle.isChecked() and section.isVisible()
    assert toggle.arrowType() == Qt.ArrowType.DownArrow
    template = editor(dialog, "prompt_template").widget
    assert template.isVisible() and editor(dialog, "prompt_template").get() == TEMPLATE


def test_reset_restores_the_advanced_settings_too(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.set_model_values(
        "a.gguf", {"temperature": 0.1, "prompt_template": "Q: %1 A: %2", "context_length": 512}
    )
    dialog = open_dialog(qtbot, settings)
    assert editor(dialog, "max_tokens").get() == 512
    dialog.reset_button.click()
    assert editor(dialog, "prompt_template").get() == TEMPLATE
    assert (editor(dialog, "context_length").get(), editor(dialog, "max_tokens").get()) == (
        2048,
        1024,
    )
    assert dialog.apply()
    assert settings.model_text("a.gguf", "prompt_template") is None
    assert settings.generation_params("a.gguf").temperature == 0.7


def test_an_error_in_an_advanced_field_opens_the_section(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = open_dialog(qtbot, Settings(tmp_path))
    dialog.tabs.setCurrentIndex(0)
    editor(dialog, "prompt_template").put("no placeholder")
    assert not dialog.apply()
    assert dialog.tabs.currentIndex() == 1 and dialog.advanced_section.isVisible()
    assert editor(dialog, "prompt_template").note.isVisible()


def test_the_answer_length_field_follows_the_context_length(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    dialog = open_dialog(qtbot, settings)
    context, answer = editor(dialog, "context_length"), editor(dialog, "max_tokens")
    assert isinstance(context.widget, QSpinBox) and isinstance(answer.widget, QSpinBox)
    assert answer.widget.maximum() == 2048 and answer.get() == 1024
    context.widget.setValue(512)
    assert answer.widget.maximum() == 512 and answer.get() == 512, "the answer length follows"
    answer.widget.setValue(4000)
    assert answer.get() == 512
    context.widget.setValue(8192)
    assert answer.widget.maximum() == 8192 and answer.get() == 512
    answer.widget.setValue(4000)
    assert answer.get() == 4000
    context.widget.setValue(1024)
    assert dialog.apply()
    assert settings.context_length("a.gguf") == 1024
    assert settings.generation_params("a.gguf").max_tokens == 1024


def test_a_llamacpp_model_shows_only_what_its_engine_reads(qtbot: QtBot, tmp_path: Path) -> None:
    """The file's own chat template formats on llama.cpp: no GPT4All template or batch size,
    the system prompt is plain text (empty: none), and the thinking switch is there."""
    dialog = SettingsDialog(
        Settings(tmp_path / "config"),
        dynamic_choices={"default_model": [("q.gguf", "Qwen3 4B")], "device": [("cpu", "CPU")]},
        model=("q.gguf", "Qwen3 4B"),
        model_defaults={"system_prompt": "", "prompt_template": ""},
        engine=LLAMACPP,
    )
    qtbot.addWidget(dialog)
    keys = {e.option.key for e in dialog.model_editors}
    assert "prompt_template" not in keys and "n_batch" not in keys
    assert {"thinking", "system_prompt", "temperature"} <= keys
    assert editor(dialog, "system_prompt").get() == ""
    assert "plain text on llama.cpp" in editor(dialog, "system_prompt").note.text()

    gpt4all = SettingsDialog(
        Settings(tmp_path / "config2"),
        dynamic_choices={"default_model": [("a.gguf", "Model A")], "device": [("cpu", "CPU")]},
        model=("a.gguf", "Model A"),
        model_defaults=DEFAULTS,
        engine=GPT4ALL,
    )
    qtbot.addWidget(gpt4all)
    keys = {e.option.key for e in gpt4all.model_editors}
    assert {"prompt_template", "n_batch"} <= keys and "thinking" not in keys
