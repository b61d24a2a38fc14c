"""The `clinichat` command run as a user would: a subprocess of this environment's Python."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def clinichat(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run `python -m clinichat ARGS` offscreen (or with `env` added); output captured."""
    return subprocess.run(
        [sys.executable, "-m", "clinichat", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
    )
