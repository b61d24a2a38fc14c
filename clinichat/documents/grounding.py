"""A question put to the model with the clinic's passages it should answer from.

The model sees the passages numbered [1], [2]… with document and page, and is asked to cite
the ones it uses by those numbers, and to begin its reply with FOUND_MARK or NOTHING_MARK:
whether the passages answer the question. That judgement is the model's own: no embedding
score or word overlap told the labelled set's unanswerable questions from the rest
(tests/bench/bench_docs.py), because they ask about a neighbouring topic, which only reading
the passages can tell. The choice is asked for after the question, and both ways are named:
asked only to mark "nothing", before the question, a 1.5B model marked 7 of 10 unanswerable
questions but also 20 of 50 answerable ones; asked to choose, 3 of 10 and 2 of 50. The app
takes the mark off the answer (`opening`), says so when it is NOTHING_MARK, and with "answer
only from the documents" stops the answer there. Passages are added best first while they
fit the token budget, and the caller learns how many were left out, so nothing is dropped
silently. The clinician's question is stored as typed; this prompt is only what the model
reads for this one answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from clinichat.documents.library import Passage
from clinichat.llm.engines.base import estimate_tokens

#: What the model begins its reply with when the passages answer the question, and when not.
FOUND_MARK: Final = "[found]"
NOTHING_MARK: Final = "[none]"


@dataclass(frozen=True)
class Grounding:
    prompt: str
    sources: list[Passage]  # what [1], [2]… refer to
    left_out: int  # passages found that did not fit the budget


def where(passage: Passage) -> str:
    """'profilaxis.pdf, page 2' or 'asthma.docx, Severe attack': how a citation names it."""
    if passage.page is not None:
        return f"{passage.document}, page {passage.page}"
    return f"{passage.document}, {passage.heading}" if passage.heading else passage.document


def ground(question: str, found: Sequence[Passage], *, only: bool, budget: int) -> Grounding:
    """The prompt for `question` with as many of `found` (best first) as fit `budget` tokens."""
    sources: list[Passage] = []
    used = estimate_tokens(question) + 120  # the instructions
    for passage in found:
        cost = estimate_tokens(passage.text) + 16
        if used + cost > budget:
            break
        sources.append(passage)
        used += cost
    left_out = len(found) - len(sources)
    if not sources:
        rule = (
            "do not answer from general knowledge."
            if only
            else "if you then answer from general knowledge, say that it is not from the documents."
        )
        text = (
            "No passage of the clinic's documents matches this question. Say so first;"
            f" {rule}\n\nQuestion: {question}"
        )
        return Grounding(text, [], left_out)
    excerpts = "\n\n".join(f"[{n}] {where(p)}\n{p.text}" for n, p in enumerate(sources, start=1))
    choice = (
        f"Begin your reply with {FOUND_MARK} if the passages answer this question, then"
        f" answer; if they do not, reply only with {NOTHING_MARK}."
        if only
        else f"Begin your reply with {FOUND_MARK} if the passages answer this question, or with"
        f" {NOTHING_MARK} if they do not; then answer."
    )
    text = (
        f"Passages from the clinic's documents:\n\n{excerpts}\n\n"
        "Answer the question below from these passages. After each statement taken from a"
        " passage, cite it by its number in square brackets, like [1].\n\n"
        f"Question: {question}\n\n{choice}"
    )
    return Grounding(text, sources, left_out)


def opening(text: str) -> tuple[bool | None, str]:
    """Whether an answer's `text` so far begins with NOTHING_MARK, and the text to show.

    (None, "") while it could still become either mark (it streams in pieces); (True, what
    follows NOTHING_MARK); (False, what follows FOUND_MARK); or (False, the text as it came)
    when it begins with neither. Case and leading spaces or Markdown emphasis around a mark
    do not matter: small models add them.
    """
    start = text.lstrip().lstrip("*_").lstrip()
    marks = (NOTHING_MARK, FOUND_MARK)
    for mark in marks:
        if start[: len(mark)].lower() == mark:
            return mark == NOTHING_MARK, start[len(mark) :].lstrip("*_").lstrip()
    if any(len(start) < len(mark) and mark.startswith(start.lower()) for mark in marks):
        return None, ""
    return False, text
