"""Whisper (through faster-whisper and CTranslate2) turning sound into text, on this PC.

Recordings are transcribed in windows of a few minutes, each cut at the quietest moment near
its end so no word is split, which keeps memory bounded by one window whatever the length.
The language, when left to Whisper, is detected in the first window and kept for the rest,
so one noisy minute cannot switch a Spanish consultation to Portuguese. Model output is text
from a neural network: control and formatting characters are removed before anyone sees it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from clinichat.messages import QT_TRANSLATE_NOOP, UserError
from clinichat.speech.audio_file import SAMPLE_RATE, Samples

#: Seconds of sound given to Whisper at once, and how far back from a window's end the
#: quietest moment is looked for.
WINDOW_S = 240.0
CUT_SEARCH_S = 8.0
_FRAME = SAMPLE_RATE // 20  # 50 ms, for finding a quiet moment
#: A word heard up to this long before the new sound starts is the new sound's (the cut
#: between utterances lies in a pause, and Whisper's word times are that approximate).
_WORD_SLACK_S = 0.15
#: A phrase heard this many times in a row is a decoding loop, not speech.
LOOP_REPEATS = 5
#: Files a CTranslate2 Whisper model folder must hold. Without tokenizer.json faster-whisper
#: would fetch one from the internet, so a folder lacking it is refused before loading.
REQUIRED_FILES = ("model.bin", "config.json", "tokenizer.json")


class SpeechModelError(UserError):
    context = "Speech"


@dataclass(frozen=True)
class Segment:
    """A stretch of speech: seconds from the start of the recording, and what was said."""

    start: float
    end: float
    text: str
    language: str


def clean_text(text: str) -> str:
    """Whisper's text without control or invisible formatting characters, spaces collapsed,
    and any phrase said five or more times in a row once, marked […] (see `collapse_loops`)."""
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in text
        if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")
    )
    return collapse_loops(kept.split())


def collapse_loops(words: list[str]) -> str:
    """The words, with a run of LOOP_REPEATS or more copies of one phrase (1-4 words) kept once
    and marked "[…]".

    Whisper sometimes falls into a loop on sound it cannot make out (measured here on
    espeak's Spanish: "las las las …" 300 times for "No tiene alergias"). Nobody dictates a
    phrase five times running; a clinician reading the note sees the mark and says it again.
    """
    plain = [word.strip(".,;:!?¡¿…\"'").lower() for word in words]
    out: list[str] = []
    i = 0
    while i < len(words):
        for size in range(1, 5):
            phrase = plain[i : i + size]
            copies = 1
            while plain[i + copies * size : i + (copies + 1) * size] == phrase:
                copies += 1
            if copies >= LOOP_REPEATS:
                out.extend(words[i : i + size])
                out.append("[…]")
                i += copies * size
                break
        else:
            out.append(words[i])
            i += 1
    return " ".join(out)


def check_model_folder(folder: Path) -> None:
    """Raise SpeechModelError unless `folder` looks like a CTranslate2 Whisper model."""
    if not folder.is_dir():
        raise SpeechModelError(
            QT_TRANSLATE_NOOP("Speech", "'{path}' is not a folder holding a speech model."),
            path=folder,
        )
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    has_vocabulary = any(
        (folder / name).is_file() for name in ("vocabulary.txt", "vocabulary.json")
    )
    if missing or not has_vocabulary:
        raise SpeechModelError(
            QT_TRANSLATE_NOOP(
                "Speech",
                "'{path}' is not a complete Whisper model in CTranslate2 format: it needs"
                " model.bin, config.json, tokenizer.json and a vocabulary file.",
            ),
            path=folder,
        )


def windows(blocks: Iterable[Samples]) -> Iterator[tuple[float, Samples]]:
    """(offset in seconds, samples) windows of at most WINDOW_S, cut where it is quietest."""
    size = int(WINDOW_S * SAMPLE_RATE)
    held = np.zeros(0, dtype=np.float32)
    offset = 0
    for block in blocks:
        held = np.concatenate((held, block))
        while held.size > size:
            cut = quiet_cut(held[:size])
            yield offset / SAMPLE_RATE, held[:cut]
            offset += cut
            held = held[cut:]
    if held.size:
        yield offset / SAMPLE_RATE, held


def quiet_cut(window: Samples) -> int:
    """The sample index, within the window's last CUT_SEARCH_S, at its quietest 50 ms."""
    search = int(CUT_SEARCH_S * SAMPLE_RATE)
    tail = window[window.size - search :]
    frames = tail[: tail.size // _FRAME * _FRAME].reshape(-1, _FRAME)
    quietest = int(np.argmin(np.square(frames).mean(axis=1)))
    return window.size - search + quietest * _FRAME + _FRAME // 2


class Transcriber:
    """One loaded Whisper model; `transcribe` may be called many times, from one thread."""

    def __init__(self, folder: Path, threads: int) -> None:
        check_model_folder(folder)
        from faster_whisper import WhisperModel  # slow to import: only when used

        try:
            self._model = WhisperModel(
                str(folder),
                device="cpu",
                compute_type="int8",
                cpu_threads=threads,
                local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as error:
            raise SpeechModelError(
                QT_TRANSLATE_NOOP(
                    "Speech", "The speech model in '{path}' could not be loaded: {reason}"
                ),
                path=folder,
                reason=error,
            ) from error

    def transcribe_after(
        self,
        before: Samples,
        samples: Samples,
        *,
        language: str | None,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> tuple[str, str]:
        """The words said in `samples`, heard just after `before`; and their language.

        A dictated utterance of two seconds heard alone is ambiguous to Whisper (measured:
        espeak's "Le duele la garganta." came out as "le doy" five times over), while the
        same words after the seconds that preceded them come out right; so the end of the
        previous utterance is given too, and only the words that start after it are kept.
        """
        segments, info = self._model.transcribe(
            np.concatenate((before, samples)),
            language=language,
            beam_size=5,
            temperature=0.0,
            vad_filter=True,
            condition_on_previous_text=False,
            word_timestamps=True,
            # A loop cannot run on: about twice the tokens anyone says in that time.
            max_new_tokens=min(440, int((before.size + samples.size) / SAMPLE_RATE * 8) + 16),
        )
        start = before.size / SAMPLE_RATE - _WORD_SLACK_S
        words: list[str] = []
        for segment in segments:
            words.extend(word.word for word in segment.words or () if word.start >= start)
            if cancelled():
                break
        return clean_text("".join(words)), language or info.language

    def transcribe(
        self,
        blocks: Iterable[Samples],
        *,
        language: str | None,
        cancelled: Callable[[], bool] = lambda: False,
        beam_size: int = 5,
    ) -> Iterator[Segment]:
        """The segments of speech in `blocks`, in order; stops early once `cancelled()`.

        `language` is 'es', 'en' or None to let Whisper tell from the first window.
        Whisper's fallback of decoding a doubtful window again with random sampling is off
        (temperature 0 only): measured here it was what turned four Spanish sentences into
        "3, 4, 5, 5, 5, …" for a whole window, at random from run to run, which in a clinical
        note is worse than a misheard word; without it the same recording always gives the
        same text (tests/bench/bench_speech.py has the word error rates).
        """
        for offset, samples in windows(blocks):
            if cancelled():
                return
            segments, info = self._model.transcribe(
                samples,
                language=language,
                beam_size=beam_size,
                temperature=0.0,
                vad_filter=True,
                condition_on_previous_text=False,
            )
            language = language or info.language
            for segment in segments:
                text = clean_text(segment.text)
                if text:
                    yield Segment(offset + segment.start, offset + segment.end, text, language)
                if cancelled():
                    return
