"""The models3.json catalog reader, the bundled catalog and resource paths."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest

from clinichat import resources
from clinichat.models.catalog import (
    BACKEND_APP_VERSION,
    GPT4ALL_ENGINE,
    LLAMACPP_ENGINE,
    CatalogEntry,
    find_by_filename,
    load_catalog,
)
from clinichat.models.starter import STARTER_FILENAME, STARTER_MD5, STARTER_SIZE
from clinichat.resources import bundled_catalog_path, resource_path

REPO = Path(__file__).resolve().parents[2]
# GPT4All's own catalogs, copied into the repository (source and licence in its README), so
# these tests run the same in any checkout and never skip.
DATA = REPO / "tests" / "data"
GPT4ALL_CATALOGS = ("gpt4all-models3-2024-07-29.json", "gpt4all-models3-2025-01-30.json")


def _reference(name: str) -> Path:
    return DATA / name


@pytest.mark.parametrize("name", GPT4ALL_CATALOGS)
def test_reference_catalogs_are_the_published_bytes(name: str) -> None:
    """The copies stay byte for byte what GPT4All published (their sha256 is in the README)."""
    digest = hashlib.sha256(_reference(name).read_bytes()).hexdigest()
    assert digest in (DATA / "README.md").read_text(encoding="utf-8")


def _entry(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "name": "Test Model",
        "filename": "test.gguf",
        "filesize": "1234",
        "md5sum": "0" * 32,
        "ramrequired": "4",
        "promptTemplate": "### User:\n%1\n### Assistant:\n%2",
        "systemPrompt": "",
        "description": "<ul><li>Licensed for commercial use</li></ul>",
    }
    base.update(fields)
    return base


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- the bundled catalog --------------------------------------------------------------------


def test_bundled_catalog_loads_cleanly() -> None:
    entries, problems = load_catalog(bundled_catalog_path())
    assert problems == []
    names = [e.name for e in entries]
    for required in (
        "GPT4All Falcon",
        "Mini Orca (Small)",
        "MPT Chat",
        "Phi-3 Mini Instruct",
        "Qwen2-1.5B-Instruct",
        "Mistral Instruct",
        "Mistral OpenOrca",
        "Llama 3.1 8B Instruct 128k",
    ):
        assert required in names
    assert names.count("MPT Chat") == 2
    # The starter, GPT4All's 9, the 9 current models for llama.cpp (test_current_catalog) and
    # 3 embedding models for document search (test_search_catalog).
    assert len(entries) == 22
    assert len([e for e in entries if e.engine == LLAMACPP_ENGINE]) == 12
    assert all(e.engine in (None, LLAMACPP_ENGINE) for e in entries)


def test_bundled_starter_entry_comes_first() -> None:
    entries, _ = load_catalog(bundled_catalog_path())
    starter = entries[0]
    assert starter.name == "SmolLM2 135M Instruct (starter)"
    assert starter.filename == STARTER_FILENAME
    assert starter.filesize == STARTER_SIZE
    assert starter.md5sum == STARTER_MD5
    assert starter.ram_required_gb == 1
    assert starter.quant == "q4_1"
    assert starter.model_type == "llama"
    assert starter.url is not None and starter.url.startswith("https://huggingface.co/")
    assert starter.prompt_template == (
        "<|im_start|>user\n%1<|im_end|>\n<|im_start|>assistant\n%2<|im_end|>\n"
    )
    assert starter.system_prompt.startswith("<|im_start|>system\n")
    assert starter.system_prompt.endswith("<|im_end|>\n")
    assert "not for clinical use" in starter.description
    assert "Apache 2.0" in starter.description
    assert starter.commercial_use is True


@pytest.mark.parametrize(
    ("filename", "commercial"),
    [
        ("gpt4all-falcon-newbpe-q4_0.gguf", True),
        ("orca-mini-3b-gguf2-q4_0.gguf", False),
        ("mpt-7b-chat-newbpe-q4_0.gguf", False),
        ("mpt-7b-chat.gguf4.Q4_0.gguf", False),
        ("Phi-3-mini-4k-instruct.Q4_0.gguf", True),  # "No restrictions on commercial use"
        ("mistral-7b-instruct-v0.1.Q4_0.gguf", True),
        ("qwen2-1_5b-instruct-q4_0.gguf", None),  # says Apache 2.0, not the phrase
    ],
)
def test_bundled_licences(filename: str, commercial: bool | None) -> None:
    entries, _ = load_catalog(bundled_catalog_path())
    entry = find_by_filename(entries, filename)
    assert entry is not None
    assert entry.commercial_use is commercial


def test_bundled_entries_copy_gpt4all_facts() -> None:
    """Every fact of a GPT4All model is GPT4All's, copied from one of its published catalogs;
    only the order and the description (ClinicChat shows its own) may differ."""
    bundled = json.loads(bundled_catalog_path().read_text(encoding="utf-8"))
    references = [
        {e["filename"]: e for e in json.loads(_reference(name).read_text(encoding="utf-8"))}
        for name in GPT4ALL_CATALOGS
    ]
    gpt4all = [e for e in bundled[1:] if "engine" not in e]
    assert len(gpt4all) == 9
    for entry in gpt4all:
        facts = {k: v for k, v in entry.items() if k not in ("order", "description")}
        sources = [r[entry["filename"]] for r in references if entry["filename"] in r]
        assert any(facts == {k: s.get(k) for k in facts} for s in sources), entry["name"]


def test_bundled_llama_3_1_is_gpt4all_entry() -> None:
    """The model recommended first on computers with 8 GB (issue 11): GPT4All's facts."""
    entries, _ = load_catalog(bundled_catalog_path())
    llama = find_by_filename(entries, "Meta-Llama-3.1-8B-Instruct-128k-Q4_0.gguf")
    assert llama is not None
    assert (llama.filesize, llama.md5sum, llama.ram_required_gb, llama.requires) == (
        4661212096,
        "8a9c75bcd8a66b7693f158ec96924eeb",
        8,
        "3.1.1",
    )
    assert llama.chat_problem is None, "the bundled engine runs it"
    assert llama.prompt_template is not None and "<|start_header_id|>user" in llama.prompt_template


