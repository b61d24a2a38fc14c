"""The child side of the model probe (see probe.py): load one file, report by exit status.

Started as `<app> --probe-model FILE`. It loads the file exactly as the app would
(`Engine.load`, processor, one thread) with a small context, since the context is what
costs memory and the probe only asks whether the loader survives the file. Exit 0: loaded;
`EXIT_REJECTED`: the engine refused it cleanly; killed by a signal: the loader aborted.
Nothing here reads or writes settings, history or logs.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from clinichat.models.probe import EXIT_REJECTED

# Small enough to cost a few MB even for large models; llama.cpp's own minimum is far below.
PROBE_CONTEXT: Final = 256


def main(argv: Sequence[str]) -> int:
    """Load `argv[0]` once; the exit status is the answer."""
    if len(argv) != 1:
        print("usage: clinichat --probe-model FILE", file=sys.stderr)
        return 2
    # Imported here so that a usage error costs nothing, and the parent's module stays light.
    from clinichat.llm.engine import Engine, ModelLoadError, ModelSpec

    try:
        engine = Engine.load(ModelSpec(Path(argv[0]), "%1", n_ctx=PROBE_CONTEXT), threads=1)
    except ModelLoadError:
        return EXIT_REJECTED
    engine.close()
    return 0
