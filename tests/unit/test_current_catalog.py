"""The current models of the bundled catalog, for the llama.cpp engine.

Their facts (repository, pinned revision, size, sha256) were gathered from public catalogs and
model pages where two sources agreed; they are written out here, so the test needs nothing
outside tests/ and a changed catalog file fails it.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from clinichat.models.catalog import LLAMACPP_ENGINE, CatalogEntry, find_by_filename, load_catalog
from clinichat.models.descriptions import model_text
from clinichat.models.licences import APACHE_2, GEMMA, HAI_DEF, LLAMA_3_2, MIT
from clinichat.models.recommend import ram_required_gb
from clinichat.resources import bundled_catalog_path

# file, bytes, sha256, revision, repository, licence, ramrequired (GB)
FACTS = [
    (
        "medgemma-1.5-4b-it-Q4_K_M.gguf",
        2_489_894_976,
        "b31becdf4f39561800505514cce67681604fe449d04dd35c8c92fd7848c6d7bd",
        "3855f948626b7ae42bccd082757f15078c53e758",
        "unsloth/medgemma-1.5-4b-it-GGUF",
        HAI_DEF.name,
        5,
    ),
    (
        "gemma-4-E4B_q4_0-it.gguf",
        5_154_941_280,
        "676c35070db6dbe52f93e9c864ee0fba4eddea94b9c875d9cb10daff453fbaee",
        "4b4a2c1d584be7264f87aac328a1bc739ce81b6c",
        "google/gemma-4-E4B-it-qat-q4_0-gguf",
        APACHE_2.name,
        8,
    ),
    (
        "Qwen3-8B-Q4_K_M.gguf",
        5_027_783_488,
        "d98cdcbd03e17ce47681435b5150e34c1417f50b5c0019dd560e4882c5745785",
        "7c41481f57cb95916b40956ab2f0b139b296d974",
        "Qwen/Qwen3-8B-GGUF",
        APACHE_2.name,
        8,
    ),
    (
        "gemma-4-E2B_q4_0-it.gguf",
        3_349_516_256,
        "fa401b55b07ee70a54c6dae3903c783a6e65064312529ea57175cb5f8dec6634",
        "675cff42a74c774d6cb76f76d8eacb49b48c9b93",
        "google/gemma-4-E2B-it-qat-q4_0-gguf",
        APACHE_2.name,
        6,
    ),
    (
        "Qwen3-4B-Q4_K_M.gguf",
        2_497_280_256,
        "7485fe6f11af29433bc51cab58009521f205840f5b4ae3a32fa7f92e8534fdf5",
        "bc640142c66e1fdd12af0bd68f40445458f3869b",
        "Qwen/Qwen3-4B-GGUF",
        APACHE_2.name,
        5,
    ),
    (
        "gemma-3-4b-it-Q4_K_M.gguf",
        2_489_757_856,
        "882e8d2db44dc554fb0ea5077cb7e4bc49e7342a1f0da57901c0802ea21a0863",
        "d0976223747697cb51e056d85c532013931fe52e",
        "ggml-org/gemma-3-4b-it-GGUF",
        GEMMA.name,
        5,
    ),
    (
        "microsoft_Phi-4-mini-instruct-Q4_K_M.gguf",
        2_491_874_688,
        "01999f17c39cc3074afae5e9c539bc82d45f2dd7faa3917c66cbef76fce8c0c2",
        "7ff82c2aaa4dde30121698a973765f39be5288c0",
        "bartowski/microsoft_Phi-4-mini-instruct-GGUF",
        MIT.name,
        5,
    ),
    (
        "Llama-3.2-3B-Instruct-Q4_K_M.gguf",
        2_019_377_696,
        "6c1a2b41161032677be168d354123594c0e6e67d2b9227c84f296ad037c728ff",
        "5ab33fa94d1d04e903623ae72c95d1696f09f9e8",
        "bartowski/Llama-3.2-3B-Instruct-GGUF",
        LLAMA_3_2.name,
        5,
    ),
    (
        "Qwen3-1.7B-Q4_K_M.gguf",
        1_107_409_472,
        "b139949c5bd74937ad8ed8c8cf3d9ffb1e99c866c823204dc42c0d91fa181897",
        "d7f544eead698dbd1f15126ef60b45a1e1933222",
        "unsloth/Qwen3-1.7B-GGUF",
        APACHE_2.name,
        4,
    ),
]
FILES = [fact[0] for fact in FACTS]
REVISION = re.compile(r"[0-9a-f]{40}")
# What a description may use: the formatting safe_html keeps, and links it shows as text.
DESCRIPTION_TAGS = frozenset({"strong", "br", "ul", "li", "a"})


@pytest.fixture(scope="module")
def catalog() -> list[CatalogEntry]:
    entries, problems = load_catalog(bundled_catalog_path())
    assert problems == []
    return entries


@pytest.fixture(scope="module")
def raw() -> dict[str, dict[str, object]]:
    data = json.loads(bundled_catalog_path().read_text(encoding="utf-8"))
    return {e["filename"]: e for e in data}


def _current(catalog: list[CatalogEntry]) -> list[CatalogEntry]:
    return [e for e in catalog if e.engine == LLAMACPP_ENGINE and not e.embedding_model]


def test_the_current_models_are_these(catalog: list[CatalogEntry]) -> None:
    assert [e.filename for e in _current(catalog)] == FILES


@pytest.mark.parametrize(
    ("filename", "size", "sha256", "revision", "repository", "licence", "ram"), FACTS
)
def test_facts_are_the_published_file(
    catalog: list[CatalogEntry],
    filename: str,
    size: int,
    sha256: str,
    revision: str,
    repository: str,
    licence: str,
    ram: int,
) -> None:
    entry = find_by_filename(catalog, filename)
    assert entry is not None
    assert (entry.filesize, entry.sha256sum, entry.licence, entry.ram_required_gb) == (
        size,
        sha256,
        licence,
        ram,
    )
    assert entry.url == f"https://huggingface.co/{repository}/resolve/{revision}/{filename}"
    assert entry.md5sum is None, "no MD5 was published; the SHA-256 is checked"


@pytest.mark.parametrize("filename", FILES)
def test_url_is_pinned_to_a_revision_on_hugging_face(
    catalog: list[CatalogEntry], filename: str
) -> None:
    """Publishers replace files under the same name; a pinned revision never changes."""
    entry = find_by_filename(catalog, filename)
    assert entry is not None and entry.url is not None
    parts = urlsplit(entry.url)
    assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == (
        "https",
        "huggingface.co",
        "",
        "",
    )
    owner, repo, resolve, revision, name = parts.path.strip("/").split("/")
    assert owner and repo and resolve == "resolve"
    assert REVISION.fullmatch(revision), "a 40-hex commit, not a branch such as 'main'"
    assert name == filename


@pytest.mark.parametrize("filename", FILES)
def test_every_current_entry_is_complete(
    catalog: list[CatalogEntry], raw: dict[str, dict[str, object]], filename: str
) -> None:
    entry = find_by_filename(catalog, filename)
    assert entry is not None
    assert entry.filesize and entry.sha256sum and entry.ram_required_gb
    assert entry.licence and entry.languages and entry.parameters and entry.quant
    assert entry.chat_problem is None
    # The llama.cpp engine uses the chat template inside the file; GPT4All's keys are absent.
    assert entry.prompt_template is None and entry.system_prompt == ""
    for key in ("promptTemplate", "systemPrompt", "requires", "removedIn", "md5sum"):
        assert key not in raw[filename], key


@pytest.mark.parametrize("filename", FILES)
def test_memory_follows_the_rule(catalog: list[CatalogEntry], filename: str) -> None:
    """File size + 1 GB for the context + 1.5 GB for the OS and ClinicChat, rounded up."""
    entry = find_by_filename(catalog, filename)
    assert entry is not None and entry.filesize is not None
    assert entry.ram_required_gb == ram_required_gb(entry.filesize)


def test_the_memory_rule() -> None:
    gb = 1024**3
    assert ram_required_gb(0) == 3
    assert ram_required_gb(gb // 2) == 3  # 3.0 exactly
    assert ram_required_gb(gb // 2 + 1) == 4
    assert ram_required_gb(5 * gb) == 8  # 7.5 rounds up
    # Gemma 4 E4B (5.15 GB) needs more than an "8 GB" computer reports (7.7 GB or so).
    assert ram_required_gb(5_154_941_280) == 8


@pytest.mark.parametrize("filename", FILES)
def test_licence_is_known_and_matches_clinichats_own_text(
    catalog: list[CatalogEntry], filename: str
) -> None:
    entry = find_by_filename(catalog, filename)
    assert entry is not None
    terms = entry.licence_terms
    assert terms is not None, f"{entry.licence!r} is in the licence table"
    assert entry.commercial_use is terms.commercial
    ours = model_text(filename)
    assert ours is not None, "ClinicChat has its own words about every bundled model"
    assert ours.licence == entry.licence_summary
    assert ours.commercial is entry.commercial_use
    assert ours.summary and ours.details


def test_licences_say_what_they_are() -> None:
    """MedGemma's terms allow commercial use only under conditions; Apache and MIT have none
    beyond keeping the notice."""
    assert (HAI_DEF.commercial, HAI_DEF.conditions) == (True, True)
    assert (GEMMA.commercial, GEMMA.conditions) == (True, True)
    assert (LLAMA_3_2.commercial, LLAMA_3_2.conditions) == (True, True)
    assert (APACHE_2.commercial, APACHE_2.conditions) == (True, False)
    assert (MIT.commercial, MIT.conditions) == (True, False)
    assert "diagnosis or treatment" in HAI_DEF.summary
    assert "prohibited use policy" in GEMMA.summary


def test_every_bundled_model_has_clinichats_own_text(catalog: list[CatalogEntry]) -> None:
    assert [e.filename for e in catalog if model_text(e.filename) is None] == []


def test_medgemma_says_what_it_is_for_and_is_not(catalog: list[CatalogEntry]) -> None:
    entry = find_by_filename(catalog, FILES[0])
    ours = model_text(FILES[0])
    assert entry is not None and ours is not None
    assert "medical text and image comprehension" in entry.description
    assert "Not for direct clinical decisions" in entry.description
    assert "not meant to inform diagnosis or treatment directly" in ours.details
    assert "Health AI Developer Foundations" in entry.description


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.links: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if tag == "a" and name == "href" and value:
                self.links.append(value)
            else:
                self.attributes.append(f"{tag} {name}")


@pytest.mark.parametrize("filename", FILES)
def test_description_is_plain_safe_html(catalog: list[CatalogEntry], filename: str) -> None:
    entry = find_by_filename(catalog, filename)
    assert entry is not None
    parser = _Tags()
    parser.feed(entry.description)
    parser.close()
    assert parser.tags <= DESCRIPTION_TAGS
    assert parser.attributes == []
    assert parser.links and all(link.startswith("https://") for link in parser.links)
    assert "llama.cpp engine" in entry.description
