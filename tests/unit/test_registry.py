"""The installed-model registry: listing, importing (with its refusals) and removing."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from gguf_writer import chat_metadata, write_gguf

from clinichat.llm.engines.base import GPT4ALL, LLAMACPP
from clinichat.models import registry as registry_module
from clinichat.models.catalog import CatalogEntry
from clinichat.models.gguf import GGUFError, read_info
from clinichat.models.registry import InstalledModel, ModelExistsError, ModelRegistry

CATALOG = [CatalogEntry(name="Known Model", filename="known.gguf")]


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"


@pytest.fixture
def registry(models_dir: Path) -> ModelRegistry:
    return ModelRegistry(models_dir, CATALOG, probe=None)  # header-only fakes cannot load


@pytest.fixture
def source(tmp_path: Path) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    return folder


def _folder_listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# --- listing --------------------------------------------------------------------------------


def test_missing_folder_lists_nothing(registry: ModelRegistry) -> None:
    assert registry.installed() == []
    assert registry.problems == []


def test_installed_lists_gguf_files_only(registry: ModelRegistry, models_dir: Path) -> None:
    models_dir.mkdir()
    write_gguf(models_dir / "known.gguf", chat_metadata(name="Header Name"))
    write_gguf(models_dir / "named.gguf", chat_metadata(name="  Header Name  "))
    write_gguf(models_dir / "nameless.gguf", chat_metadata(name=None))
    write_gguf(models_dir / "half.gguf.part")  # an import in progress
    write_gguf(models_dir / "notes.txt")
    (models_dir / "folder.gguf").mkdir()
    models = registry.installed()
    assert [m.filename for m in models] == ["known.gguf", "named.gguf", "nameless.gguf"]
    assert [m.display_name for m in models] == ["Known Model", "Header Name", "nameless"]
    assert models[0].catalog_entry is CATALOG[0]
    assert models[1].catalog_entry is None
    assert models[0].path == models_dir / "known.gguf"
    assert models[0].size == (models_dir / "known.gguf").stat().st_size
    assert models[0].info.architecture == "llama"
    assert registry.problems == []


def test_installed_collects_problems(registry: ModelRegistry, models_dir: Path) -> None:
    models_dir.mkdir()
    write_gguf(models_dir / "good.gguf")
    (models_dir / "text.gguf").write_text("not a model")
    write_gguf(models_dir / "embed.gguf", chat_metadata(arch="nomic-bert", pre=None))
    write_gguf(models_dir / "no-arch.gguf", chat_metadata(arch=None))
    layout = write_gguf(models_dir / "cut.gguf")
    os.truncate(models_dir / "cut.gguf", layout.size - 10)
    assert [m.filename for m in registry.installed()] == ["good.gguf"]
    assert registry.problems == [
        f"cut.gguf: This model file is incomplete (it ends after {layout.size - 10:,} bytes); "
        "download or copy it again.",
        "embed.gguf: This is an embedding model ('nomic-bert'), used for document search; it"
        " cannot hold a conversation.",
        "no-arch.gguf: This model file does not say which architecture it uses, so ClinicChat"
        " cannot run it.",
        "text.gguf: This file is not a GGUF model file.",
    ]
    (models_dir / "text.gguf").unlink()
    registry.installed()
    assert len(registry.problems) == 3  # problems are per call, not accumulated


def test_files_gpt4all_cannot_run_go_to_llamacpp_with_the_reason(
    registry: ModelRegistry, models_dir: Path
) -> None:
    """A newer architecture or pre-tokenizer is listed for the llama.cpp engine, and the
    listing keeps why gpt4all cannot run it (shown in the model manager and `models list`)."""
    models_dir.mkdir()
    write_gguf(models_dir / "gemma.gguf", chat_metadata(arch="gemma3", tokenizer="llama"))
    write_gguf(models_dir / "raw-smollm.gguf", chat_metadata(pre="smollm"))
    models = {m.filename: m for m in registry.installed()}
    assert registry.problems == []
    gemma, smol = models["gemma.gguf"].engine, models["raw-smollm.gguf"].engine
    assert (gemma.engine, smol.engine) == (LLAMACPP, LLAMACPP)
    assert str(gemma.problems[GPT4ALL]) == (
        "This model uses the 'gemma3' architecture, which this version of ClinicChat cannot run."
    )
    assert "newer tokenizer ('smollm')" in str(smol.problems[GPT4ALL])
    assert LLAMACPP not in gemma.problems


def test_find(registry: ModelRegistry, models_dir: Path) -> None:
    models_dir.mkdir()
    write_gguf(models_dir / "known.gguf")
    (models_dir / "text.gguf").write_text("not a model")
    found = registry.find("known.gguf")
    assert found is not None and found.display_name == "Known Model"
    assert registry.find("absent.gguf") is None
    assert registry.find("text.gguf") is None
    for bad in ("../known.gguf", "a/b.gguf", "", "..", "x\0.gguf"):
        with pytest.raises(ValueError):
            registry.find(bad)


# --- importing ------------------------------------------------------------------------------


def test_import_copies_and_lists(registry: ModelRegistry, source: Path, models_dir: Path) -> None:
    src = source / "known.gguf"
    write_gguf(src, chat_metadata(name="From Header"))
    model = registry.import_file(src)
    assert isinstance(model, InstalledModel)
    assert model.path == models_dir / "known.gguf"
    assert model.display_name == "Known Model"
    assert model.path.read_bytes() == src.read_bytes()
    assert src.exists()  # a copy, never a move
    assert registry.installed() == [model]
    assert _folder_listing(models_dir) == ["known.gguf"]


def test_import_applies_the_alias_for_gpt4all_only(registry: ModelRegistry, source: Path) -> None:
    """A ChatML file runs on gpt4all, which needs the pre-tokenizer alias; a file with another
    chat format goes to llama.cpp, which reads the original name, so its bytes stay as they are."""
    chatml = source / "smol.gguf"
    write_gguf(chatml, chat_metadata(pre="smollm", chat_template="<|im_start|>{{ x }}"))
    model = registry.import_file(chatml)
    assert model.engine.engine == GPT4ALL
    assert model.info.pre_tokenizer == "refact"
    assert read_info(chatml).pre_tokenizer == "smollm"
    other = source / "smol-other.gguf"
    write_gguf(other, chat_metadata(pre="smollm", chat_template="{{ messages }}"))
    kept = registry.import_file(other)
    assert kept.engine.engine == LLAMACPP
    assert kept.path.read_bytes() == other.read_bytes()
    assert [m.filename for m in registry.installed()] == ["smol-other.gguf", "smol.gguf"]


@pytest.mark.parametrize(
    ("name", "installed_as"),
    [("Model.GGUF", "Model.gguf"), ("model.bin", "model.bin.gguf"), ("plain", "plain.gguf")],
)
def test_import_names_end_in_gguf(
    registry: ModelRegistry, source: Path, name: str, installed_as: str
) -> None:
    write_gguf(source / name)
    assert registry.import_file(source / name).filename == installed_as


def _assert_refused(
    registry: ModelRegistry, models_dir: Path, src: Path, words: str, before: list[str]
) -> None:
    with pytest.raises(GGUFError, match=words):
        registry.import_file(src)
    assert _folder_listing(models_dir) == before  # nothing added, no .part left


def test_import_refuses_non_gguf(registry: ModelRegistry, source: Path, models_dir: Path) -> None:
    src = source / "report.gguf"
    src.write_bytes(b"%PDF-1.7\n" + bytes(1000))
    _assert_refused(registry, models_dir, src, "not a GGUF model file", [])


def test_import_refuses_truncated(registry: ModelRegistry, source: Path, models_dir: Path) -> None:
    src = source / "cut.gguf"
    layout = write_gguf(src)
    os.truncate(src, layout.size - 100)
    _assert_refused(registry, models_dir, src, "incomplete", [])


def test_import_refuses_truncated_real_model(
    registry: ModelRegistry, source: Path, models_dir: Path, starter_original: Path
) -> None:
    info = read_info(starter_original)
    src = source / "SmolLM2-cut.gguf"
    with open(starter_original, "rb") as fin, open(src, "wb") as fout:
        fout.write(fin.read(info.data_offset))
        fout.truncate(info.file_size - 5 * 2**20)
    _assert_refused(registry, models_dir, src, "incomplete", [])


def test_import_refuses_a_file_without_tokenizer(
    registry: ModelRegistry, source: Path, models_dir: Path
) -> None:
    src = source / "rwkv.gguf"
    write_gguf(src, chat_metadata(arch="rwkv6", tokenizer=None))
    _assert_refused(registry, models_dir, src, "no tokenizer", [])


def test_import_refuses_embedding_model(
    registry: ModelRegistry, source: Path, models_dir: Path
) -> None:
    src = source / "nomic-embed.gguf"
    write_gguf(src, chat_metadata(arch="nomic-bert", tokenizer="bert", pre=None))
    _assert_refused(registry, models_dir, src, "embedding model", [])


def test_import_refuses_duplicate_name(
    registry: ModelRegistry, source: Path, models_dir: Path
) -> None:
    first = source / "model.gguf"
    write_gguf(first, chat_metadata(name="First"))
    registry.import_file(first)
    other = source / "other"
    other.mkdir()
    second = other / "model.gguf"
    write_gguf(second, chat_metadata(name="Second"))
    with pytest.raises(ModelExistsError, match=r"named 'model\.gguf' is already installed"):
        registry.import_file(second)
    assert _folder_listing(models_dir) == ["model.gguf"]
    assert read_info(models_dir / "model.gguf").name == "First"  # not overwritten


def test_import_refuses_a_file_already_in_the_folder(
    registry: ModelRegistry, models_dir: Path
) -> None:
    models_dir.mkdir()
    write_gguf(models_dir / "here.gguf")
    with pytest.raises(ModelExistsError):
        registry.import_file(models_dir / "here.gguf")
    assert _folder_listing(models_dir) == ["here.gguf"]


def test_failed_copy_leaves_no_part(
    registry: ModelRegistry, source: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up mid-copy: the error is readable and no partial file remains."""

    def copy_then_fail(src: Path, dst: Path, *, alias: bool) -> bool:
        Path(dst).write_bytes(Path(src).read_bytes()[:100])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(registry_module, "copy_with_alias", copy_then_fail)
    src = source / "model.gguf"
    write_gguf(src)
    with pytest.raises(GGUFError, match="could not copy the model file"):
        registry.import_file(src)
    assert _folder_listing(models_dir) == []


