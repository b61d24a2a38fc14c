"""Which engine runs a model file, and why the other one cannot.

Decided per file, from its header, before anything loads (no backend is imported here):

- gpt4all 2.8.2 runs the architectures and pre-tokenizers llama.cpp knew in July 2024
  (`gguf_support.check_loadable`), with the %1/%2 prompt template a catalog entry supplies;
- the llama.cpp engine runs current architectures with the chat template inside the file.

The rule, in order: the user's choice for this model, if that engine can run it; the
catalog's, if it names one; gpt4all when it can run the file in a prompt format it knows
(GPT4All's catalog models, with the catalog's template, as the product has always run them,
and files whose own template is ChatML, which gpt4all speaks); any other file goes to
llama.cpp, because only llama.cpp uses the file's own chat template (gpt4all would need a
guessed one). When the preferred engine cannot run the file, the other one does, if it can.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from clinichat.llm.engines.base import ENGINE_LABELS, GPT4ALL, LLAMACPP
from clinichat.messages import QT_TRANSLATE_NOOP, UserError
from clinichat.models.gguf import GGUFError, GGUFInfo
from clinichat.models.gguf_support import EMBEDDING_ARCHITECTURES, check_chat_model, check_loadable

# Architectures current llama.cpp builds only for embeddings (document search), not chat.
EMBEDDING_ONLY: Final = EMBEDDING_ARCHITECTURES | frozenset(
    {
        "nomic-bert-moe",
        "neo-bert",
        "modern-bert",
        "jina-bert-v2",
        "jina-bert-v3",
        "eurobert",
        "gemma-embedding",
        "t5encoder",
        "clip",
    }
)

# Why an engine was chosen (translatable source texts, context "Engine").
BY_USER: Final = QT_TRANSLATE_NOOP("Engine", "chosen in this model's settings")
BY_CATALOG: Final = QT_TRANSLATE_NOOP("Engine", "the catalog names this engine")
KNOWN_FORMAT: Final = QT_TRANSLATE_NOOP("Engine", "GPT4All knows this model's prompt format")
OWN_TEMPLATE: Final = QT_TRANSLATE_NOOP("Engine", "uses the model's own chat format")
ONLY_ONE: Final = QT_TRANSLATE_NOOP("Engine", "the only engine that can run it")


@dataclass(frozen=True)
class EngineChoice:
    """The engine for one file (None when neither can run it) and each refusal's reason."""

    engine: str | None
    why: str  # a source text above, or "" when no engine can run it
    problems: Mapping[str, UserError]  # engine -> why it cannot run this file

    def problem(self) -> UserError | None:
        """Why no engine can run this file: the gpt4all reason for old architectures,
        else the llama.cpp one (the more specific of the two for current files)."""
        if self.engine is not None:
            return None
        return self.problems.get(LLAMACPP) or self.problems.get(GPT4ALL)


def llamacpp_problem(info: GGUFInfo) -> UserError | None:
    """Why current llama.cpp cannot chat with this file, from its header; None if it may.

    An architecture this llama.cpp does not know is found by the probe load (probe.py),
    which runs before any file is offered.
    """
    try:
        check_chat_model(info, EMBEDDING_ONLY)
    except GGUFError as error:
        return error
    return None


def gpt4all_knows_format(info: GGUFInfo, catalog_template: str | None) -> bool:
    """Whether gpt4all has a prompt template for this file: the catalog's, or ChatML."""
    return bool(catalog_template) or "<|im_start|>" in (info.chat_template or "")


def gpt4all_problem(info: GGUFInfo, *, allow_alias: bool = False) -> UserError | None:
    try:
        check_loadable(info, allow_alias=allow_alias)
    except GGUFError as error:
        return error
    return None


def choose_engine(
    info: GGUFInfo,
    *,
    known_format: bool,
    catalog_engine: str | None = None,
    override: str | None = None,
    allow_alias: bool = False,
) -> EngineChoice:
    """The engine that will run this file, by the rule in the module docstring.

    `known_format`: gpt4all has a prompt template for this file (from the catalog, or
    ChatML). `allow_alias` as in `gguf_support.check_loadable`: for a file about to be imported, a
    pre-tokenizer the import will rename counts as loadable by gpt4all.
    """
    problems: dict[str, UserError] = {}
    for name, problem in (
        (GPT4ALL, gpt4all_problem(info, allow_alias=allow_alias)),
        (LLAMACPP, llamacpp_problem(info)),
    ):
        if problem is not None:
            problems[name] = problem
    if override in ENGINE_LABELS and override not in problems:
        return EngineChoice(override, BY_USER, problems)
    if catalog_engine in ENGINE_LABELS and catalog_engine not in problems:
        return EngineChoice(catalog_engine, BY_CATALOG, problems)
    preferred, why = (GPT4ALL, KNOWN_FORMAT) if known_format else (LLAMACPP, OWN_TEMPLATE)
    if preferred not in problems:
        only = not known_format and GPT4ALL in problems
        return EngineChoice(preferred, ONLY_ONE if only else why, problems)
    other = LLAMACPP if preferred == GPT4ALL else GPT4ALL
    if other not in problems:
        return EngineChoice(other, ONLY_ONE, problems)
    return EngineChoice(None, "", problems)
