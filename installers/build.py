#!/usr/bin/env python3
"""Build the double-click ClinicChat bundle with PyInstaller, then smoke-test the result.

    python installers/build.py [--model FILE] [--skip-smoke] [--dist DIR] [--work DIR]
                               [--with-cuda] [--no-tarball]
    python installers/build.py --icons     # re-render resources/icons from clinichat.svg

Needs the `build` extra in the virtual environment (PyInstaller):
`.venv/bin/pip install -e ".[build]"` (the `test` extra includes it too). This script
installs nothing itself; it uses the Python that runs it, so run it with `.venv/bin/python`.

Steps:

1. PyInstaller with installers/clinichat.spec: a one-folder bundle in DIST/ClinicChat
   (macOS: also DIST/ClinicChat.app), work files in WORK (default: dist/ and build/ in the
   repository; both are ignored by git).
2. The size of the bundle on disk, the Qt modules and gpt4all backends left out, and a check
   that none of the left-out Qt libraries slipped in.
3. On Linux: DIST/ClinicChat-<version>-linux-<arch>.tar.gz with the bundle, install.sh, the
   desktop entry, the AppStream metainfo and the icons (see installers/linux/install.sh).
4. The smoke test: the frozen executable runs `--temp-basedir --self-test --model FILE
   --engine E` once per engine (gpt4all and llama.cpp; a real model: --model, else the starter
   model, fetched into the test cache like the test suite does, which both engines run) and
   `--temp-basedir --self-test --window` on Qt's offscreen platform. Each must exit 0 with its
   summary line, and stderr may hold nothing but the lines in BENIGN_STDERR.

Exits non-zero on any failure. Windows and macOS installers are made from the bundle by
installers/windows/clinichat.iss (Inno Setup) and installers/macos/make_dmg.sh.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import struct
import subprocess
import sys
import tarfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "installers" / "clinichat.spec"
ICONS = REPO / "resources" / "icons"
SVG_ICON = ICONS / "clinichat.svg"

APP_NAME = "ClinicChat"
APP_ID = "io.clinichat.ClinicChat"
# The one-folder bundle's folder, in DIST; also what the Inno Setup script packs.
BUNDLE_DIR = APP_NAME
# Linux: lower case, so the X11 window class matches clinichat.desktop (and Qt's
# setDesktopFileName("clinichat") on Wayland). Windows: the windowed app, plus a console
# twin sharing the same files, for IT scripts and this script's smoke test (a windowed
# Windows program has no stdout or stderr).
EXE_LINUX = "clinichat"
EXE_WINDOWS = "ClinicChat"
EXE_WINDOWS_CONSOLE = "clinichat-cli"
EXE_MACOS = "ClinicChat"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

# resources/ goes into the bundle whole, except these: the desktop entry and metainfo (for
# install.sh), translation sources (.ts; the app reads the compiled .qm) and the .ico and
# .icns (built into the Windows .exe and the macOS .app). RESOURCE_REQUIRED: the build
# fails without them.
RESOURCE_EXCLUDED_DIRS = ("linux",)
RESOURCE_EXCLUDED_SUFFIXES = (".ts", ".ico", ".icns")
RESOURCE_REQUIRED = (
    "catalog.json", "presets.json", "style.qss", "translations/*.qm", "icons/clinichat.svg",
    "icons/hicolor/*/apps/clinichat.png",
)  # fmt: skip

# PySide6 modules the app never imports. PyInstaller collects only what is imported, but the
# list guards against a hook or a stray import pulling in 100+ MB (QtWebEngine, QtQml/Quick).
# Kept: QtCore, QtGui, QtWidgets, QtNetwork (downloads), QtSvg (the icon and Qt's SVG image
# and icon-engine plugins; its library is small). QtDBus is excluded as a Python module
# only: Qt's own xcb and platform-theme plugins still load libQt6DBus, which stays.
QT_EXCLUDES = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtAxContainer", "QtBluetooth", "QtCanvasPainter", "QtCharts", "QtConcurrent", "QtDBus",
    "QtDataVisualization", "QtDesigner", "QtGraphs", "QtGraphsWidgets", "QtHelp",
    "QtHttpServer", "QtLocation", "QtMultimedia", "QtMultimediaWidgets", "QtNetworkAuth",
    "QtNfc", "QtOpenGL", "QtOpenGLWidgets", "QtPdf", "QtPdfWidgets", "QtPositioning",
    "QtPrintSupport", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2", "QtQuickTest",
    "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus",
    "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtSvgWidgets", "QtTest",
    "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick",
    "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
)  # fmt: skip
# Qt plugins left out of the bundle (glob patterns on the bundle path), with every library
# only they need; see _prune_qt_plugins in clinichat.spec. Kept: xcb, wayland, offscreen
# and minimal platforms, the XDG portal theme, input methods, image formats, TLS.
QT_PLUGIN_EXCLUDES = (
    "*/plugins/platforms/libqeglfs*", "*/plugins/platforms/libqlinuxfb*",
    "*/plugins/platforms/libqminimalegl*", "*/plugins/platforms/libqvnc*",
    "*/plugins/platforms/libqvkkhrdisplay*", "*/plugins/egldeviceintegrations/*",
    "*/plugins/generic/*", "*/plugins/platformthemes/libqgtk3*",
)  # fmt: skip
# Other Python packages the app does not use but that may be installed beside it.
# hf_xet is huggingface_hub's faster download client: faster-whisper needs the hub only to
# import, and ClinicChat never downloads through it.
PY_EXCLUDES = (
    "tkinter", "_tkinter", "pytest", "pytestqt", "mypy", "ruff", "setuptools", "hf_xet",
)  # fmt: skip
# Qt libraries that must not be in the bundle (checked after the build): the big ones the
# excluded modules would bring.
FORBIDDEN_QT_LIBS = re.compile(
    r"Qt6(WebEngine|Qml|Quick|3D|Multimedia|Charts|Pdf|Designer|Location|Graphs)", re.I
)

# What the frozen app may print on stderr during the smoke test; anything else fails it.
# Each entry is a regular expression for one whole line, with the reason it is harmless.
BENIGN_STDERR: tuple[tuple[str, str], ...] = (
    (
        r"This plugin does not support propagateSizeHints\(\)",
        "Qt's offscreen platform (only the smoke test uses it) cannot pass window size hints"
        " to a window manager it does not have; printed when the main window is shown",
    ),
)
# With --with-cuda the bundle carries gpt4all's CUDA backends. The bindings try every
# backend at start-up; without NVIDIA's CUDA 11 runtime (libcudart.so.11.0, from
# nvidia-cuda-runtime-cu11) the dlopen fails and the bindings print this line, then use the
# CPU/Vulkan backend. Not an error of the bundle.
BENIGN_CUDA = (
    r"Failed to load (lib)?llamamodel-mainline-cuda(-avxonly)?\.(so|dll): .*",
    "gpt4all's CUDA backend without the CUDA runtime on this machine",
)

SUMMARY = re.compile(r"^self-test ok: (\S+=\S+)( \S+=\S+)*$")


class BuildError(Exception):
    """One step failed; str() says which and why."""


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def app_version() -> str:
    text = (REPO / "clinichat" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if found is None:
        raise BuildError("no __version__ in clinichat/__init__.py")
    return found.group(1)


def exe_name(system: str | None = None) -> str:
    """The app's executable in the bundle folder, for `system` (default: this one)."""
    system = system or platform.system()
    return {"Windows": EXE_WINDOWS, "Darwin": EXE_MACOS}.get(system, EXE_LINUX)


