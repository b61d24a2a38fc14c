"""Copy as plain text: the answer as a health record should receive it.

Every character of the text is kept (raw HTML is never interpreted, issue 10 item 3), and the
structure a clinician reads survives: list numbers, bullets and their nesting, headings as
lines of their own (issue 11, item 7). Parsed by Qt's real Markdown reader.
"""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from clinichat.safe_markdown import plain_text

ANSWER = """## Plan

1. Amoxicillin 500 mg **three times** daily
2. Paracetamol 1 g if needed
   - at most 4 g a day
   - not with alcohol
3. Review in 7 days

- Fluids
- Rest
"""


def test_lists_keep_their_numbers_bullets_and_nesting(qtbot: QtBot) -> None:
    del qtbot  # a QApplication is needed for Qt's text layout classes
    assert plain_text(ANSWER).splitlines() == [
        "Plan",
        "1. Amoxicillin 500 mg three times daily",
        "2. Paracetamol 1 g if needed",
        "   - at most 4 g a day",
        "   - not with alcohol",
        "3. Review in 7 days",
        "- Fluids",
        "- Rest",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Dear <GP name>, I am writing about <patient name>.",
        "Take 2 <tabs> daily",
        "<b>not bold</b> & <script>x</script>",
    ],
)
def test_every_character_is_kept(qtbot: QtBot, text: str) -> None:
    del qtbot
    assert plain_text(text) == text


def test_a_hard_line_break_stays_a_line_break(qtbot: QtBot) -> None:
    del qtbot
    assert plain_text("BP 120/80  \nHR 72") == "BP 120/80\nHR 72"
