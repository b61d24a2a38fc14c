"""How to talk to an installed model: its prompt template and default system prompt.

GPT4All's catalog carries both for the models it lists, in its `%1`/`%2` template format,
which the backend understands directly. An imported file with no catalog entry gets ChatML
when its own embedded template is ChatML, and otherwise a plain instruction format plus a
notice, since answers may then be poorer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from clinichat.llm.engine import ModelSpec
from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.registry import InstalledModel

DEFAULT_PROMPT_TEMPLATE = "### User:\n%1\n\n### Assistant:\n%2\n\n"
CHATML_PROMPT_TEMPLATE = "<|im_start|>user\n%1<|im_end|>\n<|im_start|>assistant\n%2<|im_end|>\n"
CHATML_SYSTEM_PROMPT = "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
DEFAULT_CONTEXT = 2048


@dataclass(frozen=True)
class ModelProfile:
    name: str
    spec: ModelSpec
    system_prompt: str
    notice: str | None


def profile_for(
    model: InstalledModel,
    *,
    device: str = "cpu",
    context: int = DEFAULT_CONTEXT,
    system_prompt: str | None = None,
    template: str | None = None,
) -> ModelProfile:
    """How to run `model`; `system_prompt` and `template` replace the catalog's when given.

    The context is capped at what the model was trained for: more only produces nonsense.
    """
    profile = _catalog_profile(model)
    spec = profile.spec
    context = min(context, model.info.context_length or context)
    return ModelProfile(
        profile.name,
        ModelSpec(spec.path, template or spec.prompt_template, context, device),
        profile.system_prompt if system_prompt is None else system_prompt,
        None if template else profile.notice,
    )


def catalog_texts(model: InstalledModel) -> dict[str, str]:
    """The catalog's system prompt and template for `model`: what 'reset' goes back to."""
    profile = _catalog_profile(model)
    return {"system_prompt": profile.system_prompt, "prompt_template": profile.spec.prompt_template}


def _catalog_profile(model: InstalledModel) -> ModelProfile:
    entry = model.catalog_entry
    notice = None
    if entry is not None and entry.prompt_template:
        template, system_prompt = entry.prompt_template, entry.system_prompt
    elif model.info.chat_template and "<|im_start|>" in model.info.chat_template:
        template, system_prompt = CHATML_PROMPT_TEMPLATE, CHATML_SYSTEM_PROMPT
    else:
        template, system_prompt = DEFAULT_PROMPT_TEMPLATE, ""
        notice = QT_TRANSLATE_NOOP(
            "Engine",
            "This model has no known prompt format; a generic one is used and answers may be"
            " poorer.",
        )
    spec = ModelSpec(model.path, template, DEFAULT_CONTEXT)
    return ModelProfile(model.display_name, spec, system_prompt, notice)


# How each prompt format marks a system message; the first whose marker is in the template.
_SYSTEM_FORMATS: Final = (
    ("<|im_start|>", "<|im_start|>system\n{text}<|im_end|>\n"),
    ("<|start_header_id|>", "<|start_header_id|>system<|end_header_id|>\n\n{text}<|eot_id|>"),
    ("<|user|>", "<|system|>\n{text}<|end|>\n"),
    ("### User:", "### System:\n{text}\n\n"),
    ("### Human:", "### System:\n{text}\n\n"),
    ("### Instruction:", "### System:\n{text}\n\n"),
)


def wrap_system_prompt(profile: ModelProfile, text: str) -> str:
    """Plain instructions (a clinical preset) in the model's own system-message format.

    Presets are written once, for every model; the model only follows them when they arrive
    marked the way it was trained. Formats without a system role (Mistral's [INST]) get the
    text as a plain preamble.
    """
    template = profile.spec.prompt_template
    for marker, wrapper in _SYSTEM_FORMATS:
        if marker in template:
            return wrapper.format(text=text.strip())
    return text.strip() + "\n\n"