def test_mpt_fields() -> None:
    entries, _ = load_catalog(bundled_catalog_path())
    old = find_by_filename(entries, "mpt-7b-chat-newbpe-q4_0.gguf")
    assert old is not None
    assert old.removed_in == "2.7.3"
    assert old.requires == "2.7.1"
    assert old.filesize == 3912373472
    assert old.ram_required_gb == 8
    assert old.order == "m"
    assert old.parameters == "7 billion"


@pytest.mark.parametrize("name", GPT4ALL_CATALOGS)
def test_gpt4all_catalogs_load(name: str) -> None:
    path = _reference(name)
    entries, problems = load_catalog(path)
    assert problems == []
    assert len(entries) == len(json.loads(path.read_text(encoding="utf-8")))
    flags = {e.filename: (e.disable_gui, e.embedding_model) for e in entries}
    if name.endswith("2024-07-29.json"):
        assert flags["all-MiniLM-L6-v2.gguf2.f16.gguf"] == (False, True)
        assert flags["replit-code-v1_5-3b-newbpe-q4_0.gguf"] == (True, False)


# --- problems -------------------------------------------------------------------------------


def test_bad_entry_is_reported_and_the_rest_load(tmp_path: Path) -> None:
    data = [
        _entry(name="Falcon", filename="falcon.gguf"),
        _entry(name="MPT Chat", filename="mpt.gguf"),
        _entry(name="Broken", filename="broken.gguf", filesize="about 4 GB"),
        _entry(name="Orca", filename="orca.gguf"),
    ]
    entries, problems = load_catalog(_write(tmp_path, data))
    assert [e.name for e in entries] == ["Falcon", "MPT Chat", "Orca"]
    assert problems == ["entry 3 ('Broken'): field 'filesize' is not a number"]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"filesize": "about 4 GB"}, "field 'filesize' is not a number"),
        ({"filesize": True}, "field 'filesize' is not a number"),
        ({"filesize": "-5"}, "field 'filesize' is not a number"),
        ({"ramrequired": "lots"}, "field 'ramrequired' is not a number"),
        ({"name": None}, "field 'name' is missing"),
        ({"name": "  "}, "field 'name' is empty"),
        ({"name": 7}, "field 'name' is not text"),
        ({"filename": "../../.bashrc"}, "field 'filename' is not a plain file name"),
        ({"filename": "sub/model.gguf"}, "field 'filename' is not a plain file name"),
        ({"filename": "C:model.gguf"}, "field 'filename' is not a plain file name"),
        ({"filename": ".hidden.gguf"}, "field 'filename' is not a plain file name"),
        ({"md5sum": "abc"}, "field 'md5sum' is not a valid checksum"),
        ({"sha256sum": "z" * 64}, "field 'sha256sum' is not a valid checksum"),
        ({"promptTemplate": "no placeholder"}, "field 'promptTemplate' has no %1"),
        ({"disableGUI": "maybe"}, "field 'disableGUI' is not true or false"),
        ({"systemPrompt": ["x"]}, "field 'systemPrompt' is not text"),
        ({"engine": "llama.cpp"}, "field 'engine' is not 'gpt4all' or 'llamacpp'"),
        ({"engine": "LlamaCpp"}, "field 'engine' is not 'gpt4all' or 'llamacpp'"),
        ({"engine": ""}, "field 'engine' is not 'gpt4all' or 'llamacpp'"),
        ({"engine": "vllm"}, "field 'engine' is not 'gpt4all' or 'llamacpp'"),
        ({"engine": True}, "field 'engine' is not text"),
        ({"licence": 2}, "field 'licence' is not text"),
        ({"languages": ["en", "es"]}, "field 'languages' is not text"),
    ],
)
def test_field_problems(tmp_path: Path, fields: dict[str, object], problem: str) -> None:
    entry = _entry(**fields)
    entries, problems = load_catalog(_write(tmp_path, [_entry(filename="ok.gguf"), entry]))
    assert [e.filename for e in entries] == ["ok.gguf"]
    assert len(problems) == 1
    assert problems[0].startswith("entry 2")
    assert problems[0].endswith(problem) or problem in problems[0]


