"""A reasoning model for tests: Gemma 3 270M with a Qwen3-style thinking chat template.

No reasoning model small enough for these machines is published where tests may fetch it
(the package index), so the real Gemma 3 270M gets the chat template a thinking model
ships (tensors byte for byte, see `crafted_gguf`). The template has Qwen3's two parts
that llama.cpp reads: earlier answers carry their `reasoning_content` inside
`<think>…</think>`, and a new answer opens with `<think>` (thinking on) or with an empty
think block (`enable_thinking` false), as Qwen3 does. llama.cpp's own chat parser then
splits what the model writes into thinking and answer.

A 270M base model does not think unprompted, so conversations that should think begin
with `EXAMPLES`, earlier exchanges that show it the pattern; greedy decoding then writes
"The user wants me to say stone." as thinking and "stone" as the start of the answer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from crafted_gguf import set_string

from clinichat.llm.engines.base import Turn

TEMPLATE: Final = """{{ bos_token }}{%- for m in messages %}
{%- if m['role'] == 'assistant' %}<start_of_turn>model
{% if m.reasoning_content is defined and m.reasoning_content %}<think>
{{ m.reasoning_content.strip() }}
</think>

{% endif %}{{ m['content'] }}<end_of_turn>
{% else %}<start_of_turn>user
{{ m['content'] }}<end_of_turn>
{% endif %}{%- endfor %}{%- if add_generation_prompt %}<start_of_turn>model
{% if enable_thinking is defined and enable_thinking is false %}<think>

</think>

{% else %}<think>
{% endif %}{% endif %}"""

WORDS: Final = ("apple", "river", "green")
EXAMPLES: Final = tuple(
    Turn(f"Say {w}.", f"<think>\nThe user wants me to say {w}.\n</think>\n\n{w}") for w in WORDS
)
QUESTION: Final = "Say stone."
THOUGHT: Final = "The user wants me to say stone."
ANSWER_START: Final = "stone"


def thinking_model(gemma3: Path, dst: Path) -> Path:
    """Write the thinking variant of the Gemma 3 file to `dst`."""
    set_string(gemma3, dst, "tokenizer.chat_template", TEMPLATE)
    return dst
