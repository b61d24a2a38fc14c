"""`clinichat --self-test`: prove that this installation works, without opening a window.

Meant for a frozen build straight out of the build script, and for IT after installing it on
a workstation: a bundle that lost a native library (gpt4all's backends, SQLCipher) or a data
file starts and looks fine until the first question. The self-test goes the whole way once:

1. load the model (``--model FILE``, else the app's default installed model) with `Engine`;
2. generate a few tokens, greedily (same answer on every run);
3. create an encrypted history (`Vault`, passphrase mode with a random passphrase, so no
   keychain is needed or touched) in the data folder, save the exchange, close it;
4. unlock it again, read the exchange back and compare; check that the file on disk is
   encrypted (neither SQLite's plaintext header nor a random marker from the question appear).

Success prints ONE line on stdout (`self-test ok: key=value …`, values without spaces) and
exits 0; any failure prints ONE line on stderr (`self-test failed: <reason>`) and exits 1. The
generated text is never printed or logged. Run it with ``--temp-basedir``: step 3 refuses a
data folder that already holds a history (it never replaces one).

``--self-test --window`` instead times the window: it starts the normal GUI, reports how long
after process start the main window was first painted, and quits. Timings count from the
epoch time in the environment variable ``CLINICHAT_T0`` when the caller sets it just before
starting the process (benchmarks), else from the process's start time as the OS reports it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from clinichat.paths import AppPaths

if TYPE_CHECKING:
    from clinichat.models.registry import InstalledModel

__all__ = ["SelfTestError", "process_start", "run", "run_window"]

PROMPT = "Say hello to the team."
MAX_TOKENS = 8
# installers/build.py and the tests parse these lines: keep the prefixes, and values free of
# spaces.
_SUMMARY_PREFIX = "self-test ok:"
_FAILURE_PREFIX = "self-test failed:"
_T0_ENV = "CLINICHAT_T0"
_IMPORTED_AT = time.time()


class SelfTestError(Exception):
    """A step failed; str() is the reason, in one line."""


def process_start() -> float:
    """Epoch seconds at which this process started (CLINICHAT_T0 when the caller set it)."""
    given = os.environ.get(_T0_ENV)
    if given:
        try:
            return float(given)
        except ValueError:
            pass
    try:
        # Field 22 of /proc/self/stat: start time in clock ticks after boot. The command
        # name (field 2) may contain spaces, so split after its closing parenthesis.
        stat = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        started_after_boot = int(stat[19]) / os.sysconf("SC_CLK_TCK")
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return time.time() - (uptime - started_after_boot)
    except (OSError, ValueError, IndexError, AttributeError):
        return _IMPORTED_AT


def _one_line(text: object) -> str:
    return " ".join(str(text).split()) or "unknown error"


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def _find_model(
    args: argparse.Namespace, paths: AppPaths, default_model: str | None
) -> InstalledModel:
    """The InstalledModel to test: --model FILE, else the app's default installed model."""
    from clinichat.models.catalog import load_catalog
    from clinichat.models.gguf import GGUFError, read_info
    from clinichat.models.registry import ModelRegistry
    from clinichat.resources import bundled_catalog_path

    catalog_path = args.catalog or bundled_catalog_path()
    if not Path(catalog_path).is_file():
        raise SelfTestError(f"the model catalog is missing ({catalog_path})")
    catalog, _problems = load_catalog(catalog_path)
    given: Path | None = args.self_test_model
    if given is not None:
        path = given.resolve()
        if not path.is_file():
            raise SelfTestError(f"no model file at {path}")
        registry = ModelRegistry(path.parent, catalog)
        try:
            # The reason when no engine can run the file as it is.
            problem = registry.choose_engine(path.name, read_info(path)).problem()
        except (GGUFError, OSError) as error:
            raise SelfTestError(f"{path.name}: {error}") from error
        if problem is not None:
            raise SelfTestError(f"{path.name}: {problem}")
        found = registry.find(path.name)
        if found is None:
            raise SelfTestError(f"{path.name}: not a .gguf model file")
        return found
    registry = ModelRegistry(paths.models, catalog)
    name = default_model
    model = registry.find(name) if name else next(iter(registry.installed()), None)
    if model is None:
        raise SelfTestError(
            f"no installed model{' ' + name if name else ''} in {paths.models}; pass --model FILE"
        )
    return model


