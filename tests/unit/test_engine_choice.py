"""Which engine runs a file: the rule of clinichat/llm/engines/choice.py, on real headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from gguf_writer import chat_metadata, write_gguf

from clinichat.llm.engines.base import GPT4ALL, LLAMACPP
from clinichat.llm.engines.choice import (
    BY_CATALOG,
    BY_USER,
    KNOWN_FORMAT,
    ONLY_ONE,
    OWN_TEMPLATE,
    choose_engine,
)
from clinichat.models.gguf import GGUFInfo, read_info

CHATML = "{% for m in messages %}<|im_start|>{{ m.role }}{% endfor %}"
LLAMA3 = "{% for m in messages %}<|start_header_id|>{{ m.role }}{% endfor %}"


def header(tmp_path: Path, **kwargs: object) -> GGUFInfo:
    path = tmp_path / "m.gguf"
    write_gguf(path, chat_metadata(**kwargs))  # type: ignore[arg-type]
    return read_info(path)


def test_a_catalog_template_or_chatml_keeps_gpt4all(tmp_path: Path) -> None:
    info = header(tmp_path, chat_template=LLAMA3)
    choice = choose_engine(info, known_format=True)
    assert (choice.engine, choice.why, dict(choice.problems)) == (GPT4ALL, KNOWN_FORMAT, {})


def test_an_unknown_format_goes_to_llamacpp_for_its_own_template(tmp_path: Path) -> None:
    choice = choose_engine(header(tmp_path, chat_template=LLAMA3), known_format=False)
    assert (choice.engine, choice.why) == (LLAMACPP, OWN_TEMPLATE)


def test_a_new_architecture_has_only_llamacpp(tmp_path: Path) -> None:
    info = header(tmp_path, arch="qwen3", chat_template=CHATML)
    choice = choose_engine(info, known_format=True)
    assert (choice.engine, choice.why) == (LLAMACPP, ONLY_ONE)
    assert "'qwen3' architecture" in str(choice.problems[GPT4ALL])


@pytest.mark.parametrize("override", [GPT4ALL, LLAMACPP])
def test_the_users_choice_wins_when_that_engine_can_run_it(tmp_path: Path, override: str) -> None:
    info = header(tmp_path, chat_template=CHATML)
    choice = choose_engine(info, known_format=True, override=override)
    assert (choice.engine, choice.why) == (override, BY_USER)


def test_a_choice_the_engine_cannot_honour_is_ignored(tmp_path: Path) -> None:
    info = header(tmp_path, arch="gemma3")
    choice = choose_engine(info, known_format=False, override=GPT4ALL, catalog_engine=GPT4ALL)
    assert choice.engine == LLAMACPP


def test_the_catalog_names_the_engine(tmp_path: Path) -> None:
    info = header(tmp_path, chat_template=CHATML)
    choice = choose_engine(info, known_format=True, catalog_engine=LLAMACPP)
    assert (choice.engine, choice.why) == (LLAMACPP, BY_CATALOG)


def test_no_engine_for_an_embedding_model(tmp_path: Path) -> None:
    choice = choose_engine(header(tmp_path, arch="nomic-bert", pre=None), known_format=False)
    assert choice.engine is None
    problem = choice.problem()
    assert problem is not None and "embedding model" in str(problem)


def test_the_pre_tokenizer_alias_counts_only_when_asked(tmp_path: Path) -> None:
    info = header(tmp_path, pre="smollm", chat_template=CHATML)
    assert choose_engine(info, known_format=True, allow_alias=True).engine == GPT4ALL
    assert choose_engine(info, known_format=True).engine == LLAMACPP
