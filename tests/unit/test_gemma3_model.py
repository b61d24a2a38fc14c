"""A real current model (Gemma 3 270M, architecture gemma3) that only llama.cpp can run.

gpt4all 2.8.2 refuses it; the llama.cpp engine imports (with the real probe load in a child),
lists, loads and answers it. It has no chat template, so the profile says a generic format
is used.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from clinichat.llm.engines import load_engine
from clinichat.llm.engines.base import GPT4ALL, LLAMACPP, GenerationParams, ModelLoadError
from clinichat.llm.templates import profile_for
from clinichat.models.catalog import load_catalog
from clinichat.models.registry import InstalledModel, ModelRegistry
from clinichat.resources import bundled_catalog_path

pytestmark = pytest.mark.slow

GEMMA3_REFUSAL = (
    "This model uses the 'gemma3' architecture, which this version of ClinicChat cannot run."
)


@pytest.fixture(scope="module")
def installed(gemma3_file: Path, tmp_path_factory: pytest.TempPathFactory) -> InstalledModel:
    catalog, problems = load_catalog(bundled_catalog_path())
    assert problems == []
    registry = ModelRegistry(tmp_path_factory.mktemp("models"), catalog)
    return registry.import_file(gemma3_file)  # probe-loaded in a child on llama.cpp


def test_import_chooses_llamacpp_and_says_why_gpt4all_cannot(
    installed: InstalledModel, gemma3_file: Path
) -> None:
    assert installed.info.architecture == "gemma3"
    assert installed.engine.engine == LLAMACPP
    assert str(installed.engine.problems[GPT4ALL]) == GEMMA3_REFUSAL
    assert installed.path.read_bytes() == gemma3_file.read_bytes(), "copied as published"


def test_gpt4all_engine_refuses_it_with_the_clear_message(installed: InstalledModel) -> None:
    spec = profile_for(installed).spec
    with pytest.raises(ModelLoadError) as raised:
        load_engine(type(spec)(spec.path, "%1", 512, engine=GPT4ALL), threads=1)
    assert GEMMA3_REFUSAL in str(raised.value)


def test_llamacpp_engine_answers(installed: InstalledModel) -> None:
    profile = profile_for(installed, context=1024)
    assert profile.spec.engine == LLAMACPP
    assert profile.notice is not None and "no chat format" in profile.notice
    engine = load_engine(profile.spec, threads=2)
    try:
        pieces: list[str] = []
        params = GenerationParams(max_tokens=24, temperature=0.0, top_k=1)
        result = engine.generate(
            "", [], "The kidneys filter blood by", params, pieces.append, threading.Event()
        )
        description = engine.describe()
    finally:
        engine.close()
    assert result.text.strip() and "".join(pieces) == result.text
    assert result.tokens > 1 and result.tokens_per_second > 0
    assert description.engine == LLAMACPP and description.device == "CPU"


def test_cli_import_and_list_name_the_engine(gemma3_file: Path, tmp_path: Path) -> None:
    base = tmp_path / "base"
    run = [sys.executable, "-m", "clinichat", "--basedir", str(base), "models"]
    imported = subprocess.run(
        [*run, "import", str(gemma3_file)], capture_output=True, text=True, timeout=300
    )
    assert imported.returncode == 0, imported.stderr
    assert "engine: llamacpp" in imported.stderr
    assert f"gpt4all cannot run it: {GEMMA3_REFUSAL}" in imported.stderr
    listed = subprocess.run([*run, "list", "--installed"], capture_output=True, text=True)
    assert listed.returncode == 0, listed.stderr
    assert "engine: llamacpp" in listed.stdout
    assert f"gpt4all cannot run it: {GEMMA3_REFUSAL}" in listed.stdout
