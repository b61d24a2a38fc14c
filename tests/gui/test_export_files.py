"""Exported conversations: owner-only files, written whole or not at all, failures reported.

An export is the one place chat text leaves the vault unencrypted, so the file must not be
readable by the computer's other accounts, and an export that did not happen must say so.
"""

from __future__ import annotations

import errno
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from clinichat.history.export import write_markdown, write_pdf

MARKDOWN = (
    "# Visit\n\n**You:**\n\n> Dose of amoxicillin for a 20 kg child?\n\n**Model:** 40 mg/kg\n"
)
Writer = Callable[[Path, str], None]
WRITERS = [pytest.param(write_markdown, id="markdown"), pytest.param(write_pdf, id="pdf")]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("write", WRITERS)
def test_export_is_owner_only_even_over_an_older_file(
    qapp: QApplication, tmp_path: Path, write: Writer
) -> None:
    target = tmp_path / "visit.out"
    previous = os.umask(0o022)  # the usual umask: a plainly created file would be 0644
    try:
        target.write_text("an older export")
        target.chmod(0o644)
        write(target, MARKDOWN)
    finally:
        os.umask(previous)
    assert mode(target) == 0o600
    assert os.listdir(tmp_path) == ["visit.out"], "no temp file left behind"
    content = target.read_bytes()
    assert content.startswith(b"%PDF") if write is write_pdf else b"amoxicillin" in content


@pytest.mark.parametrize("write", WRITERS)
def test_missing_folder_raises(qapp: QApplication, tmp_path: Path, write: Writer) -> None:
    with pytest.raises(OSError):
        write(tmp_path / "no such folder" / "visit.out", MARKDOWN)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("write", WRITERS)
def test_unwritable_folder_raises(qapp: QApplication, tmp_path: Path, write: Writer) -> None:
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        if getattr(os, "geteuid", lambda: -1)() == 0:
            # root writes through file modes; sysfs takes no new files from anyone.
            if not sys.platform.startswith("linux"):
                pytest.skip(
                    "root ignores the folder's mode and only Linux has sysfs to stand in; the"
                    " missing-folder test above covers the same failure path"
                )
            folder = Path("/sys")
        with pytest.raises(OSError):
            write(folder / "visit.out", MARKDOWN)
        assert not (folder / "visit.out").exists()
    finally:
        (tmp_path / "read-only").chmod(0o700)


@pytest.mark.parametrize("write", WRITERS)
def test_a_path_through_a_file_raises(qapp: QApplication, tmp_path: Path, write: Writer) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(OSError):
        write(tmp_path / "file" / "visit.out", MARKDOWN)


FULL_DISK = textwrap.dedent(
    """
    import os, resource, signal, sys
    from pathlib import Path
    from PySide6.QtGui import QGuiApplication
    from clinichat.history.export import write_markdown, write_pdf
    app = QGuiApplication([])
    folder, which = Path(sys.argv[1]), sys.argv[2]
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (200, resource.RLIM_INFINITY))
    write = write_pdf if which == "pdf" else write_markdown
    try:
        write(folder / "visit.out", "# Visit\\n\\n" + "long answer " * 500)
    except OSError as error:
        print("OSError", error.errno)
    else:
        print("no error")
    """
)


@pytest.mark.skipif(
    sys.platform == "win32",
    reason="the full disk is simulated with RLIMIT_FSIZE, which Windows lacks; the"
    " unwritable and missing folder tests cover the same failure path there",
)
@pytest.mark.parametrize("which", ["markdown", "pdf"])
def test_a_full_disk_raises_and_leaves_nothing(tmp_path: Path, which: str) -> None:
    """A file-size limit fails the write half-way, as a full disk does (EFBIG for ENOSPC)."""
    child = subprocess.run(
        [sys.executable, "-c", FULL_DISK, str(tmp_path), which],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert child.returncode == 0, child.stderr
    assert child.stdout.split() == ["OSError", str(errno.EFBIG)], child.stdout + child.stderr
    assert os.listdir(tmp_path) == [], "neither the file nor its temp file is left"
