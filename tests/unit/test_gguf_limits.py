"""Crafted GGUF headers that claim gigabytes or millions: refused fast, in little memory.

Each file is large but sparse (a few hundred bytes of header, the rest a hole), so every
claim also fits in the bytes left in the file: only the reader's own caps stop it. Memory is
measured with tracemalloc, which sees every bytes object a read would allocate.
"""

from __future__ import annotations

import struct
import time
import tracemalloc
from pathlib import Path

import pytest
from gguf_writer import ARRAY, STRING, UINT8, UINT32, build, chat_metadata, write_gguf

from clinichat.models.gguf import GGUFError, read_info

SPARSE_SIZE = 1 << 30  # 1 GiB, nearly all hole
CLAIM = 512 << 20  # half a gigabyte
PEAK_LIMIT = 8 << 20  # the reader's buffer (1 MiB) plus small change
TIME_LIMIT_S = 2.0


def _kv(key: bytes, vtype: int, payload: bytes) -> bytes:
    return struct.pack("<Q", len(key)) + key + struct.pack("<I", vtype) + payload


def _sparse(path: Path, header: bytes) -> Path:
    with open(path, "wb") as handle:
        handle.write(header)
        handle.truncate(SPARSE_SIZE)
    return path


def _head(tensors: int, kvs: int) -> bytes:
    return b"GGUF" + struct.pack("<IQQ", 3, tensors, kvs)


def _refused(path: Path, words: str) -> tuple[float, int]:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(GGUFError, match=words) as caught:
            read_info(path)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "damaged" in str(caught.value), "the usual plain message"
    assert seconds < TIME_LIMIT_S, f"took {seconds:.1f} s"
    assert peak < PEAK_LIMIT, f"peak {peak / 2**20:.1f} MiB"
    return seconds, peak


def test_huge_key_is_refused_before_it_is_read(tmp_path: Path) -> None:
    header = _head(0, 1) + struct.pack("<Q", CLAIM) + b"general.name"
    _refused(_sparse(tmp_path / "m.gguf", header), "metadata key is 536,870,912 bytes")


def test_huge_pre_tokenizer_name_is_refused(tmp_path: Path) -> None:
    header = _head(0, 1) + _kv(b"tokenizer.ggml.pre", STRING, struct.pack("<Q", CLAIM))
    _refused(_sparse(tmp_path / "m.gguf", header), "pre-tokenizer name is 536,870,912")


def test_huge_string_value_is_stepped_over_unread(tmp_path: Path) -> None:
    """A value of an unused key (or an over-long one) is skipped, not read: the header is
    then valid and the file is read in little memory."""
    header = _head(0, 2) + _kv(b"general.description", STRING, struct.pack("<Q", CLAIM))
    path = tmp_path / "m.gguf"
    with open(path, "wb") as handle:
        handle.write(header)
        handle.seek(len(header) + CLAIM)  # the claimed bytes are a hole
        handle.write(_kv(b"general.architecture", STRING, struct.pack("<Q", 5) + b"llama"))
    tracemalloc.start()
    try:
        info = read_info(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.architecture == "llama"
    assert peak < PEAK_LIMIT


def test_millions_of_metadata_entries_are_refused(tmp_path: Path) -> None:
    # 10 million one-byte entries would fit in the file's 1 GiB (13 bytes each).
    header = _head(0, 10_000_000) + _kv(b"", UINT8, b"\0")
    _refused(_sparse(tmp_path / "m.gguf", header), "10,000,000 metadata entries")


def test_millions_of_tensors_are_refused(tmp_path: Path) -> None:
    header = _head(20_000_000, 0)
    _refused(_sparse(tmp_path / "m.gguf", header), "20,000,000 tensors")


@pytest.mark.parametrize("etype", [STRING, ARRAY])
def test_array_of_millions_of_strings_or_arrays_is_refused(tmp_path: Path, etype: int) -> None:
    header = _head(0, 1) + _kv(
        b"tokenizer.ggml.tokens", ARRAY, struct.pack("<IQ", etype, 50_000_000)
    )
    _refused(_sparse(tmp_path / "m.gguf", header), "array claims 50,000,000 items")


def test_huge_tensor_name_is_refused(tmp_path: Path) -> None:
    header = _head(1, 0) + struct.pack("<Q", CLAIM)
    _refused(_sparse(tmp_path / "m.gguf", header), "tensor name is 536,870,912 bytes")


def test_long_scalar_array_is_one_seek(tmp_path: Path) -> None:
    """Scores of a large vocabulary: a scalar array of any length is stepped over at once."""
    scores = (UINT32, [0] * 300_000)
    layout = write_gguf(
        tmp_path / "m.gguf", chat_metadata(extra=[("tokenizer.ggml.scores", ARRAY, scores)])
    )
    assert read_info(tmp_path / "m.gguf").file_size == layout.size


def test_real_sized_vocabulary_is_still_read(tmp_path: Path) -> None:
    """A 262,144-token vocabulary (Gemma 3's) is far under the caps."""
    tokens = (STRING, [f"t{i}" for i in range(262_144)])
    path = tmp_path / "m.gguf"
    path.write_bytes(build(chat_metadata(extra=[("tokenizer.ggml.merges", ARRAY, tokens)])).data)
    assert read_info(path).architecture == "llama"
