"""Export one conversation as Markdown or PDF: the only way chat text leaves the vault.

The UI warns before either is written, because the exported file is not encrypted. Both
are written the same way: complete in memory first, then through a temp file in the target
folder that is created 0600 (owner only: a shared clinic computer has other accounts) and
renamed into place; on any failure the temp file is removed and OSError raised, so the window
says the export failed instead of pointing at a file that is not there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

from clinichat.atomic import write_atomically
from clinichat.documents.grounding import where
from clinichat.documents.library import Passage
from clinichat.history.store import Conversation, Message, Role, Status
from clinichat.safe_markdown import markdown_document


def to_markdown(
    conversation: Conversation,
    messages: Sequence[Message],
    *,
    title: str,
    you: str,
    assistant: str,
    sources: Mapping[int, Sequence[Passage]] | None = None,
    sources_title: str = "Sources",
    place: Callable[[Passage], str] = where,
) -> str:
    """The conversation as Markdown; the user's words are quoted so they read as typed.

    An answer given with the clinic's documents is followed by its sources, numbered as
    its [1], [2]… cite them, with document and page.

    `title` is the conversation's title as the window shows it (an untitled one is named in
    the current language); `you` and `assistant` name the speakers in that language too.
    """
    when = datetime.fromtimestamp(conversation.created).strftime("%Y-%m-%d %H:%M")
    parts = [f"# {title}", "", f"*{when}*", ""]
    for message in messages:
        if message.role is Role.USER:
            quoted = "\n".join("> " + line for line in message.text.splitlines() or [""])
            parts += [f"**{you}:**", "", quoted, ""]
        elif message.text or message.status is not Status.FAILED:
            parts += [f"**{message.model or assistant}:**", "", message.text, ""]
            cited = (sources or {}).get(message.id)
            if cited:
                parts += [f"*{sources_title}:*", ""]
                parts += [f"{n}. {place(s)}: {s.text}" for n, s in enumerate(cited, start=1)]
                parts += [""]
    return "\n".join(parts).rstrip() + "\n"


def write_markdown(path: Path, text: str) -> None:
    """Written atomically and 0600, so a failed export never leaves half a file behind."""
    write_atomically(path, text.encode("utf-8"))


def write_pdf(path: Path, markdown: str) -> None:
    """Render the Markdown with Qt's own engine into an A4 PDF, then write it like Markdown.

    QPdfWriter given a file name reports nothing when it cannot write there (a read-only or
    missing folder, a full disk): it renders into memory here, and the file is written by
    `write_atomically`, which raises OSError.
    """
    data = _render_pdf(markdown)
    write_atomically(path, data)


def _render_pdf(markdown: str) -> bytes:
    # Raw HTML stays text and images become their alt text: a PDF embeds nothing named in
    # an answer (printing lays the document out, which would otherwise open those files).
    document = markdown_document(markdown)
    buffer = QBuffer()
    if not buffer.open(QIODevice.OpenModeFlag.WriteOnly):
        raise OSError("could not prepare the PDF in memory")
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    writer.setTitle("ClinicChat")
    document.print_(writer)
    del writer  # finishes the PDF (trailer and cross-reference table)
    buffer.close()
    data = bytes(buffer.data().data())
    if not data.startswith(b"%PDF"):
        raise OSError("Qt produced no PDF")
    return data
