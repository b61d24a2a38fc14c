"""The words a search matched, marked inside the message it found.

The encrypted history finds a message when each typed word starts one of its words, whatever
the case or accents (FTS5's unicode61 tokenizer, remove_diacritics): the same rule picks the
words to mark here, in the text as shown (Markdown already rendered). A mark is an extra
selection on the view (a coloured range over the laid-out text): no text is inserted and the
document is never rebuilt, so nothing taken from the message is ever read as markup.
"""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtGui import QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QTextEdit

# A word as unicode61 sees it: letters and digits; everything else (also "_") separates.
_WORD = re.compile(r"[^\W_]+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def word_spans(text: str, query: str) -> list[tuple[int, int]]:
    """(start, end) of each word of `text` that one of `query`'s words begins (str indices)."""
    wanted = [_fold(word.group()) for word in _WORD.finditer(query)]
    if not wanted:
        return []
    return [
        word.span()
        for word in _WORD.finditer(text)
        if any(_fold(word.group()).startswith(prefix) for prefix in wanted)
    ]


def _qt_index(text: str, index: int) -> int:
    """Qt counts UTF-16 units: an emoji before a match is two positions, one str index."""
    return len(text[:index].encode("utf-16-le")) // 2


def mark_words(view: QTextEdit, query: str) -> list[QTextEdit.ExtraSelection]:
    """Mark the matched words of `query` in `view` (replacing earlier marks); returns them."""
    document = view.document()
    look = QTextCharFormat()
    look.setBackground(view.palette().color(QPalette.ColorRole.Highlight))
    look.setForeground(view.palette().color(QPalette.ColorRole.HighlightedText))
    marks: list[QTextEdit.ExtraSelection] = []
    block = document.begin()
    while block.isValid():
        text = block.text()
        for start, end in word_spans(text, query):
            cursor = QTextCursor(document)
            cursor.setPosition(block.position() + _qt_index(text, start))
            cursor.setPosition(
                block.position() + _qt_index(text, end), QTextCursor.MoveMode.KeepAnchor
            )
            mark = QTextEdit.ExtraSelection()
            mark.cursor = cursor
            mark.format = look
            marks.append(mark)
        block = block.next()
    view.setExtraSelections(marks)
    return marks
