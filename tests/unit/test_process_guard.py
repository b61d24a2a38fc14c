"""The app's memory (patient text) cannot be dumped to a core file or read by a debugger."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import resource, sys
from clinichat import process_guard
before = process_guard.is_dumpable()
process_guard.protect_memory()
print(before, process_guard.is_dumpable(), resource.getrlimit(resource.RLIMIT_CORE))
"""


@pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="PR_SET_DUMPABLE is a Linux prctl; elsewhere protect_memory only lowers RLIMIT_CORE",
)
def test_protect_memory_makes_the_process_undumpable() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip().split(maxsplit=2) == ["True", "False", "(0, 0)"]


@pytest.mark.skipif(
    not sys.platform.startswith("linux"),
    reason="only Linux has PR_GET_DUMPABLE to read the flag back from the running app",
)
def test_the_app_runs_undumpable() -> None:
    """Every command goes through main(), which protects the process before anything else."""
    script = (
        "import sys\n"
        "from clinichat import app, process_guard\n"
        "app.main(['--temp-basedir', 'models', 'list', '--installed'])\n"
        "print('dumpable', process_guard.is_dumpable())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip().endswith("dumpable False"), done.stdout + done.stderr
