"""One rule for model file names, shared by the catalog and the registry.

A name from a catalog or the UI becomes a file in the models folder on Linux, macOS and
Windows alike: it must stay in the folder, mean the same file everywhere, and end in .gguf.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gguf_writer import write_gguf

from clinichat.models.catalog import file_name_problem, load_catalog
from clinichat.models.gguf import GGUFError
from clinichat.models.registry import ModelRegistry

REFUSED = [
    "CON",
    "con.gguf",
    "aux.gguf",
    "Aux.Q4_0.gguf",
    "NUL .gguf",
    "prn.gguf",
    "COM1.gguf",
    "com9.gguf",
    "LPT1.gguf",
    "lpt9.gguf",
    "COM¹.gguf",
    "model.gguf.",
    "model.gguf ",
    " model.gguf",
    "model<1>.gguf",
    'say "hi".gguf',
    "a:b.gguf",
    "a|b.gguf",
    "why?.gguf",
    "star*.gguf",
    "line\nbreak.gguf",
    "tab\there.gguf",
    "bell\x07.gguf",
    "del\x7f.gguf",
    "model.bin",
    "model",
    "model.GGUF",
    ".gguf",
    "x" * 251 + ".gguf",
]
ACCEPTED = [
    "mistral-7b-instruct-v0.1.Q4_0.gguf",
    "SmolLM2-135M-Instruct.Q4_1.gguf",
    "console.gguf",  # only the device names themselves are reserved
    "com10.gguf",
    "auxiliary.gguf",
    "modèle médical.gguf",
]


def _entry(filename: str) -> dict[str, object]:
    return {"name": "M", "filename": filename, "url": "https://example.invalid/m.gguf"}


@pytest.mark.parametrize("name", REFUSED)
def test_rule_refuses(name: str) -> None:
    assert file_name_problem(name) is not None


@pytest.mark.parametrize("name", ACCEPTED)
def test_rule_accepts(name: str) -> None:
    assert file_name_problem(name) is None


def test_catalog_skips_entries_with_such_names_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps([_entry("ok.gguf")] + [_entry(n) for n in REFUSED]))
    entries, problems = load_catalog(path)
    assert [e.filename for e in entries] == ["ok.gguf"]
    assert len(problems) == len(REFUSED)
    assert all("not a plain file name: " in p for p in problems)
    assert any("Windows reserves this name" in p for p in problems)
    assert any("control character" in p for p in problems)
    assert any("does not end in .gguf" in p for p in problems)


@pytest.mark.parametrize("name", ["aux.gguf", "COM1.gguf", "a:b.gguf", "x\ny.gguf", "m.gguf."])
def test_registry_refuses_such_names(tmp_path: Path, name: str) -> None:
    registry = ModelRegistry(tmp_path, [], probe=None)
    for call in (registry.find, registry.remove, registry.adopt_download):
        with pytest.raises(ValueError, match="not a plain file name"):
            call(name)


def test_registry_does_not_list_a_reserved_name_copied_in_by_hand(tmp_path: Path) -> None:
    write_gguf(tmp_path / "good.gguf")
    write_gguf(tmp_path / "aux.gguf")  # possible on Linux; the same folder breaks on Windows
    registry = ModelRegistry(tmp_path, [], probe=None)
    assert [m.filename for m in registry.installed()] == ["good.gguf"]
    assert len(registry.problems) == 1 and "aux.gguf" in registry.problems[0]


@pytest.mark.parametrize("name", ["CON.gguf", "nul", "what?.gguf"])
def test_import_refuses_such_names(tmp_path: Path, name: str) -> None:
    source = tmp_path / "source"
    source.mkdir()
    write_gguf(source / name)
    models = tmp_path / "models"
    registry = ModelRegistry(models, [], probe=None)
    with pytest.raises(GGUFError, match="cannot be used for a model"):
        registry.import_file(source / name)
    assert not models.exists() or list(models.iterdir()) == []
