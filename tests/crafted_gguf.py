"""Real model files made hostile: the starter GGUF with one metadata value rewritten.

A file that passes every header check ClinicChat makes (`check_loadable`) can still abort
llama.cpp inside the load. These helpers take the real starter model, rewrite its
vocabulary, and keep its tensors byte for byte, so the file is a real, complete model whose
only fault is the one written into it.

The fault used: a duplicated vocabulary entry (token 1 spelled like token 0). gpt4all
2.8.2's llama.cpp (July 2024) builds its text-to-id map from the token list and then
asserts `vocab.id_to_token.size() == vocab.token_to_id.size()` in `llm_load_vocab`; a
duplicate makes the map one entry short, and GGML_ASSERT calls abort(): the process dies
with SIGABRT. Verified by `test_crafted_file_really_aborts_llama_cpp`.

Written independently of clinichat.models.gguf (own parsing), so a mistake there is not
mirrored here.
"""

from __future__ import annotations

import shutil
import struct
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

_STRING, _ARRAY = 8, 9
_SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
_TOKENS_KEY = "tokenizer.ggml.tokens"


def _read(f: BinaryIO, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise ValueError("unexpected end of GGUF header")
    return data


def _u32(f: BinaryIO) -> int:
    return int(struct.unpack("<I", _read(f, 4))[0])


def _u64(f: BinaryIO) -> int:
    return int(struct.unpack("<Q", _read(f, 8))[0])


def _string(f: BinaryIO) -> bytes:
    return _read(f, _u64(f))


def _pack_string(raw: bytes) -> bytes:
    return struct.pack("<Q", len(raw)) + raw


def _skip_value(f: BinaryIO, vtype: int) -> None:
    if vtype in _SCALAR_SIZES:
        _read(f, _SCALAR_SIZES[vtype])
    elif vtype == _STRING:
        _string(f)
    elif vtype == _ARRAY:
        etype, count = _u32(f), _u64(f)
        for _ in range(count):
            _skip_value(f, etype)
    else:
        raise ValueError(f"unknown GGUF value type {vtype}")


def duplicate_token(src: Path, dst: Path, *, index: int = 1, copy_of: int = 0) -> None:
    """Write `dst`: `src` with vocabulary entry `index` replaced by entry `copy_of`."""

    def edit(key: str, vtype: int, f: BinaryIO) -> bytes | None:
        if key != _TOKENS_KEY or vtype != _ARRAY:
            return None
        etype, count = _u32(f), _u64(f)
        assert etype == _STRING
        tokens = [_string(f) for _ in range(count)]
        tokens[index] = tokens[copy_of]
        return struct.pack("<IQ", etype, count) + b"".join(_pack_string(t) for t in tokens)

    if not _rewrite(src, dst, edit):
        raise ValueError(f"{src} has no {_TOKENS_KEY}")


def set_string(src: Path, dst: Path, key: str, value: str) -> None:
    """Write `dst`: `src` with the string metadata value `key` set to `value` (added if absent)."""
    encoded = _pack_string(value.encode())

    def edit(name: str, vtype: int, f: BinaryIO) -> bytes | None:
        if name != key or vtype != _STRING:
            return None
        _string(f)
        return encoded

    if not _rewrite(src, dst, edit):
        added = _pack_string(key.encode()) + struct.pack("<I", _STRING) + encoded
        _rewrite(src, dst, lambda name, vtype, f: None, added=[added])


def _rewrite(
    src: Path,
    dst: Path,
    edit: Callable[[str, int, BinaryIO], bytes | None],
    added: list[bytes] | None = None,
) -> bool:
    """Copy `src` to `dst`, letting `edit` replace metadata values; True if it replaced one.

    `added` holds whole encoded key/value pairs written after the file's own.
    `edit` reads the value it replaces from the file and returns the new encoded value, or
    returns None (having read nothing) to keep it. Every tensor stays byte for byte; the
    tensor data moves only as far as the (re-aligned) header grew or shrank, and tensor
    offsets are relative to it.
    """
    with open(src, "rb") as f:
        magic = _read(f, 4)
        if magic != b"GGUF":
            raise ValueError(f"{src} is not a GGUF file")
        version = _u32(f)
        n_tensors, n_kv = _u64(f), _u64(f)
        extra = added or []
        header = bytearray(magic + struct.pack("<IQQ", version, n_tensors, n_kv + len(extra)))
        alignment = 32
        found = False
        for _ in range(n_kv):
            key = _string(f)
            vtype = _u32(f)
            header += _pack_string(key) + struct.pack("<I", vtype)
            replaced = edit(key.decode(), vtype, f)
            if replaced is not None:
                header += replaced
                found = True
                continue
            start = f.tell()
            _skip_value(f, vtype)
            end = f.tell()
            f.seek(start)
            value = _read(f, end - start)
            if key.decode() == "general.alignment":
                alignment = int(struct.unpack("<I", value)[0])
            header += value
        header += b"".join(extra)
        tensors_start = f.tell()
        for _ in range(n_tensors):
            _string(f)
            n_dims = _u32(f)
            _read(f, 8 * n_dims + 4 + 8)
        tensors_end = f.tell()
        f.seek(tensors_start)
        header += _read(f, tensors_end - tensors_start)
        old_data = -(-tensors_end // alignment) * alignment
        new_data = -(-len(header) // alignment) * alignment
        header += bytes(new_data - len(header))
        f.seek(old_data)
        with open(dst, "wb") as out:
            out.write(header)
            shutil.copyfileobj(f, out, 4 << 20)
    return found


def aborting_model(starter: Path, dst: Path) -> Path:
    """The installed (aliased) starter with a duplicated token: loads abort llama.cpp."""
    duplicate_token(starter, dst)
    return dst
