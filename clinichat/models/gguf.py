"""Reading GGUF model files before an engine sees them.

Engines fail silently or cryptically on files they cannot load (an unknown architecture,
a half-downloaded file, a crafted header). Reading the header here, within strict limits,
lets ClinicChat refuse such files up front with a message a clinician can act on:
gguf_support.py says what gpt4all 2.8.2 can load, gguf_alias.py imports SmolLM2 into it.
The format: https://github.com/ggml-org/ggml/blob/master/docs/gguf.md
(little-endian; version 2 and 3 use 64-bit counts and lengths).
"""

from __future__ import annotations

import os
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Final

from clinichat.messages import QT_TRANSLATE_NOOP, UserError

__all__ = ["KNOWN_TENSOR_TYPES", "GGUFError", "GGUFInfo", "read_info"]

# ggml tensor types of that era -> (elements per block, bytes per block); 4 and 5 were
# removed from ggml long ago. 31-33 are the Q4_0 repacks for ARM (same block layout).
_GGML_TYPE_BLOCKS: Final[Mapping[int, tuple[int, int]]] = {
    0: (1, 4),  # F32
    1: (1, 2),  # F16
    2: (32, 18),  # Q4_0
    3: (32, 20),  # Q4_1
    6: (32, 22),  # Q5_0
    7: (32, 24),  # Q5_1
    8: (32, 34),  # Q8_0
    9: (32, 36),  # Q8_1
    10: (256, 84),  # Q2_K
    11: (256, 110),  # Q3_K
    12: (256, 144),  # Q4_K
    13: (256, 176),  # Q5_K
    14: (256, 210),  # Q6_K
    15: (256, 292),  # Q8_K
    16: (256, 66),  # IQ2_XXS
    17: (256, 74),  # IQ2_XS
    18: (256, 98),  # IQ3_XXS
    19: (256, 50),  # IQ1_S
    20: (32, 18),  # IQ4_NL
    21: (256, 110),  # IQ3_S
    22: (256, 82),  # IQ2_S
    23: (256, 136),  # IQ4_XS
    24: (1, 1),  # I8
    25: (1, 2),  # I16
    26: (1, 4),  # I32
    27: (1, 8),  # I64
    28: (1, 8),  # F64
    29: (256, 56),  # IQ1_M
    30: (1, 2),  # BF16
    31: (32, 18),  # Q4_0_4_4
    32: (32, 18),  # Q4_0_4_8
    33: (32, 18),  # Q4_0_8_8
}
KNOWN_TENSOR_TYPES: Final[frozenset[int]] = frozenset(_GGML_TYPE_BLOCKS)

_MAGIC: Final = b"GGUF"
_SUPPORTED_VERSIONS: Final = (2, 3)
_DEFAULT_ALIGNMENT: Final = 32
_MAX_DIMS: Final = 4  # GGML_MAX_DIMS; ggml rejects more
_MAX_ARRAY_DEPTH: Final = 8
_MAX_KEPT_STRING: Final = 1 << 20  # longer metadata strings are skipped, not kept in memory
# Caps on what a header may claim. Each claim is also checked against the bytes left in the
# file, but a large (or sparse) crafted file can hold claims of gigabytes: without these a
# key read would allocate them, and a count of millions would keep the reader looping for
# minutes. The numbers are far above any real model's.
_MAX_KEY_LENGTH: Final = 65_535  # the GGUF specification's own limit for a key
_MAX_KV_PAIRS: Final = 65_536  # real files have a few dozen
_MAX_TENSORS: Final = 1 << 18  # 262,144; the largest mixture-of-experts files have ~50,000
_MAX_ARRAY_LENGTH: Final = 1 << 22  # 4,194,304; vocabularies and merge lists stay under 1M
_MAX_TENSOR_NAME: Final = 65_535  # ggml itself allows 63 bytes
_MAX_PRE_TOKENIZER: Final = 1024  # a short name such as "llama-bpe"
# The only metadata kept (besides "<arch>.context_length" and "<arch>.pooling_type");
# every other value is stepped
# over unread, so memory stays a few megabytes whatever the file holds.
_KEPT_KEYS: Final = frozenset(
    {
        "general.architecture",
        "general.name",
        "general.alignment",
        "tokenizer.ggml.pre",
        "tokenizer.ggml.model",
        "tokenizer.chat_template",
    }
)
_MAX_ARCH_KEY: Final = 256
_ARCH_KEYS: Final = (".context_length", ".pooling_type")

