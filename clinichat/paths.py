"""Where ClinicChat keeps its files.

Every file the app writes lives under one of these folders, so `--basedir` and
`--temp-basedir` can isolate a run completely (tests, IT trials, a USB stick). Without them
the OS conventions from platformdirs apply.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "ClinicChat"


@dataclass(frozen=True)
class AppPaths:
    """The four folders the app uses; created on demand by `ensure()`."""

    config: Path
    data: Path
    models: Path
    logs: Path

    @classmethod
    def for_user(cls) -> AppPaths:
        dirs = PlatformDirs(APP_NAME, appauthor=False)
        data = Path(dirs.user_data_dir)
        return cls(
            config=Path(dirs.user_config_dir),
            data=data,
            models=data / "models",
            logs=Path(dirs.user_log_dir),
        )

    @classmethod
    def under(cls, basedir: Path) -> AppPaths:
        base = basedir.resolve()
        return cls(
            config=base / "config",
            data=base / "data",
            models=base / "models",
            logs=base / "logs",
        )

    def ensure(self) -> AppPaths:
        for folder in (self.config, self.data, self.models, self.logs):
            folder.mkdir(parents=True, exist_ok=True)
        # The history lives in `data`: keep other accounts on a shared computer out of it.
        self.data.chmod(0o700)
        return self


class TempBasedir:
    """A fresh base folder that is removed, with everything in it, on `cleanup()`."""

    def __init__(self) -> None:
        self.path = Path(tempfile.mkdtemp(prefix="clinichat-"))

    def cleanup(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