def _generate(
    model: InstalledModel, threads: int, engine_name: str | None
) -> tuple[str, dict[str, str], float, float]:
    """Greedy answer to PROMPT; (text, figures, loaded_at, first_token_at) in epoch seconds."""
    from clinichat.llm.engines import load_engine
    from clinichat.llm.engines.base import GenerationParams
    from clinichat.llm.templates import profile_for

    profile = profile_for(model, engine=engine_name)
    if engine_name is not None and profile.spec.engine != engine_name:
        problem = profile.engine.problems.get(engine_name)
        raise SelfTestError(f"{model.filename}: the {engine_name} engine cannot run it ({problem})")
    engine = load_engine(profile.spec, threads=threads)
    loaded_at = time.time()
    first_token_at: float | None = None

    def on_text(_piece: str) -> None:
        nonlocal first_token_at
        if first_token_at is None:
            first_token_at = time.time()

    try:
        params = GenerationParams(max_tokens=MAX_TOKENS, temperature=0.0, top_k=1)
        result = engine.generate(
            profile.system_prompt, [], PROMPT, params, on_text, threading.Event()
        )
        backend = engine.backend
        description = engine.describe()
    finally:
        engine.close()
    if result.tokens < 1 or not result.text.strip() or first_token_at is None:
        raise SelfTestError("the model answered with no text")
    figures = {
        "tokens": str(result.tokens),
        "tok/s": f"{result.tokens_per_second:.1f}",
        "engine": f"{description.engine}-{description.version}",
        "backend": backend.replace(" ", "_"),
        "threads": str(threads),
    }
    return result.text, figures, loaded_at, first_token_at


def _check_history(data_dir: Path, question: str, answer: str, marker: str) -> None:
    """Save the exchange encrypted, reopen, compare; fail if the file shows plaintext."""
    from clinichat.history.database import is_plaintext_sqlite
    from clinichat.history.sqlcipher_store import EncryptedStore
    from clinichat.history.store import Role
    from clinichat.history.vault import Vault

    vault = Vault(data_dir)
    passphrase = secrets.token_urlsafe(24)
    store = EncryptedStore(vault.create(passphrase))
    try:
        conversation = store.create("self-test")
        store.add_message(conversation.id, Role.USER, question)
        store.add_message(conversation.id, Role.ASSISTANT, answer)
    finally:
        store.close()
    reopened = EncryptedStore(Vault(data_dir).unlock(passphrase))
    try:
        read = [(m.role, m.text) for c in reopened.conversations() for m in reopened.messages(c.id)]
    finally:
        reopened.close()
    if read != [(Role.USER, question), (Role.ASSISTANT, answer)]:
        raise SelfTestError("the history read back differs from what was saved")
    files = [p for p in data_dir.iterdir() if p.name.startswith(vault.db_path.name)]
    if is_plaintext_sqlite(vault.db_path) or any(
        marker.encode() in p.read_bytes() for p in files if p.is_file()
    ):
        raise SelfTestError("the history file is not encrypted")


def _cipher_version() -> str:
    import sqlcipher3

    connection = sqlcipher3.connect(":memory:")
    try:
        row = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    if not row or not row[0]:
        raise SelfTestError("SQLCipher is not available (no cipher_version)")
    return str(row[0]).split()[0]


def _keyring_backend() -> dict[str, str]:
    """Which keychain the app would use, and whether it trusts it as one.

    A frozen build must not lose keyring's backends, and IT must see when the one in use is
    a file (keyrings.alt) that the app refuses, so that histories are passphrase-protected.
    `describe_backend` never raises: a broken backend must not fail the whole self-test.
    """
    from clinichat.history.keychain import describe_backend

    info = describe_backend()
    return {"keyring": info.name, "keyring_trusted": "yes" if info.trusted else "no"}


def _model_test(args: argparse.Namespace, paths: AppPaths) -> str:
    from clinichat.config.settings import Settings

    t0 = process_start()
    if paths.data.joinpath("history.db").exists():
        raise SelfTestError(f"{paths.data} already holds a history; use --temp-basedir")
    cipher = _cipher_version()
    settings, _problems = Settings.load(paths.config)
    model = _find_model(args, paths, settings.default_model)
    answer, figures, loaded_at, first_token_at = _generate(
        model, settings.threads, args.self_test_engine
    )
    marker = secrets.token_hex(8)
    _check_history(paths.data, f"{PROMPT} [{marker}]", answer, marker)
    fields = {
        "model": model.filename.replace(" ", "_"),
        **figures,
        "load_s": f"{loaded_at - t0:.2f}",
        "first_token_s": f"{first_token_at - t0:.2f}",
        "history": "ok",
        "sqlcipher": cipher,
        "gpt4all": _package_version("gpt4all"),
        "xllamacpp": _package_version("xllamacpp"),
        **_speech_check(),
        "portaudio": _portaudio_version(),
        "qt": _qt_version(),
        **_keyring_backend(),
        "frozen": "yes" if getattr(sys, "frozen", False) else "no",
    }
    return " ".join(f"{key}={value}" for key, value in fields.items())