# Metadata value types (gguf_type).
_T_STRING: Final = 8
_T_ARRAY: Final = 9
_SCALARS: Final[Mapping[int, struct.Struct]] = {
    0: struct.Struct("<B"),  # uint8
    1: struct.Struct("<b"),  # int8
    2: struct.Struct("<H"),  # uint16
    3: struct.Struct("<h"),  # int16
    4: struct.Struct("<I"),  # uint32
    5: struct.Struct("<i"),  # int32
    6: struct.Struct("<f"),  # float32
    7: struct.Struct("<?"),  # bool
    10: struct.Struct("<Q"),  # uint64
    11: struct.Struct("<q"),  # int64
    12: struct.Struct("<d"),  # float64
}
_INT_TYPES: Final = frozenset({0, 1, 2, 3, 4, 5, 10, 11})
_U32: Final = struct.Struct("<I")
_U64: Final = struct.Struct("<Q")


class GGUFError(UserError):
    """A model file ClinicChat cannot use; str() is a sentence a clinician can act on."""


@dataclass(frozen=True)
class GGUFInfo:
    """What ClinicChat needs from a model file's header, read without loading the model."""

    path: Path
    version: int
    tensor_count: int
    architecture: str | None
    name: str | None
    pre_tokenizer: str | None
    chat_template: str | None
    context_length: int | None
    file_size: int
    # Where the bytes of the tokenizer.ggml.pre string value lie (after its length prefix),
    # so the value can be rewritten in place; None when the key is absent.
    pre_tokenizer_offset: int | None = None
    pre_tokenizer_length: int | None = None
    tokenizer_model: str | None = None
    # Where tensor data starts and where the last tensor ends (the file may not be shorter).
    data_offset: int = 0
    data_end: int = 0
    tensor_types: frozenset[int] = frozenset()
    # Set by embedding models only (llama.cpp's pooling: 1 mean, 2 CLS, 3 last token).
    pooling_type: int | None = None

    @property
    def embedding_model(self) -> bool:
        """Whether the file makes one vector per text (document search), not chat."""
        return self.pooling_type is not None and self.pooling_type > 0


def _incomplete(file_size: int) -> GGUFError:
    return GGUFError(
        QT_TRANSLATE_NOOP(
            "Errors",
            "This model file is incomplete (it ends after {size} bytes); download or copy it"
            " again.",
        ),
        size=f"{file_size:,}",
    )


def _damaged(detail: str) -> GGUFError:
    return GGUFError(
        QT_TRANSLATE_NOOP(
            "Errors", "This model file is damaged ({detail}); download or copy it again."
        ),
        detail=detail,
    )


class _Reader:
    """Sequential little-endian reads that turn every short read into `_incomplete`."""

    def __init__(self, stream: BinaryIO, file_size: int) -> None:
        self._stream = stream
        self.size = file_size
        self.pos = 0

    def read(self, n: int) -> bytes:
        if n > self.size - self.pos:
            raise _incomplete(self.size)
        data = self._stream.read(n)
        if len(data) != n:  # the file shrank while we read it
            raise _incomplete(self.pos + len(data))
        self.pos += n
        return data

    def read_prefix(self, n: int) -> bytes:
        """Up to n bytes, without failing on a short file (for the magic number)."""
        data = self._stream.read(n)
        self.pos += len(data)
        return data

    def skip(self, n: int) -> None:
        if n > self.size - self.pos:
            raise _incomplete(self.size)
        self._stream.seek(n, os.SEEK_CUR)
        self.pos += n

    def unpack(self, fmt: struct.Struct) -> object:
        value: object = fmt.unpack(self.read(fmt.size))[0]
        return value

    def u32(self) -> int:
        value: int = _U32.unpack(self.read(4))[0]
        return value

    def u64(self) -> int:
        value: int = _U64.unpack(self.read(8))[0]
        return value

    def string_span(self) -> tuple[int, int]:
        """Read a string's length prefix; return (offset, length) of its bytes, unread."""
        length = self.u64()
        if length > self.size - self.pos:
            raise _incomplete(self.size)
        return self.pos, length

    def string(self, limit: int, what: str) -> str:
        """A string of at most `limit` bytes; a longer claim is refused before any read."""
        _, length = self.string_span()
        if length > limit:
            raise _damaged(f"{what} is {length:,} bytes long")
        return self.read(length).decode("utf-8", errors="replace")

    def check_room(self, count: int, min_item_size: int) -> None:
        """Fail early on a count the rest of the file cannot hold (avoids huge loops)."""
        if count * min_item_size > self.size - self.pos:
            raise _incomplete(self.size)


