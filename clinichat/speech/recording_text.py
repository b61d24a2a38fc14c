"""A recording's transcript as a clinician reads it: paragraphs where the speaker paused."""

from __future__ import annotations

from collections.abc import Iterable

from clinichat.speech.transcriber import Segment

#: A silence this long between two segments starts a new paragraph.
PARAGRAPH_PAUSE_S = 2.0


def transcript_text(segments: Iterable[Segment]) -> str:
    paragraphs: list[list[str]] = []
    last_end: float | None = None
    for segment in segments:
        if last_end is None or segment.start - last_end >= PARAGRAPH_PAUSE_S:
            paragraphs.append([])
        paragraphs[-1].append(segment.text)
        last_end = segment.end
    return "\n\n".join(" ".join(words) for words in paragraphs)


def clock(seconds: float, *, hours: bool = False) -> str:
    """A position in a recording: '4:07', or '1:04:07' past an hour or with `hours` (the
    command line's fixed width, which lines up in a transcript file)."""
    whole = int(seconds)
    if hours or whole >= 3600:
        return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
    return f"{whole // 60}:{whole % 60:02d}"
