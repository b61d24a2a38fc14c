"""Pre-flight check for the system libraries Qt's Linux (xcb) window backend needs.

Why: the PySide6 wheels do not ship the X11/xcb client libraries. When one is missing,
Qt aborts the whole process while creating the QApplication with a message that names
neither the library nor the package to install. This module runs *before* any Qt import,
so it must not import Qt, and it only uses the dynamic loader the way Qt will.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Iterable, Mapping

__all__ = ["XCB_HELP_TEMPLATE", "missing_xcb_packages", "xcb_help_message"]

# Every system library (soname -> Debian/Ubuntu package) that the wheel's xcb plugin
# (plugins/platforms/libqxcb.so -> lib/libQt6XcbQpa.so.6) and the Qt libraries it pulls in
# (QtGui, QtDBus) link against but the wheel does not ship. Taken from `readelf -d`/`ldd`
# on PySide6-Essentials 6.11.3. libc, libstdc++, libm, libgcc_s, zlib and zstd are left out:
# Python itself cannot run without them. Order: the usual culprits first.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
}

# One constant so the sentence can be moved into Qt's translation system later; plain
# English for now because no QApplication (and so no translator) exists at this point.
XCB_HELP_TEMPLATE = (
    "ClinicChat cannot open its window: these system libraries are missing. "
    "Install them with: sudo apt-get install {packages}"
)


def _can_load(soname: str) -> bool:
    """Ask the dynamic loader exactly what Qt will ask it: dlopen by soname.

    Why not ldconfig/find_library: they spawn processes and miss LD_LIBRARY_PATH.
    A library whose own dependencies are missing fails here too, which is what we want.
    """
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def _platform_will_be_xcb(environ: Mapping[str, str]) -> bool:
    """Predict whether Qt 6 will pick the xcb backend, mirroring QGuiApplication.

    Why: on offscreen/minimal/wayland the X11 libraries are never loaded, so reporting
    them missing would block a program that would have run fine.
    """
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        # Qt accepts a ';'-separated fallback list and "name:option=..." arguments.
        first = requested.split(";", 1)[0].split(":", 1)[0].strip().lower()
        return first == "xcb"
    # Unset: Qt 6 tries "wayland" first in a Wayland session and xcb otherwise.
    wayland_session = bool(environ.get("WAYLAND_DISPLAY")) or (
        environ.get("XDG_SESSION_TYPE", "").lower() == "wayland"
    )
    return not wayland_session


def missing_xcb_packages(environ: Mapping[str, str] | None = None) -> list[str]:
    """Return the apt packages to install so Qt's xcb backend can start ([] if none).

    Why: lets the app print one actionable line instead of Qt's abort. Only meaningful
    on Linux when xcb will be used; everywhere else it returns [] without loading anything.
    """
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or not _platform_will_be_xcb(env):
        return []
    packages: list[str] = []
    for soname, package in XCB_LIBRARIES.items():
        if package not in packages and not _can_load(soname):
            packages.append(package)
    return packages


def xcb_help_message(packages: Iterable[str]) -> str:
    """Build the single line telling the user what to install.

    Why: a copy-pasteable command is the fastest path from "it won't start" to working.
    """
    return XCB_HELP_TEMPLATE.format(packages=" ".join(packages))
