"""Keep this process's memory, which holds patient text, from being copied out of it.

Two ways it could leave: a core dump written to disk when the process crashes (llama.cpp
aborts on some bad model files), and a debugger attaching to print a backtrace (ggml runs
`gdb --batch -ex bt` on an assertion, and `bt` prints string arguments, prompt text
included). No core files (RLIMIT_CORE 0) closes the first; on Linux, marking the process
non-dumpable (PR_SET_DUMPABLE 0) also stops other processes of the same user from attaching
with ptrace, and suppresses core dumps that a system handler would collect. faulthandler's
crash log (frames only, never text) is unaffected.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import sys

PR_GET_DUMPABLE = 3
PR_SET_DUMPABLE = 4


def protect_memory() -> None:
    """No core dumps; on Linux, no ptrace attach by the user's other processes."""
    if sys.platform == "win32":
        return  # Windows writes no core files; crash dumps need WER settings by IT.
    import resource

    with contextlib.suppress(OSError, ValueError):  # not allowed to lower it: leave it
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def is_dumpable() -> bool:
    """Whether this process may still be dumped or attached to (Linux; True elsewhere)."""
    if not sys.platform.startswith("linux"):
        return True
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    return bool(libc.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))
