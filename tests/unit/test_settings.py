"""Settings survive restarts, bad values fall back to defaults, saves are atomic."""

from __future__ import annotations

import json
import os
from pathlib import Path

from clinichat.config.settings import Settings, default_threads


def test_round_trip(tmp_path: Path) -> None:
    Settings(threads=1, default_model="m.gguf").save(tmp_path)
    loaded, problems = Settings.load(tmp_path)
    assert (loaded.threads, loaded.default_model, problems) == (1, "m.gguf", [])
    assert json.loads((tmp_path / "settings.json").read_text())["version"] == 1


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    loaded, problems = Settings.load(tmp_path)
    assert loaded.threads == default_threads() == min(4, os.cpu_count() or 1)
    assert loaded.default_model is None and problems == []


def test_bad_values_fall_back_with_a_notice(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps({"threads": 999, "default_model": 5}), encoding="utf-8"
    )
    loaded, problems = Settings.load(tmp_path)
    assert loaded.threads == default_threads()
    assert loaded.default_model is None
    assert len(problems) == 2


def test_damaged_file_gives_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    loaded, problems = Settings.load(tmp_path)
    assert loaded == Settings()
    assert problems and "unreadable" in problems[0]


def test_save_leaves_no_temporary_files(tmp_path: Path) -> None:
    Settings().save(tmp_path)
    Settings(threads=1).save(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