def test_entry_that_is_not_an_object(tmp_path: Path) -> None:
    entries, problems = load_catalog(_write(tmp_path, [_entry(), "oops", 3]))
    assert len(entries) == 1
    assert problems == ["entry 2: it is not an object", "entry 3: it is not an object"]


def test_duplicate_filename(tmp_path: Path) -> None:
    data = [_entry(name="A"), _entry(name="B")]
    entries, problems = load_catalog(_write(tmp_path, data))
    assert [e.name for e in entries] == ["A"]
    assert problems == ["entry 2 ('B'): filename 'test.gguf' is already used by entry 1"]


def test_optional_fields_default(tmp_path: Path) -> None:
    entries, problems = load_catalog(_write(tmp_path, [{"name": "Bare", "filename": "bare.gguf"}]))
    assert problems == []
    assert entries == [CatalogEntry(name="Bare", filename="bare.gguf")]
    bare = entries[0]
    assert bare.system_prompt == ""
    assert bare.prompt_template is None
    assert bare.filesize is None and bare.ram_required_gb is None
    assert bare.commercial_use is None
    assert (bare.engine, bare.licence, bare.languages, bare.licence_summary) == (None,) * 4


@pytest.mark.parametrize("engine", [GPT4ALL_ENGINE, LLAMACPP_ENGINE])
def test_engine_licence_and_languages_are_read(tmp_path: Path, engine: str) -> None:
    data = [_entry(engine=engine, licence="MIT", languages="English, Spanish")]
    entries, problems = load_catalog(_write(tmp_path, data))
    assert problems == []
    assert (entries[0].engine, entries[0].licence, entries[0].languages) == (
        engine,
        "MIT",
        "English, Spanish",
    )


