"""Tests for the pre-QApplication xcb library check.

Why: the check is the only thing between a fresh Linux desktop and Qt's cryptic abort,
and it must never block platforms (offscreen, wayland) that do not load the xcb libraries.
"""

from __future__ import annotations

import os
import select
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest

from clinichat import platform_check
from clinichat.platform_check import missing_xcb_packages, xcb_help_message

XCB = {"QT_QPA_PLATFORM": "xcb"}


def _fail_loading(monkeypatch: pytest.MonkeyPatch, *sonames: str) -> list[str]:
    """Make the loader fail for `sonames`; return every soname it was asked for."""
    asked: list[str] = []

    def fake_can_load(soname: str) -> bool:
        asked.append(soname)
        return soname not in sonames

    monkeypatch.setattr(platform_check, "_can_load", fake_can_load)
    monkeypatch.setattr(sys, "platform", "linux")
    return asked


@pytest.mark.parametrize("platform", ["offscreen", "minimal", "wayland", "wayland;xcb", "vnc"])
def test_non_xcb_platform_needs_nothing(monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    asked = _fail_loading(monkeypatch, "libxcb-cursor.so.0")
    monkeypatch.setenv("QT_QPA_PLATFORM", platform)
    assert missing_xcb_packages() == []
    assert asked == [], "must not even load libraries for a non-xcb platform"


def test_offscreen_env_returns_empty_on_real_loader(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert missing_xcb_packages() == []


@pytest.mark.parametrize("platform", ["xcb", "XCB", "xcb:dpi=96", "xcb;offscreen"])
def test_xcb_platform_spellings_are_checked(monkeypatch: pytest.MonkeyPatch, platform: str) -> None:
    _fail_loading(monkeypatch, "libxcb-icccm.so.4")
    assert missing_xcb_packages({"QT_QPA_PLATFORM": platform}) == ["libxcb-icccm4"]


def test_names_exactly_the_two_missing_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _fail_loading(monkeypatch, "libxcb-cursor.so.0", "libxkbcommon-x11.so.0")
    assert missing_xcb_packages(XCB) == ["libxcb-cursor0", "libxkbcommon-x11-0"]
    assert "libxcb-keysyms.so.1" in asked


def test_unset_platform_means_xcb_outside_wayland(monkeypatch: pytest.MonkeyPatch) -> None:
    _fail_loading(monkeypatch, "libxcb-cursor.so.0")
    assert missing_xcb_packages({}) == ["libxcb-cursor0"]
    assert missing_xcb_packages({"QT_QPA_PLATFORM": ""}) == ["libxcb-cursor0"]


def test_unset_platform_in_wayland_session_needs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt 6 tries its wayland backend first there; xcb is only the fallback."""
    _fail_loading(monkeypatch, "libxcb-cursor.so.0")
    assert missing_xcb_packages({"WAYLAND_DISPLAY": "wayland-0"}) == []
    assert missing_xcb_packages({"XDG_SESSION_TYPE": "wayland"}) == []


def test_not_linux_needs_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _fail_loading(monkeypatch, "libxcb-cursor.so.0")
    for name in ("win32", "darwin"):
        monkeypatch.setattr(sys, "platform", name)
        assert missing_xcb_packages(XCB) == []
    assert asked == []


def test_help_message_is_one_actionable_line() -> None:
    message = xcb_help_message(["libxcb-cursor0", "libxcb-icccm4"])
    assert "\n" not in message
    assert message.startswith("ClinicChat cannot open its window")
    assert message.endswith("sudo apt-get install libxcb-cursor0 libxcb-icccm4")


def test_real_check_is_fast_and_returns_packages() -> None:
    start = time.perf_counter()
    packages = missing_xcb_packages(XCB)
    elapsed = time.perf_counter() - start
    print(f"missing xcb packages on this machine: {packages} ({elapsed * 1000:.1f} ms)")
    assert isinstance(packages, list)
    assert set(packages) <= set(platform_check.XCB_LIBRARIES.values())
    assert elapsed < 0.5


@pytest.fixture
def xvfb_display() -> Iterator[str]:
    """A private Xvfb server; -displayfd lets it pick a free display number."""
    xvfb = shutil.which("Xvfb")
    if not sys.platform.startswith("linux") or xvfb is None:
        if os.environ.get("CI"):
            pytest.fail("Xvfb is missing, but .ci/run installs it")
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", "1024x768x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        ready, _, _ = select.select([read_fd], [], [], 15)
        number = os.read(read_fd, 64).decode().strip() if ready else ""
        if not number:
            pytest.fail("Xvfb did not report a display number")
        yield f":{number}"
    finally:
        os.close(read_fd)
        proc.terminate()
        proc.wait(timeout=10)


def test_window_opens_under_xvfb_when_nothing_is_missing(xvfb_display: str) -> None:
    """End-to-end proof that the package list is complete: [] means xcb really starts."""
    missing = missing_xcb_packages(XCB)
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f".ci/run should have installed: {xcb_help_message(missing)}")
        pytest.skip(xcb_help_message(missing))
    code = (
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication([])\n"
        "label = QLabel('ClinicChat')\n"
        "label.show()\n"
        "app.processEvents()\n"
        "print(app.platformName(), label.isVisible())\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": xvfb_display}
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["xcb", "True"], result.stdout + result.stderr
