"""`clinichat transcribe` and `clinichat speech …`: speech recognition from a terminal.

`transcribe` prints a recording's text on stdout (nothing else goes there, so it can be piped
into a file the user chooses) and its progress on stderr; it never writes the text anywhere
itself. `speech` lists, downloads, verifies and removes the Whisper models, and sets the one
the app uses.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sys
from pathlib import Path
from types import FrameType
from typing import Any

from clinichat.config.settings import Settings
from clinichat.messages import UserError
from clinichat.paths import AppPaths
from clinichat.speech.audio_file import AudioFile
from clinichat.speech.catalog import SPEECH_MODELS, SpeechModel, find_speech_model
from clinichat.speech.installed import SpeechModels
from clinichat.speech.recording_text import clock
from clinichat.speech.transcriber import Transcriber

EXIT_INTERRUPTED = 130
_MB = 1_000_000


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    transcribe = commands.add_parser(
        "transcribe", help="print the text spoken in an audio file (on this computer)"
    )
    transcribe.add_argument("audio", type=Path, metavar="AUDIO_FILE")
    transcribe.add_argument(
        "--language",
        choices=["es", "en", "auto"],
        help="language spoken (default: the app's dictation language)",
    )
    transcribe.add_argument(
        "--speech-model",
        metavar="NAME|DIR",
        default="",
        help="a speech model's name, or a CTranslate2 Whisper model folder",
    )
    transcribe.add_argument(
        "--threads", type=int, metavar="N", help="processor threads (default: the app's)"
    )
    transcribe.add_argument(
        "--timestamps", action="store_true", help="start each line with its time in the file"
    )
    speech = commands.add_parser("speech", help="list, download, verify or remove speech models")
    actions = speech.add_subparsers(dest="action", metavar="action", required=True)
    listing = actions.add_parser("list", help="the speech models and which are installed")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    download = actions.add_parser("download", help="download and verify a speech model")
    download.add_argument("name")
    download.add_argument(
        "--mirror",
        metavar="URL",
        help="fetch from this server (https) instead of Hugging Face: one that holds the same"
        " files under REPOSITORY/resolve/REVISION/; each is still checked against the"
        " catalog's sha256",
    )
    for action, words in (
        ("remove", "delete an installed speech model"),
        ("default", "use this speech model in the app"),
    ):
        actions.add_parser(action, help=words).add_argument("name")
    actions.add_parser("verify", help="check installed speech models").add_argument(
        "name", nargs="?"
    )


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    settings, _problems = Settings.load(paths.config)
    models = SpeechModels.beside(paths.models)
    try:
        if args.command == "transcribe":
            return _transcribe(args, settings, models)
        if args.action == "list":
            return _list(models, settings, as_json=args.json)
        if args.action == "verify":
            return _verify(models, args.name)
        model = find_speech_model(args.name)
        if model is None:
            names = ", ".join(m.name for m in SPEECH_MODELS)
            print(f"error: no speech model named {args.name!r} (choose: {names})", file=sys.stderr)
            return 2
        if args.action == "download":
            if args.mirror:
                model = dataclasses.replace(model, host=args.mirror.rstrip("/"))
            return _download(models, model)
        if args.action == "remove":
            models.remove(model)
        elif args.action == "default":
            models.resolve(model.name)  # refuses a model that is not installed
            settings.set("speech_model", model.name)
    except (UserError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def _transcribe(args: argparse.Namespace, settings: Settings, models: SpeechModels) -> int:
    folder = models.resolve(args.speech_model, default=settings.speech_model)
    language = settings.speech_language if args.language is None else args.language
    threads = args.threads or settings.threads
    with AudioFile(args.audio) as audio:
        print(f"Loading the speech model in {folder} …", file=sys.stderr)
        transcriber = Transcriber(folder, threads)
        total = audio.duration_s
        interrupted = False

        def on_interrupt(_signum: int, _frame: FrameType | None) -> None:
            nonlocal interrupted
            interrupted = True

        previous = signal.signal(signal.SIGINT, on_interrupt)
        spoken = False
        try:
            segments = transcriber.transcribe(
                audio.blocks(30),
                language=None if language == "auto" else language,
                cancelled=lambda: interrupted,
            )
            for segment in segments:
                spoken = True
                stamp = f"[{clock(segment.start, hours=True)}] " if args.timestamps else ""
                print(stamp + segment.text, flush=True)
                done = f"{clock(segment.end, hours=True)}" + (
                    f" of {clock(total, hours=True)}" if total else ""
                )
                print(f"  {done} transcribed ({segment.language})", file=sys.stderr)
        finally:
            signal.signal(signal.SIGINT, previous)
    if interrupted:
        print("error: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    if not spoken:
        print(f"error: no speech was heard in {args.audio.name}", file=sys.stderr)
        return 3
    return 0


def _list(models: SpeechModels, settings: Settings, *, as_json: bool) -> int:
    rows: list[dict[str, Any]] = [
        {
            "name": model.name,
            "title": model.title,
            "installed": models.is_installed(model),
            "default": model.name == settings.speech_model,
            "size_bytes": model.size,
            "ram_mb": model.ram_mb,
            "licence": model.licence,
            "source": f"https://huggingface.co/{model.repository}/tree/{model.revision}",
            "folder": str(models.folder(model)),
        }
        for model in SPEECH_MODELS
    ]
    if as_json:
        print(json.dumps(rows, indent=2))
        return 0
    for row in rows:
        state = "installed" if row["installed"] else "not installed"
        mark = " (default)" if row["default"] else ""
        sizes = f"{row['size_bytes'] // _MB} MB\t~{row['ram_mb']} MB RAM"
        print(f"{row['name']}\t{sizes}\t{row['licence']}\t{state}{mark}")
    return 0


def _verify(models: SpeechModels, name: str | None) -> int:
    installed = models.installed()
    chosen = [m for m in installed if name is None or m.name == name]
    if not chosen:
        print(f"error: no installed speech model named {name!r}", file=sys.stderr)
        return 2
    failed = False
    for model in chosen:
        print(f"Verifying {model.name} …", file=sys.stderr)
        bad = models.verify(model)
        failed |= bool(bad)
        print(f"{model.name}\t{'damaged: ' + ', '.join(bad) if bad else 'ok'}")
    if failed:
        print(
            "error: some speech model files do not match their published checksums", file=sys.stderr
        )
        return 1
    return 0


def _download(models: SpeechModels, model: SpeechModel) -> int:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtNetwork import QNetworkAccessManager, QNetworkProxyFactory

    from clinichat.cli_loop import run_until_done
    from clinichat.speech.download import SpeechDownload

    if models.is_installed(model):
        print(f"{model.name} is already installed.", file=sys.stderr)
        return 0
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    QNetworkProxyFactory.setUseSystemConfiguration(True)  # the hospital's proxy, if any
    network = QNetworkAccessManager()
    job = SpeechDownload(model, models, network)
    outcome: list[object] = []

    def report(done: int, total: int) -> None:
        print(f"  {done // _MB} MB of {total // _MB} MB ({done * 100 // total}%)", file=sys.stderr)

    job.progress.connect(report)

    def end(result: object) -> None:
        outcome.append(result)
        app.quit()

    job.finished.connect(end)
    job.failed.connect(end)
    print(f"Downloading {model.title} ({model.size // _MB} MB) …", file=sys.stderr)
    job.start()
    if run_until_done(app, lambda: job.cancel(keep_partial=True)):
        print("error: interrupted; run the same command to resume", file=sys.stderr)
        return EXIT_INTERRUPTED
    result = outcome[0] if outcome else None
    if not isinstance(result, Path):
        print(f"error: {result or 'the download stopped'}", file=sys.stderr)
        return 1
    print(result)
    return 0
