"""The model licences ClinicChat knows by name, in plain words for a clinician.

A catalog entry may name its licence ("licence": "Apache-2.0"). Only the names below are
read; any other name is kept as written and says nothing about commercial use, because a
guessed licence is worse than none. A clinic is a commercial setting, so what matters is
whether it may use the model at all (`commercial`) and whether that comes with conditions it
must read first (`conditions`: a use policy, notices to pass on, a regulator's approval).
The summaries are source texts for translation in the "ModelDescriptions" context, where
ClinicChat's own words about models live; they are a summary, not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from clinichat.messages import QT_TRANSLATE_NOOP

__all__ = [
    "APACHE_2",
    "GEMMA",
    "HAI_DEF",
    "LICENCES",
    "LLAMA_3_2",
    "MIT",
    "LicenceTerms",
    "licence_terms",
]


@dataclass(frozen=True)
class LicenceTerms:
    """What one licence means for a clinic."""

    name: str  # as a catalog entry writes it
    commercial: bool  # a clinic may use it (a commercial setting), with or without conditions
    conditions: bool  # only under conditions beyond keeping a notice: read them before use
    summary: str  # plain words, a source text in context "ModelDescriptions"


APACHE_2: Final = LicenceTerms(
    "Apache-2.0",
    commercial=True,
    conditions=False,
    summary=QT_TRANSLATE_NOOP(
        "ModelDescriptions",
        "Apache 2.0 licence: free to use, also commercially, so a clinic may use it.",
    ),
)
MIT: Final = LicenceTerms(
    "MIT",
    commercial=True,
    conditions=False,
    summary=QT_TRANSLATE_NOOP(
        "ModelDescriptions",
        "MIT licence: free to use, also commercially, with no restrictions.",
    ),
)
GEMMA: Final = LicenceTerms(
    "Gemma Terms of Use",
    commercial=True,
    conditions=True,
    summary=QT_TRANSLATE_NOOP(
        "ModelDescriptions",
        "Gemma Terms of Use (Google): a clinic may use it, also commercially, under Google's"
        " prohibited use policy, which forbids automated decisions about people's health and"
        " practising medicine without a licence. Whoever passes the model on must pass these"
        " terms on.",
    ),
)
HAI_DEF: Final = LicenceTerms(
    "HAI-DEF Terms of Use",
    commercial=True,
    conditions=True,
    summary=QT_TRANSLATE_NOOP(
        "ModelDescriptions",
        "Health AI Developer Foundations terms (Google): commercial use is not prohibited, but"
        " only under these terms. Automated decisions about patients' care are forbidden, use"
        " in diagnosis or treatment may need a health regulator's approval, and whoever passes"
        " the model on must pass the terms and their restrictions on. Read the terms before"
        " any clinical use.",
    ),
)
LLAMA_3_2: Final = LicenceTerms(
    "Llama 3.2 Community License",
    commercial=True,
    conditions=True,
    summary=QT_TRANSLATE_NOOP(
        "ModelDescriptions",
        "Meta Llama 3.2 Community Licence: a clinic may use it, also commercially, if it"
        " follows Meta's acceptable use policy, which forbids practising medicine without a"
        " licence, and credits “Built with Llama” when it passes the model on.",
    ),
)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


LICENCES: Final[dict[str, LicenceTerms]] = {
    _key(terms.name): terms for terms in (APACHE_2, MIT, GEMMA, HAI_DEF, LLAMA_3_2)
}


def licence_terms(name: str | None) -> LicenceTerms | None:
    """The terms of the licence a catalog entry names; None for a name ClinicChat does not
    know (letter case and runs of spaces do not matter)."""
    return LICENCES.get(_key(name)) if name else None
