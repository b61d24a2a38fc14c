"""Which engine runs a model, and why the other cannot, in the clinician's language.

One sentence for the model manager (and the import confirmation): the engine, the reason it
was chosen, and the other engine's refusal when there is one, so "why does this model not
run on GPT4All?" is answered where the model is listed.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from clinichat.llm.engines.base import ENGINE_LABELS
from clinichat.llm.engines.choice import EngineChoice
from clinichat.translate import translate


def engine_line(choice: EngineChoice) -> str:
    """E.g. "Engine: llama.cpp (uses the model's own chat format). GPT4All cannot run it:
    This model uses the 'gemma3' architecture, …"."""
    if choice.engine is None:
        problem = choice.problem()
        return problem.render(translate) if problem is not None else ""
    text = (
        QCoreApplication.translate("EngineText", "Engine: %1 (%2).")
        .replace("%1", ENGINE_LABELS[choice.engine])
        .replace("%2", translate("Engine", choice.why))
    )
    for name, problem in choice.problems.items():
        if name != choice.engine:
            refusal = QCoreApplication.translate("EngineText", "%1 cannot run it: %2")
            text += " " + refusal.replace("%1", ENGINE_LABELS[name]).replace(
                "%2", problem.render(translate)
            )
    return text