def smoke_executable(dist: Path, system: str | None = None) -> Path:
    """The frozen program that can print to a console: what the smoke test runs."""
    system = system or platform.system()
    if system == "Windows":
        return dist / BUNDLE_DIR / f"{EXE_WINDOWS_CONSOLE}.exe"
    if system == "Darwin":
        return dist / f"{APP_NAME}.app" / "Contents" / "MacOS" / EXE_MACOS
    return dist / BUNDLE_DIR / EXE_LINUX


def tarball_name(version: str) -> str:
    return f"{APP_NAME}-{version}-linux-{platform.machine()}.tar.gz"


# -- icons ---------------------------------------------------------------------------------
def render_icon_png(svg: Path, size: int) -> bytes:
    """The SVG rendered at size x size as PNG bytes (Qt's SVG renderer; no window needed)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise BuildError(f"{svg} is not a valid SVG file")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.convertToFormat(QImage.Format.Format_ARGB32).save(buffer, "PNG"):
        raise BuildError(f"could not render {svg} at {size} px")
    buffer.close()
    return bytes(data.data())


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding each PNG as is (PNG entries: Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    entries, blobs = b"", b""
    offset = len(header) + 16 * len(pngs)
    for size, png in sorted(pngs.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


# icns element types holding PNG data, by pixel size (Apple's icns format).
ICNS_TYPES = (
    (b"icp4", 16), (b"icp5", 32), (b"ic11", 32), (b"icp6", 64), (b"ic12", 64),
    (b"ic07", 128), (b"ic08", 256), (b"ic13", 256), (b"ic09", 512), (b"ic14", 512),
)  # fmt: skip


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """A macOS .icns made of PNG elements (what iconutil writes since OS X 10.7)."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def png_path(size: int) -> Path:
    return ICONS / "hicolor" / f"{size}x{size}" / "apps" / "clinichat.png"


