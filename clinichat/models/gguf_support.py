"""What the gpt4all 2.8.2 backend can load for chat, read off the file's header.

gpt4all fails silently or cryptically on a file it cannot load (an unknown architecture, a
pre-tokenizer newer than its July 2024 llama.cpp), so a file is checked here first and
refused with a message a clinician can act on.
"""

from __future__ import annotations

from typing import Final

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.gguf import KNOWN_TENSOR_TYPES, GGUFError, GGUFInfo
from clinichat.models.gguf_alias import usable_alias

__all__ = [
    "EMBEDDING_ARCHITECTURES",
    "KNOWN_PRE_TOKENIZERS",
    "KNOWN_TOKENIZER_MODELS",
    "LOADABLE_ARCHITECTURES",
    "check_chat_model",
    "check_loadable",
]

# # The lists below were read out of the backend the app ships with:
#   strings .venv/lib/python3.11/site-packages/gpt4all/llmodel_DO_NOT_MODIFY/build/
#           libllamamodel-mainline-kompute.so
# (the Linux wheel has no "-cpu" variant; the kompute build is the CPU build there, and the
# cuda builds carry the same llama.cpp). String literals are deduplicated and tail-merged by
# the linker, so a name that also occurs elsewhere ("mpt" inside "prompt", "bert" inside
# "nomic-bert", "refact" in the architecture table) appears only once; those gaps were filled
# from llama.cpp's src/llama.cpp of July 2024 (llm_load_vocab, LLM_ARCH_NAMES), whose order the
# surviving strings follow exactly. Both lists were then confirmed against the backend itself
# with copies of the SmolLM2 starter whose tokenizer.ggml.pre / general.architecture value was
# rewritten: every pre-tokenizer below is accepted (the jina-v2-* three then need a jina
# vocabulary), "tekken", "smollm", "codeshell", "bloom", "exaone" are "unknown pre-tokenizer
# type"; every architecture below passes gpt4all's check, while grok, gptj, mamba, dbrx, t5,
# minicpm, exaone, granite... are "Unsupported model architecture" and bert / nomic-bert are
# refused for chat.

# gpt4all's own KNOWN_ARCHES whitelist (llamamodel.cpp), minus the embedding-only ones.
# llama.cpp knows more (grok, gptj, jina-bert-v2, plamo, minicpm, mamba, dbrx, arctic,
# bitnet, t5), but gpt4all refuses those before llama.cpp sees them.
LOADABLE_ARCHITECTURES: Final[frozenset[str]] = frozenset(
    {
        "llama", "falcon", "gpt2", "gptneox", "mpt", "baichuan", "starcoder", "refact",
        "bloom", "stablelm", "qwen", "qwen2", "qwen2moe", "phi2", "phi3", "codeshell",
        "orion", "internlm2", "gemma", "gemma2", "starcoder2", "xverse", "command-r", "olmo",
        "openelm", "deepseek2", "chatglm", "jais",
    }
)  # fmt: skip

# In KNOWN_ARCHES too, but gpt4all loads them for embeddings only, never for chat.
EMBEDDING_ARCHITECTURES: Final[frozenset[str]] = frozenset({"bert", "nomic-bert"})

# Values of tokenizer.ggml.pre accepted by llm_load_vocab for BPE ("gpt2") tokenizers;
# anything else is "unknown pre-tokenizer type". Newer names (tekken, smollm, codeshell,
# bloom, exaone, ...) are absent from the binary.
KNOWN_PRE_TOKENIZERS: Final[frozenset[str]] = frozenset(
    {
        "default", "llama3", "llama-v3", "llama-bpe", "deepseek-llm", "deepseek-coder",
        "falcon", "mpt", "starcoder", "gpt-2", "phi-2", "jina-es", "jina-de", "jina-v2-es",
        "jina-v2-de", "jina-v2-code", "refact", "command-r", "qwen2", "stablelm2", "olmo",
        "dbrx", "smaug-bpe", "poro-chat", "chatglm-bpe", "viking", "jais",
    }
)  # fmt: skip

# Values of tokenizer.ggml.model that llm_load_vocab knows ("unknown tokenizer" otherwise).
# "no_vocab" loads but cannot turn text into tokens, so it is useless for chat.
KNOWN_TOKENIZER_MODELS: Final[frozenset[str]] = frozenset({"llama", "bert", "gpt2", "t5"})


def check_chat_model(
    info: GGUFInfo, embedding_architectures: frozenset[str] = EMBEDDING_ARCHITECTURES
) -> None:
    """Raise GGUFError unless the header describes a model any engine could chat with: an
    architecture named, not one built for embeddings only, and a tokenizer."""
    arch = info.architecture
    if arch is None:
        raise GGUFError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This model file does not say which architecture it uses, so ClinicChat cannot"
                " run it.",
            )
        )
    if arch in embedding_architectures:
        raise GGUFError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This is an embedding model ('{arch}'), used for document search; it cannot hold"
                " a conversation.",
            ),
            arch=arch,
        )
    if info.tokenizer_model in (None, "none", "no_vocab"):
        raise GGUFError(
            QT_TRANSLATE_NOOP(
                "Errors", "This model file has no tokenizer, so ClinicChat cannot run it."
            )
        )


def check_loadable(info: GGUFInfo, *, allow_alias: bool = True) -> None:
    """Raise GGUFError unless gpt4all 2.8.2 can load this file for chat.

    With allow_alias (for files about to be imported), a pre-tokenizer that
    `copy_with_alias` will rewrite counts as loadable; without it (files already installed),
    the file must load as it is.
    """
    check_chat_model(info)
    arch = info.architecture
    if arch not in LOADABLE_ARCHITECTURES:
        raise GGUFError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This model uses the '{arch}' architecture, which this version of ClinicChat"
                " cannot run.",
            ),
            arch=arch,
        )
    tok = info.tokenizer_model
    if tok not in KNOWN_TOKENIZER_MODELS:
        raise GGUFError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This model uses a tokenizer ('{tokenizer}') that this version of ClinicChat"
                " cannot run.",
            ),
            tokenizer=tok,
        )
    # llama.cpp of that era reads tokenizer.ggml.pre only for BPE ("gpt2") tokenizers.
    pre = info.pre_tokenizer
    aliased = allow_alias and usable_alias(pre) is not None
    if tok == "gpt2" and pre is not None and pre not in KNOWN_PRE_TOKENIZERS and not aliased:
        raise GGUFError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This model needs a newer tokenizer ('{tokenizer}') than this version of"
                " ClinicChat supports.",
            ),
            tokenizer=pre,
        )
    unknown = sorted(info.tensor_types - KNOWN_TENSOR_TYPES)
    if unknown:
        raise GGUFError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This model stores its weights in a format (ggml type {type}) that this version"
                " of ClinicChat cannot run.",
            ),
            type=unknown[0],
        )
