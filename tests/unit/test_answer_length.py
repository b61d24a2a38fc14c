"""The answer length never exceeds the context length: in the schema, on loading, on change.

An answer longer than the model's whole context cannot be written; GPT4All's desktop default
(4096 answer tokens in a 2048-token context) promised one anyway.
"""

from __future__ import annotations

import json
from pathlib import Path

from clinichat.config.schema import MODEL, option, within_limits
from clinichat.config.settings import Settings


def test_default_answer_length_fits_the_default_context() -> None:
    assert option("max_tokens").at_most == "context_length"
    assert option("max_tokens").default_value() <= option("context_length").default_value()  # type: ignore[operator]
    defaults = {o.key: o.default_value() for o in MODEL}
    assert within_limits(defaults) == defaults


def test_within_limits_lowers_the_answer_length_to_the_context() -> None:
    values = {o.key: o.default_value() for o in MODEL} | {"context_length": 512}
    assert within_limits(values)["max_tokens"] == 512
    values["max_tokens"] = 300
    assert within_limits(values)["max_tokens"] == 300, "a shorter answer is left alone"


def test_lowering_the_context_takes_the_answer_length_with_it(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.set_model_values("m.gguf", {"context_length": 512})
    assert settings.model_value("m.gguf", "max_tokens") == 512
    assert settings.generation_params("m.gguf").max_tokens == 512
    settings.set_model_values("m.gguf", {"max_tokens": 4000})
    assert settings.model_value("m.gguf", "max_tokens") == 512, "never above the context"
    reloaded, problems = Settings.load(tmp_path)
    assert problems == []
    assert reloaded.generation_params("m.gguf").max_tokens == 512


def test_a_stored_answer_length_beyond_the_context_is_lowered_with_a_notice(
    tmp_path: Path,
) -> None:
    (tmp_path / "settings.json").write_text(
        json.dumps(
            {
                "version": 2,
                "app": {},
                "models": {
                    "old.gguf": {"max_tokens": 4096},
                    "small.gguf": {"context_length": 256, "temperature": 0.2},
                },
            }
        ),
        encoding="utf-8",
    )
    loaded, problems = Settings.load(tmp_path)
    assert loaded.generation_params("old.gguf").max_tokens == 2048
    assert loaded.generation_params("small.gguf").max_tokens == 256
    assert len(problems) == 1 and "old.gguf" in problems[0] and "2048" in problems[0]