class _Skipped:
    """Marker for a metadata value that was stepped over (arrays, very long strings)."""


_SKIPPED: Final = _Skipped()


def _read_value(r: _Reader, vtype: int, depth: int = 0) -> object:
    scalar = _SCALARS.get(vtype)
    if scalar is not None:
        return r.unpack(scalar)
    if vtype == _T_STRING:
        _, length = r.string_span()
        if length > _MAX_KEPT_STRING:
            r.skip(length)
            return _SKIPPED
        return r.read(length).decode("utf-8", errors="replace")
    if vtype == _T_ARRAY:
        _skip_array(r, depth)
        return _SKIPPED
    raise _damaged(f"unknown metadata type {vtype}")


def _kept(key: str) -> bool:
    """Whether _parse needs this key's value (see _KEPT_KEYS)."""
    return key in _KEPT_KEYS or (len(key) <= _MAX_ARCH_KEY and key.endswith(_ARCH_KEYS))


def _skip_value(r: _Reader, vtype: int) -> None:
    """Step over a value without reading it into memory."""
    scalar = _SCALARS.get(vtype)
    if scalar is not None:
        r.skip(scalar.size)
    elif vtype == _T_STRING:
        r.skip(r.string_span()[1])
    elif vtype == _T_ARRAY:
        _skip_array(r, 0)
    else:
        raise _damaged(f"unknown metadata type {vtype}")


def _skip_array(r: _Reader, depth: int) -> None:
    """Step over an array without building it: token lists hold 100,000+ strings."""
    if depth >= _MAX_ARRAY_DEPTH:
        raise _damaged("metadata arrays nested too deeply")
    etype = r.u32()
    count = r.u64()
    scalar = _SCALARS.get(etype)
    if scalar is not None:
        r.skip(count * scalar.size)  # one seek, however long
        return
    r.check_room(count, 8 if etype == _T_STRING else 12)
    if count > _MAX_ARRAY_LENGTH:  # each item is one turn of a Python loop
        raise _damaged(f"a metadata array claims {count:,} items")
    if etype == _T_STRING:
        for _ in range(count):
            _, length = r.string_span()
            r.skip(length)
    elif etype == _T_ARRAY:
        for _ in range(count):
            _skip_array(r, depth + 1)
    else:
        raise _damaged(f"unknown metadata type {etype}")


def _tensor_nbytes(dims: list[int], ttype: int) -> int:
    block, block_bytes = _GGML_TYPE_BLOCKS[ttype]
    if dims and dims[0] % block:
        raise _damaged("a tensor row does not fill whole blocks")
    elements = 1
    for d in dims:
        elements *= d
    return elements // block * block_bytes


def read_info(path: str | os.PathLike[str]) -> GGUFInfo:
    """Read a model file's header and metadata; raise GGUFError if it is not a usable GGUF.

    Checks the whole header, then that the file is long enough to hold every tensor it
    declares, so a download or copy cut short by a few megabytes is caught here and not as a
    crash inside the backend.
    """
    p = Path(path)
    try:
        with open(p, "rb", buffering=1 << 20) as stream:
            file_size = os.fstat(stream.fileno()).st_size
            return _parse(p, _Reader(stream, file_size))
    except OSError as e:
        raise GGUFError(
            QT_TRANSLATE_NOOP("Errors", "ClinicChat could not read this file ({reason})."),
            reason=e.strerror or e,
        ) from e


