"""Dictation benchmark: how long after the last word the text is complete, through the real
audio stack.

Run with ``.venv/bin/python tests/bench/bench_dictation.py [--rounds 3]`` (needs Debian's
pulseaudio, pulseaudio-utils and libportaudio2, as CI installs). A private PulseAudio server
is started (tests/pulse_audio.py); espeak-ng dictates three sentences with a one-second
pause after each, played into its microphone, while a real take (ClinicChat's
`speech.dictation.Take`, Whisper base) records through PortAudio and ALSA. "Stop dictating"
is pressed the moment the voice ends. Measured, at 1 and 2 threads, alternating:

- first words: seconds from the start of the voice to the first text in the box;
- final latency: seconds from "Stop dictating" to the complete text (push-to-talk latency);
- word error rate of the live text, beside the same sound transcribed afterwards as one
  file (the best Whisper base can do with the whole recording at once).

Numbers, not assertions: the script always exits 0.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pulse_audio import PulseAudio  # noqa: E402
from speech_clips import dictate, word_error_rate  # noqa: E402
from whisper_model import whisper_base  # noqa: E402

from clinichat.speech.audio_file import AudioFile  # noqa: E402
from clinichat.speech.dictation import Take  # noqa: E402
from clinichat.speech.microphone import Microphone  # noqa: E402
from clinichat.speech.transcriber import Transcriber  # noqa: E402

REPO = HERE.parent.parent
DICTATIONS = {
    "es": (
        "es+klatt2",
        [
            "El paciente tiene fiebre desde hace tres días.",
            "Le duele la garganta.",
            "No tiene alergias.",
        ],
    ),
    "en": (
        "en-us",
        [
            "The patient has had a fever for three days.",
            "She has a sore throat and no cough.",
            "She has no allergies.",
        ],
    ),
}


def one_take(
    pulse: PulseAudio, transcriber: Transcriber, wav: Path, language: str
) -> tuple[float, float, str]:
    """(first words after the voice starts, final latency after stop, the text)."""
    texts: list[tuple[float, str]] = []
    listening = threading.Event()
    take = Take(
        Microphone(),
        lambda: transcriber,
        language,
        listening.set,
        lambda words: texts.append((time.perf_counter(), words)),
        threading.Event(),
        threading.Event(),
    )
    thread = threading.Thread(target=take.run)
    thread.start()
    if not listening.wait(20):
        raise RuntimeError("the microphone delivered no sound")
    started = time.perf_counter()
    pulse.play(wav).wait(120)
    stopped = time.perf_counter()
    take.stop.set()
    thread.join()
    done = time.perf_counter()
    first = texts[0][0] - started if texts else float("nan")
    return first, done - stopped, " ".join(words for _, words in texts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    model = whisper_base(REPO / ".cache" / "test")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pulse = PulseAudio(folder / "pulse")
        os.environ["PULSE_SERVER"] = pulse.env["PULSE_SERVER"]
        try:
            transcribers = {threads: Transcriber(model, threads) for threads in (1, 2)}
            print("lang threads  first words s  final latency s  WER live  WER whole file")
            for language, (voice, sentences) in DICTATIONS.items():
                wav = dictate(sentences, voice, folder / f"{language}.wav")
                said = " ".join(sentences)
                with AudioFile(wav) as audio:
                    blocks = list(audio.blocks(30))
                whole = " ".join(
                    s.text for s in transcribers[2].transcribe(blocks, language=language)
                )
                results: dict[int, list[tuple[float, float, str]]] = {1: [], 2: []}
                for _ in range(args.rounds):
                    for threads in (1, 2):
                        results[threads].append(
                            one_take(pulse, transcribers[threads], wav, language)
                        )
                for threads, runs in results.items():
                    first = statistics.median(r[0] for r in runs)
                    final = statistics.median(r[1] for r in runs)
                    live = statistics.mean(word_error_rate(said, r[2]) for r in runs)
                    print(
                        f"{language:4} {threads:7}  {first:13.2f}  {final:15.2f}"
                        f"  {live:8.2f}  {word_error_rate(said, whole):14.2f}"
                    )
        finally:
            pulse.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
