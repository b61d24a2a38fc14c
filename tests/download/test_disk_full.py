"""A write that fails half-way (as on a full disk) stops the download cleanly and resumably."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from dlsupport import MB, Served, run_to_end
from httpserver import FileServer
from pytestqt.qtbot import QtBot

from clinichat.models.download import READ_BUFFER_BYTES, Download
from clinichat.models.download_spec import DownloadState

SCRIPT = Path(__file__).with_name("diskfull_script.py")


def test_write_failure_keeps_a_consistent_part_that_resumes(
    qtbot: QtBot,
    serve: Callable[..., Served],
    server: FileServer,
    make_download: Callable[..., Download],
    models_dir: Path,
) -> None:
    served = serve(size=8 * MB)
    # Past the first read (at most about READ_BUFFER_BYTES), and on no chunk boundary, so
    # some bytes are kept and the failing write is a partial one.
    limit = 2 * READ_BUFFER_BYTES + 500_001
    args = [served.url, str(models_dir), served.name, str(len(served.data)), served.md5]
    child = subprocess.run(
        [sys.executable, str(SCRIPT), *args, str(limit)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert child.returncode == 0, child.stderr
    result = json.loads(child.stdout.strip().splitlines()[-1])
    assert result["state"] == "failed"
    assert "could not write the model file" in result["message"]
    assert "File too large" in result["message"]  # EFBIG, in the system's words
    assert "are kept" in result["message"]
    part = models_dir / (served.name + ".part")
    # Cut back to the last complete chunk: the file ends exactly where the checksum does.
    assert 0 < result["received"] < limit
    assert result["part_size"] == result["received"] == part.stat().st_size
    assert part.read_bytes() == served.data[: result["received"]]
    assert not (models_dir / served.name).exists()

    # With room again, a new Download (as after a restart) finishes from there.
    download = make_download(served.spec())
    assert run_to_end(qtbot, download) == DownloadState.FINISHED
    assert (models_dir / served.name).read_bytes() == served.data
    assert server.requests_for(served.name)[-1].range == f"bytes={result['received']}-"
