"""The settings dialog is generated from the schema: every entry gets a working editor."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QPlainTextEdit,
    QSpinBox,
)
from pytestqt.qtbot import QtBot

from clinichat.config.schema import APP, MODEL, Kind
from clinichat.config.settings import Settings
from clinichat.ui.settings_dialog import SettingsDialog

DEFAULTS = {"system_prompt": "<|sys|>Catalog prompt", "prompt_template": "### Q %1 ### A %2"}
CHOICES = {
    "default_model": [("a.gguf", "Model A"), ("b.gguf", "Model B")],
    "document_model": [("s.gguf", "Search A"), ("t.gguf", "Search B")],
    "device": [("cpu", "Processor"), ("kompute:Fake GPU", "kompute:Fake GPU")],
    "speech_model": [("base", "Whisper base"), ("small", "Whisper small")],
}


def dialog_for(qtbot: QtBot, settings: Settings) -> SettingsDialog:
    dialog = SettingsDialog(
        settings, dynamic_choices=CHOICES, model=("a.gguf", "Model A"), model_defaults=DEFAULTS
    )
    qtbot.addWidget(dialog)
    return dialog


def other_value(editor_widget: object, kind: Kind, current: object) -> object:
    """Change the widget the way a user would, and return the value it should now give."""
    if isinstance(editor_widget, QCheckBox):
        editor_widget.setChecked(not editor_widget.isChecked())
        return editor_widget.isChecked()
    if isinstance(editor_widget, QSpinBox):
        target = editor_widget.maximum() if current != editor_widget.maximum() else 1
        editor_widget.setValue(target)
        return target
    if isinstance(editor_widget, QDoubleSpinBox):
        target = editor_widget.minimum() + editor_widget.singleStep()
        editor_widget.setValue(target)
        return round(target, editor_widget.decimals())
    if isinstance(editor_widget, QComboBox):
        editor_widget.setCurrentIndex((editor_widget.currentIndex() + 1) % editor_widget.count())
        return editor_widget.currentData()
    assert isinstance(editor_widget, QPlainTextEdit), kind
    editor_widget.setPlainText("Edited %1 text")
    return "Edited %1 text"


def test_every_setting_has_a_working_editor(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    dialog = dialog_for(qtbot, settings)
    editors = dialog.app_editors + dialog.model_editors
    assert [e.option.key for e in editors] == [o.key for o in APP + MODEL]
    expected = {}
    for editor in editors:
        assert editor.label.text() and editor.note.text(), editor.option.key
        assert editor.widget.accessibleName(), editor.option.key
        if editor.option.key == "language":
            continue  # switching language needs the app's translators; tested elsewhere
        current = editor.get()
        expected[editor.option.key] = other_value(editor.widget, editor.option.kind, current)
        assert expected[editor.option.key] != current, editor.option.key
    assert dialog.apply()
    reloaded, problems = Settings.load(tmp_path)
    assert problems == []
    for option in APP:
        if option.key in expected:
            assert reloaded.value(option.key) == expected[option.key], option.key
    for option in MODEL:
        assert reloaded.model_value("a.gguf", option.key) == expected[option.key], option.key


def test_text_fields_show_catalog_defaults_and_store_no_override(
    qtbot: QtBot, tmp_path: Path
) -> None:
    settings = Settings(tmp_path)
    dialog = dialog_for(qtbot, settings)
    texts = {e.option.key: e for e in dialog.model_editors if e.option.kind is Kind.TEXT}
    assert texts["system_prompt"].get() == DEFAULTS["system_prompt"]
    assert dialog.apply()
    assert settings.model_text("a.gguf", "system_prompt") is None


def test_invalid_value_is_shown_and_nothing_saved(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    dialog = dialog_for(qtbot, settings)
    template = next(e for e in dialog.model_editors if e.option.key == "prompt_template")
    template.put("no placeholder here")
    temperature = next(e for e in dialog.model_editors if e.option.key == "temperature")
    temperature.put(0.1)
    assert not dialog.apply()
    assert "%1" in template.note.text() and template.note.objectName() == "fieldError"
    assert settings.generation_params("a.gguf").temperature == 0.7, "nothing saved"
    assert dialog.tabs.currentIndex() == 1, "the tab with the error is shown"


def test_reset_to_catalog_defaults(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.set_model_values("a.gguf", {"temperature": 0.1, "system_prompt": "Mine"})
    dialog = dialog_for(qtbot, settings)
    dialog.reset_button.click()
    assert dialog.apply()
    assert settings.model_text("a.gguf", "system_prompt") is None
    assert settings.generation_params("a.gguf").temperature == 0.7


def test_only_changed_fields_are_written(qtbot: QtBot, tmp_path: Path) -> None:
    """A value changed elsewhere while the dialog is open (thread finder) is not undone."""
    settings = Settings(tmp_path)
    settings.set("threads", 1)
    dialog = dialog_for(qtbot, settings)
    settings.set("threads", 2)
    theme = next(e for e in dialog.app_editors if e.option.key == "theme")
    theme.put("dark")
    assert dialog.apply()
    assert settings.threads == 2 and settings.theme == "dark"