def _portaudio_version() -> str:
    """PortAudio's version, for dictation ('missing' where the system lacks it: on Linux it is
    the system's libportaudio2, and the app then says what to install; the chat still works)."""
    try:
        import sounddevice
    except OSError:
        return "missing"
    number = int(sounddevice.get_portaudio_version()[0])
    return f"{number >> 16}.{(number >> 8) & 0xFF}.{number & 0xFF}"


def _speech_check() -> dict[str, str]:
    """Speech recognition's parts are there: FFmpeg decodes a tone made here, and the voice
    detector (an ONNX model shipped in faster-whisper) finds no speech in it."""
    import av
    import numpy as np
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    tone = (np.sin(np.arange(16_000, dtype=np.float32) / 8) * 0.1).astype(np.float32)
    frame = av.AudioFrame.from_ndarray(tone.reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = 16_000
    resampled = av.AudioResampler(format="flt", layout="mono", rate=16_000).resample(frame)
    if sum(f.samples for f in resampled) <= 0:
        raise SelfTestError("FFmpeg (PyAV) did not pass a tone through its resampler")
    if get_speech_timestamps(tone, VadOptions()):
        raise SelfTestError("the voice detector heard speech in a plain tone")
    return {"speech": "ok", "ctranslate2": _package_version("ctranslate2")}


def _qt_version() -> str:
    from PySide6 import QtCore

    return str(QtCore.qVersion())


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    """The model + history self-test; prints one line and returns the exit code."""
    try:
        summary = _model_test(args, paths)
    except SelfTestError as error:
        print(f"{_FAILURE_PREFIX} {_one_line(error)}", file=sys.stderr, flush=True)
        return 1
    except Exception as error:
        # Anything else (a missing native library, a UserError from the engine or vault):
        # the type tells IT where to look; messages never contain chat text.
        reason = _one_line(f"{type(error).__name__}: {error}")
        print(f"{_FAILURE_PREFIX} {reason}", file=sys.stderr, flush=True)
        return 1
    print(f"{_SUMMARY_PREFIX} {summary}", flush=True)
    return 0


def run_window(
    args: argparse.Namespace,
    paths: AppPaths,
    run_gui: Callable[[argparse.Namespace, AppPaths], int],
    *,
    timeout_s: float = 60.0,
) -> int:
    """Start the real GUI, report when the main window is first painted, then quit.

    The app's own start-up code (`run_gui`) runs unchanged; this only creates the
    QApplication first and watches its events, so the time measured is the real one.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

    t0 = process_start()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)

    class FirstPaint(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.painted_at: float | None = None

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (
                self.painted_at is None
                and event.type() == QEvent.Type.Paint
                and isinstance(watched, QWidget)
                and isinstance(watched.window(), QMainWindow)
            ):
                # The first widget of the main window being painted: its first frame is
                # being drawn. Let the paint finish, then quit from the event loop.
                self.painted_at = time.time()
                QTimer.singleShot(0, app.quit)
            return False

    watcher = FirstPaint()
    app.installEventFilter(watcher)
    QTimer.singleShot(int(timeout_s * 1000), app.quit)
    try:
        code = run_gui(args, paths)
    except Exception as error:
        print(f"{_FAILURE_PREFIX} {_one_line(f'{type(error).__name__}: {error}')}", file=sys.stderr)
        return 1
    finally:
        app.removeEventFilter(watcher)
    if watcher.painted_at is None:
        reason = f"the window was not shown within {timeout_s:.0f} s (exit code {code})"
        print(f"{_FAILURE_PREFIX} {reason}", file=sys.stderr, flush=True)
        return 1
    fields = {
        "window_shown_s": f"{watcher.painted_at - t0:.2f}",
        "platform": app.platformName(),
        "qt": _qt_version(),
        "frozen": "yes" if getattr(sys, "frozen", False) else "no",
    }
    print(f"{_SUMMARY_PREFIX} " + " ".join(f"{k}={v}" for k, v in fields.items()), flush=True)
    return 0
