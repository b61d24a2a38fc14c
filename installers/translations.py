"""Refresh and compile ClinicChat's translations (for developers and translators).

    python3 installers/translations.py update    # pyside6-lupdate: new strings into the .ts
    python3 installers/translations.py release   # pyside6-lrelease: .ts -> .qm

The compiled .qm files are checked in next to their .ts sources, so an installed app, a
frozen build and the test suite need no Qt tools; a test fails when either is out of date.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "resources" / "translations"
LANGUAGES = ("es",)


def sources() -> list[Path]:
    """Every Python file of the app: all user-visible text lives in clinichat/."""
    return sorted((ROOT / "clinichat").rglob("*.py"))


def tool(name: str) -> str:
    """pyside6-lupdate / pyside6-lrelease from the same environment as this Python."""
    return str(Path(sys.executable).with_name(f"pyside6-{name}"))


def ts_path(language: str) -> Path:
    return FOLDER / f"clinichat_{language}.ts"


def update(target: Path | None = None, language: str = "es") -> None:
    """Extract the source texts into `target` (default: the checked-in .ts), keeping
    existing translations and marking texts that no longer exist as obsolete."""
    target = target or ts_path(language)
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [tool("lupdate"), *map(str, sources()), "-locations", "none"]
    command += ["-no-obsolete", "-source-language", "en", "-target-language", language]
    subprocess.run([*command, "-ts", str(target)], check=True, capture_output=True)


def release(source: Path, target: Path) -> None:
    subprocess.run(
        [tool("lrelease"), "-silent", str(source), "-qm", str(target)],
        check=True,
        capture_output=True,
    )


def main(argv: list[str]) -> int:
    if argv[1:] == ["update"]:
        for language in LANGUAGES:
            update(language=language)
        return 0
    if argv[1:] == ["release"]:
        for language in LANGUAGES:
            release(ts_path(language), ts_path(language).with_suffix(".qm"))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