def make_icons() -> list[Path]:
    """Re-render every checked-in icon file from the SVG; returns the files written."""
    pngs = {size: render_icon_png(SVG_ICON, size) for size in ICON_SIZES}
    written = []
    for size, png in pngs.items():
        path = png_path(size)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(png)
        written.append(path)
    (ICONS / "clinichat.ico").write_bytes(ico_bytes({s: pngs[s] for s in ICO_SIZES}))
    (ICONS / "clinichat.icns").write_bytes(icns_bytes(pngs))
    written += [ICONS / "clinichat.ico", ICONS / "clinichat.icns"]
    return written


# -- build ---------------------------------------------------------------------------------
def run_pyinstaller(dist: Path, work: Path, *, with_cuda: bool) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise BuildError(
            "PyInstaller is not installed in this Python; run"
            ' `.venv/bin/pip install -e ".[build]"` and build with .venv/bin/python'
        ) from None
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work), str(SPEC),
    ]  # fmt: skip
    if with_cuda:
        command += ["--", "--with-cuda"]
    done = subprocess.run(command, cwd=REPO, check=False)
    if done.returncode != 0:
        raise BuildError(f"PyInstaller failed (exit status {done.returncode})")


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def check_bundle(dist: Path) -> Path:
    bundle = dist / BUNDLE_DIR
    program = smoke_executable(dist)
    if not program.is_file():
        raise BuildError(f"the build made no {program}")
    internal = bundle / "_internal"
    for needed in ("resources/catalog.json", "resources/style.qss", "resources/icons"):
        if not (internal / needed).exists():
            raise BuildError(f"the bundle lacks {needed}")
    slipped = sorted({p.name for p in bundle.rglob("*") if FORBIDDEN_QT_LIBS.search(p.name)})
    if slipped:
        raise BuildError(f"excluded Qt libraries ended up in the bundle: {', '.join(slipped)}")
    return bundle


def make_tarball(dist: Path, bundle: Path, version: str) -> Path:
    """Bundle + install.sh + desktop entry + metainfo + icons, under one top folder."""
    name = tarball_name(version)
    top = name.removesuffix(".tar.gz")
    target = dist / name
    extras = {
        "install.sh": REPO / "installers" / "linux" / "install.sh",
        "clinichat.desktop": REPO / "resources" / "linux" / "clinichat.desktop",
        f"{APP_ID}.metainfo.xml": REPO / "resources" / "linux" / f"{APP_ID}.metainfo.xml",
        "icons/hicolor/scalable/apps/clinichat.svg": SVG_ICON,
        **{
            f"icons/hicolor/{s}x{s}/apps/clinichat.png": png_path(s)
            for s in ICON_SIZES
            if png_path(s).is_file()
        },
    }
    partial = target.with_name(name + ".part")
    # Level 6: within a few per cent of 9 on these (mostly native code) files, much faster.
    with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=f"{top}/{BUNDLE_DIR}")
        for arcname, source in extras.items():
            tar.add(source, arcname=f"{top}/{arcname}")
    os.replace(partial, target)
    return target


# -- smoke test ----------------------------------------------------------------------------
def starter_model_path(work: Path) -> Path:
    """The starter model, installed (aliased) under WORK; fetched into the test cache."""
    sys.path.insert(0, str(REPO))
    from clinichat.models.registry import ModelRegistry
    from clinichat.models.starter import install_starter

    cache = Path(os.environ.get("CLINICHAT_TEST_CACHE") or REPO / ".cache" / "test")
    models = work / "smoke-models"
    models.mkdir(parents=True, exist_ok=True)
    return install_starter(ModelRegistry(models, []), cache).path


