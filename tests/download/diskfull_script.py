"""Download one file with a file-size limit, so writing fails the way a full disk does.

Run by test_disk_full.py as ``python diskfull_script.py URL MODELS_DIR NAME SIZE MD5 LIMIT``.
RLIMIT_FSIZE makes the kernel refuse writes past LIMIT bytes (EFBIG, once SIGXFSZ is
ignored): a real write error from a real write(), in a process of its own so the limit
touches nothing else. Prints one JSON line: final state, message, bytes the checksum state
covers, and the .part file's size.
"""

from __future__ import annotations

import json
import resource
import signal
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtNetwork import QNetworkAccessManager

from clinichat.models.download import Download
from clinichat.models.download_spec import DownloadSpec


def main(url: str, models_dir: str, name: str, size: str, md5: str, limit: str) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    _soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), hard))
    app = QCoreApplication([])
    manager = QNetworkAccessManager()
    spec = DownloadSpec(url=url, filename=name, size=int(size), md5=md5)
    download = Download(spec, Path(models_dir), manager, disk_margin_bytes=0)
    download.finished.connect(lambda _path: app.quit())
    download.failed.connect(lambda _error: app.quit())
    download.start()
    app.exec()
    part = download.part_path
    result = {
        "state": download.state.value,
        "message": str(download.error),
        "received": download.received,
        "part_size": part.stat().st_size if part.exists() else None,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:])
