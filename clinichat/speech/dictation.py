"""Dictation: one take from the microphone, transcribed utterance by utterance as it is spoken.

A take is cut at the pauses the voice detector (Silero, as in the transcriber) finds, and
each finished utterance is transcribed at once, so the words appear while the clinician is
still speaking and the wait after the last word is only that of the last utterance. The
sound stays in memory and is dropped as soon as it is transcribed; nothing is written.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.speech.audio_file import SAMPLE_RATE, Samples
from clinichat.speech.microphone import Microphone, MicrophoneError
from clinichat.speech.transcriber import Transcriber, quiet_cut

#: A pause this long after speech ends an utterance (the voice detector's pad included).
PAUSE_S = 0.5
#: How often the voice detector looks at what is held.
CHECK_EVERY_S = 0.3
#: An utterance without a pause is cut at its quietest moment after this long (with the
#: context before it, it stays within one 30-second Whisper window).
LONGEST_S = 20.0
#: Silence kept when no one speaks (the start of a word must not be cut off).
KEPT_SILENCE_S = 1.0
#: A device giving only exact zeros this long is silenced by the system (permission).
MUTED_AFTER_S = 4.0
#: With no block at all this long, the microphone has stopped delivering sound.
STALLED_AFTER_S = 5.0
_PAD_MS = 200
#: Seconds of the previous utterance given to Whisper with the next (see transcribe_after).
CONTEXT_S = 6.0


def _speech(samples: Samples) -> list[dict[str, int]]:
    """Silero's stretches of speech in `samples` ({'start', 'end'} in samples)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    options = VadOptions(min_silence_duration_ms=int(PAUSE_S * 1000), speech_pad_ms=_PAD_MS)
    found: list[dict[str, int]] = get_speech_timestamps(samples, options)
    return found


class Utterances:
    """Holds the sound of a take and hands out each utterance once a pause ends it."""

    def __init__(self) -> None:
        self._held = np.zeros(0, dtype=np.float32)
        self._checked = 0

    def add(self, block: Samples) -> Samples | None:
        """Take in a block; return a finished utterance when this block completed one."""
        self._held = np.concatenate((self._held, block))
        if self._held.size - self._checked < CHECK_EVERY_S * SAMPLE_RATE:
            return None
        self._checked = self._held.size
        speech = _speech(self._held)
        if not speech:
            keep = int(KEPT_SILENCE_S * SAMPLE_RATE)
            self._held = self._held[-keep:]
            self._checked = self._held.size
            return None
        end = int(speech[-1]["end"])
        if self._held.size - end >= _PAD_MS / 1000 * SAMPLE_RATE:
            return self._cut(end)
        if self._held.size >= LONGEST_S * SAMPLE_RATE:
            return self._cut(quiet_cut(self._held))
        return None

    def rest(self) -> Samples:
        """What is held at the end of the take if any of it is speech (else nothing), and
        forget it: Whisper given only the silence after the last word repeats that word."""
        rest, self._held = self._held, np.zeros(0, dtype=np.float32)
        self._checked = 0
        return rest if rest.size and _speech(rest) else rest[:0]

    def _cut(self, at: int) -> Samples:
        utterance, self._held = self._held[:at], self._held[at:]
        self._checked = self._held.size
        return utterance


class LoadedModel:
    """The speech model kept loaded between takes (loading takes a second or more)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[Path, int] | None = None
        self._transcriber: Transcriber | None = None

    def get(self, folder: Path, threads: int) -> Transcriber:
        with self._lock:
            if self._transcriber is None or self._key != (folder, threads):
                self._transcriber = None  # free the old one before loading the next
                self._transcriber = Transcriber(folder, threads)
                self._key = (folder, threads)
            return self._transcriber


@dataclass
class Take:
    """One dictation: its microphone, how to get the model, and where its words go."""

    microphone: Microphone
    load: Callable[[], Transcriber]
    language: str | None
    on_listening: Callable[[], None]
    on_text: Callable[[str], None]
    stop: threading.Event
    cancel: threading.Event
    #: The end of the sound already transcribed, heard again before the next utterance.
    _before: Samples = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    _said: str = ""  # the last words given
    #: Seconds of sound transcribed, and seconds spent on it (for the speed log).
    heard_s: float = 0.0
    work_s: float = 0.0

    def run(self) -> None:
        """Record until `stop` (or `cancel`); MicrophoneError if the device fails or is muted.

        On a failing device what was heard until then is transcribed and given first, so a
        pulled cable loses nothing already said.
        """
        mic = self.microphone
        mic.open()
        try:
            transcriber = self.load()
            self._record(mic, transcriber)
        finally:
            mic.close()

    def _record(self, mic: Microphone, transcriber: Transcriber) -> None:
        utterances = Utterances()
        listening = False
        heard = 0  # samples read
        sound = False  # any sample not exactly zero
        waited = 0.0
        while not (self.stop.is_set() or self.cancel.is_set()):
            block = mic.read(timeout=0.1)
            if block is None:
                waited += 0.1
                if mic.ended or waited >= STALLED_AFTER_S:
                    self._say(transcriber, utterances.rest())
                    raise MicrophoneError(
                        QT_TRANSLATE_NOOP(
                            "Speech",
                            "The microphone stopped sending sound (was it unplugged?)."
                            " What was heard until then is in the question box.",
                        )
                    )
                continue
            waited = 0.0
            if not listening:
                listening = True
                self.on_listening()
            heard += block.size
            sound = sound or bool(np.any(block))
            if not sound and heard >= MUTED_AFTER_S * SAMPLE_RATE:
                raise MicrophoneError(
                    QT_TRANSLATE_NOOP(
                        "Speech",
                        "The microphone sends only silence: it may be muted, or the system"
                        " may not let ClinicChat use it (on Windows and macOS, see the"
                        " privacy settings for the microphone).",
                    )
                )
            utterance = utterances.add(block)
            if utterance is not None:
                self._say(transcriber, utterance)
        if self.cancel.is_set():
            return
        mic.close()  # nothing more is recorded; what is queued still counts
        while (block := mic.read(timeout=0)) is not None:
            utterance = utterances.add(block)
            if utterance is not None:
                self._say(transcriber, utterance)
        self._say(transcriber, utterances.rest())

    def _say(self, transcriber: Transcriber, samples: Samples) -> None:
        if self.cancel.is_set() or samples.size < SAMPLE_RATE // 10:
            return
        started = time.perf_counter()
        text, language = transcriber.transcribe_after(
            self._before, samples, language=self.language, cancelled=self.cancel.is_set
        )
        self.work_s += time.perf_counter() - started
        self.heard_s += samples.size / SAMPLE_RATE
        self.language = language  # detected on the first utterance, kept for the take
        self._before = np.concatenate((self._before, samples))[-int(CONTEXT_S * SAMPLE_RATE) :]
        if not text or self.cancel.is_set():
            return
        if self._said.endswith((".", "?", "!")) and text[0].islower():
            text = text[0].upper() + text[1:]  # heard mid-context, it starts a sentence here
        self._said = text
        self.on_text(text)
