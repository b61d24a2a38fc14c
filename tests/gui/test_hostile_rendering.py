"""Rendering, copying and exporting a hostile answer opens no file and no socket (item 4).

The answer names images by file URL, absolute and relative path, `data:` URL, a Windows share
(`//host/share`, which would reach the network there) and raw `<img>` HTML. The app's own
rendering code runs in a child process under strace, which records every path the process
asks the kernel about (open, stat, access, readlink…) and every connect: none may name one of
those images, even at a device pixel ratio of 2 (where Qt also probes `name@2x`). The images
exist, so a renderer that tried would find them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("hostile_rendering_script.py")
REPO = Path(__file__).resolve().parents[2]

if shutil.which("strace") is None and not os.environ.get("CI"):
    pytest.skip("needs strace (installed by .ci/run)", allow_module_level=True)


def test_hostile_answer_touches_no_named_file(tmp_path: Path) -> None:
    assert shutil.which("strace"), "CI must install strace"
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d4944415478da63f8cfc0f00f0004850180848a6321000000004945"
        "4e44ae426082"
    )
    for name in ("url", "abs", "rel", "noalt", "html", "htmlrel", "table"):
        (tmp_path / f"HOSTILE_{name}.png").write_bytes(png)
    trace = tmp_path / "trace.txt"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=%file,connect",
            "-o",
            str(trace),
            sys.executable,
            str(SCRIPT),
            str(tmp_path),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = trace.read_text(errors="replace").splitlines()
    assert any("hostile_rendering_script.py" in line for line in lines), "strace saw the run"
    touched = [line for line in lines if "HOSTILE" in line]
    assert touched == [], "\n".join(touched[:10])
    assert not [line for line in lines if "connect(" in line and "AF_INET" in line]
    # Every character of the text is kept in the copy, and images appear as their alt text.
    copied = result.stdout
    assert "Dear <GP name>, I am writing about <patient name>. Take 2 <tabs> daily." in copied
    assert "[image: scan]" in copied and "[image: share]" in copied
    assert '<img src="HOSTILE_htmlrel.png">' in copied, "raw HTML is text, not a tag"
    assert (tmp_path / "export.pdf").read_bytes().startswith(b"%PDF")
