"""The question as the model reads it with the clinic's passages: numbered, cited, trimmed
to the budget with the count left out, and told plainly when nothing matched."""

from __future__ import annotations

from pathlib import Path

from clinichat.documents.grounding import FOUND_MARK, NOTHING_MARK, ground, opening, where
from clinichat.documents.library import Passage


def passage(n: int, page: int | None = 2, words: int = 30) -> Passage:
    text = " ".join(f"dose{n}w{i}" for i in range(words))
    return Passage(f"doc{n}.pdf", Path(f"/docs/doc{n}.pdf"), page, "Dosing", text, 1.0)


def test_passages_are_numbered_with_their_place_and_the_model_is_asked_to_cite() -> None:
    found = [passage(1), passage(2, page=None)]
    grounding = ground("Which dose?", found, only=False, budget=2000)
    assert grounding.sources == found and grounding.left_out == 0
    assert "[1] doc1.pdf, page 2\n" in grounding.prompt
    assert "[2] doc2.pdf, Dosing\n" in grounding.prompt
    assert "like [1]" in grounding.prompt
    # The choice comes after the question, both ways named (why: grounding's docstring).
    question, choice = grounding.prompt.split("Question: Which dose?\n\n")
    assert choice.startswith(f"Begin your reply with {FOUND_MARK} if the passages answer")
    assert NOTHING_MARK in choice and NOTHING_MARK not in question


def test_what_does_not_fit_is_left_out_and_counted() -> None:
    found = [passage(n, words=150) for n in range(1, 6)]
    grounding = ground("Which dose?", found, only=False, budget=1500)
    assert 0 < len(grounding.sources) < 5
    assert grounding.sources == found[: len(grounding.sources)], "best first"
    assert grounding.left_out == 5 - len(grounding.sources)


def test_only_documents_and_nothing_found_are_said_to_the_model() -> None:
    only = ground("Which dose?", [passage(1)], only=True, budget=2000)
    assert only.prompt.endswith(f"if they do not, reply only with {NOTHING_MARK}.")
    general = ground("Which dose?", [passage(1)], only=False, budget=2000)
    assert general.prompt.endswith(f"or with {NOTHING_MARK} if they do not; then answer.")
    nothing = ground("Which dose?", [], only=True, budget=2000)
    assert nothing.sources == []
    assert nothing.prompt.startswith("No passage of the clinic's documents matches")
    assert "do not answer from general knowledge" in nothing.prompt
    general = ground("Which dose?", [], only=False, budget=2000)
    assert "say that it is not from the documents" in general.prompt
    assert NOTHING_MARK not in nothing.prompt + general.prompt, "the app already knows"
    assert FOUND_MARK not in nothing.prompt + general.prompt
    assert where(passage(3, page=None)) == "doc3.pdf, Dosing"


def test_the_opening_is_decided_only_once_it_can_no_longer_become_a_mark() -> None:
    streamed = ""
    for piece in [" ", "[", "no", "ne", "]", " Gout is treated"]:
        streamed += piece
        marked, shown = opening(streamed)
        if len(streamed) < len(" [none]"):
            assert (marked, shown) == (None, ""), f"{streamed!r} may still be the mark"
    assert (marked, shown) == (True, "Gout is treated")
    assert opening("**[NONE]** Not in the documents.") == (True, "Not in the documents.")
    assert opening("[1] says cefazolin") == (False, "[1] says cefazolin")
    assert opening("[no") == (None, "")
    assert opening("[nonetheless]") == (False, "[nonetheless]")
    assert opening(" [fo") == (None, ""), "may still be the other mark"
    assert opening("**[Found]** Cefazolina 2 g [1].") == (False, "Cefazolina 2 g [1].")
    assert opening("[founding") == (False, "[founding")
    assert opening("[f]") == (False, "[f]")
    assert opening("Cefazolina 2 g [1].") == (False, "Cefazolina 2 g [1].")
    assert opening("  Dose") == (False, "  Dose"), "what is shown is left as it came"
