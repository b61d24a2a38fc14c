"""GGUF reading, loadability checks and the pre-tokenizer alias, on real files."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from gguf_writer import (
    ARRAY,
    BOOL,
    FLOAT32,
    FLOAT64,
    INT8,
    INT16,
    INT32,
    INT64,
    STRING,
    UINT8,
    UINT16,
    UINT32,
    UINT64,
    Tensor,
    build,
    chat_metadata,
    write_gguf,
)

from clinichat.models import gguf, gguf_alias
from clinichat.models.gguf import GGUFError, read_info
from clinichat.models.gguf_alias import PRETOKENIZER_ALIASES, copy_with_alias
from clinichat.models.gguf_support import (
    EMBEDDING_ARCHITECTURES,
    KNOWN_PRE_TOKENIZERS,
    LOADABLE_ARCHITECTURES,
    check_loadable,
)

STARTER_ORIGINAL_PRE_OFFSET = 1056  # where 'smollm' sits in SmolLM2-135M-Instruct.Q4_1.gguf


def test_reads_header_fields(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    layout = write_gguf(
        path,
        chat_metadata(name="Tiny Test", context_length=4096, chat_template="{{ messages }}"),
    )
    info = read_info(path)
    assert info.path == path
    assert info.version == 3
    assert info.tensor_count == 2
    assert info.architecture == "llama"
    assert info.name == "Tiny Test"
    assert info.pre_tokenizer == "refact"
    assert info.tokenizer_model == "gpt2"
    assert info.chat_template == "{{ messages }}"
    assert info.context_length == 4096
    assert info.file_size == layout.size
    assert info.data_offset == layout.data_offset
    assert info.data_end == layout.size
    assert info.tensor_types == {0, 8}
    assert info.pre_tokenizer_offset is not None
    assert info.pre_tokenizer_length == 6
    start = info.pre_tokenizer_offset
    assert layout.data[start : start + 6] == b"refact"
    assert struct.unpack("<Q", layout.data[start - 8 : start])[0] == 6


def test_missing_keys_read_as_none(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    write_gguf(path, chat_metadata(name=None, pre=None, context_length=None))
    info = read_info(path)
    assert (info.name, info.pre_tokenizer, info.context_length, info.chat_template) == (
        None,
        None,
        None,
        None,
    )
    assert info.pre_tokenizer_offset is None and info.pre_tokenizer_length is None


def test_steps_over_every_value_type(tmp_path: Path) -> None:
    every = [
        ("t.u8", UINT8, 200),
        ("t.i8", INT8, -5),
        ("t.u16", UINT16, 60000),
        ("t.i16", INT16, -300),
        ("t.u32", UINT32, 4_000_000_000),
        ("t.i32", INT32, -7),
        ("t.f32", FLOAT32, 1.5),
        ("t.bool", BOOL, True),
        ("t.str", STRING, "héllo"),
        ("t.u64", UINT64, 2**60),
        ("t.i64", INT64, -(2**60)),
        ("t.f64", FLOAT64, 2.25),
        ("t.arr.u8", ARRAY, (UINT8, list(range(200)))),
        ("t.arr.f64", ARRAY, (FLOAT64, [1.0, 2.0, 3.0])),
        ("t.arr.bool", ARRAY, (BOOL, [True, False])),
        ("t.arr.str", ARRAY, (STRING, [f"tok{i}" for i in range(5000)])),
        ("t.arr.empty", ARRAY, (STRING, [])),
        ("t.arr.nested", ARRAY, (ARRAY, [(INT32, [1, 2]), (STRING, ["x", "yz"])])),
    ]
    path = tmp_path / "m.gguf"
    # The keys the reader wants come after everything it has to step over.
    write_gguf(path, every + chat_metadata(name="After Arrays", context_length=1234))
    info = read_info(path)
    assert info.name == "After Arrays"
    assert info.context_length == 1234
    assert info.pre_tokenizer == "refact"


def test_context_length_accepts_64_bit(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    kvs = [*chat_metadata(context_length=None), ("llama.context_length", UINT64, 131072)]
    write_gguf(path, kvs)
    assert read_info(path).context_length == 131072


def test_reads_version_2(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    write_gguf(path, version=2)
    assert read_info(path).version == 2


@pytest.mark.parametrize(
    ("version", "words"),
    [(1, "GGUF version 1, an old format"), (4, "GGUF version 4, which is newer")],
)
def test_rejects_unsupported_versions(tmp_path: Path, version: int, words: str) -> None:
    path = tmp_path / "m.gguf"
    write_gguf(path, version=version)
    with pytest.raises(GGUFError, match=words):
        read_info(path)


def test_rejects_big_endian(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(build(chat_metadata(), version_format=">I").data)
    with pytest.raises(GGUFError, match="big-endian"):
        read_info(path)


@pytest.mark.parametrize(
    "content",
    [b"GGML\x03\x00\x00\x00" + bytes(64), b"hello, this is a text file\n", b"\x00" * 4096, b"X"],
)
def test_rejects_non_gguf(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(content)
    with pytest.raises(GGUFError, match=r"^This file is not a GGUF model file\.$"):
        read_info(path)


def test_empty_file_is_incomplete(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"")
    with pytest.raises(GGUFError, match=r"incomplete \(it ends after 0 bytes\)"):
        read_info(path)


def test_every_truncation_is_detected(tmp_path: Path) -> None:
    """Cut anywhere (magic, counts, keys, values, arrays, tensor infos, data): incomplete."""
    full = build(chat_metadata(chat_template="{{ x }}"), [Tensor("a", (8,)), Tensor("b", (4, 2))])
    path = tmp_path / "cut.gguf"
    for length in range(len(full.data)):
        path.write_bytes(full.data[:length])
        with pytest.raises(GGUFError, match="incomplete") as err:
            read_info(path)
        assert f"ends after {length:,} bytes)" in str(err.value)
    path.write_bytes(full.data)
    assert read_info(path).file_size == len(full.data)


def test_truncated_tensor_data_is_detected(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    layout = write_gguf(path, tensors=[Tensor("big", (256, 1024))])  # 1 MiB of F32
    with open(path, "r+b") as f:
        f.truncate(layout.size - 1)
    with pytest.raises(GGUFError, match=f"ends after {layout.size - 1:,} bytes"):
        read_info(path)


def test_huge_counts_fail_fast(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    path.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 2**62, 2**62) + bytes(100))
    with pytest.raises(GGUFError, match="incomplete"):
        read_info(path)


def test_huge_string_array_fails_fast(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    header = b"GGUF" + struct.pack("<IQQ", 3, 0, 1)
    kv = struct.pack("<Q", 3) + b"key" + struct.pack("<IIQ", ARRAY, STRING, 2**61)
    path.write_bytes(header + kv + bytes(64))
    with pytest.raises(GGUFError, match="incomplete"):
        read_info(path)


def test_misaligned_tensor_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    write_gguf(path, tensors=[Tensor("a", (8,)), Tensor("b", (8,), offset=40)])
    with pytest.raises(GGUFError, match="damaged"):
        read_info(path)


def test_custom_alignment(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    kvs = [*chat_metadata(), ("general.alignment", UINT32, 256)]
    layout = write_gguf(path, kvs, [Tensor("a", (8,)), Tensor("b", (8,))], alignment=256)
    info = read_info(path)
    assert info.data_offset % 256 == 0
    assert info.data_end == layout.size


@pytest.mark.parametrize("value", [0, 3, 48])
def test_invalid_alignment_is_damaged(tmp_path: Path, value: int) -> None:
    path = tmp_path / "m.gguf"
    write_gguf(path, [*chat_metadata(), ("general.alignment", UINT32, value)])
    with pytest.raises(GGUFError, match="damaged"):
        read_info(path)


def test_unknown_metadata_type_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    write_gguf(path, [("general.architecture", STRING, "llama"), ("x", 99, None)])
    with pytest.raises(GGUFError, match="damaged"):
        read_info(path)


def test_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(GGUFError, match="could not read this file"):
        read_info(tmp_path / "absent.gguf")
    with pytest.raises(GGUFError, match="could not read this file"):
        read_info(tmp_path)


def test_real_starter_original(starter_original: Path) -> None:
    info = read_info(starter_original)
    assert info.version == 3
    assert info.architecture == "llama"
    assert info.tokenizer_model == "gpt2"
    assert info.pre_tokenizer == "smollm"
    assert info.pre_tokenizer_offset == STARTER_ORIGINAL_PRE_OFFSET
    assert info.context_length == 8192
    assert info.chat_template is not None and "<|im_start|>" in info.chat_template
    assert info.tensor_count == 272
    assert info.data_end == info.file_size == 98_362_432


def test_real_model_cut_short_by_megabytes(tmp_path: Path, starter_original: Path) -> None:
    info = read_info(starter_original)
    cut = tmp_path / "cut.gguf"
    with open(starter_original, "rb") as fin, open(cut, "wb") as fout:
        fout.write(fin.read(info.data_offset))
        fout.truncate(info.file_size - 3 * 2**20)  # sparse: the tensor data is just missing
    with pytest.raises(GGUFError, match=f"ends after {info.file_size - 3 * 2**20:,} bytes"):
        read_info(cut)


# --- check_loadable -------------------------------------------------------------------------


def _info(tmp_path: Path, **meta: str | None) -> gguf.GGUFInfo:
    path = tmp_path / "m.gguf"
    write_gguf(path, chat_metadata(**meta))
    return read_info(path)


@pytest.mark.parametrize("arch", ["llama", "falcon", "mpt", "gptneox", "qwen2", "phi3", "gemma2"])
def test_loadable_architectures(tmp_path: Path, arch: str) -> None:
    check_loadable(_info(tmp_path, arch=arch))


def test_design_architectures_are_listed() -> None:
    for arch in ("llama", "falcon", "mpt", "gptneox", "qwen2", "phi3", "gemma2", "starcoder"):
        assert arch in LOADABLE_ARCHITECTURES
    assert not LOADABLE_ARCHITECTURES & EMBEDDING_ARCHITECTURES


@pytest.mark.parametrize("arch", ["mamba", "gptj", "t5", "exaone", "smollm"])
def test_unsupported_architecture(tmp_path: Path, arch: str) -> None:
    with pytest.raises(
        GGUFError,
        match=rf"^This model uses the '{arch}' architecture, which this version of ClinicChat "
        r"cannot run\.$",
    ):
        check_loadable(_info(tmp_path, arch=arch))


@pytest.mark.parametrize("arch", ["bert", "nomic-bert"])
def test_embedding_models_are_not_for_chat(tmp_path: Path, arch: str) -> None:
    with pytest.raises(GGUFError, match="embedding model"):
        check_loadable(_info(tmp_path, arch=arch))


def test_missing_architecture(tmp_path: Path) -> None:
    with pytest.raises(GGUFError, match="does not say which architecture"):
        check_loadable(_info(tmp_path, arch=None))


@pytest.mark.parametrize("pre", sorted(KNOWN_PRE_TOKENIZERS))
def test_known_pre_tokenizers(tmp_path: Path, pre: str) -> None:
    check_loadable(_info(tmp_path, pre=pre), allow_alias=False)


@pytest.mark.parametrize("pre", ["tekken", "codeshell", "exaone", "gpt3-finnish"])
def test_unknown_pre_tokenizer(tmp_path: Path, pre: str) -> None:
    with pytest.raises(
        GGUFError,
        match=rf"^This model needs a newer tokenizer \('{pre}'\) than this version of "
        r"ClinicChat supports\.$",
    ):
        check_loadable(_info(tmp_path, pre=pre))


def test_aliased_pre_tokenizer_is_loadable_only_for_import(tmp_path: Path) -> None:
    info = _info(tmp_path, pre="smollm")
    check_loadable(info)
    with pytest.raises(GGUFError, match="newer tokenizer"):
        check_loadable(info, allow_alias=False)


def test_pre_tokenizer_ignored_for_sentencepiece(tmp_path: Path) -> None:
    """llama.cpp of that era reads tokenizer.ggml.pre only for BPE tokenizers."""
    check_loadable(_info(tmp_path, tokenizer="llama", pre="tekken"), allow_alias=False)


@pytest.mark.parametrize(("tokenizer", "words"), [(None, "no tokenizer"), ("rwkv", "'rwkv'")])
def test_tokenizer_model_must_be_known(tmp_path: Path, tokenizer: str | None, words: str) -> None:
    with pytest.raises(GGUFError, match=words):
        check_loadable(_info(tmp_path, tokenizer=tokenizer))


def test_unknown_tensor_type(tmp_path: Path) -> None:
    path = tmp_path / "m.gguf"
    layout = build(chat_metadata(), [Tensor("a", (8,))])
    raw = bytearray(layout.data)
    # Patch the tensor's type code (just before its 8-byte offset at the header's end).
    raw[layout.header_end - 12 : layout.header_end - 8] = struct.pack("<I", 36)
    path.write_bytes(bytes(raw))
    info = read_info(path)
    assert info.tensor_types == {36}
    with pytest.raises(GGUFError, match="ggml type 36"):
        check_loadable(info)


# --- copy_with_alias ------------------------------------------------------------------------


def test_alias_table_keeps_lengths() -> None:
    for name, alias in PRETOKENIZER_ALIASES.items():
        assert len(name.encode()) == len(alias.encode())
        assert alias in KNOWN_PRE_TOKENIZERS
        assert name not in KNOWN_PRE_TOKENIZERS


def _differences(a: bytes, b: bytes) -> list[int]:
    assert len(a) == len(b)
    return [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]


@pytest.mark.parametrize("chunk", [None, 7, 4096])
def test_copy_with_alias_rewrites_only_the_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int | None
) -> None:
    if chunk is not None:  # small chunks make the name straddle chunk boundaries
        monkeypatch.setattr(gguf_alias, "_COPY_CHUNK", chunk)
    src, dst = tmp_path / "src.gguf", tmp_path / "dst.gguf"
    write_gguf(src, chat_metadata(pre="smollm"))
    assert copy_with_alias(src, dst) is True
    info = read_info(dst)
    assert info.pre_tokenizer == "refact"
    assert info.pre_tokenizer_offset is not None
    diff = _differences(src.read_bytes(), dst.read_bytes())
    assert diff and diff[0] >= info.pre_tokenizer_offset
    assert diff[-1] < info.pre_tokenizer_offset + 6
    check_loadable(info, allow_alias=False)
    assert read_info(src).pre_tokenizer == "smollm"  # the source is untouched


@pytest.mark.parametrize("pre", ["refact", None, "tekken"])
def test_copy_without_alias_is_identical(tmp_path: Path, pre: str | None) -> None:
    src, dst = tmp_path / "src.gguf", tmp_path / "dst.gguf"
    write_gguf(src, chat_metadata(pre=pre))
    assert copy_with_alias(src, dst) is False
    assert src.read_bytes() == dst.read_bytes()


def test_copy_refuses_non_gguf(tmp_path: Path) -> None:
    src = tmp_path / "notes.txt"
    src.write_text("not a model")
    with pytest.raises(GGUFError, match="not a GGUF"):
        copy_with_alias(src, tmp_path / "dst.gguf")
    assert not (tmp_path / "dst.gguf").exists()
