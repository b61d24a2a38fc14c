"""The engines that run models, behind one interface (`base.Engine`).

`load_engine` imports an engine's module only when a model needs it: importing gpt4all scans
its backend libraries, and a computer that only runs current models need not pay for that.
"""

from __future__ import annotations

from clinichat.llm.engines.base import GPT4ALL, LLAMACPP, Engine, ModelLoadError, ModelSpec
from clinichat.messages import QT_TRANSLATE_NOOP

ENGINES = (GPT4ALL, LLAMACPP)


def engine_class(name: str) -> type[Engine]:
    if name == GPT4ALL:
        from clinichat.llm.engines.gpt4all import Gpt4AllEngine

        return Gpt4AllEngine
    if name == LLAMACPP:
        from clinichat.llm.engines.llamacpp import LlamaCppEngine

        return LlamaCppEngine
    raise ModelLoadError(
        QT_TRANSLATE_NOOP("Errors", "ClinicChat has no engine named '{engine}'."), engine=name
    )


def load_engine(spec: ModelSpec, threads: int) -> Engine:
    """Load `spec` on the engine it names; raises `ModelLoadError` saying why not."""
    return engine_class(spec.engine).load(spec, threads)


def list_gpus() -> list[str]:
    """Graphics devices any engine can use, as 'backend:name' ('llamacpp:…' for llama.cpp)."""
    from clinichat.llm.engines import gpt4all, llamacpp

    return gpt4all.list_gpus() + llamacpp.list_gpus()
