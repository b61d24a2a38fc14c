"""Long recordings are cut into windows at their quietest moment, with nothing lost."""

from __future__ import annotations

import numpy as np
import pytest

from clinichat.speech import transcriber
from clinichat.speech.audio_file import SAMPLE_RATE
from clinichat.speech.transcriber import clean_text, windows


def test_windows_cut_in_the_pause_and_keep_every_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transcriber, "WINDOW_S", 10.0)
    monkeypatch.setattr(transcriber, "CUT_SEARCH_S", 4.0)
    rng = np.random.default_rng(7)
    sound = (rng.standard_normal(25 * SAMPLE_RATE) * 0.3).astype(np.float32)
    sound[int(7.5 * SAMPLE_RATE) : int(7.8 * SAMPLE_RATE)] = 0  # a pause 2.5 s before 10 s
    blocks = np.array_split(sound, 9)
    cut = list(windows(blocks))
    offsets = [offset for offset, _ in cut]
    first_end = cut[0][1].size / SAMPLE_RATE
    assert 7.5 <= first_end <= 7.8
    assert offsets[1] == pytest.approx(first_end)
    assert all(part.size <= 10 * SAMPLE_RATE for _, part in cut)
    assert np.array_equal(np.concatenate([part for _, part in cut]), sound)


def test_model_text_loses_control_and_invisible_characters() -> None:
    hostile = " Dolor\x1b[31m  torácico\u202e derecho\u200b.\x00\n"
    assert clean_text(hostile) == "Dolor[31m torácico derecho."


def test_a_decoding_loop_is_kept_once_and_marked() -> None:
    loop = "No tiene alergias. " + "las " * 300
    assert clean_text(loop) == "No tiene alergias. las […]"
    assert clean_text("Le doy le doy le doy le doy le doy.") == "Le doy […]"
    assert clean_text("3, 4, 5, 5, 5, 5, 5, 5") == "3, 4, 5, […]"
    # Said four times, or numbers in a list, it is speech: kept as heard.
    assert clean_text("No, no, no, no. Dosis 5 5 5.") == "No, no, no, no. Dosis 5 5 5."
