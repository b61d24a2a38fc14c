"""Real key presses in a real, active window while the history is locked do nothing.

The app runs under Xvfb with a window manager (openbox: Qt's window shortcuts need an active
window), in passphrase mode. After one answer, Ctrl+Shift+C copies it (the clipboard is read
back with xclip, as another program would). Ctrl+L locks: the clipboard is emptied, and then
every shortcut and the File menu's Export entry, pressed as a user would, leave the clipboard
empty, open no window and write no file (issue 10, item 1).
"""

from __future__ import annotations

import os
import shutil
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
from xvfb import xdotool as run_xdotool

from clinichat.platform_check import missing_xcb_packages

NEEDED = (*TOOLS, "xclip", "openbox")
missing_tools = [tool for tool in NEEDED if shutil.which(tool) is None]
if missing_tools and not os.environ.get("CI"):
    pytest.skip(f"needs {', '.join(missing_tools)} (installed by .ci/run)", allow_module_level=True)

pytestmark = pytest.mark.slow
PASSPHRASE = "correct horse battery"


@pytest.fixture
def display() -> Iterator[str]:
    assert not missing_tools, f"CI must install {missing_tools}"
    with xvfb_display() as name:
        manager = subprocess.Popen(
            ["openbox"],
            env={**os.environ, "DISPLAY": name},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            yield name
        finally:
            manager.terminate()
            manager.wait(timeout=10)


def clipboard(display: str) -> str:
    done = subprocess.run(
        ["xclip", "-selection", "clipboard", "-o"],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=10,
    )
    return done.stdout if done.returncode == 0 else ""


def visible_windows(display: str) -> set[str]:
    return set(run_xdotool(display, "search", "--onlyvisible", "--name", ".").split())


def test_keys_pressed_while_locked_reveal_nothing(
    display: str, tmp_path: Path, starter_model: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "DISPLAY": display,
        "HOME": str(home),
        "QT_QPA_PLATFORM": "xcb",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    assert missing_xcb_packages(env) == [], "CI must install Qt's xcb libraries"
    base = tmp_path / "base"
    (base / "models").mkdir(parents=True)
    shutil.copy2(starter_model, base / "models" / starter_model.name)
    log = tmp_path / "stderr.txt"
    with log.open("w") as stderr:
        app = subprocess.Popen(
            [sys.executable, "-m", "clinichat", "--basedir", str(base), "--loglevel", "info"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            window = find_window(display, "^ClinicChat$", 60)
            set_first_passphrase(display, PASSPHRASE)
            wait_for(lambda: "history unlocked" in log.read_text(), 30, "the history")
            time.sleep(2)
            type_question(display, window, "What is a normal resting heart rate?")
            wait_for(lambda: "finished:" in log.read_text(), 120, "the answer")
            run_xdotool(display, "windowactivate", "--sync", window)
            run_xdotool(display, "key", "ctrl+shift+c")
            wait_for(lambda: clipboard(display).strip(), 10, "the copied answer")
            run_xdotool(display, "key", "ctrl+l")
            wait_for(lambda: "history locked" in log.read_text(), 10, "the lock")
            wait_for(lambda: clipboard(display) == "", 10, "the clipboard to be taken back")
            before = visible_windows(display)
            run_xdotool(display, "windowactivate", "--sync", window)
            for key in ("ctrl+shift+c", "ctrl+f", "ctrl+n", "ctrl+comma", "ctrl+shift+m"):
                run_xdotool(display, "key", key)
                time.sleep(0.3)
            # Export through the menu, as with the mouse: the entry is there but inert.
            run_xdotool(display, "key", "alt+f")
            time.sleep(0.5)
            run_xdotool(display, "key", "e", "Return")
            time.sleep(1.5)
            assert clipboard(display) == ""
            assert visible_windows(display) <= before, "a dialog opened while locked"
            run_xdotool(display, "key", "Escape")
            quit_app(display, window)
            assert app.wait(timeout=60) == 0
        finally:
            if app.poll() is None:
                app.kill()
    output = log.read_text()
    assert "Traceback" not in output
    exported = [p for p in home.rglob("*") if p.suffix.lower() in (".md", ".pdf")]
    assert exported == []
