"""Export one conversation as Markdown or PDF: the only way chat text leaves the vault.

The UI warns before either is written, because the exported file is not encrypted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from clinichat.atomic import write_atomically
from clinichat.history.store import Conversation, Message, Role, Status


def to_markdown(
    conversation: Conversation, messages: Sequence[Message], *, you: str, assistant: str
) -> str:
    """The conversation as Markdown; the user's words are quoted so they read as typed."""
    when = datetime.fromtimestamp(conversation.created).strftime("%Y-%m-%d %H:%M")
    parts = [f"# {conversation.title}", "", f"*{when}*", ""]
    for message in messages:
        if message.role is Role.USER:
            quoted = "\n".join("> " + line for line in message.text.splitlines() or [""])
            parts += [f"**{you}:**", "", quoted, ""]
        elif message.text or message.status is not Status.FAILED:
            parts += [f"**{message.model or assistant}:**", "", message.text, ""]
    return "\n".join(parts).rstrip() + "\n"


def write_markdown(path: Path, text: str) -> None:
    """Written atomically, so a failed export never leaves half a file behind."""
    write_atomically(path, text.encode("utf-8"))


def write_pdf(path: Path, markdown: str) -> None:
    """Render the Markdown with Qt's own engine into an A4 PDF."""
    document = QTextDocument()
    document.setMarkdown(
        markdown,
        QTextDocument.MarkdownFeature.MarkdownDialectGitHub
        | QTextDocument.MarkdownFeature.MarkdownNoHTML,
    )
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    writer.setTitle("ClinicChat")
    document.print_(writer)
