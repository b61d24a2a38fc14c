"""`bootstrap.py run` fetches the starter model exactly when no model is installed.

The decision reads `clinichat models list --installed --json`. The full list also carries the
catalog's entries (never empty), which is how a fresh computer once looked as if it had a
model. Fast and without a window; test_bootstrap_run.py goes the whole way under Xvfb.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from clinichat.models.starter import STARTER_FILENAME

REPO = Path(__file__).resolve().parents[2]
PYTHON = Path(sys.executable)


def load_bootstrap() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bootstrap", REPO / "installers/bootstrap.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def listing(base: Path, *options: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-m", "clinichat", "--basedir", str(base), "models", "list", *options],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows = json.loads(done.stdout)
    assert isinstance(rows, list)
    return rows


def test_a_fresh_folder_has_no_installed_model_although_the_catalog_lists_some(
    tmp_path: Path,
) -> None:
    base = tmp_path / "base"
    assert listing(base, "--json") != [], "the catalog's entries are listed"
    assert listing(base, "--json", "--installed") == []
    assert load_bootstrap().installed_models(PYTHON, ["--basedir", str(base)]) == []


def test_an_installed_model_is_found_and_nothing_is_fetched(
    tmp_path: Path, starter_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = tmp_path / "base"
    (base / "models").mkdir(parents=True)
    shutil.copy2(starter_model, base / "models" / STARTER_FILENAME)
    rows = listing(base, "--json", "--installed")
    assert [(row["file"], row["installed"]) for row in rows] == [(STARTER_FILENAME, True)]
    bootstrap = load_bootstrap()
    args = ["--basedir", str(base)]
    assert bootstrap.installed_models(PYTHON, args) == [STARTER_FILENAME]
    fetched: list[tuple[object, ...]] = []

    def run(*command: object, check: bool = True) -> int:
        fetched.append(command)
        return 0

    monkeypatch.setattr(bootstrap, "run", run)
    bootstrap.provide_model(PYTHON, args)
    assert fetched == [], "no download when a model is installed"


def test_the_table_says_when_nothing_is_installed(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "clinichat", "--basedir", str(tmp_path)]
    done = subprocess.run(
        [*command, "models", "list", "--installed"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0
    assert done.stdout == ""
    assert done.stderr.strip().splitlines()[-1] == "No models installed."