def unexpected_stderr(stderr: str, benign: Sequence[tuple[str, str]]) -> list[str]:
    patterns = [re.compile(pattern) for pattern, _why in benign]
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(p.fullmatch(line.strip()) for p in patterns)
    ]


def run_frozen(program: Path, args: Sequence[str], benign: Sequence[tuple[str, str]]) -> str:
    """Run the frozen program; return its summary line or raise BuildError saying why."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "CLINICHAT_T0": repr(time.time())}
    # The smoke test must prove the bundle works on its own, not with this venv's help.
    for leak in ("PYTHONPATH", "PYTHONHOME", "LD_LIBRARY_PATH", "QT_PLUGIN_PATH"):
        env.pop(leak, None)
    try:
        done = subprocess.run(
            [str(program), *args],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
            cwd=program.parent,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise BuildError(f"{' '.join(args)}: no answer within {error.timeout} s") from error
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or len(lines) != 1 or not SUMMARY.match(lines[0]):
        detail = " | ".join((done.stderr.strip() or done.stdout.strip()).splitlines()[-5:])
        raise BuildError(f"{' '.join(args)}: exit status {done.returncode}: {detail}")
    extra = unexpected_stderr(done.stderr, benign)
    if extra:
        raise BuildError(f"{' '.join(args)}: unexpected output on stderr: {' | '.join(extra)}")
    return lines[0]


def smoke_test(dist: Path, model: Path, *, with_cuda: bool) -> list[str]:
    program = smoke_executable(dist)
    benign = [*BENIGN_STDERR, *([BENIGN_CUDA] if with_cuda else [])]
    return [
        *(
            run_frozen(
                program,
                ["--temp-basedir", "--self-test", "--model", str(model), "--engine", engine],
                benign,
            )
            for engine in ("gpt4all", "llamacpp")  # the starter runs on both engines
        ),
        run_frozen(program, ["--temp-basedir", "--self-test", "--window"], benign),
    ]


# -- main ----------------------------------------------------------------------------------
def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, metavar="FILE", help="GGUF model for the smoke test")
    parser.add_argument("--skip-smoke", action="store_true", help="build only, no smoke test")
    parser.add_argument("--dist", type=Path, default=REPO / "dist", metavar="DIR")
    parser.add_argument("--work", type=Path, default=REPO / "build", metavar="DIR")
    parser.add_argument(
        "--with-cuda",
        action="store_true",
        help="also bundle gpt4all's CUDA backends (about 200 MB; they need NVIDIA's CUDA 11"
        " runtime on the target machine, which the bundle does not carry)",
    )
    parser.add_argument("--no-tarball", action="store_true", help="Linux: skip the .tar.gz")
    parser.add_argument(
        "--icons", action="store_true", help="re-render resources/icons from the SVG and exit"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.icons:
            for path in make_icons():
                print(path.relative_to(REPO))
            return 0
        dist, work = args.dist.resolve(), args.work.resolve()
        version = app_version()
        started = time.monotonic()
        step(f"PyInstaller: {SPEC.relative_to(REPO)} -> {dist}")
        run_pyinstaller(dist, work, with_cuda=args.with_cuda)
        bundle = check_bundle(dist)
        elapsed = time.monotonic() - started
        size_mb = folder_size(bundle) / 1e6
        print(f"bundle: {bundle} ({size_mb:.0f} MB on disk), built in {elapsed:.0f} s")
        print(f"left out: Qt modules {', '.join(QT_EXCLUDES)}")
        print(f"left out: Python packages {', '.join(PY_EXCLUDES)}")
        print(f"left out: Qt plugins {', '.join(QT_PLUGIN_EXCLUDES)} (and what only they need)")
        if not args.with_cuda:
            print("left out: gpt4all CUDA backends (use --with-cuda to include them)")
        if platform.system() == "Linux" and not args.no_tarball:
            step("Linux tarball")
            tarball = make_tarball(dist, bundle, version)
            print(f"tarball: {tarball} ({tarball.stat().st_size / 1e6:.0f} MB)")
        if args.skip_smoke:
            return 0
        model = args.model.resolve() if args.model else starter_model_path(work)
        step(f"Smoke test of the frozen app with {model.name}")
        for line in smoke_test(dist, model, with_cuda=args.with_cuda):
            print(line)
    except BuildError as error:
        print(f"build failed: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
