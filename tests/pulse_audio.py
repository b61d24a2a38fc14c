"""A private PulseAudio server whose only microphone is fed by the tests: a real audio stack.

The server (Debian's pulseaudio, as on a clinician's Linux desktop) has one virtual sound
card, a null sink; the sink's monitor is the default input, so whatever the tests play into
the sink with `paplay` reaches the app through the real path: PortAudio, ALSA's default
device, the PulseAudio client library and the server. Unplugging unloads the card, as a USB
headset being pulled out does. The server listens on a socket in a temporary folder and
takes no configuration from the machine, so it never touches a real sound card or session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

CARD = "mic_feed"


class PulseAudio:
    """One running server; `env` holds what a client needs to reach it."""

    def __init__(self, folder: Path) -> None:
        for tool in ("pulseaudio", "pactl", "paplay"):
            if shutil.which(tool) is None:
                raise RuntimeError(f"{tool} is missing (Debian: pulseaudio, pulseaudio-utils)")
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)
        self.socket = folder / "native"
        self.env = {
            **os.environ,
            "HOME": str(folder),
            "XDG_RUNTIME_DIR": str(folder),
            "PULSE_SERVER": f"unix:{self.socket}",
        }
        self._server = subprocess.Popen(
            [
                "pulseaudio",
                "-n",  # no default.pa: nothing of this machine's sound setup
                "--daemonize=no",
                "--exit-idle-time=-1",
                "--log-target=stderr",
                "-L",
                f"module-native-protocol-unix auth-anonymous=1 socket={self.socket}",
            ],
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 20
        while self._pactl("info", check=False).returncode != 0:
            if self._server.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the test PulseAudio server did not start")
            time.sleep(0.1)
        self.plug_in()

    def _pactl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pactl", *args], env=self.env, capture_output=True, text=True, check=check
        )

    @property
    def plugged_in(self) -> bool:
        return f"{CARD}.monitor" in self._pactl("list", "short", "sources").stdout

    def plug_in(self) -> None:
        """The virtual card, with its monitor as the default input."""
        if not self.plugged_in:
            self._pactl("load-module", "module-null-sink", f"sink_name={CARD}")
        self._pactl("set-default-source", f"{CARD}.monitor")

    def unplug(self) -> None:
        self._pactl("unload-module", "module-null-sink")

    def play(self, wav: Path) -> subprocess.Popen[bytes]:
        """Start speaking `wav` into the microphone; wait() on the result for its end."""
        return subprocess.Popen(["paplay", f"--device={CARD}", str(wav)], env=self.env)

    def stop(self) -> None:
        self._server.terminate()
        try:
            self._server.wait(10)
        except subprocess.TimeoutExpired:
            self._server.kill()
            self._server.wait()
