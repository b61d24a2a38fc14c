"""Load a model file once in a child process before ClinicChat offers it.

A GGUF file can pass every header check (`gguf_support.check_loadable`) and still trip an assertion
inside llama.cpp while it loads, e.g. a vocabulary with a duplicated token: GGML_ASSERT then
calls abort() and the whole process dies, window, unsaved settings and all. If such a file
were installed and chosen, every start of the app would die the same way. So an imported or
downloaded file is loaded first in a throwaway child process, with the same engine code the
app uses (`clinichat.llm.engines.load_engine`, on the processor, with a small context), and
only a child that exits 0 in time lets the file in.

The child is the app itself (`<app> --probe-model FILE`, handled in `clinichat.app` before
anything else starts), because a frozen build has no `python -m`: there `sys.executable` is
the ClinicChat binary. The child's output is never shown: llama.cpp prints the file's
metadata (hostile input) and, on an assertion, a debugger backtrace. Only its exit status
counts, plus, for the log, the GGML_ASSERT line, which quotes llama.cpp's source, not the
file. There is no chat text in the child at all: it loads and exits.

Qt-free, like the rest of the model code, so the command line and tests use it as is.
"""

from __future__ import annotations

import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.gguf import GGUFError

__all__ = [
    "EXIT_REJECTED",
    "PROBE_FLAG",
    "ModelProbeError",
    "probe_command",
    "probe_load",
    "probe_timeout",
]

log = logging.getLogger(__name__)

#: The hidden first argument that turns the app into a probe child (see clinichat.app).
PROBE_FLAG: Final = "--probe-model"
#: The child's exit status when the engine refused the file cleanly (ModelLoadError).
#: Not 1 (any Python error), not 3 (abort() on Windows), not 2 (argparse).
EXIT_REJECTED: Final = 17

# Loading maps the file and builds the vocabulary: seconds for a small model, about a minute
# for an 8 GB file read from a slow disk the first time. A child that takes longer than this
# is hung (a loop in the loader), not slow.
_BASE_TIMEOUT_S: Final = 60.0
_TIMEOUT_PER_GB_S: Final = 30.0
# Only the end of the child's output is searched for the assertion line.
_TAIL_BYTES: Final = 64 * 1024
_ASSERT_LINE: Final = re.compile(rb"GGML_ASSERT[^\n]{0,200}")

_STOPPED = QT_TRANSLATE_NOOP(
    "Errors",
    "The model file {name} could not be loaded: the engine stopped while reading it (it may"
    " be damaged or made for a newer version). It was not installed.",
)
_REJECTED = QT_TRANSLATE_NOOP(
    "Errors",
    "The model file {name} could not be loaded: the engine rejected it (it may be damaged or"
    " made for a newer version). It was not installed.",
)
_TIMED_OUT = QT_TRANSLATE_NOOP(
    "Errors",
    "The model file {name} could not be loaded: the engine did not finish reading it within"
    " {seconds} seconds. It was not installed.",
)
_NOT_STARTED = QT_TRANSLATE_NOOP(
    "Errors",
    "The model file {name} could not be checked: ClinicChat could not start its test load"
    " ({reason}). It was not installed.",
)


class ModelProbeError(GGUFError):
    """The test load in a child process failed: the file must not be offered.

    A GGUFError, so every caller that already refuses unusable files refuses these too.
    """


def probe_command(path: Path, engine: str = "gpt4all") -> list[str]:
    """The command line that starts a probe child for `path` on `engine`, frozen or not."""
    if getattr(sys, "frozen", False):
        return [sys.executable, PROBE_FLAG, str(path), engine]
    return [sys.executable, "-m", "clinichat", PROBE_FLAG, str(path), engine]


def probe_timeout(size: int) -> float:
    """Seconds a file of `size` bytes may take to load before the child counts as hung."""
    return _BASE_TIMEOUT_S + _TIMEOUT_PER_GB_S * size / 1e9


def _describe_exit(code: int) -> str:
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


def _assertion(output: bytes) -> str | None:
    """The GGML_ASSERT line (llama.cpp's source file, line and condition), if any."""
    match = _ASSERT_LINE.search(output)
    return match.group().decode("ascii", "replace") if match else None


def probe_load(
    path: Path,
    name: str | None = None,
    engine: str = "gpt4all",
    *,
    timeout: float | None = None,
    command: Sequence[str] | None = None,
) -> float:
    """Load `path` in a child process; return the seconds it took, or raise ModelProbeError.

    `name` is the file name the user knows (the probe may run on a temporary copy), `engine`
    the engine that will run it (each has its own loader); `command`
    replaces the child's command line (tests). A child that dies from a signal, exits with
    any status but 0, or outlives `timeout` (it is then killed) means the file is refused.
    """
    path = Path(path)
    name = name or path.name
    if timeout is None:
        try:
            timeout = probe_timeout(path.stat().st_size)
        except OSError:
            timeout = _BASE_TIMEOUT_S
    argv = list(command) if command is not None else probe_command(path, engine)
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # Windows: no console flashing up
    started = time.monotonic()
    with tempfile.TemporaryFile() as output:
        try:
            child = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=output,
                creationflags=flags,
            )
        except OSError as error:
            log.warning("model probe of %s could not start: %s", name, type(error).__name__)
            raise ModelProbeError(
                _NOT_STARTED, name=name, reason=error.strerror or error
            ) from error
        try:
            code = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            log.info("model probe of %s: no result after %.0f s, stopped", name, timeout)
            raise ModelProbeError(_TIMED_OUT, name=name, seconds=f"{timeout:.0f}") from None
        except BaseException:  # Ctrl+C in the command line: never leave the child behind
            child.kill()
            child.wait()
            raise
        elapsed = time.monotonic() - started
        if code == 0:
            log.info("model probe of %s: loaded in %.1f s", name, elapsed)
            return elapsed
        output.seek(max(0, output.seek(0, os.SEEK_END) - _TAIL_BYTES))
        assertion = _assertion(output.read())
    # INFO: the user gets the error itself; the log file keeps the detail for IT support.
    log.info(
        "model probe of %s failed: %s after %.1f s%s",
        name,
        _describe_exit(code),
        elapsed,
        f" ({assertion})" if assertion else "",
    )
    raise ModelProbeError(_REJECTED if code == EXIT_REJECTED else _STOPPED, name=name)