def test_numbers_and_flags_in_either_form(tmp_path: Path) -> None:
    data = [
        _entry(filesize=99, ramrequired=2, disableGUI=True, embeddingModel="true", md5sum="A" * 32)
    ]
    entries, problems = load_catalog(_write(tmp_path, data))
    assert problems == []
    e = entries[0]
    assert (e.filesize, e.ram_required_gb, e.disable_gui, e.embedding_model) == (99, 2, True, True)
    assert e.md5sum == "a" * 32


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "The catalog file is not valid JSON (line 1, column 2)."),
        ('{"name": "x"}', "The catalog file does not hold a list of models."),
        ("", "The catalog file is not valid JSON (line 1, column 1)."),
    ],
)
def test_unusable_file(tmp_path: Path, content: str, problem: str) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(content, encoding="utf-8")
    assert load_catalog(path) == ([], [problem])


def test_missing_file(tmp_path: Path) -> None:
    entries, problems = load_catalog(tmp_path / "absent.json")
    assert entries == []
    assert len(problems) == 1
    assert problems[0].startswith("The catalog file could not be read")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_bytes(b'[{"name": "\xff"}]')
    entries, problems = load_catalog(path)
    assert entries == []
    assert len(problems) == 1


# --- commercial use -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("<li>Licensed for commercial use</li>", True),
        ("<li>No restrictions on commercial use</li>", True),
        ("<li>Cannot be used commercially</li>", False),
        ("<li>LICENSED FOR\n  COMMERCIAL USE</li>", True),
        ("<li>Licensed for <b>commercial</b> use</li>", True),
        ("<li>Licensed for commercial use</li><li>Cannot be used commercially</li>", False),
        ("<li>License: Apache 2.0</li>", None),
        ("", None),
    ],
)
def test_commercial_use(description: str, expected: bool | None) -> None:
    entry = CatalogEntry(name="x", filename="x.gguf", description=description)
    assert entry.commercial_use is expected


@pytest.mark.parametrize(
    ("licence", "commercial", "conditions"),
    [
        ("Apache-2.0", True, False),
        ("apache-2.0", True, False),
        ("MIT", True, False),
        ("Gemma Terms of Use", True, True),
        ("HAI-DEF  Terms of Use", True, True),  # runs of spaces do not matter
        ("Llama 3.2 Community License", True, True),
    ],
)
def test_a_known_licence_decides_commercial_use(
    licence: str, commercial: bool, conditions: bool
) -> None:
    """The table wins over the description's wording, in both directions."""
    for description in ("<li>Cannot be used commercially</li>", ""):
        entry = CatalogEntry("x", "x.gguf", description=description, licence=licence)
        assert entry.commercial_use is commercial
        assert entry.licence_terms is not None
        assert entry.licence_terms.conditions is conditions
        assert entry.licence_summary == entry.licence_terms.summary
        assert entry.licence_summary


@pytest.mark.parametrize("licence", ["CC-BY-NC-4.0", "Apache", "Gemma", "proprietary", ""])
def test_an_unknown_licence_decides_nothing(licence: str) -> None:
    """A name ClinicChat does not know is not guessed at: GPT4All's wording still counts."""
    entry = CatalogEntry("x", "x.gguf", licence=licence)
    assert entry.licence_terms is None and entry.licence_summary is None
    assert entry.commercial_use is None
    said = CatalogEntry("x", "x.gguf", licence=licence, description="Licensed for commercial use")
    assert said.commercial_use is True


def test_find_by_filename() -> None:
    a = CatalogEntry(name="A", filename="a.gguf")
    b = CatalogEntry(name="B", filename="b.gguf")
    assert find_by_filename([a, b], "b.gguf") is b
    assert find_by_filename([a, b], "B.gguf") is None
    assert find_by_filename([], "a.gguf") is None


# --- resources ------------------------------------------------------------------------------


def test_resource_path_in_checkout() -> None:
    assert resource_path("catalog.json") == REPO / "resources" / "catalog.json"
    assert bundled_catalog_path() == REPO / "resources" / "catalog.json"
    assert bundled_catalog_path().is_file()
    assert resource_path("icons", "app.png") == REPO / "resources" / "icons" / "app.png"


