"""Importing a newer model into the old backend by renaming its pre-tokenizer in place.

SmolLM2 names its pre-tokenizer "smollm", which the July 2024 llama.cpp inside gpt4all 2.8.2
does not know, although it implements the same rules as "refact". The alias has the same byte
length, so rewriting those few bytes leaves every offset in the file valid; verification can
undo it on the fly to compare the file with its published checksum.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final

from clinichat.messages import QT_TRANSLATE_NOOP
from clinichat.models.gguf import GGUFError, read_info

__all__ = [
    "PRETOKENIZER_ALIASES",
    "alias_in_place",
    "copy_with_alias",
    "patched",
    "unaliased_patch",
    "usable_alias",
]

_COPY_CHUNK: Final = 4 << 20
_CHANGED_WHILE_COPYING = QT_TRANSLATE_NOOP(
    "Errors", "The model file changed while it was being copied; try again."
)

# Pre-tokenizers that this llama.cpp does not know by name but implements under another one.
# smollm -> refact: in llama.cpp both select the same regex split rules (the GPT-2 style
# pattern with single-digit splitting), so the rewritten file tokenizes identically; only the
# name differs. The alias must have the same byte length, so the rewrite changes no offset.
PRETOKENIZER_ALIASES: Final[Mapping[str, str]] = {"smollm": "refact"}


def usable_alias(pre_tokenizer: str | None) -> str | None:
    """The alias for a pre-tokenizer, if one exists that can be written over it in place."""
    if pre_tokenizer is None:
        return None
    alias = PRETOKENIZER_ALIASES.get(pre_tokenizer)
    if alias is None or len(alias.encode()) != len(pre_tokenizer.encode()):
        return None
    return alias


def copy_with_alias(
    src: str | os.PathLike[str], dst: str | os.PathLike[str], *, alias: bool = True
) -> bool:
    """Copy a model file, rewriting an aliased pre-tokenizer name; return whether it did.

    `alias=False` copies the bytes as they are (a file for the llama.cpp engine, which knows
    the original name), with the same checks.

    Streams in large chunks (files are gigabytes) and patches the few bytes of the
    tokenizer.ggml.pre value on the way, so no second pass is needed. The alias has the same
    byte length, so every offset in the file stays valid. The copy is flushed to disk before
    returning, ready for an atomic rename. Raises GGUFError for an unreadable source or one
    that changes during the copy, OSError for write failures.
    """
    info = read_info(src)
    new_name = usable_alias(info.pre_tokenizer) if alias else None
    patch: tuple[int, bytes, bytes] | None = None
    if new_name is not None and info.pre_tokenizer_offset is not None:
        assert info.pre_tokenizer is not None
        patch = (info.pre_tokenizer_offset, info.pre_tokenizer.encode(), new_name.encode())
    copied = 0
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        while chunk := fin.read(_COPY_CHUNK):
            if patch is not None:
                chunk = patched(chunk, copied, *patch)
            fout.write(chunk)
            copied += len(chunk)
        fout.flush()
        os.fsync(fout.fileno())
    if copied != info.file_size:
        raise GGUFError(_CHANGED_WHILE_COPYING)
    return patch is not None


def patched(chunk: bytes, chunk_start: int, offset: int, old: bytes, new: bytes) -> bytes:
    """Replace the part of old->new (at file offset) that falls inside this chunk."""
    lo = max(offset, chunk_start)
    hi = min(offset + len(new), chunk_start + len(chunk))
    if lo >= hi:
        return chunk
    if chunk[lo - chunk_start : hi - chunk_start] != old[lo - offset : hi - offset]:
        raise GGUFError(_CHANGED_WHILE_COPYING)
    out = bytearray(chunk)
    out[lo - chunk_start : hi - chunk_start] = new[lo - offset : hi - offset]
    return bytes(out)


def unaliased_patch(path: str | os.PathLike[str]) -> tuple[int, bytes, bytes] | None:
    """How to read an aliased file as it was published: (offset, alias, original name).

    A file whose pre-tokenizer carries an alias this app writes (`refact` for `smollm`) may
    be a published file with the original name rewritten; its catalog checksum is that of
    the original bytes. None when the file carries no such alias.
    """
    info = read_info(path)
    if info.pre_tokenizer is None or info.pre_tokenizer_offset is None:
        return None
    for original, alias in PRETOKENIZER_ALIASES.items():
        if alias == info.pre_tokenizer and usable_alias(original) == alias:
            return info.pre_tokenizer_offset, alias.encode(), original.encode()
    return None


def alias_in_place(path: str | os.PathLike[str]) -> bool:
    """Rewrite an aliased pre-tokenizer name inside an installed file; return whether it did.

    For a file that arrived complete through a download (already renamed into place): the
    alias has the same length, so only those few bytes change, written and flushed at once.
    """
    info = read_info(path)
    alias = usable_alias(info.pre_tokenizer)
    if alias is None or info.pre_tokenizer_offset is None:
        return False
    with open(path, "r+b") as handle:
        handle.seek(info.pre_tokenizer_offset)
        handle.write(alias.encode())
        handle.flush()
        os.fsync(handle.fileno())
    return True
