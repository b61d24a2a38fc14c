"""The engines that run models, behind one interface (`base.Engine`).

`load_engine` imports an engine's module only when a model needs it: importing gpt4all scans
its backend libraries, and a computer that only runs current models need not pay for that.
"""

from __future__ import annotations

import importlib
import logging

from clinichat.llm.engines.base import (
    ENGINE_LABELS,
    GPT4ALL,
    LLAMACPP,
    REMOTE,
    Engine,
    ModelLoadError,
    ModelSpec,
)
from clinichat.messages import QT_TRANSLATE_NOOP

ENGINES = (GPT4ALL, LLAMACPP)

_log = logging.getLogger(__name__)


def engine_class(name: str) -> type[Engine]:
    """The engine's class, its backend imported now; `ModelLoadError` if it cannot start.

    A backend can fail to import on a computer that lacks what its build needs (a GPU build
    of xllamacpp without the CUDA or Vulkan runtime): that is a clear message, not a crash.
    """
    try:
        if name == GPT4ALL:
            from clinichat.llm.engines.gpt4all import Gpt4AllEngine

            return Gpt4AllEngine
        if name == LLAMACPP:
            from clinichat.llm.engines.llamacpp import LlamaCppEngine

            return LlamaCppEngine
        if name == REMOTE:
            from clinichat.llm.engines.remote import RemoteEngine

            return RemoteEngine
    except (ImportError, OSError) as error:
        _log.warning("the %s engine could not start: %s", name, error)
        raise ModelLoadError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "The {engine} engine could not start on this computer ({reason}). Reinstall"
                " ClinicChat, or choose the other engine in this model's settings.",
            ),
            engine=ENGINE_LABELS.get(name, name),
            reason=error,
        ) from error
    raise ModelLoadError(
        QT_TRANSLATE_NOOP("Errors", "ClinicChat has no engine named '{engine}'."), engine=name
    )


def load_engine(spec: ModelSpec, threads: int) -> Engine:
    """Load `spec` on the engine it names; raises `ModelLoadError` saying why not."""
    return engine_class(spec.engine).load(spec, threads)


def list_gpus() -> list[str]:
    """Graphics devices the engines can use, as 'backend:name' ('llamacpp:…' for llama.cpp);
    an engine that cannot start lists none."""
    devices: list[str] = []
    for name in ENGINES:
        try:
            engine_class(name)
        except ModelLoadError:
            continue
        module = importlib.import_module(f"clinichat.llm.engines.{name}")
        devices += module.list_gpus()
    return devices


def llama_cpp_inside_xllamacpp() -> str | None:
    """The llama.cpp release inside xllamacpp (for About), or None if it cannot start."""
    try:
        engine_class(LLAMACPP)
    except ModelLoadError:
        return None
    from clinichat.llm.engines.llamacpp import llama_cpp_build

    return llama_cpp_build()
