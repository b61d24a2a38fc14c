"""`clinichat --self-test` from the source checkout: the same check the frozen build runs.

One summary line on stdout and exit 0 when the model answers and the encrypted history
round-trips; one `self-test failed:` line on stderr and exit 1 otherwise. The generated text
is never printed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clinichat.self_test import PROMPT

REPO = Path(__file__).resolve().parents[2]
SUMMARY = re.compile(r"^self-test ok: (\S+=\S+)( \S+=\S+)*$")


def benign_stderr() -> list[tuple[str, str]]:
    """The build's list of harmless stderr lines, plus CUDA's (the venv has its backends)."""
    spec = importlib.util.spec_from_file_location("clinichat_build", REPO / "installers/build.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return [*build.BENIGN_STDERR, build.BENIGN_CUDA]


def self_test(
    *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "clinichat", "--temp-basedir", "--self-test", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
    )


def fields(line: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in line.removeprefix("self-test ok: ").split())


def unexpected(stderr: str) -> list[str]:
    patterns = [re.compile(pattern) for pattern, _why in benign_stderr()]
    return [
        line
        for line in stderr.splitlines()
        if line.strip() and not any(p.fullmatch(line.strip()) for p in patterns)
    ]


@pytest.mark.slow
def test_self_test_passes_with_the_starter_model(starter_model: Path) -> None:
    done = self_test("--model", starter_model)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and SUMMARY.match(lines[0]), done.stdout
    summary = fields(lines[0])
    assert summary["model"] == starter_model.name
    assert 1 <= int(summary["tokens"]) <= 8
    assert float(summary["tok/s"]) > 0
    assert summary["history"] == "ok"
    assert summary["sqlcipher"].startswith("4.")
    assert summary["gpt4all"] == "2.8.2"
    assert summary["speech"] == "ok" and summary["ctranslate2"].startswith("4.")
    assert summary["portaudio"].startswith("19.")  # dictation's sound library loads
    assert summary["frozen"] == "no"
    assert summary["keyring_trusted"] in ("yes", "no") and "." in summary["keyring"]
    assert 0 < float(summary["load_s"]) <= float(summary["first_token_s"])
    assert unexpected(done.stderr) == []
    assert PROMPT not in done.stdout + done.stderr, "no chat text in the output"
    assert summary["engine"] == "gpt4all-2.8.2", "the starter's own engine"


@pytest.mark.slow
def test_self_test_runs_a_file_on_the_engine_asked_for(
    starter_model: Path, gemma3_file: Path
) -> None:
    """--engine picks the engine; a file the engine cannot run fails in one line saying why."""
    on_llamacpp = self_test("--model", starter_model, "--engine", "llamacpp")
    assert on_llamacpp.returncode == 0, on_llamacpp.stderr
    assert fields(on_llamacpp.stdout.strip())["engine"] == "llamacpp-2026.10.11549"
    assert unexpected(on_llamacpp.stderr) == []
    gemma = self_test("--model", gemma3_file)
    assert gemma.returncode == 0, gemma.stderr
    assert fields(gemma.stdout.strip())["engine"].startswith("llamacpp-")
    refused = self_test("--model", gemma3_file, "--engine", "gpt4all")
    assert refused.returncode != 0 and refused.stdout == ""
    assert "the gpt4all engine cannot run it" in refused.stderr
    assert "'gemma3' architecture" in refused.stderr


@pytest.mark.slow
def test_self_test_says_a_plaintext_keyring_is_not_trusted(
    starter_model: Path, tmp_path: Path
) -> None:
    """keyrings.alt's file backend chosen the way IT would (keyring's environment variable)."""
    done = self_test(
        "--model",
        starter_model,
        env={
            "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
            "XDG_DATA_HOME": str(tmp_path),
        },
    )
    assert done.returncode == 0, done.stderr
    summary = fields(done.stdout.splitlines()[0])
    assert summary["keyring"] == "keyrings.alt.file.PlaintextKeyring"
    assert summary["keyring_trusted"] == "no"
    assert summary["history"] == "ok"
    assert not (tmp_path / "python_keyring").exists(), "nothing was written to the file"


@pytest.mark.slow
def test_window_mode_reports_the_time_to_the_first_paint() -> None:
    done = self_test("--window")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 1 and SUMMARY.match(lines[0]), done.stdout
    summary = fields(lines[0])
    assert 0 < float(summary["window_shown_s"]) < 60
    assert summary["platform"] == "offscreen"
    assert unexpected(done.stderr) == []


def test_a_missing_model_file_fails_in_one_line(tmp_path: Path) -> None:
    done = self_test("--model", tmp_path / "absent.gguf")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"self-test failed: no model file at {tmp_path}/absent.gguf"
    ]


def test_without_an_installed_model_it_says_to_pass_one() -> None:
    done = self_test()
    assert done.returncode == 1
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("self-test failed: no installed model") and "--model FILE" in line


def test_a_file_that_is_no_model_fails_in_one_line(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.gguf"
    bogus.write_bytes(b"not a model at all" * 100)
    done = self_test("--model", bogus)
    assert done.returncode == 1
    [line] = done.stderr.splitlines()
    assert line.startswith("self-test failed: notes.gguf: ")


def test_self_test_options_are_checked() -> None:
    base = [sys.executable, "-m", "clinichat"]
    for args in (["--model", "x.gguf"], ["--window"], ["--self-test", "models", "list"]):
        done = subprocess.run([*base, *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2, args
        assert "--self-test" in done.stderr
