"""The installer files agree with each other and with the build's layout, and validate.

- resources/linux/clinichat.desktop passes desktop-file-validate; the AppStream metainfo
  parses and passes appstreamcli; install.sh and make_dmg.sh pass shellcheck. CI installs
  these tools (.ci/run); elsewhere a test is skipped only when its tool is missing, never
  under CI.
- install.sh installs a (stand-in) bundle for a user whose home folder has a space in it,
  writes a valid desktop entry pointing at it, and uninstalls it without touching the user's
  conversations.
- The Inno Setup script packs the files the spec produces for Windows (names from
  installers/build.py, which the spec also reads); tests/e2e/test_build.py checks the same
  paths against a real bundle.
- The icon files rendered from the SVG are all there, at their sizes.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import stat
import struct
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path, PureWindowsPath
from types import ModuleType

import pytest

from clinichat import __version__

REPO = Path(__file__).resolve().parents[2]
DESKTOP = REPO / "resources" / "linux" / "clinichat.desktop"
INSTALL_SH = REPO / "installers" / "linux" / "install.sh"
MAKE_DMG = REPO / "installers" / "macos" / "make_dmg.sh"
ISS = REPO / "installers" / "windows" / "clinichat.iss"
ICONS = REPO / "resources" / "icons"


def load_build() -> ModuleType:
    spec = importlib.util.spec_from_file_location("clinichat_build", REPO / "installers/build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = load_build()
METAINFO = REPO / "resources" / "linux" / f"{build.APP_ID}.metainfo.xml"


def tool(name: str) -> str:
    """The tool's path; skip when it is missing, except under CI, which must install it."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must install {name} (.ci/run)")
        pytest.skip(f"needs {name} (installed by .ci/run)")
    return path


