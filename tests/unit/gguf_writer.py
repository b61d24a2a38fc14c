"""A tiny GGUF writer for tests: real files with chosen metadata, tensors and faults.

Written independently of clinichat.models.gguf (its own type table and layout code), so a
mistake in the reader is not mirrored by the files it is tested against.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# Metadata value types.
UINT8, INT8, UINT16, INT16, UINT32, INT32, FLOAT32, BOOL = range(8)
STRING, ARRAY, UINT64, INT64, FLOAT64 = 8, 9, 10, 11, 12

_SCALAR_FORMATS = {
    UINT8: "<B",
    INT8: "<b",
    UINT16: "<H",
    INT16: "<h",
    UINT32: "<I",
    INT32: "<i",
    FLOAT32: "<f",
    BOOL: "<?",
    UINT64: "<Q",
    INT64: "<q",
    FLOAT64: "<d",
}

# ggml tensor types used in tests: (elements per block, bytes per block).
F32, F16, Q4_0, Q8_0 = 0, 1, 2, 8
_TENSOR_BLOCKS = {F32: (1, 4), F16: (1, 2), Q4_0: (32, 18), Q8_0: (32, 34)}

#: (key, value type, value); an ARRAY value is (element type, list of elements).
KV = tuple[str, int, object]


@dataclass(frozen=True)
class Tensor:
    name: str
    dims: tuple[int, ...]
    ggml_type: int = F32
    #: Force an offset (relative to the data section), e.g. a misaligned one.
    offset: int | None = None


@dataclass(frozen=True)
class Layout:
    """Where things ended up in a written file."""

    data: bytes
    header_end: int
    data_offset: int

    @property
    def size(self) -> int:
        return len(self.data)


def _string(s: str | bytes) -> bytes:
    raw = s.encode() if isinstance(s, str) else s
    return struct.pack("<Q", len(raw)) + raw


def _value(vtype: int, value: object) -> bytes:
    if vtype in _SCALAR_FORMATS:
        return struct.pack(_SCALAR_FORMATS[vtype], value)
    if vtype == STRING:
        assert isinstance(value, (str, bytes))
        return _string(value)
    if vtype == ARRAY:
        assert isinstance(value, tuple)
        etype, items = value
        out = struct.pack("<IQ", etype, len(items))
        return out + b"".join(_value(etype, item) for item in items)
    # An unknown type: write the raw code, no payload.
    return b""


def tensor_nbytes(t: Tensor) -> int:
    block, block_bytes = _TENSOR_BLOCKS[t.ggml_type]
    n = 1
    for d in t.dims:
        n *= d
    return n // block * block_bytes


def build(
    metadata: Sequence[KV],
    tensors: Sequence[Tensor] = (),
    *,
    version: int = 3,
    magic: bytes = b"GGUF",
    alignment: int = 32,
    version_format: str = "<I",
) -> Layout:
    """The bytes of a GGUF file; tensor data is zero-filled and laid out aligned."""
    out = bytearray(magic + struct.pack(version_format, version))
    out += struct.pack("<QQ", len(tensors), len(metadata))
    for key, vtype, value in metadata:
        out += _string(key) + struct.pack("<I", vtype) + _value(vtype, value)
    offsets: list[int] = []
    cursor = 0
    for t in tensors:
        cursor = -(-cursor // alignment) * alignment
        offsets.append(cursor if t.offset is None else t.offset)
        cursor = offsets[-1] + tensor_nbytes(t)
    for t, off in zip(tensors, offsets, strict=True):
        out += _string(t.name) + struct.pack("<I", len(t.dims))
        out += b"".join(struct.pack("<Q", d) for d in t.dims)
        out += struct.pack("<IQ", t.ggml_type, off)
    header_end = len(out)
    data_offset = -(-header_end // alignment) * alignment if tensors else header_end
    out += bytes(data_offset - header_end)
    data_size = max(
        (off + tensor_nbytes(t) for t, off in zip(tensors, offsets, strict=True)), default=0
    )
    out += bytes(data_size)
    return Layout(bytes(out), header_end, data_offset)


def chat_metadata(
    *,
    arch: str | None = "llama",
    name: str | None = "Test Model",
    tokenizer: str | None = "gpt2",
    pre: str | None = "refact",
    context_length: int | None = 2048,
    chat_template: str | None = None,
    extra: Sequence[KV] = (),
) -> list[KV]:
    """Metadata that looks like a small chat model; pass None to leave a key out."""
    kvs: list[KV] = []
    if arch is not None:
        kvs.append(("general.architecture", STRING, arch))
    if name is not None:
        kvs.append(("general.name", STRING, name))
    kvs.extend(extra)
    if context_length is not None and arch is not None:
        kvs.append((f"{arch}.context_length", UINT32, context_length))
    if tokenizer is not None:
        kvs.append(("tokenizer.ggml.model", STRING, tokenizer))
        kvs.append(("tokenizer.ggml.tokens", ARRAY, (STRING, ["<s>", "</s>", "a", "b"])))
    if pre is not None:
        kvs.append(("tokenizer.ggml.pre", STRING, pre))
    if chat_template is not None:
        kvs.append(("tokenizer.chat_template", STRING, chat_template))
    return kvs


DEFAULT_TENSORS = (Tensor("token_embd.weight", (64, 4), Q8_0), Tensor("output_norm.weight", (64,)))


def write_gguf(
    path: Path,
    metadata: Sequence[KV] | None = None,
    tensors: Sequence[Tensor] = DEFAULT_TENSORS,
    *,
    version: int = 3,
    magic: bytes = b"GGUF",
    alignment: int = 32,
) -> Layout:
    """Write a GGUF file (chat_metadata() by default) and return its layout."""
    kvs = chat_metadata() if metadata is None else metadata
    layout = build(kvs, tensors, version=version, magic=magic, alignment=alignment)
    path.write_bytes(layout.data)
    return layout
