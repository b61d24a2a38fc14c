"""Settings follow the schema: round trip, bad values fall back, atomic saves, change signals."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from clinichat.config.schema import APP, MODEL, SERVER, Kind, SettingError, default_threads, option
from clinichat.config.settings import Settings
from clinichat.llm.engines.base import GenerationParams


def test_round_trip_of_app_and_model_settings(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.set("threads", 1)
    settings.set("language", "es")
    settings.set("default_model", "m.gguf")
    settings.set("save_history", False)
    settings.set_model_values("m.gguf", {"temperature": 0.2, "system_prompt": "Be brief."})
    loaded, problems = Settings.load(tmp_path)
    assert problems == []
    assert (loaded.threads, loaded.language, loaded.default_model) == (1, "es", "m.gguf")
    assert loaded.save_history is False
    assert loaded.generation_params("m.gguf").temperature == 0.2
    assert loaded.model_text("m.gguf", "system_prompt") == "Be brief."
    assert loaded.model_text("other.gguf", "system_prompt") is None
    assert json.loads((tmp_path / "settings.json").read_text())["version"] == 2


def test_missing_file_gives_schema_defaults(tmp_path: Path) -> None:
    loaded, problems = Settings.load(tmp_path)
    assert problems == []
    assert loaded.threads == default_threads() == min(4, os.cpu_count() or 1)
    assert loaded.default_model is None
    assert loaded.generation_params("any.gguf") == GenerationParams(max_tokens=1024)
    assert loaded.context_length("any.gguf") == 2048


def test_gpt4all_desktop_defaults() -> None:
    """GPT4All's, except the answer length: its 4096 could never fit a 2048 context."""
    expected = {
        "context_length": 2048,
        "max_tokens": 1024,
        "temperature": 0.7,
        "top_p": 0.4,
        "min_p": 0.0,
        "top_k": 40,
        "repeat_penalty": 1.18,
        "repeat_last_n": 64,
        "n_batch": 128,
    }
    assert {key: option(key).default_value() for key in expected} == expected


def test_bad_values_fall_back_with_a_notice_each(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps(
            {
                "version": 2,
                "app": {
                    "threads": 999,
                    "theme": "purple",
                    "idle_lock_minutes": "5",
                    "font_scale": 150,
                },
                "models": {"m.gguf": {"temperature": 7, "top_k": 10, "prompt_template": "no slot"}},
            }
        ),
        encoding="utf-8",
    )
    loaded, problems = Settings.load(tmp_path)
    assert loaded.threads == default_threads()
    assert loaded.theme == "system" and loaded.idle_lock_minutes == 5
    assert loaded.font_scale == 150, "good values next to bad ones are kept"
    assert loaded.generation_params("m.gguf").temperature == 0.7
    assert loaded.generation_params("m.gguf").top_k == 10
    assert loaded.model_text("m.gguf", "prompt_template") is None
    assert len(problems) == 5
    assert any("Processor threads" in p and "999" in p for p in problems)
    assert any("m.gguf" in p and "Prompt template" in p for p in problems)


def test_version_1_file_is_read(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps({"version": 1, "threads": 1, "default_model": "a.gguf", "idle_lock_minutes": 0})
    )
    loaded, problems = Settings.load(tmp_path)
    assert (loaded.threads, loaded.default_model, loaded.idle_lock_minutes, problems) == (
        1,
        "a.gguf",
        0,
        [],
    )


def test_damaged_file_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    loaded, problems = Settings.load(tmp_path)
    assert loaded.threads == default_threads()
    assert problems and "unreadable" in problems[0]


def test_set_rejects_bad_values_and_changes_nothing(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    with pytest.raises(SettingError, match="Processor threads"):
        settings.set("threads", 0)
    with pytest.raises(SettingError):
        settings.set("language", "fr")
    with pytest.raises(SettingError):
        settings.set_model_values("m.gguf", {"top_k": 5, "temperature": -1})
    assert settings.generation_params("m.gguf").top_k == 40, "all-or-nothing"
    assert not (tmp_path / "settings.json").exists()


def test_changes_are_announced_once_and_saved_atomically(qtbot: QtBot, tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    seen: list[str] = []
    models: list[str] = []
    settings.changed.connect(seen.append)
    settings.model_changed.connect(models.append)
    settings.set("theme", "dark")
    settings.set("theme", "dark")  # no change, no signal
    settings.set_model_values("m.gguf", {"top_k": 5})
    settings.reset_model("m.gguf")
    settings.reset_model("m.gguf")  # nothing to reset
    assert seen == ["theme"] and models == ["m.gguf", "m.gguf"]
    assert settings.generation_params("m.gguf").top_k == 40
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_schema_entries_are_complete() -> None:
    keys = [o.key for o in APP + SERVER + MODEL]
    assert len(keys) == len(set(keys))
    assert {o.key for o in APP} >= {
        "language",
        "theme",
        "font_scale",
        "threads",
        "device",
        "idle_lock_minutes",
        "default_model",
        "save_history",
    }
    for entry in APP + SERVER + MODEL:
        assert entry.label.strip() and len(entry.description) > 15, entry.key
        default = entry.default_value()
        if entry.kind is Kind.DYNAMIC:
            continue
        assert entry.validate(default) == default, f"{entry.key}: default outside its bounds"
