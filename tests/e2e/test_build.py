"""The frozen Linux build: installers/build.py makes the bundle and the tarball, and the
frozen app passes its own smoke test with the real starter model.

The build goes into this test's temporary folders (--dist, --work), never the repository's
dist/ and build/. On top of build.py's own smoke test (offscreen), the bundle then:

- opens a real X window (Xvfb, Qt's xcb platform): the Qt plugins and xcb libraries it
  carries work;
- is installed from the tarball by install.sh for a fresh user, and the installed program
  runs;
- holds the files the Inno Setup script packs (the parts that are the same on Windows).

PyInstaller comes with the `test` extra (and the `build` extra). Elsewhere the test is
skipped only when PyInstaller or Xvfb is missing, never under CI.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

import pytest
from document_files import ASTHMA_SECTIONS, PROTOCOL_PAGES, write_docx, write_pdf
from PySide6.QtWidgets import QApplication
from xvfb import xvfb_display

from clinichat import __version__
from clinichat.history.vault import Vault

PASSPHRASE = "tranquil-harbour-lantern-93"
REPO = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = REPO / "installers" / "build.py"
SUMMARY = re.compile(r"^self-test ok: (\S+=\S+)( \S+=\S+)*$", re.M)

missing = [
    name
    for name, found in (
        ("PyInstaller", importlib.util.find_spec("PyInstaller") is not None),
        ("Xvfb", shutil.which("Xvfb") is not None),
    )
    if not found
]
if missing and not os.environ.get("CI"):
    pytest.skip(f"needs {', '.join(missing)} (the test extra; .ci/run)", allow_module_level=True)

pytestmark = pytest.mark.slow


def load_module(name: str, path: Path) -> object:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = load_module("clinichat_build", BUILD_SCRIPT)
installers_test = load_module("test_installers_layout", REPO / "tests/unit/test_installers.py")


@dataclass(frozen=True)
class Built:
    dist: Path
    output: str
    seconds: float


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, starter_model: Path) -> Iterator[Built]:
    """The build, removed after this module's tests: the bundles take ~800 MB of disk."""
    assert not missing, f"CI must provide {missing}"
    dist = tmp_path_factory.mktemp("dist")
    work = tmp_path_factory.mktemp("work")
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable, str(BUILD_SCRIPT), "--dist", str(dist), "--work", str(work),
            "--model", str(starter_model),
        ],
        cwd=REPO, capture_output=True, text=True, timeout=1800,
    )  # fmt: skip
    seconds = time.monotonic() - started
    assert done.returncode == 0, f"build.py failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    print(f"build + smoke test: {seconds:.0f} s")
    yield Built(dist, done.stdout, seconds)
    shutil.rmtree(dist, ignore_errors=True)
    shutil.rmtree(work, ignore_errors=True)


def test_build_passes_its_smoke_test(built: Built, starter_model: Path) -> None:
    summaries = SUMMARY.findall(built.output)
    assert len(summaries) == 3, built.output
    model_lines = [line for line in built.output.splitlines() if "model=" in line]
    engines = [re.search(r"engine=(\S+)", line) for line in model_lines]
    assert [m.group(1) for m in engines if m] == ["gpt4all-2.8.2", "llamacpp-2026.10.11549"]
    for model_line in model_lines:
        assert f"model={starter_model.name}" in model_line
        assert "history=ok" in model_line and "frozen=yes" in model_line
        assert "gpt4all=2.8.2" in model_line and "xllamacpp=2026.10.11549" in model_line
        assert "speech=ok" in model_line, "FFmpeg and the voice detector are in the bundle"
        assert "portaudio=19." in model_line, "the bundle finds PortAudio for dictation"
    assert "window_shown_s=" in built.output
    size = re.search(r"\((\d+) MB on disk\)", built.output)
    # Under 400 MB before speech; speech recognition adds CTranslate2 (77 MB), ONNX Runtime for
    # the voice detector (68 MB) and FFmpeg's decoders in PyAV (about 70 MB).
    assert size is not None and int(size.group(1)) < 600, "the bundle stays lean"