def _parse(path: Path, r: _Reader) -> GGUFInfo:
    head = r.read_prefix(4)
    if head != _MAGIC:
        if len(head) < 4 and _MAGIC.startswith(head) and r.size < 4:
            raise _incomplete(r.size)
        raise GGUFError(QT_TRANSLATE_NOOP("Errors", "This file is not a GGUF model file."))
    raw_version = r.read(4)
    version: int = struct.unpack("<I", raw_version)[0]
    if version not in _SUPPORTED_VERSIONS:
        if struct.unpack(">I", raw_version)[0] in (1, 2, 3):
            raise GGUFError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "This model file is made for big-endian computers and cannot run on this one.",
                )
            )
        if version < _SUPPORTED_VERSIONS[0]:
            raise GGUFError(
                QT_TRANSLATE_NOOP(
                    "Errors",
                    "This model file uses GGUF version {version}, an old format this version of"
                    " ClinicChat cannot read; download a newer copy of the model.",
                ),
                version=version,
            )
        raise GGUFError(
            QT_TRANSLATE_NOOP(
                "Errors",
                "This model file uses GGUF version {version}, which is newer than this version"
                " of ClinicChat can read.",
            ),
            version=version,
        )
    tensor_count = r.u64()
    kv_count = r.u64()
    r.check_room(kv_count, 8 + 4 + 1)
    if kv_count > _MAX_KV_PAIRS:
        raise _damaged(f"the file claims {kv_count:,} metadata entries")

    values: dict[str, object] = {}
    types: dict[str, int] = {}
    pre_span: tuple[int, int] | None = None
    for _ in range(kv_count):
        key = r.string(_MAX_KEY_LENGTH, "a metadata key")
        vtype = r.u32()
        if key == "tokenizer.ggml.pre" and vtype == _T_STRING and key not in values:
            pre_span = r.string_span()
            if pre_span[1] > _MAX_PRE_TOKENIZER:
                raise _damaged(f"the pre-tokenizer name is {pre_span[1]:,} bytes long")
            value: object = r.read(pre_span[1]).decode("utf-8", errors="replace")
        elif key in values or not _kept(key):
            _skip_value(r, vtype)
            continue
        else:
            value = _read_value(r, vtype)
        if key not in values:
            values[key] = value
            types[key] = vtype

    def text(key: str) -> str | None:
        v = values.get(key)
        return v if isinstance(v, str) else None

    def integer(key: str) -> int | None:
        v = values.get(key)
        return v if types.get(key) in _INT_TYPES and isinstance(v, int) else None

    alignment = _DEFAULT_ALIGNMENT
    if "general.alignment" in values:
        a = integer("general.alignment")
        if a is None or a <= 0 or a & (a - 1):
            raise _damaged("invalid general.alignment")
        alignment = a

    r.check_room(tensor_count, 8 + 4 + 4 + 8)
    if tensor_count > _MAX_TENSORS:
        raise _damaged(f"the file claims {tensor_count:,} tensors")
    tensor_types: set[int] = set()
    data_size = 0
    for _ in range(tensor_count):
        name_length = r.string_span()[1]
        if name_length > _MAX_TENSOR_NAME:
            raise _damaged(f"a tensor name is {name_length:,} bytes long")
        r.skip(name_length)
        n_dims = r.u32()
        if n_dims > _MAX_DIMS:
            raise _damaged(f"a tensor has {n_dims} dimensions")
        dims = [r.u64() for _ in range(n_dims)]
        ttype = r.u32()
        offset = r.u64()
        if offset % alignment:
            raise _damaged("a tensor is not aligned")
        tensor_types.add(ttype)
        size = _tensor_nbytes(dims, ttype) if ttype in _GGML_TYPE_BLOCKS else 0
        data_size = max(data_size, offset + size)

    data_offset = -(-r.pos // alignment) * alignment
    data_end = data_offset + data_size if tensor_count else r.pos
    if r.size < data_end:
        raise _incomplete(r.size)

    arch = text("general.architecture")
    return GGUFInfo(
        path=path,
        version=version,
        tensor_count=tensor_count,
        architecture=arch,
        name=text("general.name"),
        pre_tokenizer=text("tokenizer.ggml.pre"),
        chat_template=text("tokenizer.chat_template"),
        context_length=integer(f"{arch}.context_length") if arch else None,
        pooling_type=integer(f"{arch}.pooling_type") if arch else None,
        file_size=r.size,
        pre_tokenizer_offset=pre_span[0] if pre_span else None,
        pre_tokenizer_length=pre_span[1] if pre_span else None,
        tokenizer_model=text("tokenizer.ggml.model"),
        data_offset=data_offset,
        data_end=data_end,
        tensor_types=frozenset(tensor_types),
    )
