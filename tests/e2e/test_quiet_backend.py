"""`clinichat` commands keep gpt4all's "Failed to load libllamamodel-mainline-cuda…" line out
of the user's terminal. The line comes from the C++ loader on every computer without the CUDA
runtime (this one), the first time a model is created in a process.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli import clinichat

NOISE = "Failed to load libllamamodel"


@pytest.mark.slow
def test_self_test_loads_the_model_without_the_cuda_line(starter_model: Path) -> None:
    done = clinichat("--temp-basedir", "--self-test", "--model", starter_model)
    assert done.returncode == 0, done.stderr
    assert NOISE not in done.stderr


@pytest.mark.slow
def test_models_commands_print_no_cuda_line(tmp_path: Path, starter_model: Path) -> None:
    base = tmp_path / "base"
    for command in (("import", starter_model), ("list",), ("list", "--json"), ("verify",)):
        done = clinichat("--basedir", base, "models", *command)
        assert NOISE not in done.stderr, command
    assert (base / "models" / starter_model.name).is_file()
