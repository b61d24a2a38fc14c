"""The real app in a real X window (Xvfb): first-run passphrase, a typed question is answered,
Ctrl+Q quits cleanly, the question is nowhere on disk in plaintext, and the app (run under
strace) never opened a network connection: only local (AF_UNIX) sockets, such as X's.

Keystrokes go through the X server with xdotool, exactly as a user's would. The app is run
with `--loglevel info`, which logs answer figures (never text) to stderr; that is how the test
knows an answer finished. CI installs Xvfb and xdotool; elsewhere the test is skipped only
when they are missing, and never under CI.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from xvfb import (
    TOOLS,
    find_window,
    quit_app,
    set_first_passphrase,
    type_question,
    wait_for,
    xvfb_display,
)

from clinichat.platform_check import missing_xcb_packages

missing_tools = [tool for tool in (*TOOLS, "strace") if shutil.which(tool) is None]
if missing_tools and not os.environ.get("CI"):
    pytest.skip(f"needs {', '.join(missing_tools)} (installed by .ci/run)", allow_module_level=True)

pytestmark = pytest.mark.slow
PASSPHRASE = "correct horse battery"
SENTINEL = "ZEBRAFINCH4471"
QUESTION = f"Patient {SENTINEL} has a temperature of 38.5. Is that a fever?"


@pytest.fixture
def display() -> Iterator[str]:
    assert not missing_tools, f"CI must install {missing_tools}"
    with xvfb_display() as name:
        yield name


def test_typed_question_is_answered_in_a_real_window(
    display: str, tmp_path: Path, starter_model: Path
) -> None:
    env = {
        **os.environ,
        "DISPLAY": display,
        "QT_QPA_PLATFORM": "xcb",
        # The real "no keychain" backend, whatever this machine has: passphrase mode.
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    assert missing_xcb_packages(env) == [], "CI must install Qt's xcb libraries"
    base = tmp_path / "base"
    (base / "models").mkdir(parents=True)
    shutil.copy2(starter_model, base / "models" / starter_model.name)
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:
        trace = tmp_path / "connect.trace"
        app = subprocess.Popen(
            [
                *("strace", "-f", "-qq", "-e", "trace=connect", "-o", str(trace)),
                *(sys.executable, "-m", "clinichat", "--basedir", str(base)),
                *("--loglevel", "info"),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            window = find_window(display, "^ClinicChat$", 60)
            # No keychain on this machine: the first run asks for a passphrase.
            set_first_passphrase(display, PASSPHRASE)
            wait_for(lambda: "history unlocked" in log.read_text(), 30, "the history")
            time.sleep(2)  # the model loads in the background; a question may be typed anyway
            type_question(display, window, QUESTION)
            wait_for(lambda: "finished:" in log.read_text(), 120, "the answer")
            quit_app(display, window)
            assert app.wait(timeout=60) == 0
        finally:
            if app.poll() is None:
                app.kill()
    output = log.read_text()
    assert "Traceback" not in output
    connects = trace.read_text().splitlines()
    assert any("AF_UNIX" in line for line in connects), "strace saw the X connection"
    network = [line for line in connects if "AF_INET" in line]
    assert network == [], f"the app reached for the network: {network[:3]}"
    assert SENTINEL not in output, "chat text must never reach the log"
    for path in base.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                assert SENTINEL.encode(encoding) not in data, f"{path} holds chat text"
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(base / "data" / "history.db").execute("SELECT * FROM sqlite_master")
    answered = [line for line in output.splitlines() if "finished:" in line]
    assert len(answered) == 1
    tokens = int(answered[0].split("finished:")[1].split("tokens")[0])
    assert tokens > 0
