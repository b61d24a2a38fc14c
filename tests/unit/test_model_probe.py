"""The child-process probe load, and the registry refusing what it refuses.

The hostile file is real: the starter model with one duplicated vocabulary entry, which
passes every header check and aborts gpt4all 2.8.2's llama.cpp (SIGABRT) inside the load
(see tests/crafted_gguf.py).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from crafted_gguf import aborting_model
from gguf_writer import chat_metadata, write_gguf

from clinichat.models import probe as probe_module
from clinichat.models.gguf import GGUFError, read_info
from clinichat.models.gguf_support import check_loadable
from clinichat.models.probe import (
    PROBE_FLAG,
    ModelProbeError,
    probe_command,
    probe_load,
    probe_timeout,
)
from clinichat.models.registry import ModelRegistry

LOAD_SCRIPT = """
import sys
from pathlib import Path
from clinichat.llm.engines import load_engine
from clinichat.llm.engines.base import ModelSpec
load_engine(ModelSpec(Path(sys.argv[1]), "%1", n_ctx=256), threads=1).close()
"""


@pytest.fixture(scope="module")
def crafted(starter_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return aborting_model(starter_model, tmp_path_factory.mktemp("crafted") / "crafted.gguf")


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.mark.slow
@pytest.mark.skipif(
    os.name != "posix",
    reason="Windows has no SIGABRT exit status to observe; test_any_unclean_exit_refuses"
    " covers the non-zero exit that an abort gives there",
)
def test_crafted_file_passes_header_checks_but_aborts_llama_cpp(crafted: Path) -> None:
    """The premise of the whole feature: header checks cannot catch this file."""
    check_loadable(read_info(crafted), allow_alias=False)
    child = subprocess.run(
        [sys.executable, "-c", LOAD_SCRIPT, str(crafted)], capture_output=True, timeout=120
    )
    assert child.returncode == -signal.SIGABRT, child.stderr[-2000:]
    assert b"GGML_ASSERT" in child.stderr


@pytest.mark.slow
def test_probe_accepts_the_starter(starter_model: Path) -> None:
    elapsed = probe_load(starter_model)
    assert 0 < elapsed < 30


@pytest.mark.slow
def test_probe_refuses_the_crafted_file_quietly(
    crafted: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(ModelProbeError) as caught:
        probe_load(crafted, "Hospital model.gguf")
    assert str(caught.value) == (
        "The model file Hospital model.gguf could not be loaded: the engine stopped while"
        " reading it (it may be damaged or made for a newer version). It was not installed."
    )
    assert isinstance(caught.value, GGUFError)  # refused wherever unusable files are
    out, err = capfd.readouterr()
    assert "llama" not in out + err and "GGML" not in out + err, "child output leaked"


def test_probe_reports_a_clean_refusal(tmp_path: Path) -> None:
    """A header-only file: the engine refuses it with an error, the child exits 17."""
    path = tmp_path / "empty.gguf"
    write_gguf(path, chat_metadata())
    with pytest.raises(ModelProbeError, match="the engine rejected it"):
        probe_load(path)


def test_probe_kills_a_child_that_hangs(tmp_path: Path) -> None:
    pid_file = tmp_path / "pid"
    hang = f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    started = time.monotonic()
    with pytest.raises(ModelProbeError, match="did not finish reading it within 2 seconds"):
        probe_load(tmp_path / "x.gguf", timeout=2, command=[sys.executable, "-c", hang])
    assert time.monotonic() - started < 10
    with pytest.raises(ProcessLookupError):  # killed and reaped, not left running
        os.kill(int(pid_file.read_text()), 0)


@pytest.mark.parametrize(
    ("script", "words"),
    [
        ("import sys; sys.exit(1)", "the engine stopped while reading it"),
        ("import os; os.abort()", "the engine stopped while reading it"),
        ("import sys; sys.exit(17)", "the engine rejected it"),
    ],
)
def test_any_unclean_exit_refuses(tmp_path: Path, script: str, words: str) -> None:
    with pytest.raises(ModelProbeError, match=words):
        probe_load(tmp_path / "x.gguf", command=[sys.executable, "-c", script])


def test_a_probe_that_cannot_start_refuses(tmp_path: Path) -> None:
    with pytest.raises(ModelProbeError, match="could not start its test load"):
        probe_load(tmp_path / "x.gguf", command=[str(tmp_path / "no-such-program")])


def test_probe_command_goes_through_the_app(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    model = tmp_path / "m.gguf"
    assert probe_command(model, "llamacpp") == [
        sys.executable, "-m", "clinichat", PROBE_FLAG, str(model), "llamacpp"
    ]  # fmt: skip
    # Frozen (PyInstaller), sys.executable is the ClinicChat binary and has no -m.
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/ClinicChat/clinichat")
    assert probe_command(model) == ["/opt/ClinicChat/clinichat", PROBE_FLAG, str(model), "gpt4all"]


def test_timeout_grows_with_the_file() -> None:
    assert probe_timeout(100_000_000) == pytest.approx(63)
    assert probe_timeout(8_000_000_000) == pytest.approx(300)


def test_probe_child_starts_no_qt(tmp_path: Path) -> None:
    """The probe flag is handled before Qt, logging or the user's folders are touched."""
    path = tmp_path / "empty.gguf"
    write_gguf(path, chat_metadata())
    check = (
        "import sys; from clinichat.app import main; "
        f"code = main([{PROBE_FLAG!r}, sys.argv[1]]); "
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'; "
        "sys.exit(code)"
    )
    child = subprocess.run(
        [sys.executable, "-c", check, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "x")},
    )
    assert child.returncode == probe_module.EXIT_REJECTED, child.stderr[-2000:]
    assert not (tmp_path / "home").exists() and not (tmp_path / "x").exists()


