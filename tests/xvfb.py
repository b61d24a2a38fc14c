"""A private X server for tests that need a real window (the app under xcb), and the keys a
user would press in it: xdotool sends them through the X server, exactly as a keyboard does.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

TOOLS = ("Xvfb", "xdotool")


@contextmanager
def xvfb_display() -> Iterator[str]:
    """Start Xvfb on a free display; yields its name (":N")."""
    # -displayfd: Xvfb picks a free display and writes its number once it accepts clients.
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-screen", "0", "1280x860x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        number = server.stdout.readline().strip()
        assert number.isdigit(), "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for(predicate: Callable[[], object], timeout: float, what: str) -> None:
    """Poll until `predicate()` is true; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def xdotool(display: str, *args: str) -> str:
    done = subprocess.run(
        ["xdotool", *args],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.stdout.strip()


def find_window(display: str, title: str, timeout: float) -> str:
    """The id of the first visible window whose title matches, once it appears."""
    found: list[str] = []

    def shown() -> bool:
        found[:] = xdotool(display, "search", "--onlyvisible", "--name", title).split()[:1]
        return bool(found)

    wait_for(shown, timeout, f"a window titled {title!r}")
    return found[0]


def set_first_passphrase(display: str, passphrase: str, timeout: float = 30) -> None:
    """Answer the first-run "Protect your history" dialog (no keychain: passphrase mode),
    then the recovery-key handover that follows it."""
    dialog = find_window(display, "Protect your", timeout)
    xdotool(display, "windowfocus", "--sync", dialog)
    xdotool(display, "type", "--delay", "20", passphrase)
    xdotool(display, "key", "Tab")
    xdotool(display, "type", "--delay", "20", passphrase)
    xdotool(display, "key", "Return")
    keep_recovery_key(display, timeout)


def keep_recovery_key(display: str, timeout: float = 30) -> None:
    """The first run's last step: confirm the recovery key is kept (Alt+K), then close (Enter)."""
    dialog = find_window(display, "Keep your recovery key", timeout)
    xdotool(display, "windowfocus", "--sync", dialog)
    xdotool(display, "key", "alt+k")
    time.sleep(0.5)  # a mnemonic "clicks" the box after a short animation, then Close is on
    xdotool(display, "key", "Return")
    wait_for(
        lambda: dialog not in xdotool(display, "search", "--onlyvisible", "--name", ".").split(),
        timeout,
        "the recovery-key dialog to close",
    )


def type_question(display: str, window: str, question: str) -> None:
    """Type a question into the focused question box of `window` and send it with Enter."""
    xdotool(display, "windowfocus", "--sync", window)
    xdotool(display, "type", "--delay", "30", question)
    xdotool(display, "key", "Return")


def quit_app(display: str, window: str) -> None:
    xdotool(display, "windowfocus", "--sync", window)
    xdotool(display, "key", "ctrl+q")
