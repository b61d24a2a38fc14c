"""Untrusted Markdown (model answers) parsed into Qt documents that can load nothing.

Qt's Markdown reader turns `![alt](name)` into an image that the layout later fetches by
name, and it does so even when a widget's `loadResource` refuses: the image handler falls
back to opening the name as a file path, and at a high device pixel ratio it also looks for
`name@2x` files. A path such as `//host/share/x.png` would reach the network on Windows. No
override can close every one of those doors, so the images are taken out of the document
before anything lays it out: each becomes its alt text (or a placeholder) in italics. A
document that is never attached to a widget or printed is never laid out, and parsing alone
opens nothing (checked with strace in tests/gui/test_hostile_rendering.py).

Raw HTML is never interpreted (`MarkdownNoHTML`): `Dear <GP name>` stays those characters in
the view, in a copy and in an export.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import (
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextListFormat,
)

MARKDOWN_FEATURES = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)


def markdown_document(text: str) -> QTextDocument:
    """A document for `text` with raw HTML kept as text and every image replaced by words."""
    document = QTextDocument()
    document.setMarkdown(text, MARKDOWN_FEATURES)
    _replace_images(document)
    return document


_BULLETS = (
    QTextListFormat.Style.ListDisc,
    QTextListFormat.Style.ListCircle,
    QTextListFormat.Style.ListSquare,
)


def plain_text(markdown: str) -> str:
    """What a health record should receive: the Markdown rendered out, every word kept.

    `toPlainText()` would drop list numbers and bullets, and a medication list without its
    numbers reads differently: each list item keeps its marker ("2." or "-"), indented by
    its level, and headings stay lines of their own.
    """
    document = markdown_document(markdown)
    lines = []
    block = document.begin()
    while block.isValid():
        text = block.text().replace("\u2028", "\n")
        items = block.textList()
        if items is not None:
            style = items.format().style()
            marker = "-" if style in _BULLETS else items.itemText(block)
            text = "   " * (items.format().indent() - 1) + f"{marker} {text}"
        lines.append(text)
        block = block.next()
    return "\n".join(lines)


def _image_label(alt: str) -> str:
    if alt.strip():
        return QCoreApplication.translate("SafeMarkdown", "[image: %1]").replace("%1", alt)
    return QCoreApplication.translate("SafeMarkdown", "[image]")


def _replace_images(document: QTextDocument) -> None:
    """Swap each image character for its alt text, from the end so positions stay valid."""
    images: list[tuple[int, int, str]] = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            char_format = fragment.charFormat()
            if char_format.isImageFormat():
                alt = char_format.property(QTextFormat.Property.ImageAltText)
                images.append(
                    (fragment.position(), fragment.length(), alt if isinstance(alt, str) else "")
                )
            fragments += 1
        block = block.next()
    for position, length, alt in reversed(images):
        cursor = QTextCursor(document)
        cursor.setPosition(position)
        cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
        label = QTextCharFormat()
        label.setFontItalic(True)
        # One image fragment may hold several adjacent images of the same format.
        cursor.insertText(" ".join([_image_label(alt)] * length), label)
