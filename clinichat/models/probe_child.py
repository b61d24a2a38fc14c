"""The child side of the model probe (see probe.py): load one file, report by exit status.

Started as `<app> --probe-model FILE [ENGINE]`. It loads the file exactly as the app would
(`load_engine` on that engine, gpt4all when none is named; processor, one thread) with a
small context, since the context is what costs memory and the probe only asks whether the
loader survives the file. Exit 0: loaded; `EXIT_REJECTED`: the engine refused it cleanly;
killed by a signal: the loader aborted. Nothing here reads or writes settings, history or
logs.
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
    """Load `argv[0]` once on engine `argv[1]`; the exit status is the answer."""
    if len(argv) not in (1, 2):
        print("usage: clinichat --probe-model FILE [ENGINE]", file=sys.stderr)
        return 2
    # Imported here so that a usage error costs nothing, and the parent's module stays light.
    from clinichat.llm.engines import load_engine
    from clinichat.llm.engines.base import EMBEDDING, GPT4ALL, ModelLoadError, ModelSpec
    from clinichat.llm.engines.llamacpp_embedding import LlamaCppEmbedder

    engine_name = argv[1] if len(argv) == 2 else GPT4ALL
    try:
        if engine_name == EMBEDDING:
            # The registry only names this engine for files it knows are embedding models.
            LlamaCppEmbedder.load(Path(argv[0]), threads=1, declared=True).close()
            return 0
        spec = ModelSpec(Path(argv[0]), "%1", n_ctx=PROBE_CONTEXT, engine=engine_name)
        engine = load_engine(spec, threads=1)
    except ModelLoadError:
        return EXIT_REJECTED
    engine.close()
    return 0
