"""How to talk to an installed model: which engine, its prompt format, its system prompt.

On the gpt4all engine, GPT4All's catalog carries both for the models it lists, in its
`%1`/`%2` template format, which the backend understands directly. A file with no catalog
entry gets ChatML when its own embedded template is ChatML, and otherwise a plain instruction
format plus a notice, since answers may then be poorer.

On the llama.cpp engine the file's own chat template formats the conversation and the system
prompt is plain text, sent as a system message; only a file with no chat template gets a
notice (llama.cpp then uses a generic format).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from clinichat.llm.engines.base import LLAMACPP, ModelSpec
from clinichat.llm.engines.choice import EngineChoice, choose_engine, gpt4all_knows_format
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
    engine: EngineChoice


def profile_for(
    model: InstalledModel,
    *,
    device: str = "cpu",
    context: int = DEFAULT_CONTEXT,
    system_prompt: str | None = None,
    template: str | None = None,
    engine: str | None = None,
) -> ModelProfile:
    """How to run `model`; `system_prompt` and `template` replace the catalog's when given,
    and `engine` (the user's choice for this model) the default engine, if it can run it.

    The context is capped at what the model was trained for: more only produces nonsense.
    """
    choice = engine_for(model, engine)
    context = min(context, model.info.context_length or context)
    if choice.engine == LLAMACPP:
        notice = None if model.info.chat_template else _NO_CHAT_TEMPLATE
        return ModelProfile(
            model.display_name,
            ModelSpec(model.path, "%1", context, device, LLAMACPP),
            system_prompt or "",
            notice,
            choice,
        )
    profile = _catalog_profile(model)
    spec = profile.spec
    return ModelProfile(
        profile.name,
        ModelSpec(spec.path, template or spec.prompt_template, context, device),
        profile.system_prompt if system_prompt is None else system_prompt,
        None if template else profile.notice,
        choice,
    )


def engine_for(model: InstalledModel, override: str | None = None) -> EngineChoice:
    """The model's engine: its default, or the user's choice when that engine can run it."""
    if override is None or override == model.engine.engine:
        return model.engine
    entry = model.catalog_entry
    return choose_engine(
        model.info,
        known_format=gpt4all_knows_format(model.info, entry.prompt_template if entry else None),
        catalog_engine=entry.engine if entry is not None else None,
        override=override,
    )


_NO_CHAT_TEMPLATE: Final = QT_TRANSLATE_NOOP(
    "Engine",
    "This model file has no chat format of its own; a generic one is used and answers may be"
    " poorer.",
)


def catalog_texts(model: InstalledModel, engine: str | None = None) -> dict[str, str]:
    """The catalog's system prompt and template for `model` on `engine` (None: its default
    engine): what 'reset' goes back to. On llama.cpp the file's own template does the
    formatting, and a GPT4All system prompt in raw markers would be sent as text."""
    if (engine or model.engine.engine) == LLAMACPP:
        return {"system_prompt": "", "prompt_template": ""}
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
    return ModelProfile(model.display_name, spec, system_prompt, notice, model.engine)


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
    text as a plain preamble. On llama.cpp the file's chat template does the marking (and
    handles templates without a system role), so the text stays plain.
    """
    if profile.spec.engine == LLAMACPP:
        return text.strip()
    template = profile.spec.prompt_template
    for marker, wrapper in _SYSTEM_FORMATS:
        if marker in template:
            return wrapper.format(text=text.strip())
    return text.strip() + "\n\n"