def test_interrupted_copy_leaves_no_part(
    registry: ModelRegistry, source: Path, models_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def copy_then_interrupt(src: Path, dst: Path, *, alias: bool) -> bool:
        Path(dst).write_bytes(b"GGUF")
        raise KeyboardInterrupt

    monkeypatch.setattr(registry_module, "copy_with_alias", copy_then_interrupt)
    src = source / "model.gguf"
    write_gguf(src)
    with pytest.raises(KeyboardInterrupt):
        registry.import_file(src)
    assert _folder_listing(models_dir) == []


def test_stale_part_is_replaced(registry: ModelRegistry, source: Path, models_dir: Path) -> None:
    models_dir.mkdir()
    (models_dir / "model.gguf.part").write_bytes(b"left over from a crash")
    src = source / "model.gguf"
    write_gguf(src)
    registry.import_file(src)
    assert _folder_listing(models_dir) == ["model.gguf"]


# --- removing -------------------------------------------------------------------------------


def test_remove(registry: ModelRegistry, source: Path, models_dir: Path) -> None:
    write_gguf(source / "a.gguf")
    write_gguf(source / "b.gguf")
    registry.import_file(source / "a.gguf")
    registry.import_file(source / "b.gguf")
    (models_dir / "a.gguf.part").write_bytes(b"stale")
    registry.remove("a.gguf")
    assert _folder_listing(models_dir) == ["b.gguf"]
    assert registry.find("a.gguf") is None
    with pytest.raises(FileNotFoundError):
        registry.remove("a.gguf")
    with pytest.raises(ValueError):
        registry.remove("../downloads/b.gguf")
    assert (source / "b.gguf").exists()


def test_starter_is_listed(starter_model: Path) -> None:
    registry = ModelRegistry(starter_model.parent, [])
    [model] = registry.installed()
    assert model.path == starter_model
    assert model.info.pre_tokenizer == "refact"
    assert model.display_name == "Smollm2 135M 8k Lc100K Mix1 Ep2"  # general.name, no catalog
