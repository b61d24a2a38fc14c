"""Speech speed on this computer: measured from real use, estimated until then; the log file
is numbers only and a damaged one is ignored."""

from __future__ import annotations

import json
import math
from pathlib import Path

from clinichat.speech.catalog import SPEECH_MODELS, find_speech_model
from clinichat.speech.installed import SpeechModels
from clinichat.speech.speed import BASE_SPEED, SpeedLog, expected_speed


def _model(name: str):
    model = find_speech_model(name)
    assert model is not None
    return model


def test_estimates_follow_the_models_size_and_the_threads(tmp_path: Path) -> None:
    log = SpeedLog(tmp_path / "speeds.json")
    base = expected_speed(_model("base"), 2, log)
    assert base.factor == BASE_SPEED and not base.measured
    factors = [expected_speed(model, 2, log).factor for model in SPEECH_MODELS]
    assert factors == sorted(factors, reverse=True)  # the catalog runs from fast to slow
    assert expected_speed(_model("base"), 8, log).factor > base.factor
    assert math.isclose(base.minutes_for(9), 1.0)


def test_use_here_replaces_the_estimate_and_accumulates(tmp_path: Path) -> None:
    speech = SpeechModels(tmp_path)
    speech.record_speed(tmp_path / "base", audio_s=60.0, work_s=6.0)
    assert expected_speed(_model("base"), 2, speech.speeds).factor == 10.0
    speech.record_speed(tmp_path / "base", audio_s=30.0, work_s=6.0)
    speed = expected_speed(_model("base"), 2, speech.speeds)
    assert speed.measured and speed.factor == 7.5
    assert json.loads((tmp_path / "speeds.json").read_text()) == {"base": [90.0, 12.0]}
    speech.record_speed(tmp_path / "base", audio_s=2.0, work_s=5.0)  # mostly loading: ignored
    speech.record_speed(tmp_path.parent / "elsewhere" / "base", audio_s=60.0, work_s=60.0)
    assert expected_speed(_model("base"), 2, speech.speeds).factor == 7.5


def test_a_damaged_log_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "speeds.json"
    log = SpeedLog(path)
    for text in (
        "{not json",
        "[1, 2]",
        '{"base": "fast"}',
        '{"base": [1, 0]}',
        '{"base": [true, 1]}',
        '{"base": [-5, 1]}',
        '{"base": [1e999, 1]}',
    ):
        path.write_text(text)
        assert log.measured("base") is None, text
    SpeedLog(tmp_path / "missing" / "speeds.json").record("base", 60.0, 6.0)
    assert not (tmp_path / "missing").exists()  # no folder is made for it
