"""ClinicChat's own words about each catalog model, for the clinician who picks one.

GPT4All's descriptions are written for hobbyists, in English only ("Uncensored", "Usage of
LocalDocs (RAG)"): they do not say what matters in a consultation room, namely what a model
is good and bad at, whether it handles Spanish, and whether a clinic may use it under its
licence. These texts do, keyed by file name because file names identify catalog entries and
installed models alike. They are source texts marked for translation (context
"ModelDescriptions"); the UI translates them when it shows them, so a language switch
applies at once. A model ClinicChat has no text for (from a catalog file IT dropped in)
keeps the catalog's own text, which the UI labels as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.licences import APACHE_2, GEMMA, HAI_DEF, LLAMA_3_2, MIT, LicenceTerms

__all__ = ["CONTEXT", "ModelText", "model_text"]

CONTEXT: Final = "ModelDescriptions"


@dataclass(frozen=True)
class ModelText:
    """Source texts (English, to be translated in CONTEXT) about one model file."""

    summary: str  # what it is for, in one sentence
    details: str  # good and bad at, languages
    licence: str  # the licence in plain terms
    commercial: bool  # may a clinic (a commercial setting) use it


_APACHE: Final = APACHE_2.summary
_NON_COMMERCIAL: Final = QT_TRANSLATE_NOOP(
    "ModelDescriptions",
    "Non-commercial licence (CC BY-NC-SA 4.0): it may not be used commercially, so most"
    " clinics may not use it.",
)
_MPT_SUMMARY: Final = QT_TRANSLATE_NOOP(
    "ModelDescriptions", "An older (2023) chat model with 7 billion parameters, by MosaicML."
)
_MPT_DETAILS: Final = QT_TRANSLATE_NOOP(
    "ModelDescriptions",
    "Chats fluently in English, but it is weak in Spanish and less accurate than newer models.",
)


def _text(summary: str, details: str, licence: LicenceTerms) -> ModelText:
    return ModelText(summary, details, licence.summary, licence.commercial)


# The current models, for the llama.cpp engine (the catalog's "engine": "llamacpp").
_CURRENT: Final[dict[str, ModelText]] = {
    "medgemma-1.5-4b-it-Q4_K_M.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A medical model by Google: reading and drafting medical text, such as summarising"
            " notes and explaining findings, always checked by a clinician.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Trained by Google for medical text and images (ClinicChat uses it for text only)."
            " Google says its answers are not meant to inform diagnosis or treatment directly:"
            " they need independent checking before any clinical use. Google evaluated it"
            " mainly in English; its Spanish has not been validated.",
        ),
        HAI_DEF,
    ),
    "gemma-4-E4B_q4_0-it.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A general-purpose model by Google (Gemma 4, 2026): drafting notes, letters and"
            " explanations for patients, and summarising documents.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Writes Spanish, English and many other languages (Google states over 140) and can"
            " read long documents. It is not trained or validated for medicine: check every"
            " clinical fact.",
        ),
        APACHE_2,
    ),
    "Qwen3-8B-Q4_K_M.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A strong reasoning model by Alibaba (Qwen3): harder questions, structured"
            " summaries and step-by-step explanations.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A “thinking” model: it reasons step by step before it answers, which helps with"
            " complex questions but makes answers slower to arrive. Writes Spanish, English and"
            " many other languages. It is not trained or validated for medicine: check every"
            " clinical fact.",
        ),
        APACHE_2,
    ),
    "gemma-4-E2B_q4_0-it.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "The lighter Gemma 4 model by Google: drafting and summarising on computers with"
            " 8 GB of memory.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Writes Spanish, English and many other languages (Google states over 140), but it"
            " is less capable than Gemma 4 E4B. It is not trained or validated for medicine:"
            " check every clinical fact.",
        ),
        APACHE_2,
    ),
    "Qwen3-4B-Q4_K_M.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A mid-sized reasoning model by Alibaba (Qwen3): short drafts, summaries and"
            " explanations on computers with 8 GB of memory.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A “thinking” model: it reasons step by step before it answers, so answers take"
            " longer to start. Writes Spanish, English and many other languages. It knows fewer"
            " facts than larger models and is not trained for medicine: check every clinical"
            " fact.",
        ),
        APACHE_2,
    ),
    "gemma-3-4b-it-Q4_K_M.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A mid-sized general-purpose model by Google (Gemma 3): drafting notes, letters and"
            " explanations for patients.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Answers directly, without reasoning at length first, and writes Spanish, English"
            " and many other languages (Google states over 140). It is not trained for medicine"
            " (MedGemma is its medical version): check every clinical fact.",
        ),
        GEMMA,
    ),
    "microsoft_Phi-4-mini-instruct-Q4_K_M.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A mid-sized model by Microsoft that reasons well for its size: structured answers"
            " and explanations.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Good at step-by-step answers and summaries. It handles 23 languages, Spanish among"
            " them, but knows fewer facts than larger models, and Microsoft advises extra care"
            " with health advice: check every clinical fact.",
        ),
        MIT,
    ),
    "Llama-3.2-3B-Instruct-Q4_K_M.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A small, fast general-purpose model by Meta: short drafts, rewording and simple"
            " questions.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Writes English, Spanish and six other languages (German, French, Italian,"
            " Portuguese, Hindi and Thai). Being small, it makes more mistakes than larger"
            " models: check every answer.",
        ),
        LLAMA_3_2,
    ),
    "Qwen3-1.7B-Q4_K_M.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "The smallest current model: short drafts and simple questions on computers with"
            " little memory.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Writes Spanish, English and many other languages. A “thinking” model: it reasons"
            " before it answers, which helps a small model but takes time on a slow computer."
            " Being small, it makes more mistakes and misses nuance: check every answer.",
        ),
        APACHE_2,
    ),
}

_SEARCH_DETAILS: Final = QT_TRANSLATE_NOOP(
    "ModelDescriptions",
    "Used for document search only, never to chat: with it, a question also finds the"
    " passages that say the same thing in other words or in the other language. It reads"
    " Spanish, English and over 100 other languages. Giving every passage its vector takes a"
    " while on a slow computer; it runs in the background and goes on after a restart.",
)

# Embedding models: they find document passages by meaning (the catalog's "embeddingModel").
_SEARCH: Final[dict[str, ModelText]] = {
    "Qwen3-Embedding-0.6B-Q8_0.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Finds the passages of the clinic's documents by meaning (Qwen3 Embedding, by"
            " Alibaba): the recommended search model.",
        ),
        _SEARCH_DETAILS,
        APACHE_2,
    ),
    "bge-m3-q8_0.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Finds the passages of the clinic's documents by meaning (BGE-M3, by BAAI), under"
            " the MIT licence.",
        ),
        _SEARCH_DETAILS,
        MIT,
    ),
    "embeddinggemma-300m-qat-Q8_0.gguf": _text(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Finds the passages of the clinic's documents by meaning (EmbeddingGemma, by"
            " Google): the smallest and fastest search model.",
        ),
        _SEARCH_DETAILS,
        GEMMA,
    ),
}

_TEXTS: Final[dict[str, ModelText]] = {
    **_CURRENT,
    **_SEARCH,
    "SmolLM2-135M-Instruct.Q4_1.gguf": ModelText(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "The starter: a tiny model for trying ClinicChat, to see how the app works.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "It answers quickly on any computer, but it is tiny and often wrong: it invents facts"
            " and loses track of longer questions. Only for trying the app; not for clinical"
            " use. English only: questions in Spanish get poor answers.",
        ),
        _APACHE,
        True,
    ),
    "Meta-Llama-3.1-8B-Instruct-128k-Q4_0.gguf": ModelText(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "The strongest all-round model from GPT4All's catalog: drafting notes, letters and"
            " explanations for patients, and summarising documents.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Follows instructions well and writes clear English and Spanish (also French,"
            " German, Italian, Portuguese, Hindi and Thai), and can read long documents. It is"
            " slow on an ordinary processor (a few words per second). Its knowledge ends in"
            " December 2023 and it can state wrong facts confidently: check every clinical"
            " fact.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Meta Llama 3.1 Community Licence: a clinic may use it, also commercially, if it"
            " follows Meta's acceptable use policy and credits “Built with Llama”"
            " when it passes the model on.",
        ),
        True,
    ),
    "Phi-3-mini-4k-instruct.Q4_0.gguf": ModelText(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A mid-sized model that reasons well for its size: short drafts and explanations on"
            " computers with 4 GB of memory.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Good at structured, step-by-step answers, and faster than the larger models. It is"
            " trained mostly in English, so its Spanish is weak, and it knows fewer facts than"
            " larger models. It reads only about 4,000 tokens at a time (a few pages): long"
            " documents do not fit.",
        ),
        MIT.summary,
        MIT.commercial,
    ),
    "qwen2-1_5b-instruct-q4_0.gguf": ModelText(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A small, fast model for computers with little memory: short drafts and simple"
            " questions.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Writes many languages, Spanish included, and reads long texts (up to 32,000"
            " tokens). Being small, it makes more mistakes than larger models and misses"
            " nuance: check every answer.",
        ),
        _APACHE,
        True,
    ),
    "mistral-7b-instruct-v0.1.Q4_0.gguf": ModelText(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "An older (2023) general-purpose model with 7 billion parameters, by Mistral AI.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Fluent in English, usable but weaker in Spanish. It has no safety tuning and is"
            " less accurate than Llama 3.1 8B, which needs the same memory.",
        ),
        _APACHE,
        True,
    ),
    "mistral-7b-openorca.gguf2.Q4_0.gguf": ModelText(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "An older (2023) chat model with 7 billion parameters: Mistral trained further on"
            " the OpenOrca collection of questions and answers.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Good at conversation and explanations in English, weaker in Spanish. Newer models"
            " such as Llama 3.1 8B, which needs the same memory, are more accurate.",
        ),
        _APACHE,
        True,
    ),
    "gpt4all-falcon-newbpe-q4_0.gguf": ModelText(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "An older (2023) model with 7 billion parameters, by TII, trained by Nomic AI to"
            " follow instructions.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Quick, but noticeably less accurate than newer models, weak in Spanish, and it"
            " reads only about 2,000 tokens at a time. Llama 3.1 8B needs the same memory and"
            " is better.",
        ),
        _APACHE,
        True,
    ),
    "mpt-7b-chat-newbpe-q4_0.gguf": ModelText(_MPT_SUMMARY, _MPT_DETAILS, _NON_COMMERCIAL, False),
    "mpt-7b-chat.gguf4.Q4_0.gguf": ModelText(_MPT_SUMMARY, _MPT_DETAILS, _NON_COMMERCIAL, False),
    "orca-mini-3b-gguf2-q4_0.gguf": ModelText(
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "A small, older (2023) model with 3 billion parameters, trained to explain its"
            " answers.",
        ),
        QT_TRANSLATE_NOOP(
            "ModelDescriptions",
            "Runs with 4 GB of memory, but its answers are often shallow or wrong, and it is weak"
            " in Spanish. Phi-3 Mini needs the same memory and is much better.",
        ),
        _NON_COMMERCIAL,
        False,
    ),
}


def model_text(filename: str) -> ModelText | None:
    """ClinicChat's text about this model file; None for a file ClinicChat does not know."""
    return _TEXTS.get(filename)
