"""Pages cut into passages small enough to quote and large enough to mean something.

A passage is whole sentences up to about `WORDS` words, and the next one starts `OVERLAP`
words before the previous one ended, so an answer that straddles two passages is in one of
them whole. Each passage keeps its page and heading, which is what a citation shows. Word
counts rather than tokens: the index serves every model, and ~120 words are ~160-200 tokens
for the tokenizers in the catalog, so three to five passages fit any context they offer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Final

from clinichat.documents.extract import Page

WORDS: Final = 120
OVERLAP: Final = 25
# Sentence ends: . ! ? … (and Spanish closing marks) followed by space, or a blank line.
_SENTENCE_END: Final = re.compile(r"(?<=[.!?…])[\"”»)]*\s+|\n\s*\n")


@dataclass(frozen=True)
class Chunk:
    page: int | None
    heading: str
    text: str


def passages(pages: Iterable[Page]) -> Iterator[Chunk]:
    """The passages of `pages`, in reading order; never one across two pages."""
    for page in pages:
        for text in _pieces(page.text):
            yield Chunk(page.number, page.heading, text)


def _pieces(text: str) -> Iterator[str]:
    sentences = [s.split() for s in _SENTENCE_END.split(text) if s and s.strip()]
    words: list[str] = []
    for sentence in sentences:
        # A "sentence" longer than a passage (a table row, a list without stops) is cut.
        for start in range(0, len(sentence), WORDS):
            part = sentence[start : start + WORDS]
            if words and len(words) + len(part) > WORDS:
                yield " ".join(words)
                words = words[-OVERLAP:] if OVERLAP else []
            words += part
    if words:
        yield " ".join(words)