def desktop_entry(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "[Desktop Entry]"
    return dict(line.split("=", 1) for line in lines[1:] if "=" in line)


# -- desktop entry and metainfo ------------------------------------------------------------
def test_desktop_entry_validates() -> None:
    done = subprocess.run(
        [tool("desktop-file-validate"), str(DESKTOP)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (done.stdout + done.stderr).strip() == "", "no errors, warnings or hints"


def test_desktop_entry_matches_the_app() -> None:
    entry = desktop_entry(DESKTOP)
    assert entry["Exec"] == entry["TryExec"] == build.EXE_LINUX
    assert entry["Icon"] == "clinichat" == build.png_path(48).stem
    # Qt sets the window's WM_CLASS class to the application name, and on Wayland the app id
    # to setDesktopFileName("clinichat"): both must lead the desktop to this entry.
    assert entry["StartupWMClass"] == "ClinicChat"
    assert DESKTOP.stem == "clinichat"
    assert 'setDesktopFileName("clinichat")' in (REPO / "clinichat" / "app.py").read_text()
    assert entry["Terminal"] == "false"


def test_metainfo_parses_and_matches() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.tag == "component" and root.get("type") == "desktop-application"
    assert root.findtext("id") == build.APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") == build.EXE_LINUX
    assert root.findtext("project_license") == "Apache-2.0"
    versions = [release.get("version") for release in root.iter("release")]
    assert versions and versions[0] == __version__, "the newest release is this version"


def test_metainfo_validates() -> None:
    done = subprocess.run(
        [tool("appstreamcli"), "validate", "--no-net", str(METAINFO)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Errors and warnings fail; infos (e.g. AppStream 0.16 not knowing <developer>, which
    # 1.0 requires) and pedantic notes may stay.
    assert not re.search(r"^[EW]: ", done.stdout, re.M), done.stdout


# -- shell scripts -------------------------------------------------------------------------
@pytest.mark.parametrize("script", [INSTALL_SH, MAKE_DMG], ids=lambda p: p.name)
def test_shell_scripts_are_posix_and_clean(script: Path) -> None:
    assert script.read_text().startswith("#!/bin/sh\n")
    assert script.stat().st_mode & stat.S_IXUSR, f"{script.name} must be executable"
    done = subprocess.run(
        [tool("shellcheck"), "--shell=sh", str(script)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def fake_release(folder: Path) -> Path:
    """The tarball's layout (see build.make_tarball) around a stand-in program."""
    bundle = folder / build.BUNDLE_DIR
    (bundle / "_internal").mkdir(parents=True)
    program = bundle / build.EXE_LINUX
    program.write_text(f"#!/bin/sh\necho 'ClinicChat {__version__}'\n")
    program.chmod(0o755)
    shutil.copy2(INSTALL_SH, folder / "install.sh")
    shutil.copy2(DESKTOP, folder / DESKTOP.name)
    shutil.copy2(METAINFO, folder / METAINFO.name)
    for size in build.ICON_SIZES:
        target = folder / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "clinichat.png"
        target.parent.mkdir(parents=True)
        shutil.copy2(build.png_path(size), target)
    scalable = folder / "icons" / "hicolor" / "scalable" / "apps" / "clinichat.svg"
    scalable.parent.mkdir(parents=True)
    shutil.copy2(build.SVG_ICON, scalable)
    return folder


def run_install(release: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XDG_")}
    env.update(HOME=str(home), PATH="/usr/bin:/bin")
    return subprocess.run(
        ["sh", str(release / "install.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_install_sh_installs_and_uninstalls_per_user(tmp_path: Path) -> None:
    release = fake_release(tmp_path / "release")
    home = tmp_path / "home of dr $x"  # spaces and a dollar sign: quoting must hold
    home.mkdir()
    done = run_install(release, home)
    assert done.returncode == 0, done.stderr

    opt = home / ".local" / "opt" / "clinichat"
    share = home / ".local" / "share"
    program = opt / build.EXE_LINUX
    assert subprocess.run([str(program)], capture_output=True, text=True).stdout.strip() == (
        f"ClinicChat {__version__}"
    )
    link = home / ".local" / "bin" / "clinichat"
    assert link.is_symlink() and link.resolve() == program.resolve()
    desktop = share / "applications" / "clinichat.desktop"
    entry = desktop_entry(desktop)
    exec_arg = str(program).replace("$", "\\$")
    assert entry["Exec"] == f'"{exec_arg}"'
    assert entry["TryExec"] == str(program)
    for size in build.ICON_SIZES:
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "clinichat.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "clinichat.svg").is_file()
    assert (share / "metainfo" / METAINFO.name).is_file()
    if shutil.which("desktop-file-validate") or os.environ.get("CI"):
        checked = subprocess.run(
            [tool("desktop-file-validate"), str(desktop)], capture_output=True, text=True
        )
        assert checked.returncode == 0, checked.stdout

    # An update replaces the program in place.
    (release / build.BUNDLE_DIR / "new-file").write_text("2")
    assert run_install(release, home).returncode == 0
    assert (opt / "new-file").is_file()
    assert not list(opt.parent.glob("clinichat.*")), "no staging folder left behind"

    # The user's encrypted history is never the installer's to delete.
    history = share / "ClinicChat" / "history.db"
    history.parent.mkdir(parents=True)
    history.write_bytes(b"encrypted")
    done = run_install(release, home, "--uninstall")
    assert done.returncode == 0, done.stderr
    assert not opt.exists() and not link.exists() and not desktop.exists()
    assert not list((share / "icons").rglob("clinichat.*"))
    assert not (share / "metainfo" / METAINFO.name).exists()
    assert history.read_bytes() == b"encrypted"


def test_install_sh_refuses_an_incomplete_release(tmp_path: Path) -> None:
    release = tmp_path / "release"
    release.mkdir()
    shutil.copy2(INSTALL_SH, release / "install.sh")
    home = tmp_path / "home"
    home.mkdir()
    done = run_install(release, home)
    assert done.returncode != 0
    assert "unpack the whole tarball" in done.stderr
    assert not (home / ".local" / "opt").exists()


# -- Inno Setup ------------------------------------------------------------------------------
def iss_defines(text: str) -> dict[str, str]:
    """The script's #define values, with `A + "text"` concatenations evaluated."""
    defines: dict[str, str] = {}
    for name, expression in re.findall(r"^\s*#define\s+(\w+)\s+(.+?)\s*$", text, re.M):
        value = ""
        for part in (p.strip() for p in expression.split("+")):
            value += part[1:-1] if part.startswith('"') else defines[part]
        defines.setdefault(name, value)
    return defines


def iss_section(text: str, name: str) -> list[dict[str, str]]:
    """The entries of one [Section] as {parameter: value} dicts (Inno's `Key: "value"; …`)."""
    body = re.search(rf"^\[{name}\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    assert body is not None, f"no [{name}] section"
    entries = []
    for line in body.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith(";"):
            continue
        params = re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]+)', line)
        entries.append({key: value.strip().strip('"') for key, value in params})
    return entries


def expand(value: str, defines: dict[str, str]) -> str:
    return re.sub(r"\{#(\w+)\}", lambda m: defines[m.group(1)], value)


def iss_bundle_sources() -> list[PureWindowsPath]:
    """Each [Files] Source, relative to the dist folder (the spec's output folder)."""
    text = ISS.read_text(encoding="utf-8")
    defines = iss_defines(text)
    dist = PureWindowsPath(defines["DistDir"])
    sources = []
    for entry in iss_section(text, "Files"):
        source = PureWindowsPath(expand(entry["Source"], defines))
        assert source.parts[: len(dist.parts)] == dist.parts, f"{source} is not in the dist folder"
        sources.append(PureWindowsPath(*source.parts[len(dist.parts) :]))
    return sources


def test_inno_setup_packs_the_spec_outputs() -> None:
    text = ISS.read_text(encoding="utf-8")
    defines = iss_defines(text)
    # The dist folder, relative to the script: the repository's dist/, where build.py puts it.
    assert (ISS.parent / Path(*PureWindowsPath(defines["DistDir"]).parts)).resolve() == (
        REPO / "dist"
    )
    windows_exe = f"{build.exe_name('Windows')}.exe"
    assert defines["AppExe"] == windows_exe
    assert defines["AppVersion"] == __version__, "keep the installer's version in step"
    declared = {
        PureWindowsPath(build.BUNDLE_DIR, windows_exe),
        PureWindowsPath(build.BUNDLE_DIR, f"{build.EXE_WINDOWS_CONSOLE}.exe"),
        PureWindowsPath(build.BUNDLE_DIR, "_internal", "*"),
    }
    assert set(iss_bundle_sources()) == declared
    for entry in iss_section(text, "Icons"):
        assert expand(entry["Filename"], defines) == f"{{app}}\\{windows_exe}"


def test_inno_setup_is_per_user_with_an_icon() -> None:
    text = ISS.read_text(encoding="utf-8")
    setup = dict(
        line.split("=", 1) for line in text.split("[Setup]")[1].split("\n[")[0].splitlines()
        if "=" in line and not line.startswith(";")
    )  # fmt: skip
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["DefaultDirName"].startswith("{userpf}\\")
    icon = ISS.parent / Path(*PureWindowsPath(setup["SetupIconFile"]).parts)
    assert icon.resolve() == ICONS / "clinichat.ico"
    assert any(entry["Name"].startswith("{autoprograms}") for entry in iss_section(text, "Icons"))


# -- icons -----------------------------------------------------------------------------------
def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_svg_icon_is_plain_svg() -> None:
    root = ET.parse(build.SVG_ICON).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("viewBox") == "0 0 256 256"
    text = build.SVG_ICON.read_text()
    assert "<text" not in text and "href" not in text, "no fonts or external references"


def test_png_icons_at_every_size() -> None:
    for size in build.ICON_SIZES:
        assert png_size(build.png_path(size).read_bytes()) == (size, size)


def test_ico_holds_every_windows_size() -> None:
    data = (ICONS / "clinichat.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", data[:6])
    assert (reserved, kind, count) == (0, 1, len(build.ICO_SIZES))
    sizes = []
    for index in range(count):
        width, height, *_rest, length, offset = struct.unpack(
            "<BBBBHHII", data[6 + 16 * index : 22 + 16 * index]
        )
        assert png_size(data[offset : offset + length]) == (width or 256, height or 256)
        sizes.append(width or 256)
    assert tuple(sizes) == build.ICO_SIZES


def test_icns_elements_are_pngs_of_their_size() -> None:
    data = (ICONS / "clinichat.icns").read_bytes()
    assert data[:4] == b"icns" and struct.unpack(">I", data[4:8])[0] == len(data)
    found, position = {}, 8
    while position < len(data):
        kind = data[position : position + 4]
        (length,) = struct.unpack(">I", data[position + 4 : position + 8])
        found[kind] = png_size(data[position + 8 : position + length])[0]
        position += length
    assert found == {kind: size for kind, size in build.ICNS_TYPES}