def test_bundle_carries_no_excluded_qt_parts(built: Built) -> None:
    bundle = built.dist / build.BUNDLE_DIR
    names = {path.name for path in bundle.rglob("*")}
    assert not [n for n in names if build.FORBIDDEN_QT_LIBS.search(n)]
    assert "libqgtk3.so" not in names and "libqeglfs.so" not in names
    assert not [n for n in names if "mainline-cuda" in n], "CUDA backends only with --with-cuda"
    internal = bundle / "_internal"
    assert (internal / "resources" / "catalog.json").is_file()
    assert list((internal / "resources" / "translations").glob("*.qm"))
    backends = internal / "gpt4all" / "llmodel_DO_NOT_MODIFY" / "build"
    assert (backends / "libllmodel.so").is_file()


@pytest.fixture
def display() -> Iterator[str]:
    with xvfb_display() as name:
        yield name


def test_frozen_app_opens_a_real_x_window(built: Built, display: str) -> None:
    program = build.smoke_executable(built.dist)
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    done = subprocess.run(
        [str(program), "--temp-basedir", "--self-test", "--window"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "platform=xcb" in done.stdout and "frozen=yes" in done.stdout
    assert build.unexpected_stderr(done.stderr, build.BENIGN_STDERR) == []


def test_tarball_installs_for_a_user_and_runs(built: Built, tmp_path: Path) -> None:
    tarball = built.dist / build.tarball_name(__version__)
    unpacked = tmp_path / "unpacked"
    with tarfile.open(tarball) as tar:
        tar.extractall(unpacked, filter="tar")
    [release] = unpacked.iterdir()
    assert release.name == tarball.name.removesuffix(".tar.gz")
    home = tmp_path / "home"
    home.mkdir()
    done = installers_test.run_install(release, home)  # type: ignore[attr-defined]
    assert done.returncode == 0, done.stderr
    program = home / ".local" / "bin" / "clinichat"
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == f"ClinicChat {__version__}"
    applications = home / ".local" / "share" / "applications"
    assert (applications / "clinichat.desktop").is_file()
    done = installers_test.run_install(release, home, "--uninstall")  # type: ignore[attr-defined]
    assert done.returncode == 0 and not program.exists()


def test_inno_setup_sources_exist_in_the_bundle(built: Built) -> None:
    """The platform-independent part of the Windows layout, checked on the real bundle:
    the bundle folder and its _internal tree (the .exe names are checked against the spec's
    names in tests/unit/test_installers.py)."""
    sources = installers_test.iss_bundle_sources()  # type: ignore[attr-defined]
    for source in sources:
        if source.suffix == ".exe":
            assert source.parent == PureWindowsPath(build.BUNDLE_DIR)
            continue
        parts = [part for part in source.parts if part != "*"]
        assert (built.dist.joinpath(*parts)).is_dir(), source


def test_frozen_app_reads_pdf_and_word_documents(
    built: Built, tmp_path: Path, qapp: QApplication
) -> None:
    """The bundle carries PDFium and python-docx: the frozen `docs` command indexes a real
    PDF and DOCX into a passphrase-protected history and finds them by page and heading."""
    base = tmp_path / "base"
    (base / "data").mkdir(parents=True)
    Vault(base / "data").create(PASSPHRASE).close()
    secret = tmp_path / "passphrase.txt"
    secret.write_text(PASSPHRASE, encoding="utf-8")
    secret.chmod(0o600)
    folder = tmp_path / "docs"
    folder.mkdir()
    write_pdf(folder / "profilaxis.pdf", PROTOCOL_PAGES)
    write_docx(folder / "asthma.docx", ASTHMA_SECTIONS)
    program = build.smoke_executable(built.dist)
    docs = [str(program), "--basedir", str(base), "docs", "--passphrase-file", str(secret)]
    added = subprocess.run([*docs, "add", str(folder)], capture_output=True, text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    found = subprocess.run(
        [*docs, "search", "cefazolina colecistectomía", "--json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    [best, *_] = json.loads(found.stdout)
    assert (best["document"], best["page"]) == ("profilaxis.pdf", 2)
    word = subprocess.run(
        [*docs, "search", "magnesium", "--limit", "1"], capture_output=True, text=True, timeout=120
    )
    assert word.stdout.startswith("[1] asthma.docx, Severe attack")