def test_resource_path_when_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resources_dir() == tmp_path / "resources"
    assert bundled_catalog_path() == tmp_path / "resources" / "catalog.json"


@pytest.mark.parametrize("name", GPT4ALL_CATALOGS)
def test_reference_catalogs_offer_falcon_mini_orca_and_mpt_chat(name: str) -> None:
    entries, problems = load_catalog(_reference(name))
    assert problems == []
    usable = {e.name for e in entries if e.chat_problem is None}
    assert {"GPT4All Falcon", "Mini Orca (Small)", "MPT Chat"} <= usable
    mpt = [e for e in entries if e.name == "MPT Chat"]
    assert len(mpt) == 2, "both MPT Chat files are listed"
    withdrawn = [e for e in mpt if e.chat_problem is not None]
    assert [e.removed_in for e in withdrawn] == ["2.7.3"], "the withdrawn one is marked"
    by_name = {e.name: e for e in entries}
    for hidden in ("SBert", "Nomic Embed Text v1", "Replit"):
        assert by_name[hidden].chat_problem is not None, hidden


def test_chat_problem_rules() -> None:
    base = CatalogEntry(name="m", filename="m.gguf", url="https://x.example/m.gguf")
    assert base.chat_problem is None
    newer = f"{BACKEND_APP_VERSION[0]}.{BACKEND_APP_VERSION[1] + 1}.0"
    assert CatalogEntry(**{**base.__dict__, "requires": newer}).chat_problem
    assert CatalogEntry(**{**base.__dict__, "requires": "3.0"}).chat_problem is None
    assert CatalogEntry(**{**base.__dict__, "removed_in": "2.7.3"}).chat_problem
    assert CatalogEntry(**{**base.__dict__, "removed_in": "9.0.0"}).chat_problem is None
    assert CatalogEntry(**{**base.__dict__, "embedding_model": True}).chat_problem
    assert CatalogEntry(**{**base.__dict__, "disable_gui": True}).chat_problem
    assert CatalogEntry(**{**base.__dict__, "url": None}).chat_problem
    assert CatalogEntry(
        **{**base.__dict__, "engine": GPT4ALL_ENGINE, "requires": newer}
    ).chat_problem


def test_gpt4all_versions_do_not_apply_to_llamacpp_entries() -> None:
    """'requires' and 'removedIn' are GPT4All desktop versions: they say nothing about llama.cpp."""
    newer = f"{BACKEND_APP_VERSION[0]}.{BACKEND_APP_VERSION[1] + 1}.0"
    entry = CatalogEntry(
        name="m", filename="m.gguf", url="https://x.example/m.gguf", engine=LLAMACPP_ENGINE
    )
    assert entry.chat_problem is None
    assert CatalogEntry(**{**entry.__dict__, "requires": newer}).chat_problem is None
    assert CatalogEntry(**{**entry.__dict__, "requires": "99.0"}).chat_problem is None
    assert CatalogEntry(**{**entry.__dict__, "removed_in": "2.7.3"}).chat_problem is None
    # What is not about GPT4All's versions still applies.
    assert CatalogEntry(**{**entry.__dict__, "embedding_model": True}).chat_problem
    assert CatalogEntry(**{**entry.__dict__, "disable_gui": True}).chat_problem
    assert CatalogEntry(**{**entry.__dict__, "url": None}).chat_problem


def test_a_llamacpp_entry_read_from_a_file_ignores_gpt4all_versions(tmp_path: Path) -> None:
    data = [
        _entry(filename="new.gguf", engine="llamacpp", requires="9.0", removedIn="2.0"),
        _entry(filename="old.gguf", requires="9.0", url="https://x.example/old.gguf"),
    ]
    for raw in data:
        raw.pop("promptTemplate")
        raw["url"] = f"https://x.example/{raw['filename']}"
    entries, problems = load_catalog(_write(tmp_path, data))
    assert problems == []
    assert entries[0].prompt_template is None
    assert entries[0].chat_problem is None
    assert entries[1].chat_problem is not None, "an entry naming no engine is GPT4All's"
