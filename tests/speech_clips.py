"""Real speech for the tests: sentences spoken by espeak-ng (Debian's package), and the word
error rate of a transcript against what was said.

espeak-ng's formant voice is harder to understand than a person, so the rates measured here
are an upper bound on what a clinician's own voice gets.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path
from xml.sax.saxutils import escape

#: (language, espeak voice, sentence) spoken in the speech tests.
# espeak-ng's Klatt variant of its Spanish voice is the one Whisper understands best (word
# error rate 0.31 with base, against 0.5-0.7 for the default Spanish voices).
SPANISH = (
    "es",
    "es+klatt2",
    "El paciente tiene fiebre desde hace tres días y le duele la garganta. No tiene alergias.",
)
ENGLISH = (
    "en",
    "en-us",
    "The patient has had a fever for three days and a sore throat. She has no allergies.",
)


def espeak() -> str:
    found = shutil.which("espeak-ng")
    if found is None:
        raise RuntimeError("espeak-ng is not installed (Debian package espeak-ng)")
    return found


def speak(text: str, voice: str, path: Path, *, words_per_minute: int = 130) -> Path:
    """A WAV file (22,050 Hz mono) of espeak-ng saying `text`."""
    subprocess.run(
        [espeak(), "-v", voice, "-s", str(words_per_minute), "-w", str(path), text],
        check=True,
        timeout=60,
    )
    return path


def words(text: str) -> list[str]:
    """Lower-case words without punctuation; accents kept (they change Spanish words)."""
    text = unicodedata.normalize("NFC", text.lower())
    return re.findall(r"[^\W_]+", text)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / words said, by edit distance over words."""
    said, heard = words(reference), words(hypothesis)
    previous = list(range(len(heard) + 1))
    for i, word in enumerate(said, start=1):
        current = [i]
        for j, other in enumerate(heard, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
            )
        previous = current
    return previous[-1] / max(len(said), 1)


def dictate(sentences: list[str], voice: str, path: Path, *, pause_s: float = 1.0) -> Path:
    """A WAV of espeak-ng saying `sentences` with a pause after each, as a clinician
    dictating stops between sentences (espeak's own pause at a full stop is ~0.3 s)."""
    gap = f'<break time="{int(pause_s * 1000)}ms"/>'
    # A breath before the first word, as a speaker takes after pressing the button.
    ssml = '<speak><break time="300ms"/>' + gap.join(escape(s) for s in sentences) + gap
    ssml += "</speak>"
    subprocess.run(
        [espeak(), "-m", "-v", voice, "-s", "130", "-w", str(path), ssml],
        check=True,
        timeout=60,
    )
    return path
