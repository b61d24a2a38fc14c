"""What a conversation's messages become for the model and the list: its remembered
exchanges and its title, both made locally from the stored text."""

from __future__ import annotations

import re
from collections.abc import Sequence

from clinichat.history.store import Message, Role, Status
from clinichat.llm.engines.base import Turn

__all__ = ["title_from", "turns_from"]

TITLE_LENGTH = 48
MARKUP = re.compile(r"[*_`#>]+")


def title_from(question: str) -> str:
    """A conversation title from its first question, made locally (no model call)."""
    # Markdown emphasis and heading marks would only clutter the list.
    first_line = " ".join(MARKUP.sub("", question).split())
    if len(first_line) <= TITLE_LENGTH:
        return first_line
    cut = first_line[:TITLE_LENGTH].rsplit(" ", 1)[0]
    return cut + "…"


def turns_from(messages: Sequence[Message]) -> list[Turn]:
    """Completed exchanges the model should remember; failed or unanswered ones are left out."""
    turns: list[Turn] = []
    question: str | None = None
    for message in messages:
        if message.role is Role.USER:
            question = message.text
        elif question is not None and message.status in (
            Status.COMPLETE,
            Status.STOPPED,
            Status.INTERRUPTED,
        ):
            turns.append(Turn(question, message.text))
            question = None
    return turns
