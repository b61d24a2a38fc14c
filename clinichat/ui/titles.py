"""How a conversation's title reads wherever it is shown: list, search hits, export.

An untitled conversation (`UNTITLED` in the store) is named "New conversation" in the
language shown at that moment, so a language switch renames every untitled entry at once and
a restart in the other language shows it in that language too.
"""

from __future__ import annotations

from clinichat.history.store import UNTITLED
from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.translate import translate

# Literal context: pyside6-lupdate reads it from this call.
_UNTITLED_NAME = QT_TRANSLATE_NOOP("ConversationTitle", "New conversation")


def shown_title(title: str) -> str:
    """`title` as the clinician sees it: an untitled conversation's name, translated."""
    return translate("ConversationTitle", _UNTITLED_NAME) if title == UNTITLED else title