# --- the registry -------------------------------------------------------------------------


@pytest.mark.slow
def test_import_refuses_a_file_that_aborts_the_engine(crafted: Path, tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "models", [])
    with pytest.raises(ModelProbeError, match=r"crafted\.gguf could not be loaded"):
        registry.import_file(crafted)
    assert _listing(tmp_path / "models") == []  # no model, no .part left behind
    assert registry.installed() == []


@pytest.mark.slow
def test_import_still_installs_the_real_starter(starter_original: Path, tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "models", [])
    model = registry.import_file(starter_original)
    assert model.info.pre_tokenizer == "refact"
    assert [m.filename for m in registry.installed()] == [starter_original.name]


def test_import_probes_the_aliased_copy_before_the_rename(tmp_path: Path) -> None:
    """What is probed is what will be installed (alias applied), and nothing is installed
    until the probe said yes."""
    seen: list[tuple[Path, str, str | None, list[str], str]] = []
    models = tmp_path / "models"

    def record(path: Path, name: str, engine: str) -> None:
        seen.append((path, name, read_info(path).pre_tokenizer, _listing(models), engine))

    src = tmp_path / "smol.gguf"
    write_gguf(src, chat_metadata(pre="smollm", chat_template="<|im_start|>"))
    ModelRegistry(models, [], probe=record).import_file(src)
    [(path, name, pre, listing, engine)] = seen
    assert engine == "gpt4all", "probed on the engine that will run it"
    assert path == models / "smol.gguf.part"
    assert name == "smol.gguf"
    assert pre == "refact"
    assert listing == ["smol.gguf.part"]


def test_failed_probe_leaves_nothing(tmp_path: Path) -> None:
    def refuse(path: Path, name: str, engine: str) -> None:
        raise ModelProbeError("The model file {name} could not be loaded.", name=name)

    src = tmp_path / "model.gguf"
    write_gguf(src)
    with pytest.raises(ModelProbeError):
        ModelRegistry(tmp_path / "models", [], probe=refuse).import_file(src)
    assert _listing(tmp_path / "models") == []


@pytest.mark.slow
def test_adopt_download_deletes_a_file_that_aborts_the_engine(
    crafted: Path, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "crafted.gguf").write_bytes(crafted.read_bytes())
    registry = ModelRegistry(models, [])
    with pytest.raises(ModelProbeError, match=r"crafted\.gguf could not be loaded"):
        registry.adopt_download("crafted.gguf")
    assert _listing(models) == []  # not offered now, nor at the next start
    assert registry.installed() == []


@pytest.mark.slow
def test_adopt_download_keeps_the_real_starter(starter_original: Path, tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / starter_original.name).write_bytes(starter_original.read_bytes())
    model = ModelRegistry(models, []).adopt_download(starter_original.name)
    assert model.path == models / starter_original.name
    assert model.info.pre_tokenizer == "refact"
    assert not list(models.glob("*.probing"))


def test_adopt_download_hides_the_file_while_probing(tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    write_gguf(models / "model.gguf")
    listed: list[list[str]] = []
    window_view = ModelRegistry(models, [])  # what the window would list meanwhile

    def record(path: Path, name: str, engine: str) -> None:
        listed.append([m.filename for m in window_view.installed()])

    ModelRegistry(models, [], probe=record).adopt_download("model.gguf")
    assert listed == [[]]
    assert [m.filename for m in window_view.installed()] == ["model.gguf"]
