"""The user's choices that survive a restart (model, threads), saved atomically.

A settings file that is damaged or edited by hand must never stop the app from starting:
bad values fall back to defaults and the problems are reported, and every save writes a
temporary file and renames it over the old one, so a crash mid-save leaves the old file.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from clinichat.atomic import write_atomically

FORMAT_VERSION = 1
FILE_NAME = "settings.json"
MAX_IDLE_MINUTES = 24 * 60


def default_threads() -> int:
    """The source study saw no gain past 4 threads on CPU; never more than the cores."""
    return max(1, min(4, os.cpu_count() or 1))


@dataclass
class Settings:
    threads: int = field(default_factory=default_threads)
    default_model: str | None = None
    idle_lock_minutes: int = 5  # 0 turns idle locking off

    @staticmethod
    def path_in(config_dir: Path) -> Path:
        return config_dir / FILE_NAME

    @classmethod
    def load(cls, config_dir: Path) -> tuple[Settings, list[str]]:
        """Read the settings; returns them with a list of problems that were fixed."""
        settings = cls()
        path = cls.path_in(config_dir)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return settings, []
        except (OSError, ValueError) as error:
            return settings, [f"{path}: unreadable ({error}); using defaults"]
        if not isinstance(raw, dict):
            return settings, [f"{path}: not a settings object; using defaults"]
        problems = []
        threads = raw.get("threads", settings.threads)
        cores = os.cpu_count() or 1
        if isinstance(threads, int) and not isinstance(threads, bool) and 1 <= threads <= cores:
            settings.threads = threads
        else:
            problems.append(f"threads={threads!r} is not between 1 and {cores}; using default")
        idle = raw.get("idle_lock_minutes", settings.idle_lock_minutes)
        if isinstance(idle, int) and not isinstance(idle, bool) and 0 <= idle <= MAX_IDLE_MINUTES:
            settings.idle_lock_minutes = idle
        else:
            problems.append(f"idle_lock_minutes={idle!r} is not between 0 and 1440; using default")
        model = raw.get("default_model")
        if model is None or isinstance(model, str):
            settings.default_model = model
        else:
            problems.append(f"default_model={model!r} is not a file name; ignored")
        return settings, problems

    def save(self, config_dir: Path) -> None:
        config_dir.mkdir(parents=True, exist_ok=True)
        data = {"version": FORMAT_VERSION, **asdict(self)}
        write_atomically(self.path_in(config_dir), json.dumps(data, indent=2).encode("utf-8"))
